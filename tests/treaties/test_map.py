"""The world map on a treaty's page: each state's area in the class of its status on the
page's day, a legend with the counts, a title on every area, and the CSV of the same rows."""

import datetime
import re
from collections import Counter

import pytest
from django.utils import translation

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from tests.helpers import read_csv
from treaties.models import Country, Participation, Treaty, TreatyAction
from treaties.pictures import status_map
from treaties.status import shown_status
from treaties.worldmap import world_shapes

D = datetime.date
pytestmark = pytest.mark.django_db

AREA = re.compile(
    r'<g class="map-area (map-status-\w+)" data-iso2="(\w\w)"><title>([^<]*)</title>(.*?)</g>'
)


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def map_svg(html):
    match = re.search(r'<svg[^>]*class="world-map".*?</svg>', html, re.S)
    assert match, "no world map on the page"
    return match.group(0)


def areas(html):
    """{iso2: (class, title)} of every area the map draws."""
    return {code: (css, title) for css, code, title, _ in AREA.findall(map_svg(html))}


def legend(html):
    """{status: count} as the legend states it."""
    block = re.search(r'<ul class="legend map-legend">(.*?)</ul>', html, re.S).group(1)
    return {
        status: int(count)
        for status, count in re.findall(
            r'<li class="legend-(\w+)">.*?<strong class="num">(\d+)</strong>', block, re.S
        )
    }


# -- the seed data: a withdrawal and a revoked ratification change the map --------------------


def test_the_seeded_maps_follow_the_as_of_day_and_count_as_the_participations_do(client, seeded):
    # North Korea acceded to the NPT in 1985; its withdrawal took effect on 10 April 2003.
    before = page(client, "/treaties/npt/?as_of=2000-01-01")
    after = page(client, "/treaties/npt/?as_of=2004-01-01")
    assert areas(before)["kp"][0] == "map-status-party"
    assert areas(after)["kp"][0] == "map-status-withdrawn"
    assert areas(after)["kp"][1] == "North Korea: withdrawn"

    # Russia ratified the CTBT in 2000 and revoked the ratification on 2 November 2023.
    assert areas(page(client, "/treaties/ctbt/?as_of=2022-01-01"))["ru"][0] == (
        "map-status-consented"
    )
    today_html = page(client, "/treaties/ctbt/")
    assert areas(today_html)["ru"][0] == "map-status-signatory"

    # Today's legend equals the stored statuses, counted by the database, with a state
    # without acts shown as "no act recorded" (the records are not complete).
    ctbt = Treaty.objects.get(slug="ctbt")
    expected = Counter()
    for participation in Participation.objects.for_treaty(ctbt).prefetch_related("actions"):
        expected[shown_status(participation).value] += 1
    expected["no_record"] = Country.objects.without_participation_in(ctbt).count()
    assert legend(today_html) == {k: v for k, v in expected.items() if v or k == "no_record"}

    # On a past day the legend equals the statuses the participations CSV gives that day.
    rows = read_csv(client.get("/participations/export.csv?treaty=npt&as_of=2004-01-01"))
    expected = Counter(row["status"] for row in rows)
    npt = Treaty.objects.get(slug="npt")
    no_acts = {
        p.country.code
        for p in Participation.objects.for_treaty(npt).select_related("country")
        if not p.actions.exists()
    }
    for row in rows:
        if row["iso2"] in no_acts:  # the CSV gives the status; the page says what it means
            expected[row["status"]] -= 1
            expected["no_act"] += 1
    expected["no_record"] = Country.objects.without_participation_in(npt).count()
    assert legend(after) == {k: v for k, v in expected.items() if v}

    # The map's CSV says what the map draws, row for row.
    csv_rows = read_csv(client.get("/treaties/npt/map.csv?as_of=2004-01-01"))
    drawn = areas(after)
    assert Counter(row["status"] for row in csv_rows) == {k: v for k, v in legend(after).items()}
    for row in csv_rows:
        assert row["status_on"] == "2004-01-01"
        if row["on_map"] == "true":
            assert drawn[row["iso2"].lower()][0] == f"map-status-{row['status']}"
        else:
            assert row["iso2"].lower() not in drawn


# -- the map's markup -------------------------------------------------------------------


