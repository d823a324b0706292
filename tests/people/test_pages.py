"""The people and session pages: content, filters, bad input and query bounds."""

import datetime
import re

import pytest
from django.urls import reverse

from core.dates import PartialDate
from people.models import Membership, Session
from people.templatetags.people_tags import date_span
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    RecommendationFactory,
    SessionFactory,
    SessionItemFactory,
    StudyGroupFactory,
)
from tests.helpers import count_queries, html, in_language

pytestmark = pytest.mark.django_db

PERSON_LIST = reverse("people:person-list")
SESSION_LIST = reverse("people:session-list")


@pytest.fixture
def group(db):
    return StudyGroupFactory(
        slug="new-arms-control",
        name_ja="新たな核の軍備管理・軍縮構想研究会",
        name_en="Study Group on New Nuclear Arms Control and Disarmament Initiatives",
    )


@pytest.fixture
def nagasaki(db):
    return OrganizationFactory(
        slug="nagasaki-recna",
        name_ja="長崎大学核兵器廃絶研究センター",
        name_en="Research Center for Nuclear Weapons Abolition, Nagasaki University",
        kind="university",
    )


@pytest.fixture
def suzuki(group, nagasaki):
    person = PersonFactory(
        slug="suzuki-tatsujiro",
        family_name="鈴木",
        given_name="達治郎",
        family_name_romanized="Suzuki",
        given_name_romanized="Tatsujiro",
    )
    MembershipFactory(
        person=person,
        group=group,
        role=Membership.Role.CHAIR,
        organization=nagasaki,
        affiliation_ja="長崎大学核兵器廃絶研究センター",
        affiliation_en="Research Center for Nuclear Weapons Abolition, Nagasaki University",
        title_ja="副センター長",
        title_en="Vice-Director",
        as_of_on=datetime.date(2024, 4, 1),
        as_of_precision="month",
    )
    return person


@pytest.fixture
def sato(group):
    person = PersonFactory(
        slug="sato-heigo",
        family_name="佐藤",
        given_name="丙午",
        family_name_romanized="Sato",
        given_name_romanized="Heigo",
    )
    MembershipFactory(
        person=person,
        group=group,
        role=Membership.Role.MEMBER,
        affiliation_ja="拓殖大学国際学部",
        title_ja="教授",
        title_en="Professor",
    )
    return person


@pytest.fixture
def meeting(group, sato):
    session = SessionFactory(group=group, number=2, start_on=datetime.date(2023, 7, 3))
    SessionItemFactory(
        session=session,
        order=1,
        title_ja="ブッシュ・ジュニア政権時代の核政策と中国への影響",
        title_en="Nuclear policy under the George W. Bush administration and its impact on China",
        speaker=None,
        speaker_label_ja="外部講師",
        speaker_label_en="external lecturer",
    )
    SessionItemFactory(
        session=session,
        order=2,
        title_en="Export controls and arms control",
        speaker=sato,
        speaker_label_ja="",
        speaker_label_en="",
    )
    return session


@pytest.fixture
def trip(group, suzuki):
    return SessionFactory(
        group=group, fieldwork=True, place_en="United States", participants=[suzuki]
    )


# -- people ----------------------------------------------------------------------------


def test_person_list_shows_names_as_printed_and_romanized_with_role_and_affiliation(
    client, suzuki, sato
):
    response = client.get(in_language("ja", PERSON_LIST))
    assert response.status_code == 200
    page = html(response)
    assert "鈴木 達治郎" in page
    assert "Tatsujiro Suzuki" in page
    assert "長崎大学核兵器廃絶研究センター" in page
    assert "佐藤 丙午" in page
    assert in_language("ja", reverse("people:person-detail", args=[suzuki.pk])) in page


def test_english_person_list_names_people_romanized_only(client, suzuki, sato):
    page = html(client.get(in_language("en", PERSON_LIST)))

    assert "Tatsujiro Suzuki" in page
    assert "chair" in page
    assert "鈴木" not in page and "佐藤" not in page
    assert reverse("people:person-detail", args=[suzuki.pk]) in page


def test_person_page_in_english_keeps_the_name_as_printed_beside(client, suzuki):
    page = html(client.get(in_language("en", suzuki.get_absolute_url())))

    heading = page[page.index("<h1") : page.index("</h1>")]
    assert "Tatsujiro Suzuki" in heading
    assert '<small lang="ja">鈴木 達治郎</small>' in heading


@pytest.mark.parametrize(("language", "label"), [("en", "Tatsujiro Suzuki"), ("ja", "鈴木 達治郎")])
def test_people_filter_names_people_in_the_readers_language(client, suzuki, language, label):
    page = html(client.get(in_language(language, reverse("people:session-list"))))
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)

    assert any(option.startswith(label) for option in options)
    if language == "en":
        assert not any("鈴木" in option for option in options)


