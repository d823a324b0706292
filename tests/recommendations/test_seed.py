"""The people and recommendations seed data, checked against seed document 000.

Seed 000 is the study group's emergency recommendations of April 2024: its members, its
seven meetings and US trip (巻末資料), recommendations 1 and 2 with footnotes 1–8, and the
group's earlier publications.
"""

import json
import re

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from core.models import Provenance, Source
from people.models import Membership, Organization, Person, Session, SessionItem, StudyGroup
from recommendations.models import Footnote, Recommendation, RecommendationUpdate
from tests import factories

FIXTURES = settings.FIXTURE_DIRS[0]
SEED_TEXT = settings.BASE_DIR / "fixtures" / "documents" / "000_e85d0d0f89602b68.txt"
GROUP = "new-nuclear-arms-control-study-group"
MODELS = [Organization, Person, StudyGroup, Membership, Session, SessionItem]
MODELS += [Recommendation, Footnote, RecommendationUpdate]

pytestmark = pytest.mark.usefixtures("seeded")


def fixture_rows(name):
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def our_rows():
    return fixture_rows("people") + fixture_rows("recommendations")


def our_source_slugs():
    return [
        r["fields"]["slug"] for r in fixture_rows("recommendations") if r["model"] == "core.source"
    ]


def loaded_object(row):
    """The database object a fixture row stands for (by pk, or by natural key)."""
    from django.apps import apps

    model = apps.get_model(row["model"])
    if "pk" in row:
        return model._default_manager.get(pk=row["pk"])
    return model._default_manager.get_by_natural_key(row["fields"]["slug"])


def group_sessions():
    return Session.objects.filter(group__slug=GROUP)


def meeting(number):
    return group_sessions().get(kind=Session.Kind.MEETING, number=number)


def us_trip():
    return group_sessions().get(kind=Session.Kind.INTERVIEW_TRIP)


def rec(number):
    return Recommendation.objects.get(source__slug="seed-000", number=number)


# --------------------------------------------------------------------------- people


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


# ------------------------------------------------------------------------- sessions

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


# ------------------------------------------------------------------ recommendations


def test_recommendations_1_and_2_carry_their_printed_titles_and_addressee():
    assert rec(1).title_ja == (
        "核の不使用継続と核秩序維持の重要性を再確認し、核使用リスク削減の具体的措置に向け首脳外交を主導する"
    )
    # The document's own spelling 促がす is kept.
    assert rec(2).title_ja == "核保有国間の核軍備管理交渉を促がす重層的な対話の推進"
    assert Recommendation.objects.filter(source__slug="seed-000").count() == 2
    for number in (1, 2):
        r = rec(number)
        assert (r.addressee_ja, r.addressee_en) == ("日本政府", "the Government of Japan")
        assert r.title_en and r.summary_en and r.body_en


def test_summary_is_the_boxed_text_and_body_the_explanation():
    one, two = rec(1), rec(2)
    assert one.summary_ja.startswith("世界はいま、核兵器が使用されるリスクに直面している。")
    assert "核の傘国¹が" in one.summary_ja
    assert one.body_ja.startswith("世界はいま、深刻な核使用リスクに直面している。")
    assert one.body_ja.endswith("共同声明の発出を検討してもらいたい。")
    assert two.summary_ja.endswith(
        "その結果を政府間の議論に反映させる仕組みを構築することが望まれる。"
    )
    assert two.body_ja.startswith("米ロ間、米中間の核軍備管理についての対話の欠如は深刻である。")
    assert two.body_ja.endswith("世界における緊張緩和に大きく貢献できる。")
    assert one.body_ja.count("\n\n") == 3 and two.body_ja.count("\n\n") == 3


def test_footnotes_1_to_4_belong_to_recommendation_1_and_5_to_8_to_recommendation_2():
    placed = dict(Footnote.objects.values_list("number", "recommendation__number"))
    assert placed == {1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2, 7: 2, 8: 2}
    # Each footnote marker appears in its recommendation's text.
    for footnote in Footnote.objects.select_related("recommendation"):
        r = footnote.recommendation
        marker = "¹²³⁴⁵⁶⁷⁸"[footnote.number - 1]
        assert marker in r.summary_ja + r.body_ja, footnote.number


