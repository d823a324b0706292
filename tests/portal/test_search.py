"""The site search at /search/?q=: every app's records by name or title, in either language.

The expected hits are written out in full, in order, so running this file on SQLite and
on PostgreSQL (DATABASE_URL=postgres://…) proves that both give the same results.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.registry import Finder, Found, Hit, SitePart, site
from core.search import CANDIDATES, relevance
from portal.search import RESULTS_PER_KIND
from tests.factories import (
    CountryFactory,
    PersonFactory,
    RecommendationFactory,
    SessionFactory,
    SourceFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import html, in_language, text
from treaties.models import Treaty

pytestmark = pytest.mark.django_db

SEARCH = reverse("portal:search")


@pytest.fixture
def records(db):
    npt = TreatyFactory(
        slug="npt",
        short_name_en="NPT",
        short_name_ja="核兵器不拡散条約",
        name_en="Treaty on the Non-Proliferation of Nuclear Weapons",
        name_ja="核兵器の不拡散に関する条約",
    )
    tpnw = TreatyFactory(
        slug="tpnw",
        short_name_en="TPNW",
        short_name_ja="核兵器禁止条約",
        name_en="Treaty on the Prohibition of Nuclear Weapons",
        name_ja="核兵器の禁止に関する条約",
    )
    ctbt = TreatyFactory(
        slug="ctbt",
        short_name_en="CTBT",
        short_name_ja="包括的核実験禁止条約",
        name_en="Comprehensive Nuclear-Test-Ban Treaty",
        name_ja="包括的核実験禁止条約",
    )
    japan = CountryFactory(code="JP", name_ja_reading="にほん")
    CountryFactory(code="PK", name_ja_reading="ぱきすたん")
    suzuki = PersonFactory(
        slug="suzuki",
        family_name="鈴木",
        given_name="達治郎",
        family_name_romanized="Suzuki",
        given_name_romanized="Tatsujiro",
    )
    PersonFactory(
        slug="suzuki-kazuto",
        family_name="鈴木",
        given_name="一人",
        family_name_romanized="Suzuki",
        given_name_romanized="Kazuto",
    )
    meeting = SessionFactory(
        number=3,
        title_ja="第3回研究会：検証制度",
        title_en="Third meeting: verification",
    )
    trip = SessionFactory(fieldwork=True)
    event = TreatyEventFactory(
        treaty=tpnw,
        title_ja="核兵器禁止条約が発効",
        title_en="The TPNW enters into force",
        date_on=datetime.date(2021, 1, 22),
        date_precision="day",
    )
    recommendation = RecommendationFactory(
        title_ja="NPT運用検討会議に向けた提言",
        title_en="Towards the NPT Review Conference",
    )
    paper = SourceFactory(
        slug="white-paper", title_ja="原子力白書", title_en="White Paper on Nuclear Energy"
    )
    return {
        "npt": npt,
        "tpnw": tpnw,
        "ctbt": ctbt,
        "japan": japan,
        "suzuki": suzuki,
        "meeting": meeting,
        "trip": trip,
        "event": event,
        "recommendation": recommendation,
        "paper": paper,
    }


def hits(response, key):
    """[(link, name shown)] of one kind's results, in the page's order."""
    page = html(response)
    match = re.search(rf'<section[^>]*id="results-{key}".*?</section>', page, re.S)
    if match is None:
        return []
    return re.findall(r'<li><a href="([^"]+)"(?: lang="[a-z]+")?>([^<]*)</a>', match.group(0))


def links(response, key):
    return [link for link, _name in hits(response, key)]


def search(client, query, language="en"):
    return client.get(in_language(language, SEARCH), {"q": query})


# --- Finding, in either language -------------------------------------------------------


def test_a_japanese_query_finds_a_treaty_by_its_japanese_name_on_an_english_page(client, records):
    response = search(client, "核兵器不拡散")
    assert response.status_code == 200
    npt = records["npt"]
    assert hits(response, "treaties") == [(npt.get_absolute_url(), "NPT")]
    # The name the query matched, in the other language, is shown beside the English one.
    assert '<span class="other-language" lang="ja">(核兵器不拡散条約)</span>' in html(response)


def test_an_english_query_finds_a_treaty_by_its_english_name_on_a_japanese_page(client, records):
    response = search(client, "Non-Proliferation", language="ja")
    assert response.status_code == 200
    npt = in_language("ja", records["npt"].get_absolute_url())
    assert hits(response, "treaties") == [(npt, "核兵器不拡散条約")]
    assert '<span class="other-language" lang="en">(NPT)</span>' not in html(response)


def test_the_other_language_is_not_repeated_when_the_shown_name_matched(client, records):
    response = search(client, "NPT")
    assert hits(response, "treaties")[0] == (records["npt"].get_absolute_url(), "NPT")
    section = re.search(r'id="results-treaties".*?</section>', html(response), re.S).group(0)
    assert "other-language" not in section


def test_a_name_only_in_the_other_language_is_marked_as_such(client, records):
    TreatyFactory(slug="inf", short_name_en="INF Treaty", short_name_ja="")
    page = html(search(client, "INF", language="ja"))
    assert '<a href="/ja/treaties/inf/" lang="en">INF Treaty</a>' in page
    page = html(search(client, "NPT", language="ja"))
    assert '<a href="/ja/treaties/npt/">核兵器不拡散条約</a>' in page


def test_a_person_is_found_by_the_romanized_and_by_the_japanese_name(client, records):
    url = records["suzuki"].get_absolute_url()
    assert url in links(search(client, "Tatsujiro"), "people")
    assert url in links(search(client, "tatsujiro suzuki"), "people")
    assert url in links(search(client, "達治郎"), "people")
    # As typed in Japanese, without the space the source prints between the names.
    assert links(search(client, "鈴木達治郎"), "people") == [url]


def test_a_session_is_found_by_its_title_in_either_language(client, records):
    url = records["meeting"].get_absolute_url()
    assert links(search(client, "verification"), "sessions") == [url]
    assert links(search(client, "検証制度"), "sessions") == [url]
    assert links(search(client, "米国出張"), "sessions") == [records["trip"].get_absolute_url()]


def test_a_country_is_found_by_its_name_in_either_language_and_by_its_reading(client, records):
    url = records["japan"].get_absolute_url()
    assert links(search(client, "日本"), "countries") == [url]
    assert links(search(client, "Japan", language="ja"), "countries") == [in_language("ja", url)]
    assert links(search(client, "にほん"), "countries") == [url]
    assert links(search(client, "ニホン"), "countries") == [url]


def test_events_recommendations_and_sources_are_found(client, records):
    event = records["event"]
    assert links(search(client, "発効"), "events") == [
        records["tpnw"].get_absolute_url() + f"#event-{event.pk}"
    ]
    assert links(search(client, "Review Conference"), "recommendations") == [
        records["recommendation"].get_absolute_url()
    ]
    assert links(search(client, "原子力白書"), "sources") == [records["paper"].get_absolute_url()]


def test_a_full_width_query_finds_what_its_ascii_form_finds(client, records):
    assert links(search(client, "ＮＰＴ"), "treaties") == links(search(client, "NPT"), "treaties")


def test_each_result_names_its_kind_and_links_to_its_page(client, records):
    response = search(client, "Suzuki")
    section = re.search(r'id="results-people".*?</section>', html(response), re.S).group(0)
    assert '<span class="kind">person</span>' in section
    for link in links(response, "people"):
        assert client.get(link).status_code == 200


# --- The same results, in the same order, on every database -------------------------


def test_results_are_ranked_exact_then_prefix_then_word_then_anywhere(client, records):
    TreatyFactory(slug="npt-review", short_name_en="NPT review cycle", short_name_ja="")
    TreatyFactory(slug="anpt", short_name_en="ANPT", short_name_ja="")
    TreatyFactory(slug="old-npt", short_name_en="Old NPT", short_name_ja="")
    response = search(client, "npt")
    assert [name for _link, name in hits(response, "treaties")] == [
        "NPT",  # the name itself
        "NPT review cycle",  # starts with the query
        "Old NPT",  # a word starts with it
        "ANPT",  # contains it
    ]


def test_ties_are_ordered_by_name_in_the_readers_language_then_by_id(client, records):
    response = search(client, "核兵器", language="ja")
    # Both start with the query; the Japanese page orders them by name.
    assert [name for _link, name in hits(response, "treaties")] == [
        "核兵器不拡散条約",
        "核兵器禁止条約",
    ]
    response = search(client, "Nuclear Weapons")
    assert [name for _link, name in hits(response, "treaties")] == ["NPT", "TPNW"]


def test_two_people_of_the_same_family_name_come_in_name_order(client, records):
    response = search(client, "Suzuki")
    assert [name for _link, name in hits(response, "people")] == [
        "Kazuto Suzuki",
        "Tatsujiro Suzuki",
    ]


def test_every_kind_gives_the_same_full_result_on_every_database(client, records):
    """The whole page's hits for a few queries, written out: this file runs on SQLite and
    on PostgreSQL, so equal lists here mean equal results there."""
    expected = {key: [] for key in KINDS}
    # NPT and TPNW start with 核 in Japanese, CTBT only contains it: English names shown.
    response = search(client, "核")
    found = {key: [name for _link, name in hits(response, key)] for key in KINDS}
    assert found == {
        **expected,
        "treaties": ["NPT", "TPNW", "CTBT"],
        "events": ["The TPNW enters into force"],
    }
    # Two full names start with "Treaty", one has it as a later word; the Japanese page
    # shows Japanese names, ordered by them within a rank.
    response = search(client, "treaty", language="ja")
    found = {key: [name for _link, name in hits(response, key)] for key in KINDS}
    assert found == {
        **expected,
        "treaties": ["核兵器不拡散条約", "核兵器禁止条約", "包括的核実験禁止条約"],
    }
    # Each contains the query, so each kind is in the order of its Japanese names (of
    # their readings for countries: にほん before ぱきすたん).
    response = search(client, "an", language="ja")
    found = {key: [name for _link, name in hits(response, key)] for key in KINDS}
    assert found == {
        **expected,
        "treaties": ["包括的核実験禁止条約"],
        "countries": ["日本", "パキスタン"],
    }
    response = search(client, "条約", language="ja")
    found = {key: [name for _link, name in hits(response, key)] for key in KINDS}
    assert found == {
        **expected,
        "treaties": ["包括的核実験禁止条約", "核兵器不拡散条約", "核兵器禁止条約"],
        "events": ["核兵器禁止条約が発効"],
    }


KINDS = ["treaties", "countries", "events", "recommendations", "people", "sessions", "sources"]


def test_queries_with_tsquery_syntax_are_plain_text(client, records):
    for query in ["O'Brien", "a\\b", "npt:*", "npt & !ctbt", "(npt | ctbt)", "'", "\\", "::"]:
        response = search(client, query)
        assert response.status_code == 200, query
    assert links(search(client, "NPT:"), "treaties") == []


# --- Limits and the number of queries ---------------------------------------------------


def test_each_kind_lists_at_most_its_limit_and_links_to_its_list_for_the_rest(client, db):
    for n in range(RESULTS_PER_KIND + 5):
        TreatyFactory(slug=f"accord-{n:02d}", short_name_en=f"Accord {n:02d}", short_name_ja="")
    response = search(client, "accord")
    shown = [name for _link, name in hits(response, "treaties")]
    assert shown == [f"Accord {n:02d}" for n in range(RESULTS_PER_KIND)]
    more = reverse("treaties:treaty-list") + "?q=accord"
    assert f'<a href="{more}">See all {RESULTS_PER_KIND + 5} matching treaties</a>' in html(
        response
    )
    assert len(html(client.get(more)).split('id="treaty-accord-')) - 1 == RESULTS_PER_KIND + 5


def test_the_list_link_is_left_out_when_the_list_cannot_take_the_query(client, db):
    long_name = "Accord " + "x" * 120
    for n in range(RESULTS_PER_KIND + 1):
        TreatyFactory(slug=f"accord-{n:02d}", short_name_en=f"A{n:02d}", name_en=long_name)
    response = search(client, long_name)
    assert len(hits(response, "treaties")) == RESULTS_PER_KIND
    assert "1 more not shown" in text(html(response))
    assert reverse("treaties:treaty-list") + "?q=" not in html(response)


def search_queries(client, query):
    with CaptureQueriesContext(connection) as queries:
        assert search(client, query).status_code == 200
    return len(queries)


def test_the_search_runs_one_query_per_kind_however_many_records_match(client, records):
    small = search_queries(client, "a")
    for n in range(60):
        TreatyFactory(slug=f"pact-{n}", short_name_en=f"Pact {n}")
        TreatyEventFactory(title_en=f"Event about a pact {n}")
        PersonFactory(family_name_romanized=f"Name{n}a")
    large = search_queries(client, "a")
    assert small == large
    # One query per kind, and the savepoint of the request's transaction and its release.
    assert large <= len(site.finders()) + 2


def test_a_kind_with_more_matches_than_it_ranks_counts_them_in_a_second_query(
    client, db, django_assert_max_num_queries
):
    Treaty.objects.bulk_create(
        Treaty(
            slug=f"pact-{n}",
            short_name_en=f"Pact {n}",
            kind=Treaty.Kind.MULTILATERAL,
            status=Treaty.Status.IN_FORCE,
        )
        for n in range(CANDIDATES + 10)
    )
    # The newest of all, yet the database picks it among the matches it ranks: its name
    # is the query itself.
    TreatyFactory(slug="pact", short_name_en="Pact")
    # One query per kind, one more to count the treaties, and the request's savepoint.
    with django_assert_max_num_queries(len(site.finders()) + 1 + 2):
        response = search(client, "pact")
    assert f"({CANDIDATES + 11})" in html(response)
    shown = [name for _link, name in hits(response, "treaties")]
    assert len(shown) == RESULTS_PER_KIND
    assert shown[:3] == ["Pact", "Pact 0", "Pact 1"]


# --- Bad input --------------------------------------------------------------------------


def test_an_empty_query_shows_the_form_and_a_hint(client, records):
    for url in [SEARCH, SEARCH + "?q=", SEARCH + "?q=+++", SEARCH + "?q=%E3%80%80"]:
        response = client.get(url)
        assert response.status_code == 200
        assert 'class="hint"' in html(response)
        assert "search-group" not in html(response)


def test_a_very_long_query_is_refused_with_a_message(client, records):
    response = client.get(SEARCH, {"q": "x" * 201})
    assert response.status_code == 400
    assert "A search can be at most 200 characters long (this one has 201)." in text(html(response))
    assert client.get(SEARCH, {"q": "x" * 200}).status_code == 200


def test_a_nul_character_is_refused_with_a_message(client, records):
    response = client.get(SEARCH + "?q=npt%00")
    assert response.status_code == 400
    assert "Null characters are not allowed." in text(html(response))


@pytest.mark.parametrize(
    "query",
    [
        "%ED%A0%80",  # an encoded lone surrogate (not UTF-8)
        "%FF%FE",  # bytes that are no UTF-8
        "%F0%9F%98%80",  # an emoji
        "e%CC%81",  # a combining accent
        "%E2%80%AE" + "npt",  # a right-to-left override
        "%01%1F",  # control characters
        "%25_%5C",  # LIKE wildcards and a backslash
    ],
)
def test_odd_unicode_never_breaks_the_page(client, records, query):
    assert client.get(f"{SEARCH}?q={query}").status_code == 200


def test_the_query_is_escaped_where_the_page_repeats_it(client, records):
    response = search(client, '<script>alert("x")</script>')
    assert response.status_code == 200
    assert "<script>alert" not in html(response)
    assert "&lt;script&gt;alert" in html(response)


def test_the_like_wildcards_in_a_query_match_themselves(client, records):
    TreatyFactory(slug="pct", short_name_en="100% Treaty", short_name_ja="")
    assert [name for _link, name in hits(search(client, "100%"), "treaties")] == ["100% Treaty"]
    assert hits(search(client, "_"), "treaties") == []


# --- The page and the header form -------------------------------------------------------


def test_the_search_page_has_its_own_title(client, records):
    assert "<title>Search — Treaty Tracker</title>" in html(search(client, "npt"))
    assert "<title>Search — Treaty Tracker</title>" in html(client.get(SEARCH))


def test_every_page_links_to_the_search_from_its_header(client, records):
    for url in [reverse("portal:home"), reverse("treaties:treaty-list"), SEARCH]:
        page = html(client.get(url))
        header = re.search(r'<header class="site">.*?</header>', page, re.S).group(0)
        form = re.search(r'<form class="site-search"[^>]*>.*?</form>', header, re.S).group(0)
        assert f'action="{SEARCH}"' in form and 'method="get"' in form
        assert '<label for="site-search-q"' in form
        assert '<input id="site-search-q" type="search" name="q"' in form


def test_only_get_is_answered(client, records):
    assert client.post(SEARCH, {"q": "npt"}).status_code == 405


# --- Finders come from the apps, through the registry -----------------------------------


def test_each_app_offers_its_finders_through_the_registry():
    assert [finder.key for finder in site.finders()] == [
        "treaties",
        "countries",
        "events",
        "people",
        "sessions",
        "recommendations",
        "sources",
    ]


def test_the_page_shows_what_a_registered_finder_finds(client, records):
    def find(query, limit):
        return Found(hits=[Hit(name_ja="試し", name_en="Trial", url="/trial/", pk=1)], total=1)

    site.register(SitePart(label="trial", finders=[Finder("trial", "Trials", "trial", find)]))
    try:
        response = search(client, "anything")
    finally:
        site._parts.pop("trial")
    assert hits(response, "trial") == [("/trial/", "Trial")]


def test_relevance_tiers():
    assert relevance(["NPT"], "npt") == 0
    assert relevance(["NPT review"], "npt") == 1
    assert relevance(["The NPT review"], "npt rev") == 2
    assert relevance(["ANPT"], "npt") == 3