@pytest.fixture
def treaty_with_states(db):
    source = SourceFactory(slug="depositary-list")
    treaty = TreatyFactory(slug="ban", short_name_en="Ban", opened_on=D(2017, 9, 20))
    treaty.entered_into_force_on = D(2021, 1, 22)
    treaty.save()

    def state(code, *acts):
        participation = ParticipationFactory(
            treaty=treaty, country=CountryFactory(code=code), source=source
        )
        for kind, day in acts:
            TreatyActionFactory(participation=participation, action_type=kind, date_on=day)
        return participation

    CountryFactory(code="EU", can_join_treaties=False)
    state("AT", ("signature", D(2017, 9, 20)), ("ratification", D(2018, 5, 8)))
    state("BR", ("signature", D(2017, 9, 20)))
    state("EU")  # takes part, cannot be drawn
    state("TV", ("accession", D(2024, 9, 23)))  # small: drawn as a circle
    CountryFactory(code="JP")  # can join, no record
    return treaty


def test_every_area_has_a_title_and_a_status_class_and_nothing_inline(client, treaty_with_states):
    html = page(client, "/treaties/ban/")
    svg = map_svg(html)

    drawn = areas(html)
    assert len(drawn) == len(world_shapes().shapes) > 200
    assert svg.count("<path ") == len(re.findall(r"</title><path ", svg))
    assert svg.count("<circle ") == len(re.findall(r'<circle class="map-marker"', svg))
    for body in AREA.findall(svg):
        assert body[3].startswith(("<path ", "<circle ")), body
    assert drawn["at"] == ("map-status-party", "Austria: party")
    assert drawn["br"] == ("map-status-signatory", "Brazil: signatory")
    assert drawn["tv"] == ("map-status-party", "Tuvalu: party")
    assert drawn["jp"] == ("map-status-no_record", "Japan: no record held")
    # A territory that is not a state is drawn in the same neutral class.
    assert drawn["gl"] == ("map-status-no_record", "Greenland: no record held")
    for text in (svg, html):
        assert "<script" not in text
        assert "<style" not in text
        assert not re.search(r"\sstyle=", text)
    assert 'role="img"' in svg and "viewBox=" in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    for element_id in labelled_by:
        assert f'id="{element_id}"' in svg


def test_a_state_the_map_cannot_draw_is_still_counted_and_listed(client, treaty_with_states):
    html = page(client, "/treaties/ban/")

    assert "eu" not in areas(html)
    # Austria and Tuvalu are parties, Brazil a signatory; the EU has no act.
    assert legend(html) == {"party": 2, "signatory": 1, "no_act": 1, "no_record": 1}
    text_alternative = re.search(r'<dl class="states-by-status">(.*?)</dl>', html, re.S).group(1)
    assert re.search(r"European Union</a><sup>\*</sup>", text_alternative)
    assert "Tuvalu</a>," in text_alternative or "Tuvalu</a></dd>" in text_alternative


def test_the_map_follows_as_of_and_its_csv_link_carries_the_day(client, treaty_with_states):
    html = page(client, "/treaties/ban/?as_of=2018-01-01")

    drawn = areas(html)
    assert drawn["at"][0] == "map-status-signatory"
    assert drawn["tv"][0] == "map-status-not_signed"  # acceded later
    assert "Map of statuses on 1 January 2018" in html
    assert 'href="/treaties/ban/map.csv?as_of=2018-01-01"' in html


def test_a_bad_as_of_draws_no_map_and_says_why(client, treaty_with_states):
    response = client.get("/treaties/ban/?as_of=2018-02-30")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="world-map"' not in html
    assert "The map is drawn once" in html


def test_ids_are_unique_on_a_page_with_both_pictures(client, treaty_with_states):
    html = page(client, "/treaties/ban/")

    assert 'class="world-map"' in html and 'class="chart"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    for reference in re.findall(r'aria-labelledby="([^"]+)"', html):
        for element_id in reference.split():
            assert element_id in ids