def test_footnotes_5_6_7_give_the_printed_urls_and_the_others_none():
    urls = dict(Footnote.objects.values_list("number", "url"))
    assert urls == {
        1: "",
        2: "",
        3: "",
        4: "",
        5: "https://media.defense.gov/2022/Nov/29/2003122279/-1/-1/1/"
        "2022-MILITARY-AND-SECURITY-DEVELOPMENTS-INVOLVING-THE-PEOPLES-REPUBLIC-OF-CHINA.PDF",
        6: "https://armedservices.house.gov/sites/republicans.armedservices.house.gov/files/"
        "Strategic-Posture-Committee-Report-Final.pdf",
        7: "https://www.armscontrol.org/act/2023-12/news/china-us-hold-rare-arms-control-talks",
        8: "",
    }
    assert Footnote.objects.get(number=1).text_ja.startswith("自国は核兵器を保有しないが")
    assert Footnote.objects.get(number=8).text_ja.startswith(
        "「新たな核の軍備管理・軍縮構想研究会」"
    )


def test_related_treaties_and_sessions():
    assert set(rec(1).related_treaties.values_list("slug", flat=True)) == {
        "npt",
        "new-start",
        "inf",
    }
    assert set(rec(2).related_treaties.values_list("slug", flat=True)) == {"new-start"}
    assert list(rec(1).related_sessions.all()) == [meeting(7)]
    assert set(rec(2).related_sessions.all()) == {meeting(7), us_trip()}


def test_current_status_is_proposed_from_the_april_2024_update():
    for number in (1, 2):
        r = rec(number)
        update = r.latest_update()
        assert r.status == update.status == Recommendation.Status.PROPOSED
        assert (update.date.iso(), update.date.precision) == ("2024-04", "month")
        assert update.evidence.slug == "seed-000" and update.note_en == "published"
        assert r.updates.count() == 1


def test_fixture_does_not_type_the_derived_status():
    for row in fixture_rows("recommendations"):
        if row["model"] == "recommendations.recommendation":
            assert "status" not in row["fields"]


def test_load_seed_derives_the_status_from_the_latest_update():
    r = rec(1)
    factories.RecommendationUpdateFactory(
        recommendation=r,
        date_on="2024-06-01",
        status=Recommendation.Status.UNDER_CONSIDERATION,
    )
    # Reloading rewrites the recommendation row; the status must follow the newest update.
    call_command("load_seed", verbosity=0)
    assert rec(1).status == Recommendation.Status.UNDER_CONSIDERATION
    assert rec(2).status == Recommendation.Status.PROPOSED


# -------------------------------------------------------------------------- sources

EARLIER = [
    ("spf-2019-05-international-norms", "2019-05", "…国際規範を～"),
    (
        "spf-2020-02-dprk-denuclearization",
        "2020-02",
        "北朝鮮非核化に関する日本政府への提言～北東アジアにおける核の脅威削減と新たな安全保障の構築を視野に～",
    ),
    (
        "spf-2020-04-japan-contribution-disarmament",
        "2020-04",
        "世界の核軍縮・核不拡散への日本の貢献～唯一の戦争被爆国としての責任を果たす政策を～",
    ),
    (
        "spf-2021-04-china-russia-civil-nuclear",
        "2021-04",
        "原子力民生利用における中国・ロシアの台頭：グローバルな核不拡散体制の強化と日本の役割",
    ),
    (
        "spf-2022-07-ukraine-civil-nuclear",
        "2022-07",
        "ロシアによるウクライナ侵攻：原子力民生利用の諸課題と日本の役割",
    ),
    (
        "spf-2023-02-nuclear-facility-protection",
        "2023-02",
        "原子力施設の保護と日本の役割～ロシアによるウクライナ侵攻と原発攻撃をうけて～",
    ),
]


@pytest.mark.parametrize("slug,month,title", EARLIER)
def test_earlier_publications_are_sources_dated_to_the_month(slug, month, title):
    source = Source.objects.get(slug=slug)
    assert (source.published.iso(), source.published.precision) == (month, "month")
    assert source.title_ja == title
    assert source.kind == Source.Kind.POLICY_RECOMMENDATION
    assert (source.publisher_ja, source.language) == ("笹川平和財団", "ja")


def test_only_the_certain_url_is_attributed_to_an_earlier_publication():
    with_url = Source.objects.filter(slug__in=[slug for slug, *_ in EARLIER]).exclude(url="")
    assert list(with_url.values_list("slug", "url")) == [
        (
            "spf-2023-02-nuclear-facility-protection",
            "https://www.spf.org/global-data/user26/20230224_PolicyRecomendation.pdf",
        )
    ]
    assert "beginning is cut off" in Source.objects.get(slug=EARLIER[0][0]).note


