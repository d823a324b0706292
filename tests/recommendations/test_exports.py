"""CSV exports of the recommendation, footnote and status update lists: every row, bounded
queries, the list filters, and bad input."""

import datetime

import pytest
from django.urls import reverse

from core.dates import PartialDate
from core.views_base import PAGE_SIZE
from recommendations.exports import FootnoteExport, RecommendationExport, RecommendationUpdateExport
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    FootnoteFactory,
    RecommendationFactory,
    SessionFactory,
    SourceFactory,
    TreatyFactory,
)
from tests.helpers import check_export_queries, check_export_rows, read_csv

pytestmark = pytest.mark.django_db

Status = Recommendation.Status

MANY = PAGE_SIZE + 10


# Row makers: each adds `count` rows of the export's kind.


def add_recommendations(count):
    treaty = TreatyFactory()
    session = SessionFactory()
    for _ in range(count):
        RecommendationFactory(related_treaties=[treaty], related_sessions=[session])


def add_footnotes(count):
    recommendation = RecommendationFactory()
    for _ in range(count):
        FootnoteFactory(recommendation=recommendation)


def add_updates(count):
    recommendation = RecommendationFactory()
    for n in range(count):
        recommendation_set_status(
            recommendation=recommendation,
            status=Status.UNDER_CONSIDERATION,
            date=PartialDate(datetime.date(2024, 1 + n % 12, 1), "month"),
            evidence=SourceFactory(),
        )


EXPORTS = [
    ("recommendations:recommendation-export", RecommendationExport, add_recommendations),
    ("recommendations:footnote-export", FootnoteExport, add_footnotes),
    ("recommendations:update-export", RecommendationUpdateExport, add_updates),
]

EXPORT_IDS = [name for name, _, _ in EXPORTS]


@pytest.mark.parametrize("name, export_class, add", EXPORTS, ids=EXPORT_IDS)
def test_export_has_bom_header_and_every_row_beyond_one_page(client, name, export_class, add):
    check_export_rows(client, name, export_class, add, MANY)


@pytest.mark.parametrize("name, export_class, add", EXPORTS, ids=EXPORT_IDS)
def test_export_queries_do_not_grow_with_rows(
    client, name, export_class, add, django_assert_max_num_queries
):
    check_export_queries(client, name, add, django_assert_max_num_queries)


@pytest.mark.parametrize(
    "url, message",
    [
        ("/recommendations/export.csv?status=forgotten", "status: Select a valid choice"),
        ("/recommendations/export.csv?treaty=salt-iii", "There is no treaty with this slug"),
        ("/recommendations/footnotes/export.csv?recommendation=999999", "no recommendation"),
        ("/recommendations/footnotes/export.csv?recommendation=one", "no recommendation"),
        ("/recommendations/updates/export.csv?update_status=x", "Select a valid choice"),
        ("/recommendations/updates/export.csv?year=x", "Enter a whole number."),
    ],
)
def test_invalid_filters_give_a_plain_text_400(client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("Invalid filter:")
    assert message in text


@pytest.mark.parametrize("name", EXPORT_IDS)
def test_exports_refuse_writes_with_405(client, name):
    assert client.post(reverse(name)).status_code == 405


@pytest.fixture
def published(db):
    emergency = SourceFactory(
        slug="spf-2024-emergency",
        kind="policy_recommendation",
        published_on=datetime.date(2024, 4, 1),
        published_precision="month",
    )
    npt = TreatyFactory(slug="npt")
    trip = SessionFactory(fieldwork=True)
    first = RecommendationFactory(
        source=emergency,
        number=1,
        title_en='=HYPERLINK("http://evil.example")',
        title_ja="核の不使用継続",
        related_treaties=[npt],
        related_sessions=[trip],
    )
    second = RecommendationFactory(source=emergency, number=2, title_en="Track 2 dialogue")
    FootnoteFactory(recommendation=first, number=1, url="https://www.armscontrol.org/act/2023-12")
    FootnoteFactory(recommendation=second, number=5)
    recommendation_set_status(
        recommendation=second,
        status=Status.UNDER_CONSIDERATION,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
        evidence=emergency,
        note_en="-1 for now",
    )
    recommendation_set_status(
        recommendation=second,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
    )
    return {"first": first, "second": second, "npt": npt, "trip": trip}


def test_recommendation_export_has_ids_slugs_and_neutralized_cells(client, published):
    rows = {row["number"]: row for row in read_csv(client.get("/recommendations/export.csv"))}
    first, second = rows["1"], rows["2"]
    assert first["id"] == str(published["first"].pk)
    assert first["source"] == "spf-2024-emergency"
    assert first["source_published"] == "2024-04"
    assert first["title_en"] == '\'=HYPERLINK("http://evil.example")'
    assert first["title_ja"] == "核の不使用継続"
    assert first["related_treaties"] == "npt"
    assert first["related_sessions"] == str(published["trip"].pk)
    assert first["status"] == "proposed"
    assert second["status"] == "implemented"


@pytest.mark.parametrize(
    "query, numbers",
    [
        ("status=implemented", {"2"}),
        ("treaty=npt", {"1"}),
        ("source=spf-2024-emergency", {"1", "2"}),
        ("year=2024", {"1", "2"}),
        ("year=2023", set()),
        ("q=track", {"2"}),
    ],
)
def test_recommendation_exports_honour_the_list_filters(client, published, query, numbers):
    recommendations = read_csv(client.get(f"/recommendations/export.csv?{query}"))
    assert {row["number"] for row in recommendations} == numbers
    footnotes = read_csv(client.get(f"/recommendations/footnotes/export.csv?{query}"))
    assert {row["recommendation_number"] for row in footnotes} == numbers
    updates = read_csv(client.get(f"/recommendations/updates/export.csv?{query}"))
    assert {row["recommendation_number"] for row in updates} == numbers & {"2"}


def test_footnote_export_gives_number_text_and_url(client, published):
    first = published["first"]
    rows = read_csv(client.get(f"/recommendations/footnotes/export.csv?recommendation={first.pk}"))
    assert len(rows) == 1
    assert rows[0]["recommendation_id"] == str(first.pk)
    assert rows[0]["number"] == "1"
    assert rows[0]["url"] == "https://www.armscontrol.org/act/2023-12"
    assert rows[0]["source"] == "spf-2024-emergency"


def test_update_export_gives_the_history_at_its_precision(client, published):
    second = published["second"]
    rows = read_csv(client.get(f"/recommendations/updates/export.csv?recommendation={second.pk}"))
    assert [(row["date"], row["status"]) for row in rows] == [
        ("2024-04", "under_consideration"),
        ("2025", "implemented"),
    ]
    assert rows[0]["evidence"] == "spf-2024-emergency"
    assert rows[0]["note_en"] == "'-1 for now"
    rows = read_csv(client.get("/recommendations/updates/export.csv?update_status=implemented"))
    assert [row["date"] for row in rows] == ["2025"]
