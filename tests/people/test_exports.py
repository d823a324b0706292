"""CSV exports of the people, membership, session and session item lists: every row,
bounded queries, the list filters, and bad input."""

import datetime

import pytest
from django.urls import reverse

from core.views_base import PAGE_SIZE
from people.exports import MembershipExport, PersonExport, SessionExport, SessionItemExport
from people.models import Membership
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    SessionFactory,
    SessionItemFactory,
    StudyGroupFactory,
)
from tests.helpers import check_export_queries, check_export_rows, read_csv

pytestmark = pytest.mark.django_db

MANY = PAGE_SIZE + 10


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


EXPORTS = [
    ("people:person-export", PersonExport, add_people),
    ("people:membership-export", MembershipExport, add_memberships),
    ("people:session-export", SessionExport, add_sessions),
    ("people:session-item-export", SessionItemExport, add_session_items),
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
        ("/people/export.csv?role=emperor", "role: Select a valid choice"),
        ("/people/export.csv?organization=nowhere", "There is no organization with this slug."),
        ("/people/memberships/export.csv?person=nobody", "There is no person with this slug."),
        ("/people/memberships/export.csv?group=nogroup", "There is no study group with this slug."),
        ("/sessions/export.csv?year=soon", "year: Enter a whole number."),
        ("/sessions/export.csv?kind=party", "kind: Select a valid choice"),
        ("/sessions/items/export.csv?session=abc", "There is no session with this id."),
        ("/sessions/items/export.csv?speaker=nobody", "There is no person with this slug."),
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