def test_footnote_sources_are_recorded_with_their_urls():
    cited = {
        "dod-2022-china-military-power": (5, Source.Kind.GOVERNMENT_REPORT),
        "us-strategic-posture-commission-final-report": (6, Source.Kind.GOVERNMENT_REPORT),
        "kuramitsu-2023-12-china-us-arms-control-talks": (7, Source.Kind.NEWS_ARTICLE),
    }
    for slug, (number, kind) in cited.items():
        source = Source.objects.get(slug=slug)
        assert (source.kind, source.language) == (kind, "en")
        assert source.url == Footnote.objects.get(number=number).url
    kuramitsu = Source.objects.get(slug="kuramitsu-2023-12-china-us-arms-control-talks")
    assert kuramitsu.published.iso() == "2023-12"


# ------------------------------------------------------------ provenance and hygiene


def test_every_fact_row_has_a_source_and_a_locator():
    checked = 0
    for model in MODELS:
        if issubclass(model, Provenance):
            for obj in model.objects.all():
                assert obj.source_id is not None, obj
                assert obj.locator.strip(), obj
                checked += 1
    for update in RecommendationUpdate.objects.all():
        assert update.evidence_id is not None and update.locator.strip(), update
        checked += 1
    assert checked >= 9 + 8 + 1 + 8 + 8 + 2 + 2


def test_every_fixture_row_is_loaded_and_passes_full_clean():
    rows = our_rows()
    assert len(rows) > 60
    for row in rows:
        obj = loaded_object(row)
        obj.full_clean()


def squash(text):
    """Text without whitespace, superscript footnote markers made plain digits again."""
    text = text.translate(str.maketrans("¹²³⁴⁵⁶⁷⁸", "12345678"))
    return re.sub(r"\s+", "", text)


def copied_japanese_texts():
    """(label, text) for every Japanese value copied from the document."""
    yield from (("person", p.family_name + p.given_name) for p in Person.objects.all())
    for m in Membership.objects.all():
        yield "membership", m.affiliation_ja + m.title_ja
    for r in Recommendation.objects.all():
        yield from (
            (f"rec {r.number} {f}", getattr(r, f)) for f in ("title_ja", "summary_ja", "body_ja")
        )
    for f in Footnote.objects.filter(number__in=[1, 2, 3, 4, 8]):
        yield f"footnote {f.number}", f.text_ja
    for i in SessionItem.objects.all():
        yield "session item", i.title_ja
    for s in group_sessions().exclude(summary_ja=""):
        yield "session summary", s.summary_ja
    yield "study group summary", StudyGroup.objects.get(slug=GROUP).summary_ja
    for _slug, _month, title in EARLIER:
        yield "earlier publication", title.removeprefix("…")


def test_japanese_texts_are_copied_verbatim_from_the_document():
    document = squash(SEED_TEXT.read_text(encoding="utf-8"))
    for label, text in copied_japanese_texts():
        assert text and squash(text) in document, (label, text)


# A space between two non-ASCII characters is a PDF layout artefact, not text.
LAYOUT_SPACE = re.compile(r"[^\x00-\x7f][ \u3000]+[^\x00-\x7f]|[ \t]+\n|\n{3,}")


def test_japanese_texts_carry_no_pdf_layout_spaces():
    for label, text in copied_japanese_texts():
        if label == "membership":
            continue  # "防衛研究所 政策研究部" keeps the space printed between its two parts
        assert not LAYOUT_SPACE.search(text), (label, text)
        assert text == text.strip()


def snapshot():
    rows = {}
    for model in MODELS:
        rows[model._meta.label] = serializers.serialize("python", model.objects.order_by("pk"))
    sources = Source.objects.filter(slug__in=our_source_slugs()).order_by("pk")
    rows["core.Source"] = serializers.serialize("python", sources)
    return rows


def test_loading_the_seed_twice_changes_nothing():
    before = snapshot()
    assert sum(len(v) for v in before.values()) > 60
    call_command("load_seed", verbosity=0)
    assert snapshot() == before


def test_factories_build_rows_that_pass_full_clean_next_to_the_seed():
    group = factories.StudyGroupFactory()
    first, second = factories.SessionFactory(group=group), factories.SessionFactory(group=group)
    trip = factories.SessionFactory(
        group=group, fieldwork=True, participants=[factories.PersonFactory()]
    )
    assert first.number != second.number and trip.number is None
    recommendation = factories.RecommendationFactory(related_sessions=[first, trip])
    built = [
        group,
        first,
        second,
        trip,
        factories.SessionItemFactory(session=first),
        factories.MembershipFactory(group=group),
        recommendation,
        factories.FootnoteFactory(recommendation=recommendation),
        factories.RecommendationUpdateFactory(recommendation=recommendation),
    ]
    for obj in built:
        obj.full_clean()
    assert recommendation.related_sessions.count() == 2
