"""A treaty page tells "not signed" (complete records) from "no record held"."""

import datetime
import re

import pytest

from tests.factories import CountryFactory, ParticipationFactory, SourceFactory, TreatyFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def tpnw():
    treaty = TreatyFactory(slug="tpnw", short_name_en="TPNW", opened_on=D(2017, 9, 20))
    for code in ["AT", "JP", "NU"]:
        CountryFactory(code=code)
    CountryFactory(code="EU", un_member=False, can_join_treaties=False)
    ParticipationFactory(treaty=treaty, country=CountryFactory(code="NZ"))  # no act
    return treaty


def section(html):
    match = re.search(r'<section id="no-record".*?</section>', html, re.S)
    return re.sub(r"\s+", " ", match.group(0)) if match else ""


def status_of(html, iso2):
    row = re.search(rf'<tr id="participation-{iso2}">(.*?)</tr>', html, re.S).group(1)
    return re.search(r'<span class="status status-([a-z_]+)">(.*?)</span>', row).groups()


def test_where_records_are_incomplete_no_state_is_called_not_signed(client, tpnw):
    html = client.get("/treaties/tpnw/").content.decode()
    text = section(html)
    assert "States with no record held" in text
    assert "3 states that can join this treaty have no record here" in text
    assert "Austria" in text and "Japan" in text and "Niue" in text
    assert "European Union" not in text  # not a state that can join
    assert status_of(html, "nz") == ("no_act", "no act recorded")


def test_a_complete_list_makes_a_state_without_acts_not_signed_on_its_date(client, tpnw):
    untc = SourceFactory(slug="untc-tpnw", title_en="UNTC XXVI-9 status")
    tpnw.record_complete_on = D(2026, 11, 1)
    tpnw.record_complete_source = untc
    tpnw.save()
    html = client.get("/treaties/tpnw/").content.decode()
    text = section(html)
    assert text.count("Not signed") == 1
    assert "3 states that can join this treaty have no act in the complete list of" in text
    assert "1 November 2026" in text
    assert "UNTC XXVI-9 status" in text
    assert status_of(html, "nz") == ("not_signed", "not signed")


def test_bilateral_treaties_list_no_missing_states(client):
    TreatyFactory(slug="new-start", kind="bilateral")
    CountryFactory(code="FR")
    assert 'id="no-record"' not in client.get("/treaties/new-start/").content.decode()


def test_the_section_costs_the_same_queries_for_many_states(client, tpnw):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get("/treaties/tpnw/")
        return len(captured)

    few = queries()
    for code in ["FR", "DE", "IT", "ES", "PT", "BE", "NL", "LU"]:
        CountryFactory(code=code)
    assert queries() == few


def test_the_participations_list_of_one_treaty_names_the_states_it_does_not_cover(client, tpnw):
    html = client.get("/participations/?treaty=tpnw").content.decode()
    text = section(html)
    assert '<h2 id="no-record-heading">' in text
    assert "3 states that can join this treaty have no record here" in text
    # Filtered further, the list is no longer the whole treaty: no such section.
    assert (
        'id="no-record"'
        not in client.get("/participations/?treaty=tpnw&region=asia").content.decode()
    )
