"""The source list: every source, its filters and bad input, its CSV export, and bounded
queries."""

import pytest
from django.urls import reverse

from core.models import Source
from tests.helpers import count_queries, csv_rows, text

pytestmark = pytest.mark.django_db

SOURCES = reverse("core:source-list")

SOURCE_EXPORT = reverse("core:source-export")

# Ceiling on the queries the list runs; the test at the end shows it does not grow.
SOURCE_LIST_MAX_QUERIES = 4


def listed_slugs(response):
    assert response.status_code == 200
    return sorted(source.slug for source in response.context["object_list"])


def test_source_list_shows_every_source_unfiltered(client, sources):
    response = client.get(SOURCES)
    assert listed_slugs(response) == ["emergency-proposal", "un-treaty-collection", "white-paper"]
    assert "3 sources" in text(response.content.decode())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "white_paper"}, ["white-paper"]),
        ({"language": "en"}, ["un-treaty-collection"]),
        ({"q": "緊急提言"}, ["emergency-proposal"]),
        ({"q": "bluebook"}, ["white-paper"]),
        ({"q": "united nations"}, ["un-treaty-collection"]),
        ({"year": "2024"}, ["emergency-proposal"]),
        ({"language": "ja", "year": "2021"}, ["white-paper"]),
        ({"kind": "treaty_database", "year": "2021"}, []),
    ],
)
def test_source_list_filters(client, sources, query, expected):
    assert listed_slugs(client.get(SOURCES, query)) == expected


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"kind": "tweet"}, "Select a valid choice"),
        ({"year": "last year"}, "Enter a whole number"),
        ({"year": "99999"}, "less than or equal to 2200"),
    ],
)
def test_source_list_answers_an_invalid_filter_with_400_and_the_message(
    client, sources, query, message
):
    response = client.get(SOURCES, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "Diplomatic Bluebook" not in html


def test_source_export_has_bom_header_and_only_the_filtered_rows(client, sources):
    response = client.get(SOURCE_EXPORT, {"language": "ja"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:3] == ["id", "slug", "title_en"]
    slugs = sorted(row[header.index("slug")] for row in rows)
    assert slugs == ["emergency-proposal", "white-paper"]
    by_slug = {row[1]: row for row in rows}
    assert by_slug["white-paper"][header.index("published")] == "2021-04"
    assert by_slug["white-paper"][header.index("title_ja")] == "外交青書2021"


def test_source_export_refuses_an_invalid_filter_with_400(client, sources):
    response = client.get(SOURCE_EXPORT, {"kind": "tweet"})
    assert response.status_code == 400
    assert "kind" in response.content.decode()


def test_source_list_links_the_export_with_the_same_filters(client, sources):
    html = client.get(SOURCES, {"language": "ja"}).content.decode()
    assert f'href="{SOURCE_EXPORT}?language=ja"' in html


@pytest.mark.parametrize("url", [SOURCES, SOURCE_EXPORT])
def test_public_pages_answer_head(client, url):
    assert client.head(url).status_code == 200


def test_source_list_queries_do_not_grow_with_rows(client, django_assert_max_num_queries):
    Source.objects.bulk_create(
        Source(slug=f"s-{i}", title_en=f"S {i}", kind="other", language="en") for i in range(5)
    )
    few = count_queries(client, SOURCES)
    few_export = count_queries(client, SOURCE_EXPORT)
    Source.objects.bulk_create(
        Source(slug=f"t-{i}", title_en=f"T {i}", kind="other", language="en") for i in range(495)
    )
    many = count_queries(client, SOURCES)
    assert many == few
    with django_assert_max_num_queries(SOURCE_LIST_MAX_QUERIES):
        client.get(SOURCES, {"page": 3})
    assert count_queries(client, SOURCE_EXPORT) == few_export
