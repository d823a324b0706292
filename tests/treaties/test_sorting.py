"""The treaty app's lists sort by their columns (?sort=), countries by name in the reader's
language: English alphabetically, Japanese by the reading of the name (gojūon order)."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django_countries import countries

from core.collation import japanese_key
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import (
    admin_form_data,
    change_url,
    count_queries,
    html,
    in_language,
    open_change_page,
    read_csv,
    text,
)
from treaties.models import Country, Participation, Treaty

pytestmark = pytest.mark.django_db

COUNTRIES = reverse("treaties:country-list")
TREATIES = reverse("treaties:treaty-list")
PARTICIPATIONS = reverse("treaties:participation-list")
EVENTS = reverse("treaties:event-list")

# Iran, Japan, Pakistan … in English; イラン (いらん), 日本 (にほん), パキスタン (ぱきすたん) … in
# Japanese, where the names in kanji sort by their reading, not by their code points.
READINGS = {
    "IR": "いらん",
    "JP": "にほん",
    "PK": "ぱきすたん",
    "CN": "ちゅうごく",
    "GB": "いぎりす",
    "US": "あめりかがっしゅうこく",
    "KP": "きたちょうせん",
}
ENGLISH_ORDER = ["cn", "ir", "jp", "kp", "pk", "gb", "us"]
JAPANESE_ORDER = ["us", "gb", "ir", "kp", "cn", "jp", "pk"]


@pytest.fixture
def world(db):
    return {
        code: CountryFactory(code=code, name_ja_reading=reading)
        for code, reading in READINGS.items()
    }


def row_ids(response, prefix):
    return re.findall(rf'<tr id="{prefix}-([^"]+)"', html(response))


def get(client, url, language="en", **query):
    return client.get(in_language(language, url), query)


# --- Countries by name ------------------------------------------------------------------


def test_countries_sort_by_name_alphabetically_in_english(client, world):
    response = get(client, COUNTRIES, sort="name")
    assert response.status_code == 200
    assert row_ids(response, "country") == ENGLISH_ORDER


def test_countries_sort_by_the_reading_of_their_name_in_japanese(client, world):
    response = get(client, COUNTRIES, "ja", sort="name")
    assert row_ids(response, "country") == JAPANESE_ORDER
    # Iran before Japan before Pakistan in both languages, for different reasons.
    for order in (ENGLISH_ORDER, JAPANESE_ORDER):
        assert order.index("ir") < order.index("jp") < order.index("pk")


def test_the_reverse_order_is_the_reverse(client, world):
    assert row_ids(get(client, COUNTRIES, sort="-name"), "country") == ENGLISH_ORDER[::-1]
    assert row_ids(get(client, COUNTRIES, "ja", sort="-name"), "country") == JAPANESE_ORDER[::-1]


def test_a_country_without_a_reading_sorts_by_its_name(client, world):
    CountryFactory(code="KE")  # ケニア, read けにあ: between きたちょうせん and ちゅうごく
    order = row_ids(get(client, COUNTRIES, "ja", sort="name"), "country")
    assert order == ["us", "gb", "ir", "kp", "ke", "cn", "jp", "pk"]


def test_the_sorted_header_says_so_and_links_to_the_reverse(client, world):
    page = html(get(client, COUNTRIES, sort="name", region="asia"))
    header = re.search(r'<th scope="col" aria-sort="ascending">(.*?)</th>', page).group(1)
    assert header.startswith('<a class="sort" href="?sort=-name&amp;region=asia">Country</a>')
    assert page.count("aria-sort=") == 1
    # The other headers sort by their column, keeping the filters.
    assert '<th scope="col"><a class="sort" href="?sort=region&amp;region=asia">Region</a>' in page
    page = html(get(client, COUNTRIES, sort="-name"))
    assert '<th scope="col" aria-sort="descending"><a class="sort" href="?sort=name">' in page


def test_without_a_sort_the_default_order_is_marked(client, world):
    page = html(get(client, COUNTRIES))
    assert '<th scope="col" aria-sort="ascending"><a class="sort" href="?sort=-code">' in page
    assert row_ids(get(client, COUNTRIES), "country") == sorted(c.lower() for c in READINGS)


def test_an_unknown_sort_keeps_the_default_order_and_says_so(client, world):
    for value in ["nonsense", "-", "--name", "name,code", "x" * 500, "<b>"]:
        response = get(client, COUNTRIES, sort=value)
        assert response.status_code == 200, value
        assert row_ids(response, "country") == sorted(c.lower() for c in READINGS)
        assert "cannot be sorted by" in text(html(response))
    assert "<b>" not in html(get(client, COUNTRIES, sort="<b>"))


def test_a_nul_character_in_the_sort_is_a_bad_request(client, world):
    response = client.get(COUNTRIES + "?sort=name%00")
    assert response.status_code == 400


def test_the_sort_is_kept_by_the_pages_the_filter_form_and_the_export(client, world):
    CountryFactory.create_batch(60)
    expected = sorted(
        Country.objects.all(), key=lambda c: japanese_key(c.name_ja_reading or c.name_in("ja"))
    )
    expected = [c.iso2 for c in reversed(expected)]
    first = get(client, COUNTRIES, "ja", sort="-name")
    page = html(first)
    assert 'href="?sort=-name&amp;page=2"' in page
    assert '<input type="hidden" name="sort" value="-name"' in page
    second = get(client, COUNTRIES, "ja", sort="-name", page=2)
    assert row_ids(first, "country") + row_ids(second, "country") == expected
    export = reverse("treaties:country-export") + "?sort=-name"
    assert f'href="{in_language("ja", reverse("treaties:country-export"))}?sort=-name"' in page
    rows = read_csv(client.get(in_language("ja", export)))
    assert [row["iso2"].lower() for row in rows] == expected


def test_sorting_countries_by_name_adds_one_query_whatever_their_number(client, world):
    small = count_queries(client, COUNTRIES + "?sort=name")
    CountryFactory.create_batch(40)
    assert count_queries(client, COUNTRIES + "?sort=name") == small
    assert small == count_queries(client, COUNTRIES) + 1


def test_countries_sort_by_their_number_of_treaties(client, world):
    npt, ctbt = TreatyFactory(slug="npt"), TreatyFactory(slug="ctbt")
    for treaty in (npt, ctbt):
        ParticipationFactory(treaty=treaty, country=world["PK"])
    ParticipationFactory(treaty=npt, country=world["JP"])
    order = row_ids(get(client, COUNTRIES, sort="-treaties"), "country")
    assert order[:2] == ["pk", "jp"]
    # The header's first click sorts the largest first.
    assert 'href="?sort=-treaties"' in html(get(client, COUNTRIES))


# --- Participations ---------------------------------------------------------------------


def participation_countries(response):
    return re.findall(r'<th scope="row"><a href="(?:/ja)?/countries/([a-z]+)/">', html(response))


def test_participations_sort_by_country_name_in_either_language(client, world):
    npt = TreatyFactory(slug="npt")
    for country in world.values():
        ParticipationFactory(treaty=npt, country=country)
    assert participation_countries(get(client, PARTICIPATIONS, sort="country")) == ENGLISH_ORDER
    assert participation_countries(get(client, PARTICIPATIONS, "ja", sort="country")) == (
        JAPANESE_ORDER
    )
    rows = read_csv(
        client.get(in_language("ja", reverse("treaties:participation-export")) + "?sort=-country")
    )
    assert [row["iso2"].lower() for row in rows] == JAPANESE_ORDER[::-1]


def test_participations_as_of_a_day_sort_by_the_status_on_that_day(client, world):
    npt = TreatyFactory(slug="npt", opened_on=datetime.date(1968, 7, 1))
    early = ParticipationFactory(treaty=npt, country=world["JP"])
    TreatyActionFactory(
        participation=early, action_type="signature", date_on=datetime.date(1970, 2, 3)
    )
    TreatyActionFactory(
        participation=early, action_type="ratification", date_on=datetime.date(1976, 6, 8)
    )
    late = ParticipationFactory(treaty=npt, country=world["PK"])
    TreatyActionFactory(
        participation=late, action_type="signature", date_on=datetime.date(1980, 1, 1)
    )
    TreatyActionFactory(
        participation=late, action_type="ratification", date_on=datetime.date(1990, 1, 1)
    )
    Participation.objects.get(pk=early.pk).refresh_status()
    Participation.objects.get(pk=late.pk).refresh_status()
    # Today both are parties; on 1 January 1985 Japan is a party, Pakistan a signatory.
    response = get(client, PARTICIPATIONS, as_of="1985-01-01", sort="status")
    assert participation_countries(response) == ["pk", "jp"]
    response = get(client, PARTICIPATIONS, as_of="1985-01-01", sort="-status")
    assert participation_countries(response) == ["jp", "pk"]


# --- Treaties ---------------------------------------------------------------------------


def treaty(slug, **fields):
    return TreatyFactory(slug=slug, source=None, **fields)


def test_treaties_sort_by_name_in_the_readers_language(client, db):
    treaty("b", short_name_en="Beta", short_name_ja="ベータ")
    treaty("a", short_name_en="alpha", short_name_ja="")
    treaty("g", short_name_en="Gamma", short_name_ja="ガンマ")
    assert row_ids(get(client, TREATIES, sort="name"), "treaty") == ["a", "b", "g"]
    # In Japanese a treaty without a Japanese name sorts by its English one, as it is shown.
    assert row_ids(get(client, TREATIES, "ja", sort="name"), "treaty") == ["a", "g", "b"]


def test_a_partial_date_sorts_by_its_date_then_its_precision(client, db):
    treaty("day", adopted_on=datetime.date(1968, 1, 1), adopted_precision="day")
    treaty("year", adopted_on=datetime.date(1968, 1, 1), adopted_precision="year")
    treaty("month", adopted_on=datetime.date(1968, 1, 1), adopted_precision="month")
    treaty("later", adopted_on=datetime.date(1968, 6, 12), adopted_precision="day")
    treaty("unknown", adopted_on=None, adopted_precision="")
    assert row_ids(get(client, TREATIES, sort="adopted"), "treaty") == [
        "year",
        "month",
        "day",
        "later",
        "unknown",
    ]
    # Reversed, and a treaty without the date still comes last.
    assert row_ids(get(client, TREATIES, sort="-adopted"), "treaty") == [
        "later",
        "day",
        "month",
        "year",
        "unknown",
    ]


def test_treaties_sort_by_the_status_a_reader_sees(client, db):
    treaty("in-force", status=Treaty.Status.IN_FORCE, display_order=1)
    treaty(
        "past-expiry",
        status=Treaty.Status.IN_FORCE,
        expires_on=datetime.date(2000, 1, 1),
        expires_precision="day",
        display_order=2,
    )
    treaty("proposed", status=Treaty.Status.PROPOSED, kind=Treaty.Kind.PROPOSED, display_order=3)
    assert row_ids(get(client, TREATIES, sort="status"), "treaty") == [
        "proposed",
        "in-force",
        "past-expiry",
    ]


def test_the_treaty_export_follows_the_sort(client, db):
    for slug in ["c", "a", "b"]:
        treaty(slug, short_name_en=slug.upper())
    rows = read_csv(client.get(reverse("treaties:treaty-export") + "?sort=-name"))
    assert [row["slug"] for row in rows] == ["c", "b", "a"]


# --- Events -----------------------------------------------------------------------------


def event_ids(response):
    return [int(pk) for pk in re.findall(r'<li class="event" id="event-(\d+)"', html(response))]


def test_events_sort_by_date_title_and_treaty(client, db):
    npt = treaty("npt", short_name_en="NPT", display_order=1)
    first = TreatyEventFactory(
        treaty=None, title_en="Zeta", date_on=datetime.date(2021, 1, 1), date_precision="year"
    )
    second = TreatyEventFactory(
        treaty=npt, title_en="alpha", date_on=datetime.date(2021, 1, 1), date_precision="day"
    )
    third = TreatyEventFactory(
        treaty=npt, title_en="Mu", date_on=datetime.date(2022, 5, 1), date_precision="month"
    )
    assert event_ids(get(client, EVENTS)) == [first.pk, second.pk, third.pk]
    assert event_ids(get(client, EVENTS, sort="-date")) == [third.pk, second.pk, first.pk]
    assert event_ids(get(client, EVENTS, sort="title")) == [second.pk, third.pk, first.pk]
    # Events of no treaty come last either way.
    assert event_ids(get(client, EVENTS, sort="treaty"))[-1] == first.pk
    assert event_ids(get(client, EVENTS, sort="-treaty"))[-1] == first.pk
    # The timeline is no table: a line of links sorts it, the current one marked.
    page = html(get(client, EVENTS, sort="-date"))
    assert '<a class="sort" href="?sort=date" aria-current="true">date</a>' in page
    rows = read_csv(client.get(reverse("treaties:event-export") + "?sort=title"))
    assert [int(row["id"]) for row in rows] == [second.pk, third.pk, first.pk]


def test_an_explicit_sort_wins_over_the_timelines_order_filter(client, db):
    old = TreatyEventFactory(date_on=datetime.date(1990, 1, 1), date_precision="year")
    new = TreatyEventFactory(date_on=datetime.date(2020, 1, 1), date_precision="year")
    assert event_ids(get(client, EVENTS, order="newest")) == [new.pk, old.pk]
    assert event_ids(get(client, EVENTS, order="newest", sort="date")) == [old.pk, new.pk]


def test_events_filter_by_title_in_either_language(client, db):
    match = TreatyEventFactory(title_ja="核実験", title_en="Nuclear test")
    TreatyEventFactory(title_ja="会議", title_en="Conference")
    assert event_ids(get(client, EVENTS, q="核実験")) == [match.pk]
    assert event_ids(get(client, EVENTS, q="nuclear TEST")) == [match.pk]


# --- The readings of the seed and import data -------------------------------------------


def fixture_countries():
    fixtures = Path(settings.BASE_DIR) / "fixtures"
    for path in [fixtures / "treaties.json", fixtures / "imports" / "countries.json"]:
        for row in json.loads(path.read_text(encoding="utf-8")):
            if row["model"] == "treaties.country":
                yield row["fields"]


def test_every_country_of_the_seed_and_import_data_has_a_reading_in_hiragana():
    rows = list(fixture_countries())
    assert len(rows) > 190
    for fields in rows:
        reading = fields["name_ja_reading"]
        assert reading and re.fullmatch(r"[\u3041-\u3096ー]+", reading), fields["code"]


def test_the_migration_fills_the_same_readings_as_the_fixtures():
    from importlib import import_module

    migration = import_module("treaties.migrations.0007_country_name_ja_reading")
    assert {fields["code"]: fields["name_ja_reading"] for fields in fixture_countries()} == (
        migration.READINGS
    )


def test_a_katakana_name_reads_as_its_kana():
    # Where django-countries writes the name in katakana, the reading is the same kana.
    from django.utils import translation

    for fields in fixture_countries():
        with translation.override("ja"):
            name = str(countries.name(fields["code"]))
        if re.fullmatch(r"[\u30a1-\u30fcー・]+", name):
            assert japanese_key(name)[0] == japanese_key(fields["name_ja_reading"])[0], name


def test_an_editor_sets_the_reading_in_the_admin(admin_client, db):
    china = CountryFactory(code="CN")
    data = admin_form_data(open_change_page(admin_client, china))
    assert data["name_ja_reading"] == ""
    data["name_ja_reading"] = "ちゅうごく"
    response = admin_client.post(change_url(china), data)
    assert response.status_code == 302
    china.refresh_from_db()
    assert china.name_ja_reading == "ちゅうごく"
