"""CSV exports of the people, session and recommendation lists."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.dates import PartialDate
from core.views_base import PAGE_SIZE
from people.exports import MembershipExport, PersonExport, SessionExport, SessionItemExport
from people.models import Membership
from recommendations.exports import (
    FootnoteExport,
    RecommendationExport,
    RecommendationUpdateExport,
)
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    FootnoteFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecommendationFactory,
    SessionFactory,
    SessionItemFactory,
    SourceFactory,
    StudyGroupFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

Status = Recommendation.Status
MANY = PAGE_SIZE + 10


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(content[1:])))


def header_of(response):
    content = b"".join(response.streaming_content).decode("utf-8")
    return next(csv.reader(io.StringIO(content[1:])))


def export_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)  # the rows are read while streaming
    return len(queries)


# Row makers: each adds `count` rows of the export's kind.


def add_people(count):
    group = StudyGroupFactory()
    for _ in range(count):
        MembershipFactory(group=group)


def add_memberships(count):
    add_people(count)


def add_sessions(count):
    group = StudyGroupFactory()
    for _ in range(count):
        SessionFactory(group=group, participants=[PersonFactory()])


def add_session_items(count):
    session = SessionFactory()
    for _ in range(count):
        SessionItemFactory(session=session, speaker=PersonFactory())


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
    ("people:person-export", PersonExport, add_people),
    ("people:membership-export", MembershipExport, add_memberships),
    ("people:session-export", SessionExport, add_sessions),
    ("people:session-item-export", SessionItemExport, add_session_items),
    ("recommendations:recommendation-export", RecommendationExport, add_recommendations),
    ("recommendations:footnote-export", FootnoteExport, add_footnotes),
    ("recommendations:update-export", RecommendationUpdateExport, add_updates),
]
EXPORT_IDS = [name for name, _, _ in EXPORTS]


@pytest.mark.parametrize("name, export_class, add", EXPORTS, ids=EXPORT_IDS)
def test_export_has_bom_header_and_every_row_beyond_one_page(client, name, export_class, add):
    add(MANY)
    response = client.get(reverse(name))
    rows = read_csv(response)
    assert len(rows) == MANY
    assert list(rows[0].keys()) == export_class().header()
    assert list(rows[0].keys())[0] == "id"
    assert all(row["id"] for row in rows)


@pytest.mark.parametrize("name, export_class, add", EXPORTS, ids=EXPORT_IDS)
def test_export_queries_do_not_grow_with_rows(
    client, name, export_class, add, django_assert_max_num_queries
):
    url = reverse(name)
    add(5)
    few = export_queries(client, url)
    add(50)
    assert export_queries(client, url) == few
    with django_assert_max_num_queries(8):
        b"".join(client.get(url).streaming_content)


@pytest.mark.parametrize(
    "url, message",
    [
        ("/people/export.csv?role=emperor", "role: Select a valid choice"),
        ("/people/export.csv?organization=nowhere", "There is no organization with this slug."),
        ("/people/memberships/export.csv?person=nobody", "There is no person with this slug."),
        ("/people/memberships/export.csv?group=nogroup", "There is no study group with this slug."),
        ("/sessions/export.csv?year=soon", "year: Enter a whole number."),
        ("/sessions/export.csv?kind=party", "kind: Select a valid choice"),
        ("/sessions/items/export.csv?session=abc", "There is no session with this id."),
        ("/sessions/items/export.csv?speaker=nobody", "There is no person with this slug."),
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


# -- people ----------------------------------------------------------------------------


@pytest.fixture
def roster(db):
    group = StudyGroupFactory(slug="new-arms-control")
    recna = OrganizationFactory(slug="nagasaki-recna")
    suzuki = PersonFactory(
        slug="suzuki-tatsujiro",
        family_name="鈴木",
        given_name="達治郎",
        family_name_romanized="Suzuki",
        given_name_romanized="Tatsujiro",
    )
    MembershipFactory(
        person=suzuki,
        group=group,
        role=Membership.Role.CHAIR,
        organization=recna,
        affiliation_ja="長崎大学核兵器廃絶研究センター",
        title_ja="副センター長",
        as_of_on=datetime.date(2024, 4, 1),
        as_of_precision="month",
    )
    kobayashi = PersonFactory(slug="kobayashi-yuki", family_name="小林")
    MembershipFactory(person=kobayashi, group=group, role=Membership.Role.SECRETARIAT)
    return {"group": group, "suzuki": suzuki, "kobayashi": kobayashi}


def test_people_export_flattens_memberships_and_honours_the_filters(client, roster):
    rows = read_csv(client.get("/people/export.csv?role=chair"))
    assert len(rows) == 1
    row = rows[0]
    assert row["slug"] == "suzuki-tatsujiro"
    assert row["name_ja"] == "鈴木 達治郎"
    assert row["name_en"] == "Tatsujiro Suzuki"
    assert row["roles"] == "new-arms-control:chair"
    assert row["affiliations_ja"] == "長崎大学核兵器廃絶研究センター"
    assert row["titles_ja"] == "副センター長"
    assert row["organizations"] == "nagasaki-recna"
    assert row["roles_as_of"] == "2024-04"

    slugs = {row["slug"] for row in read_csv(client.get("/people/export.csv?q=小林"))}
    assert slugs == {"kobayashi-yuki"}
    slugs = {
        row["slug"]
        for row in read_csv(client.get("/people/export.csv?organization=nagasaki-recna"))
    }
    assert slugs == {"suzuki-tatsujiro"}


def test_memberships_export_has_one_row_per_membership(client, roster):
    rows = read_csv(client.get("/people/memberships/export.csv"))
    assert {(row["person"], row["role"]) for row in rows} == {
        ("suzuki-tatsujiro", "chair"),
        ("kobayashi-yuki", "secretariat"),
    }
    rows = read_csv(client.get("/people/memberships/export.csv?role=secretariat"))
    assert [row["person"] for row in rows] == ["kobayashi-yuki"]
    rows = read_csv(client.get("/people/memberships/export.csv?person=suzuki-tatsujiro"))
    assert [row["as_of"] for row in rows] == ["2024-04"]
    assert rows[0]["group"] == "new-arms-control"
    assert rows[0]["person_id"] == str(roster["suzuki"].pk)


# -- sessions --------------------------------------------------------------------------


def test_session_exports_give_dates_at_precision_and_honour_the_filters(client, roster):
    speaker = roster["suzuki"]
    meeting = SessionFactory(group=roster["group"], number=3, start_on=datetime.date(2023, 7, 27))
    SessionItemFactory(session=meeting, order=1, speaker=speaker, title_en="Arms control")
    SessionItemFactory(session=meeting, order=2, speaker=None, speaker_label_en="external lecturer")
    trip = SessionFactory(group=roster["group"], fieldwork=True, participants=[speaker])
    month_only = SessionFactory(
        group=roster["group"],
        number=9,
        start_on=datetime.date(2022, 6, 1),
        start_precision="month",
    )

    rows = {row["id"]: row for row in read_csv(client.get("/sessions/export.csv"))}
    assert rows[str(trip.pk)]["start"] == "2024-01-14"
    assert rows[str(trip.pk)]["end"] == "2024-01-21"
    assert rows[str(trip.pk)]["kind"] == "interview_trip"
    assert rows[str(trip.pk)]["number"] == ""
    assert rows[str(trip.pk)]["participants"] == "suzuki-tatsujiro"
    assert rows[str(trip.pk)]["interviewee_count"] == "13"
    assert rows[str(month_only.pk)]["start"] == "2022-06"
    assert rows[str(meeting.pk)]["group"] == "new-arms-control"

    ids = {row["id"] for row in read_csv(client.get("/sessions/export.csv?kind=meeting"))}
    assert ids == {str(meeting.pk), str(month_only.pk)}
    ids = {row["id"] for row in read_csv(client.get("/sessions/export.csv?year=2024"))}
    assert ids == {str(trip.pk)}
    url = "/sessions/export.csv?speaker=suzuki-tatsujiro"
    assert {row["id"] for row in read_csv(client.get(url))} == {str(meeting.pk)}

    items = read_csv(client.get(f"/sessions/items/export.csv?session={meeting.pk}"))
    assert [(row["order"], row["speaker"], row["speaker_label_en"]) for row in items] == [
        ("1", "suzuki-tatsujiro", "a member"),
        ("2", "", "external lecturer"),
    ]
    assert items[0]["session_start"] == "2023-07-27"
    assert items[0]["speaker_name_ja"] == "鈴木 達治郎"
    items = read_csv(client.get("/sessions/items/export.csv?speaker=suzuki-tatsujiro"))
    assert [row["title_en"] for row in items] == ["Arms control"]
    assert read_csv(client.get("/sessions/items/export.csv?year=2024")) == []


# -- recommendations -------------------------------------------------------------------


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