def test_where_the_records_are_complete_an_absent_state_had_not_signed_until_that_day(
    treaty_with_states,
):
    treaty = treaty_with_states
    treaty.record_complete_on = D(2024, 1, 1)
    treaty.record_complete_source = SourceFactory()
    treaty.save()

    on_the_day = {
        str(r.country.code): r.status.value for r in status_map(treaty, D(2024, 1, 1)).rows
    }
    later = {str(r.country.code): r.status.value for r in status_map(treaty, D(2025, 1, 1)).rows}

    assert on_the_day["JP"] == "not_signed"
    assert later["JP"] == "no_record"


def test_the_map_speaks_the_reader_s_language(client, treaty_with_states):
    html = page(client, "/ja/treaties/ban/")

    title = areas(html)["jp"][1]
    with translation.override("ja"):
        assert title.startswith("日本")
        assert title.endswith(translation.gettext("no record held"))
    assert areas(html)["at"][1].startswith("オーストリア")


# -- bilateral treaties ---------------------------------------------------------------------


def test_a_bilateral_treaty_maps_its_two_states_and_counts_them(client, bilateral):
    treaty, _us = bilateral
    russia = ParticipationFactory(treaty=treaty, country=CountryFactory(code="RU"))
    TreatyActionFactory(
        participation=russia, action_type=TreatyAction.Type.RATIFICATION, date_on=D(2011, 1, 28)
    )

    html = page(client, treaty.get_absolute_url() + "?as_of=2011-01-01")

    assert areas(html)["us"][0] == "map-status-signatory"
    assert areas(html)["ru"][0] != "map-status-party"
    assert 'class="chart"' in html
    later = page(client, treaty.get_absolute_url() + "?as_of=2011-03-01")
    assert areas(later)["us"][0] == "map-status-party"
    assert areas(later)["ru"][0] == "map-status-party"
    assert client.get(f"/treaties/{treaty.slug}/map.csv").status_code == 200
    assert client.get(f"/treaties/{treaty.slug}/counts.csv").status_code == 200


def test_a_regime_has_a_map_of_its_participants(client, db):
    regime = TreatyFactory(slug="nsg", kind=Treaty.Kind.REGIME, status=Treaty.Status.OPERATING)
    participation = ParticipationFactory(treaty=regime, country=CountryFactory(code="JP"))
    TreatyActionFactory(
        participation=participation, action_type=TreatyAction.Type.ADMISSION, date_on=D(1975, 1, 1)
    )

    html = page(client, "/treaties/nsg/")

    assert areas(html)["jp"] == ("map-status-participating", "Japan: participating")


# -- the map's CSV ------------------------------------------------------------------------------


def test_the_map_csv_has_a_row_per_counted_state_with_its_status(client, treaty_with_states):
    response = client.get("/treaties/ban/map.csv?as_of=2022-01-01")

    rows = read_csv(response)
    assert 'filename="ban-map-2022-01-01.csv"' in response["Content-Disposition"]
    assert list(rows[0]) == [
        "iso2",
        "country_en",
        "country_ja",
        "status",
        "status_on",
        "on_map",
        "act",
        "act_date",
        "act_takes_effect",
        "source",
        "locator",
        "as_of",
    ]
    by_code = {row["iso2"]: row for row in rows}
    assert set(by_code) == {"AT", "BR", "EU", "TV", "JP"}
    assert by_code["AT"]["status"] == "party"
    assert by_code["AT"]["act"] == "ratification" and by_code["AT"]["act_date"] == "2018-05-08"
    assert by_code["AT"]["source"] == "depositary-list"
    assert by_code["EU"]["on_map"] == "false" and by_code["EU"]["status"] == "no_act"
    assert by_code["JP"]["status"] == "no_record" and by_code["JP"]["source"] == ""
    assert by_code["JP"]["country_ja"] == "日本"


@pytest.mark.parametrize(
    "query", ["as_of=2021-02-30", "as_of=yesterday", "as_of=1800-01-01", "as_of=2021-03"]
)
def test_the_map_csv_answers_bad_input_with_400_and_a_message(client, treaty_with_states, query):
    response = client.get(f"/treaties/ban/map.csv?{query}")

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "as_of:" in response.content.decode()


def test_the_csv_of_an_unknown_treaty_is_404(client, db):
    assert client.get("/treaties/nothing/map.csv").status_code == 404
    assert client.get("/treaties/nothing/map.csv?as_of=bad").status_code == 404