def test_person_page_shows_names_roles_affiliation_title_and_as_of(client, suzuki, trip):
    response = client.get(suzuki.get_absolute_url())
    assert response.status_code == 200
    page = html(response)
    assert "鈴木 達治郎" in page
    assert "Tatsujiro Suzuki" in page
    assert "chair" in page
    assert "長崎大学核兵器廃絶研究センター" in page
    assert "副センター長" in page
    assert "Vice-Director" in page
    assert '<time datetime="2024-04">April 2024</time>' in page  # month precision, no day
    # Provenance of the person and of the membership.
    assert 'class="provenance"' in page
    assert suzuki.source.get_absolute_url() in page
    # Sessions attended link to the session.
    assert trip.get_absolute_url() in page
    assert "Trip to the United States" in page


def test_person_page_lists_the_talks_given(client, sato, meeting):
    page = html(client.get(sato.get_absolute_url()))
    assert "Export controls and arms control" in page
    assert meeting.get_absolute_url() in page
    assert f"{SESSION_LIST}?speaker=sato-heigo" in page


def test_person_page_in_japanese_shows_dates_the_japanese_way(client, suzuki):
    page = html(client.get(in_language("ja", suzuki.get_absolute_url())))
    assert "2024年4月" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=鈴木", {"suzuki"}),
        ("q=鈴木達治郎", {"suzuki"}),  # typed without the printed space
        ("q=鈴木+達治郎", {"suzuki"}),
        ("q=tatsujiro", {"suzuki"}),
        ("q=Tatsujiro+Suzuki", {"suzuki"}),
        ("q=heigo", {"sato"}),
        ("role=chair", {"suzuki"}),
        ("role=member", {"sato"}),
        ("role=secretariat", set()),
        ("organization=nagasaki-recna", {"suzuki"}),
        ("", {"suzuki", "sato"}),
    ],
)
def test_person_filters_narrow_the_list(client, suzuki, sato, query, expected):
    people = {"suzuki": suzuki, "sato": sato}
    response = client.get(f"{PERSON_LIST}?{query}")
    assert response.status_code == 200
    listed = {
        name for name, person in people.items() if f'id="person-{person.pk}"' in html(response)
    }
    assert listed == expected


# -- sessions --------------------------------------------------------------------------


def test_session_list_shows_dates_at_precision_and_speakers(client, meeting, trip):
    response = client.get(SESSION_LIST)
    assert response.status_code == 200
    page = html(response)
    assert "3 July 2023" in page
    assert "14–21 January 2024" in page
    assert "external lecturer" in page
    assert "Heigo Sato" in page
    assert reverse("people:session-export") in page
    assert reverse("people:session-item-export") in page


def test_session_page_shows_dates_place_counts_items_and_speakers(client, trip, meeting, sato):
    page = html(client.get(trip.get_absolute_url()))
    assert "14–21 January 2024" in page
    assert "United States" in page
    assert "interview trip" in page
    assert "<dd>4</dd>" in page  # participants from the group
    assert "<dd>13</dd>" in page  # people interviewed

    page = html(client.get(meeting.get_absolute_url()))
    assert "<dd>2</dd>" in page  # the meeting's number
    assert "3 July 2023" in page
    # Items in order, with a printed label where the source names no one.
    first = page.index("Nuclear policy under the George W. Bush administration")
    second = page.index("Export controls and arms control")
    assert first < second
    assert "external lecturer" in page
    assert f'<a href="{sato.get_absolute_url()}">Heigo Sato</a>' in page
    assert 'class="provenance"' in page


def test_session_page_in_japanese_shows_the_span_the_japanese_way(client, trip):
    page = html(client.get(in_language("ja", trip.get_absolute_url())))
    assert "2024年1月14日～21日" in page
    assert "米国出張" in page


def test_session_page_lists_the_recommendations_that_draw_on_it(client, trip, meeting):
    recommendation = RecommendationFactory(title_en="Promote Track 2 dialogue")
    recommendation.related_sessions.set([trip])
    page = html(client.get(trip.get_absolute_url()))
    assert recommendation.get_absolute_url() in page
    assert "Promote Track 2 dialogue" in page
    assert "proposed" in page
    assert recommendation.get_absolute_url() not in html(client.get(meeting.get_absolute_url()))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("kind=meeting", {"meeting"}),
        ("kind=interview_trip", {"trip"}),
        ("kind=fieldwork", set()),
        ("year=2023", {"meeting"}),
        ("year=2024", {"trip"}),
        ("year=1999", set()),
        ("speaker=sato-heigo", {"meeting"}),
        ("speaker=suzuki-tatsujiro", set()),
        ("kind=meeting&year=2024", set()),
        ("", {"meeting", "trip"}),
    ],
)
def test_session_filters_narrow_the_list(client, meeting, trip, suzuki, query, expected):
    sessions = {"meeting": meeting, "trip": trip}
    response = client.get(f"{SESSION_LIST}?{query}")
    assert response.status_code == 200
    page = html(response)
    assert {name for name, s in sessions.items() if f'id="session-{s.pk}"' in page} == expected


