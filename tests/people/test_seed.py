"""The people seed (fixtures/people.json), checked against seed document 000: the study
group's eight members as printed, its seven meetings and its US trip."""

import pytest

from core.models import Source
from people.models import Membership, Person, Session, SessionItem, StudyGroup
from tests.helpers import GROUP, group_sessions, meeting, us_trip

pytestmark = pytest.mark.usefixtures("seeded")


# --- People -------------------------------------------------------------------------


def test_seed_has_eight_people_one_chair_six_members_one_secretariat():
    memberships = Membership.objects.filter(group__slug=GROUP)
    roles = sorted(memberships.values_list("role", flat=True))
    assert roles == ["chair"] + ["member"] * 6 + ["secretariat"]
    assert memberships.values("person").distinct().count() == 8


# (person, role, affiliation as printed, title as printed, printed position)
MEMBERS = [
    ("suzuki-tatsujiro", "chair", "長崎大学核兵器廃絶研究センター", "副センター長", 1),
    ("ichimasa-sukeyuki", "member", "防衛研究所 政策研究部", "サイバー安全保障研究室長", 2),
    ("ueki-chikako", "member", "早稲田大学国際学術院", "アジア太平洋研究科教授", 3),
    ("ota-masakatsu", "member", "共同通信社", "編集委員・論説委員", 4),
    ("kitano-mitsuru", "member", "自治体国際化協会", "参与（前ウィーン代表部大使）", 5),
    ("sato-heigo", "member", "拓殖大学国際学部", "教授", 6),
    ("mukai-wakana", "member", "亜細亜大学国際関係学部", "准教授", 7),
    ("kobayashi-yuki", "secretariat", "笹川平和財団安全保障研究グループ", "研究員", 8),
]


@pytest.mark.parametrize("slug,role,affiliation,title,order", MEMBERS)
def test_membership_keeps_role_affiliation_title_and_order_as_printed(
    slug, role, affiliation, title, order
):
    membership = Membership.objects.get(group__slug=GROUP, person__slug=slug)
    assert (membership.role, membership.affiliation_ja, membership.title_ja) == (
        role,
        affiliation,
        title,
    )
    assert membership.order == order
    assert membership.affiliation_en and membership.title_en


def test_memberships_link_the_affiliation_organization():
    links = dict(
        Membership.objects.filter(group__slug=GROUP).values_list(
            "person__slug", "organization__name_ja"
        )
    )
    assert links["suzuki-tatsujiro"] == "長崎大学核兵器廃絶研究センター"
    assert links["ichimasa-sukeyuki"] == "防衛研究所"
    assert links["kobayashi-yuki"] == "笹川平和財団安全保障研究グループ"
    assert None not in links.values()


@pytest.mark.parametrize(
    "slug,family,given,romanized",
    [
        ("suzuki-tatsujiro", "鈴木", "達治郎", "Tatsujiro Suzuki"),
        ("kitano-mitsuru", "北野", "充", "Mitsuru Kitano"),
        ("mukai-wakana", "向", "和歌奈", "Wakana Mukai"),
        ("kobayashi-yuki", "小林", "祐喜", "Yuki Kobayashi"),
    ],
)
def test_person_names_are_split_as_printed_and_romanized(slug, family, given, romanized):
    person = Person.objects.get(slug=slug)
    assert (person.family_name, person.given_name) == (family, given)
    assert person.name_en == romanized


def test_member_list_is_as_of_the_publication_month():
    seed = Source.objects.get(slug="seed-000")
    as_of = {m.as_of.iso() for m in Membership.objects.filter(group__slug=GROUP)}
    assert as_of == {"2024-04"}
    assert seed.published.iso() == "2024-04"


def test_study_group_was_set_up_in_fiscal_2023_by_the_security_studies_group():
    group = StudyGroup.objects.select_related("host__parent").get(slug=GROUP)
    assert group.name_ja == "新たな核の軍備管理・軍縮構想研究会"
    assert group.host.slug == "spf-security-studies"
    assert group.host.parent.name_ja == "公益財団法人笹川平和財団"
    assert group.established.iso() == "2023"
    assert group.established_note_ja == "2023年度"
    assert "April 2023" in group.established_note_en
    assert "2018年9月" in group.summary_ja
    for theme in ("プルトニウムの国際管理", "北朝鮮の非核化", "原子力施設の防護策"):
        assert theme in group.summary_ja


# --- Sessions -----------------------------------------------------------------------


MEETING_DATES = {
    1: "2023-05-30",
    2: "2023-07-03",
    3: "2023-07-27",
    4: "2023-09-26",
    5: "2023-10-31",
    6: "2023-11-27",
    7: "2024-03-26",
}


def test_seven_numbered_meetings_on_the_printed_days():
    meetings = group_sessions().filter(kind=Session.Kind.MEETING)
    got = {s.number: (s.start.iso(), s.start.precision, s.end) for s in meetings}
    assert got == {n: (day, "day", None) for n, day in MEETING_DATES.items()}


def test_us_trip_ran_14_to_21_january_2024_with_4_travellers_and_13_interviewees():
    trip = us_trip()
    assert trip.number is None
    assert (trip.start.iso(), trip.end.iso()) == ("2024-01-14", "2024-01-21")
    assert (trip.start.precision, trip.end.precision) == ("day", "day")
    assert (trip.participant_count, trip.interviewee_count) == (4, 13)
    # Only the chair is named among the four who went ("研究会座長、委員らの計４人").
    assert list(trip.participants.values_list("slug", flat=True)) == ["suzuki-tatsujiro"]


def items_of(number):
    return list(
        SessionItem.objects.filter(session=meeting(number))
        .order_by("order")
        .values_list("title_ja", "speaker_label_ja", "speaker_label_en", "speaker")
    )


def test_first_meeting_items_have_no_speaker():
    assert items_of(1) == [
        ("研究会の趣旨説明", "", "", None),
        ("今後の研究の進め方", "", "", None),
    ]


def test_second_meeting_talk_was_given_by_an_unnamed_external_lecturer():
    assert items_of(2) == [
        ("ブッシュ・ジュニア政権時代の核政策と中国への影響", "外部講師", "external lecturer", None)
    ]
    assert meeting(2).summary_ja == "外部講師による講演と意見交換"


def test_third_meeting_has_two_talks_each_by_one_unnamed_member():
    # "委員2人による講演" describes the meeting as a whole: two talks, one member each.
    assert items_of(3) == [
        ("過去50年の軍備管理に関する条約の成立と後退の背景", "委員", "a member", None),
        ("北朝鮮の非核化をめぐる外交交渉の経緯と失敗の要因", "委員", "a member", None),
    ]
    assert meeting(3).summary_ja == "委員2人による講演と意見交換"


@pytest.mark.parametrize(
    "number,title",
    [
        (4, "ロシアから見た軍備管理条約の意義、今後の展望"),
        (5, "輸出管理の側面から国際情勢、核の軍備管理への示唆"),
        (6, "核実験を巡る米ソ／米ロ軍備管理問題"),
    ],
)
def test_fourth_to_sixth_meetings_each_had_one_talk_by_a_member(number, title):
    assert items_of(number) == [(title, "委員", "a member", None)]


def test_seventh_meeting_drafted_the_emergency_recommendations():
    [(title, *_)] = items_of(7)
    assert title.startswith("2024年4月の日米首脳会談に向け")
    assert title.endswith("日本政府への緊急提言案の作成")
