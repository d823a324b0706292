"""The counts of states by year on a treaty's page: derived from the dated acts by the
project's status rules, with the figures sources report as points on the same axes."""

import datetime
import re

import pytest
from django.utils import timezone

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from tests.helpers import read_csv
from treaties.charts import nice_step
from treaties.models import ReportedFigure, Treaty
from treaties.pictures import counts_over_time

D = datetime.date
pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def scenario(db):
    """A treaty opened in 2000 and in force from 1 January 2002, and four states:

    A signs in 2000 and ratifies in March 2001 (a month only);
    B accedes in 2003 (a year only: certain from 31 December 2003);
    C signs in 2000, ratifies in 2002 and withdraws with effect from 1 May 2004;
    D signs and ratifies in 2001 and revokes its ratification in January 2005.
    """
    source = SourceFactory(slug="depositary", title_en="Depositary list")
    treaty = TreatyFactory(
        slug="scenario",
        short_name_en="Scenario",
        adopted_on=D(2000, 1, 1),
        opened_on=D(2000, 1, 1),
        entered_into_force_on=D(2002, 1, 1),
    )
    acts = {
        "AT": [
            ("signature", D(2000, 5, 1), "day", None),
            ("ratification", D(2001, 3, 1), "month", None),
        ],
        "BR": [("accession", D(2003, 1, 1), "year", None)],
        "CL": [
            ("signature", D(2000, 6, 1), "day", None),
            ("ratification", D(2002, 6, 1), "day", None),
            ("withdrawal", D(2004, 2, 1), "day", D(2004, 5, 1)),
        ],
        "DK": [
            ("signature", D(2001, 1, 10), "day", None),
            ("ratification", D(2001, 6, 1), "day", None),
            ("revocation", D(2005, 1, 10), "day", None),
        ],
    }
    for code, steps in acts.items():
        participation = ParticipationFactory(treaty=treaty, country=CountryFactory(code=code))
        for kind, day, precision, effective in steps:
            TreatyActionFactory(
                participation=participation,
                action_type=kind,
                date_on=day,
                date_precision=precision,
                effective_on=effective,
                source=source,
            )
    ReportedFigureFactory(
        treaty=treaty,
        metric="parties",
        value=5,
        as_of_on=D(2003, 6, 30),
        source=source,
        locator="table 1",
        label_en="States parties",
    )
    ReportedFigureFactory(
        treaty=treaty, metric="signatories", value=4, as_of_on=D(2001, 12, 31), source=source
    )
    # Not charted: about one country, of a metric no line counts, or without a date.
    ReportedFigureFactory(
        treaty=treaty, country=CountryFactory(code="JP"), metric="parties", value=9
    )
    ReportedFigureFactory(treaty=treaty, metric="stockpile", value=7)
    ReportedFigureFactory(
        treaty=treaty, metric="parties", value=8, as_of_on=None, as_of_precision=""
    )
    return treaty


# (signatories, ratified or acceded, parties) at the end of each year, worked out by hand.
EXPECTED = {
    2000: (2, 0, 0),  # A and C signed
    2001: (3, 2, 0),  # D signed; A and D ratified, not yet in force
    2002: (3, 3, 3),  # in force; C ratified
    2003: (3, 4, 4),  # B's accession, known to the year, counts from 31 December
    2004: (3, 3, 3),  # C's withdrawal lowers both counts (a signature stays a signature)
    2005: (3, 2, 2),  # D's revoked ratification leaves a signatory
}


def test_the_counts_follow_the_status_rules_year_by_year(scenario):
    counts = counts_over_time(scenario)

    by_year = {
        y.year: (y.counts["signed"], y.counts["consented_or_party"], y.counts["party"])
        for y in counts.years
    }
    assert [y.year for y in counts.years] == list(range(2000, TODAY.year + 1))
    for year, expected in EXPECTED.items():
        assert by_year[year] == expected, year
    for year in range(2006, TODAY.year + 1):
        assert by_year[year] == EXPECTED[2005]
    assert counts.years[-1].counted_on == TODAY
    assert [(f.metric, f.value) for f in counts.figures] == [("signatories", 4), ("parties", 5)]


def test_the_page_draws_a_line_per_count_and_a_point_per_reported_figure(client, scenario):
    html = client.get("/treaties/scenario/").content.decode()

    chart = re.search(r'<svg[^>]*class="chart".*?</svg>', html, re.S).group(0)
    assert 'role="img"' in chart and "Number of states" in chart and ">Year<" in chart
    lines = re.findall(r'<polyline class="chart-line series-(\w+)" points="([^"]+)"', chart)
    assert [key for key, _ in lines] == ["signed", "consented_or_party", "party"]
    assert all(len(points.split()) == TODAY.year - 2000 + 1 for _, points in lines)
    points = re.findall(
        r'<g class="chart-reported series-(\w+)"><title>([^<]+)</title>.*?'
        r'<text class="chart-value"[^>]*>([^<]+)</text></g>',
        chart,
    )
    assert [(key, value) for key, _, value in points] == [("signed", "4"), ("party", "5")]
    assert points[1][1].startswith("5 States parties reported as of 30 June 2003")
    for text in ("<script", "<style", " style="):
        assert text not in chart


