"""The recommendations seed (fixtures/recommendations.json), checked against seed document 000.

Seed 000 is the study group's emergency recommendations of April 2024: recommendations 1
and 2 with footnotes 1–8, and the group's earlier publications. The checks that read the
whole document (every row sourced, loaded, clean and copied verbatim, and loading twice)
cover the people seed too: the document feeds both apps, and recommendations is the floor
above people. The people seed on its own is in tests/people/test_seed.py.
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
from tests.helpers import GROUP, group_sessions, meeting, us_trip

FIXTURES = settings.FIXTURE_DIRS[0]
SEED_TEXT = settings.BASE_DIR / "fixtures" / "documents" / "000_e85d0d0f89602b68.txt"
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


def rec(number):
    return Recommendation.objects.get(source__slug="seed-000", number=number)


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
    assert "beginning is cut off" in Source.objects.get(slug=EARLIER[0][0]).editor_note


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