@pytest.mark.parametrize(
    "start, end, language, expected",
    [
        ("2024-01-14", "2024-01-21", "en", "14–21 January 2024"),
        ("2024-01-14", "2024-01-21", "ja", "2024年1月14日～21日"),
        ("2023-05-30", "2023-07-03", "en", "30 May – 3 July 2023"),
        ("2023-05-30", "2023-07-03", "ja", "2023年5月30日～7月3日"),
        ("2023-12-30", "2024-01-02", "en", "30 December 2023 – 2 January 2024"),
        ("2023-12-30", "2024-01-02", "ja", "2023年12月30日～2024年1月2日"),
        ("2024-01", "2024-02", "en", "January 2024 – February 2024"),
        ("2024-01-14", None, "en", "14 January 2024"),
        ("2024-01-14", "2024-01-14", "en", "14 January 2024"),
        ("2024", None, "ja", "2024年"),
    ],
)
def test_date_span_does_not_repeat_what_start_and_end_share(start, end, language, expected):
    start = PartialDate.parse(start)
    end = PartialDate.parse(end) if end else None
    assert date_span(start, end, language) == expected


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url, message",
    [
        (f"{PERSON_LIST}?role=emperor", "Select a valid choice"),
        (f"{PERSON_LIST}?organization=nowhere", "There is no organization with this slug."),
        (f"{PERSON_LIST}?q=" + "x" * 101, "at most 100 characters"),
        (f"{SESSION_LIST}?kind=party", "Select a valid choice"),
        (f"{SESSION_LIST}?year=last", "Enter a whole number."),
        (f"{SESSION_LIST}?year=99999", "less than or equal to 2200"),
        (f"{SESSION_LIST}?speaker=nobody", "There is no person with this slug."),
    ],
)
def test_invalid_filters_are_answered_with_400_and_the_message(client, suzuki, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in html(response)


@pytest.mark.parametrize("url", [f"{PERSON_LIST}?page=99", f"{SESSION_LIST}?page=99"])
def test_a_page_out_of_range_is_404(client, suzuki, meeting, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", ["people:person-detail", "people:session-detail"])
def test_unknown_ids_are_404(client, name):
    assert client.get(reverse(name, args=[999999])).status_code == 404


def test_pages_refuse_writes_with_405(client, suzuki, meeting):
    for url in (PERSON_LIST, SESSION_LIST, suzuki.get_absolute_url(), meeting.get_absolute_url()):
        assert client.post(url).status_code == 405, url
        assert client.delete(url).status_code == 405, url
        assert client.put(url).status_code == 405, url


# -- query bounds ----------------------------------------------------------------------


def make_people(group, count):
    organization = OrganizationFactory()
    for _ in range(count):
        MembershipFactory(group=group, organization=organization)


def make_sessions(group, count):
    for _ in range(count):
        session = SessionFactory(group=group)
        SessionItemFactory(session=session, speaker=PersonFactory())
        SessionItemFactory(session=session)


def test_person_list_queries_do_not_grow_with_rows(client, group, django_assert_max_num_queries):
    make_people(group, 5)
    few = count_queries(client, PERSON_LIST)
    make_people(group, 50)
    assert count_queries(client, PERSON_LIST) == few
    assert count_queries(client, f"{PERSON_LIST}?role=member&page=2") <= few + 1
    with django_assert_max_num_queries(10):
        client.get(PERSON_LIST)


def test_session_list_queries_do_not_grow_with_rows(client, group, django_assert_max_num_queries):
    make_sessions(group, 5)
    few = count_queries(client, SESSION_LIST)
    make_sessions(group, 50)
    assert count_queries(client, SESSION_LIST) == few
    with django_assert_max_num_queries(10):
        client.get(SESSION_LIST)


def test_person_page_queries_do_not_grow_with_roles_and_talks(
    client, django_assert_max_num_queries
):
    person = PersonFactory()

    def add(count):
        for _ in range(count):
            MembershipFactory(person=person)
            session = SessionFactory(participants=[person])
            SessionItemFactory(session=session, speaker=person)

    add(5)
    few = count_queries(client, person.get_absolute_url())
    add(50)
    assert count_queries(client, person.get_absolute_url()) == few
    with django_assert_max_num_queries(10):
        client.get(person.get_absolute_url())


def test_session_page_queries_do_not_grow_with_items_and_links(
    client, django_assert_max_num_queries
):
    session = SessionFactory()

    def add(count):
        for _ in range(count):
            SessionItemFactory(session=session, speaker=PersonFactory())
            session.participants.add(PersonFactory())
            RecommendationFactory().related_sessions.add(session)

    add(5)
    few = count_queries(client, session.get_absolute_url())
    add(50)
    assert count_queries(client, session.get_absolute_url()) == few
    assert Session.objects.get(pk=session.pk).items.count() == 55
    with django_assert_max_num_queries(10):
        client.get(session.get_absolute_url())
