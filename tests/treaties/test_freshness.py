"""The age of a fact shown beside every figure and participation on the treaty and
country pages (and the dashboard), in both languages, at no query's cost."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyFactory,
)
from tests.helpers import count_queries, in_language, text

D = datetime.date


def years_since(day):
    """Full years from `day` to today, as a reader would count them."""
    today = timezone.localdate()
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


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
    html = client.get(in_language("ja", npt_2021["treaty"].get_absolute_url())).content
    assert f"2021年3月31日時点（{years_since(D(2021, 3, 31))}年前）" in html.decode()


def test_a_fact_without_an_as_of_date_shows_no_age(client, npt_2021):
    npt = npt_2021["treaty"]
    ParticipationFactory(treaty=npt, country=CountryFactory(code="US"), as_of_on=None)
    html = client.get(npt.get_absolute_url()).content.decode()
    us = re.search(r'<tr id="participation-us">(.*?)</tr>', html, re.S).group(1)
    assert "as of" not in us and "ago" not in us


def test_showing_the_age_costs_no_query(client, npt_2021):
    # The same page with and without as-of dates runs the same queries: the records on a
    # dated figure's day are counted from the records the page reads for its pictures.
    npt = npt_2021["treaty"]
    with_dates = count_queries(client, npt.get_absolute_url())
    type(npt_2021["participation"]).objects.update(as_of_on=None, as_of_precision="")
    assert count_queries(client, npt.get_absolute_url()) == with_dates
    type(npt_2021["figure"]).objects.update(as_of_on=None, as_of_precision="")
    assert count_queries(client, npt.get_absolute_url()) == with_dates
