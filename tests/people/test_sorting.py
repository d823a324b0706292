"""The people and session lists sort by their columns (?sort=), and their exports follow."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, SessionFactory, StudyGroupFactory
from tests.helpers import html, in_language, read_csv, text

pytestmark = pytest.mark.django_db

PEOPLE = reverse("people:person-list")
SESSIONS = reverse("people:session-list")


def row_ids(response, prefix):
    return [int(pk) for pk in re.findall(rf'<tr id="{prefix}-(\d+)"', html(response))]


@pytest.fixture
def people(db):
    return [
        PersonFactory(family_name_romanized="suzuki", given_name_romanized="Tatsujiro"),
        PersonFactory(family_name_romanized="Akiyama", given_name_romanized="Nobumasa"),
        PersonFactory(family_name_romanized="Suzuki", given_name_romanized="Kazuto"),
    ]


def test_people_sort_by_romanized_name_whatever_the_case(client, people):
    suzuki_t, akiyama, suzuki_k = people
    expected = [akiyama.pk, suzuki_k.pk, suzuki_t.pk]
    for language in ("en", "ja"):
        response = client.get(in_language(language, PEOPLE), {"sort": "name"})
        assert row_ids(response, "person") == expected
    assert row_ids(client.get(PEOPLE, {"sort": "-name"}), "person") == expected[::-1]
    rows = read_csv(client.get(reverse("people:person-export"), {"sort": "-name"}))
    assert [int(row["id"]) for row in rows] == expected[::-1]


def test_the_romanized_header_sorts_and_is_marked_by_default(client, people):
    page = html(client.get(PEOPLE, {"q": "suzuki"}))
    assert (
        '<th scope="col" aria-sort="ascending"><a class="sort" href="?q=suzuki&amp;sort=-name">'
        in page
    )


def test_an_unknown_sort_of_people_is_ignored_with_a_message(client, people):
    response = client.get(PEOPLE, {"sort": "age"})
    assert response.status_code == 200
    assert "This list cannot be sorted by “age”" in text(html(response))


@pytest.fixture
def sessions(db):
    group = StudyGroupFactory()
    return {
        "third": SessionFactory(
            group=group,
            number=3,
            title_en="Verification",
            title_ja="検証",
            start_on=datetime.date(2023, 9, 1),
            start_precision="month",
        ),
        "first": SessionFactory(
            group=group,
            number=1,
            title_en="arms control",
            title_ja="軍備管理",
            start_on=datetime.date(2023, 5, 30),
        ),
        "trip": SessionFactory(group=group, fieldwork=True),
    }


def test_sessions_sort_by_date_number_title_and_kind(client, sessions):
    first, third, trip = sessions["first"].pk, sessions["third"].pk, sessions["trip"].pk
    assert row_ids(client.get(SESSIONS), "session") == [first, third, trip]
    assert row_ids(client.get(SESSIONS, {"sort": "-date"}), "session") == [trip, third, first]
    # The trip has no number: last either way.
    assert row_ids(client.get(SESSIONS, {"sort": "number"}), "session") == [first, third, trip]
    assert row_ids(client.get(SESSIONS, {"sort": "-number"}), "session") == [third, first, trip]
    assert row_ids(client.get(SESSIONS, {"sort": "title"}), "session") == [first, trip, third]
    assert row_ids(client.get(SESSIONS, {"sort": "kind"}), "session") == [first, third, trip]
    rows = read_csv(client.get(reverse("people:session-export"), {"sort": "-date"}))
    assert [int(row["id"]) for row in rows] == [trip, third, first]


def test_sessions_filter_by_title_in_either_language(client, sessions):
    assert row_ids(client.get(SESSIONS, {"q": "検証"}), "session") == [sessions["third"].pk]
    assert row_ids(client.get(SESSIONS, {"q": "ARMS"}), "session") == [sessions["first"].pk]
    rows = read_csv(client.get(reverse("people:session-item-export"), {"q": "検証"}))
    assert {row["session_id"] for row in rows} <= {str(sessions["third"].pk)}
