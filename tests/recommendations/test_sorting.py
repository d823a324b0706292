"""The recommendation list sorts by its columns (?sort=), and its export follows."""

import datetime
import re

import pytest
from django.urls import reverse

from core.dates import PartialDate
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import RecommendationFactory, SourceFactory
from tests.helpers import html, in_language, read_csv, text

pytestmark = pytest.mark.django_db

LIST = reverse("recommendations:recommendation-list")


def row_ids(response):
    return [int(pk) for pk in re.findall(r'<tr id="recommendation-(\d+)"', html(response))]


@pytest.fixture
def recommendations(db):
    older = SourceFactory(published_on=datetime.date(2023, 1, 1), published_precision="year")
    newer = SourceFactory(published_on=datetime.date(2024, 4, 1), published_precision="month")
    rows = {
        "b": RecommendationFactory(source=newer, number=1, title_en="Build trust", title_ja="信頼"),
        "a": RecommendationFactory(
            source=newer, number=2, title_en="arms control", title_ja="軍備"
        ),
        "c": RecommendationFactory(source=older, number=1, title_en="Ceasefire", title_ja="停戦"),
    }
    recommendation_set_status(
        recommendation=rows["a"],
        status=Recommendation.Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
        evidence=newer,
    )
    recommendation_set_status(
        recommendation=rows["c"],
        status=Recommendation.Status.UNDER_CONSIDERATION,
        date=PartialDate(datetime.date(2025, 1, 1), "day"),
        evidence=older,
    )
    return {key: row.pk for key, row in rows.items()}


def sorted_ids(client, value, language="en"):
    return row_ids(client.get(in_language(language, LIST), {"sort": value}))


def test_recommendations_sort_by_each_column(client, recommendations):
    a, b, c = recommendations["a"], recommendations["b"], recommendations["c"]
    assert sorted_ids(client, "title") == [a, b, c]
    assert sorted_ids(client, "-title") == [c, b, a]
    # By number, then publication: no. 1 of 2023, no. 1 of 2024, no. 2 of 2024.
    assert sorted_ids(client, "number") == [c, b, a]
    assert sorted_ids(client, "publication") == [c, b, a]
    assert sorted_ids(client, "-publication") == [a, b, c]
    assert sorted_ids(client, "status") == [b, c, a]
    # The last update: "2025" before "1 January 2025"; one without an update comes last.
    assert sorted_ids(client, "updated") == [a, c, b]
    assert sorted_ids(client, "-updated") == [c, a, b]


def test_the_title_sorts_in_the_readers_language(client, recommendations):
    a, b, c = recommendations["a"], recommendations["b"], recommendations["c"]
    # 信 (U+4FE1) < 停 (U+505C) < 軍 (U+8ECD): Japanese titles in the order of their text.
    assert sorted_ids(client, "title", "ja") == [b, c, a]


def test_the_export_follows_the_sort(client, recommendations):
    a, b, c = recommendations["a"], recommendations["b"], recommendations["c"]
    for value, expected in [("-updated", [c, a, b]), ("title", [a, b, c])]:
        rows = read_csv(
            client.get(reverse("recommendations:recommendation-export"), {"sort": value})
        )
        assert [int(row["id"]) for row in rows] == expected


def test_sorted_headers_link_to_the_reverse_and_keep_the_filters(client, recommendations):
    page = html(client.get(LIST, {"status": "implemented", "sort": "-updated"}))
    assert (
        '<th scope="col" aria-sort="descending"><a class="sort" '
        'href="?status=implemented&amp;sort=updated">Last update</a>'
    ) in page
    assert '<input type="hidden" name="sort" value="-updated"' in page


@pytest.mark.parametrize("value", ["unknown", "-", "number;drop", "ｎｕｍｂｅｒ", "é" * 300])
def test_an_unknown_sort_never_fails(client, recommendations, value):
    response = client.get(LIST, {"sort": value})
    assert response.status_code == 200
    assert "cannot be sorted by" in text(html(response))
    assert len(row_ids(response)) == 3
    export = client.get(reverse("recommendations:recommendation-export"), {"sort": value})
    assert len(read_csv(export)) == 3
