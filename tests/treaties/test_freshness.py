"""How old a fact is: the `age` filter, and the age shown beside every figure and participation."""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.dates import PartialDate
from core.templatetags import tracker
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyFactory,
)

D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return TODAY


def render_age(value, language="en"):
    with translation.override(language):
        return Template("{% load tracker %}{{ value|age }}").render(Context({"value": value}))


def years_since(day):
    """Full years from `day` to today, as a reader would count them."""
    today = timezone.localdate()
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).strip()


# --- The filter ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "english", "japanese"),
    [
        (
            PartialDate(D(2021, 3, 31)),
            "as of 31 March 2021, 5 years ago",
            "2021年3月31日時点（5年前）",
        ),
        (
            PartialDate(D(2021, 3, 1), "month"),
            "as of March 2021, 5 years ago",
            "2021年3月時点（5年前）",
        ),
        # A year counts from its last day: "2021" may mean 31 December 2021.
        (PartialDate(D(2021, 1, 1), "year"), "as of 2021, 4 years ago", "2021年時点（4年前）"),
        (
            PartialDate(D(2025, 11, 23)),
            "as of 23 November 2025, 1 year ago",
            "2025年11月23日時点（1年前）",
        ),
        (
            PartialDate(D(2024, 11, 24)),
            "as of 24 November 2024, 1 year ago",
            "2024年11月24日時点（1年前）",
        ),
        (
            PartialDate(D(2024, 11, 23)),
            "as of 23 November 2024, 2 years ago",
            "2024年11月23日時点（2年前）",
        ),
        (
            PartialDate(D(2025, 11, 24)),
            "as of 24 November 2025, less than a year ago",
            "2025年11月24日時点（1年以内）",
        ),
        # November 2025 may mean its 30th, less than a year before 23 November 2026.
        (
            PartialDate(D(2025, 11, 1), "month"),
            "as of November 2025, less than a year ago",
            "2025年11月時点（1年以内）",
        ),
        (PartialDate(D(2026, 1, 5)), "as of 5 January 2026, this year", "2026年1月5日時点（今年）"),
        (PartialDate(D(2026, 1, 1), "year"), "as of 2026, this year", "2026年時点（今年）"),
        (
            PartialDate(D(2026, 11, 23)),
            "as of 23 November 2026, this year",
            "2026年11月23日時点（今年）",
        ),
        # A date still to come has no age.
        (PartialDate(D(2027, 1, 1)), "as of 1 January 2027", "2027年1月1日時点"),
        # A plain date counts as known to the day.
        (D(2021, 3, 31), "as of 31 March 2021, 5 years ago", "2021年3月31日時点（5年前）"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_age_states_the_date_at_its_precision_and_how_long_ago(
    fixed_today, value, english, japanese
):
    assert render_age(value, "en") == english
    assert render_age(value, "ja") == japanese


def test_ago_gives_the_age_alone(fixed_today):
    with translation.override("en"):
        out = Template("{% load tracker %}{{ a|ago }} / {{ b|ago }}").render(
            Context({"a": PartialDate(D(2021, 3, 31)), "b": PartialDate(D(2025, 11, 23))})
        )
    assert out == "5 years ago / 1 year ago"


def test_age_counts_full_years_across_a_leap_day():
    assert tracker.age_text(PartialDate(D(2024, 2, 29)), on=D(2025, 2, 28)) == (
        "less than a year ago"
    )
    assert tracker.age_text(PartialDate(D(2024, 2, 29)), on=D(2025, 3, 1)) == "1 year ago"


# --- On the pages ----------------------------------------------------------------------------


@pytest.fixture
def npt_2021(db):
    """The NPT with a figure and Japan's participation, both stated as of 31 March 2021."""
    paper = SourceFactory(title_en="White paper 2021")
    npt = TreatyFactory(slug="npt", short_name_en="NPT", source=paper)
    figure = ReportedFigureFactory(
        treaty=npt, value=191, as_of_on=D(2021, 3, 31), as_of_precision="day", source=paper
    )
    participation = ParticipationFactory(
        treaty=npt,
        country=CountryFactory(code="JP"),
        source=paper,
        as_of_on=D(2021, 3, 1),
        as_of_precision="month",
    )
    return {"treaty": npt, "figure": figure, "participation": participation}


def expected_age(day, shown):
    years = years_since(day)
    unit = "year" if years == 1 else "years"
    return f"as of {shown}, {years} {unit} ago"


def test_the_treaty_page_shows_the_age_of_each_figure_and_participation(client, npt_2021):
    html = client.get(npt_2021["treaty"].get_absolute_url()).content.decode()

    figures = text(re.search(r'<ul class="figures">(.*?)</ul>', html, re.S).group(1))
    assert expected_age(D(2021, 3, 31), "31 March 2021") in figures
    japan = text(re.search(r'<tr id="participation-jp">(.*?)</tr>', html, re.S).group(1))
    # A month counts from its last day.
    assert expected_age(D(2021, 3, 31), "March 2021") in japan
    assert '<time class="as-of" datetime="2021-03-31">' in html
    assert '<time class="as-of" datetime="2021-03">' in html


def test_the_country_page_and_the_dashboard_show_the_age_too(client, npt_2021):
    japan = npt_2021["participation"].country
    ReportedFigureFactory(
        treaty=None,
        country=japan,
        metric="stockpile",
        value=45,
        as_of_on=D(2020, 1, 1),
        as_of_precision="year",
    )
    age = expected_age(D(2021, 3, 31), "31 March 2021")
    country = text(client.get(japan.get_absolute_url()).content.decode())
    assert expected_age(D(2020, 12, 31), "2020") in country
    assert expected_age(D(2021, 3, 31), "March 2021") in country
    assert age in text(client.get(reverse("portal:home")).content.decode())


def test_the_age_is_shown_in_japanese_on_a_japanese_page(client, npt_2021):
    client.cookies["django_language"] = "ja"
    html = client.get(npt_2021["treaty"].get_absolute_url(), HTTP_ACCEPT_LANGUAGE="ja").content
    assert f"2021年3月31日時点（{years_since(D(2021, 3, 31))}年前）" in html.decode()


def test_a_fact_without_an_as_of_date_shows_no_age(client, npt_2021):
    npt = npt_2021["treaty"]
    ParticipationFactory(treaty=npt, country=CountryFactory(code="US"), as_of_on=None)
    html = client.get(npt.get_absolute_url()).content.decode()
    us = re.search(r'<tr id="participation-us">(.*?)</tr>', html, re.S).group(1)
    assert "as of" not in us and "ago" not in us


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_showing_the_age_costs_no_query(client, npt_2021):
    # The same page with and without as-of dates runs the same queries, but for the two
    # that count the records on a dated figure's day (participations and their acts).
    npt = npt_2021["treaty"]
    with_dates = count_queries(client, npt.get_absolute_url())
    type(npt_2021["participation"]).objects.update(as_of_on=None, as_of_precision="")
    assert count_queries(client, npt.get_absolute_url()) == with_dates
    type(npt_2021["figure"]).objects.update(as_of_on=None, as_of_precision="")
    assert count_queries(client, npt.get_absolute_url()) == with_dates - 2