def test_a_point_sits_at_its_value_on_the_axis_the_lines_use(client, scenario):
    chart = re.search(
        r'<svg[^>]*class="chart".*?</svg>', client.get("/treaties/scenario/").content.decode(), re.S
    ).group(0)
    ticks = {
        int(value): float(y)
        for y, value in re.findall(
            r'<text class="chart-tick" x="\d+" y="([\d.]+)" '
            r'text-anchor="end"[^>]*>(\d+)</text>',
            chart,
        )
    }
    zero, one_step = ticks[0], ticks[nice_step(5)]
    party_point = re.search(
        r'<g class="chart-reported series-party">.*?<circle class="chart-point" cx="[\d.]+" '
        r'cy="([\d.]+)"',
        chart,
    )
    y = float(party_point.group(1))
    assert y == pytest.approx(zero + (one_step - zero) * 5 / nice_step(5), abs=0.1)


def test_the_text_alternative_gives_the_same_numbers(client, scenario):
    html = client.get("/treaties/scenario/").content.decode()

    table = re.search(
        r'<details class="text-alternative">\s*<summary>The same numbers.*?</details>', html, re.S
    ).group(0)
    assert "<caption>" in table and '<th scope="col">Year</th>' in table
    for year, expected in EXPECTED.items():
        row = re.search(rf'<tr data-year="{year}">(.*?)</tr>', table, re.S).group(1)
        cells = re.findall(r'<td class="num">(\d+)</td>', row)
        assert tuple(int(c) for c in cells) == expected
    assert "States parties" in re.search(r'<tr data-year="2003">(.*?)</tr>', table, re.S).group(1)


def test_the_counts_csv_holds_the_numbers_the_chart_draws(client, scenario):
    response = client.get("/treaties/scenario/counts.csv")

    rows = read_csv(response)
    assert 'filename="scenario-counts.csv"' in response["Content-Disposition"]
    assert list(rows[0]) == [
        "year",
        "counted_on",
        "signatories",
        "ratified",
        "parties",
        "reported_metric",
        "reported_value",
        "reported_label_en",
        "source",
        "locator",
        "as_of",
    ]
    counted = {int(r["year"]): r for r in rows if r["counted_on"]}
    for year, (signed, ratified, parties) in EXPECTED.items():
        row = counted[year]
        assert (row["signatories"], row["ratified"], row["parties"]) == (
            str(signed),
            str(ratified),
            str(parties),
        )
        assert row["counted_on"] == f"{year}-12-31" and row["source"] == ""
    reported = [r for r in rows if r["reported_metric"]]
    assert [(r["year"], r["reported_metric"], r["reported_value"]) for r in reported] == [
        ("2001", "signatories", "4"),
        ("2003", "parties", "5"),
    ]
    assert reported[1]["source"] == "depositary" and reported[1]["locator"] == "table 1"
    assert reported[1]["as_of"] == "2003-06-30" and reported[1]["signatories"] == ""


def test_a_regime_counts_its_participants(client, db):
    regime = TreatyFactory(slug="nsg", kind=Treaty.Kind.REGIME, status=Treaty.Status.OPERATING)
    for code, year in [("JP", 1975), ("US", 1975), ("KR", 1995)]:
        participation = ParticipationFactory(treaty=regime, country=CountryFactory(code=code))
        TreatyActionFactory(
            participation=participation,
            action_type="admission",
            date_on=D(year, 1, 1),
            date_precision="year",
        )
    ReportedFigureFactory(treaty=regime, metric=ReportedFigure.Metric.PARTICIPANTS, value=48)

    rows = read_csv(client.get("/treaties/nsg/counts.csv"))

    counted = {int(r["year"]): r["participating"] for r in rows if r["counted_on"]}
    assert counted[1975] == "2" and counted[1994] == "2" and counted[1995] == "3"
    assert [r["reported_value"] for r in rows if r["reported_metric"]] == ["48"]


def test_a_treaty_without_acts_says_there_is_nothing_to_count(client, db):
    TreatyFactory(slug="empty")

    html = client.get("/treaties/empty/").content.decode()

    assert 'class="chart"' not in html
    assert "nothing to count over time" in html
    assert read_csv(client.get("/treaties/empty/counts.csv")) == []


def test_the_chart_is_drawn_in_japanese_too(client, scenario):
    html = client.get("/ja/treaties/scenario/").content.decode()

    assert '<html lang="ja">' in html
    assert 'class="chart"' in html and 'class="world-map"' in html
    assert "2003年6月30日" in html  # the reported figure's date, as Japanese writes it
