"""The treaty and country lists count each row's participations for the rows of the page
only, without DISTINCT: the unique (treaty, country) key already makes each participation of
a country a different treaty. Sorting by those counts counts the same way."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from tests.helpers import element, html

pytestmark = pytest.mark.django_db

TREATIES = reverse("treaties:treaty-list")
COUNTRIES = reverse("treaties:country-list")


@pytest.fixture
def records(db):
    npt, ctbt, tpnw = (TreatyFactory(slug=slug) for slug in ("npt", "ctbt", "tpnw"))
    jp, us, fr = CountryFactory(code="JP"), CountryFactory(code="US"), CountryFactory(code="FR")
    for treaty, countries in ((npt, [jp, us, fr]), (ctbt, [jp, us]), (tpnw, [])):
        for country in countries:
            participation = ParticipationFactory(treaty=treaty, country=country)
            # Acts must not multiply what is counted.
            TreatyActionFactory(participation=participation, action_type="signature")
    CountryFactory(code="NZ")  # no record at all


def count_cell(response, row_id):
    return re.search(r'<td class="num">(?:<a [^>]*>)?(\d+)', element(html(response), row_id))[1]


def get(client, url, query=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query or {})
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries]


def test_each_treaty_counts_its_participations(client, records):
    response, queries = get(client, TREATIES)
    counts = {slug: count_cell(response, f"treaty-{slug}") for slug in ("npt", "ctbt", "tpnw")}
    assert counts == {"npt": "3", "ctbt": "2", "tpnw": "0"}
    assert not any("DISTINCT" in sql.upper() for sql in queries)


def test_each_country_counts_its_treaties(client, records):
    response, queries = get(client, COUNTRIES)
    counts = {code: count_cell(response, f"country-{code}") for code in ("jp", "us", "fr", "nz")}
    assert counts == {"jp": "2", "us": "2", "fr": "1", "nz": "0"}
    assert not any("DISTINCT" in sql.upper() for sql in queries)


def test_the_counts_are_read_for_the_page_s_rows_not_grouped_over_the_table(client, records):
    _response, queries = get(client, COUNTRIES)
    [listing] = [sql for sql in queries if sql.startswith('SELECT "treaties_country"."id"')]
    # A count per row in a subquery (after LIMIT), not a GROUP BY of every participation.
    assert "GROUP BY" not in listing.split("(SELECT")[0]
    assert "LIMIT" in listing


def test_sorting_by_the_counts_orders_by_the_same_numbers(client, records):
    response, queries = get(client, TREATIES, {"sort": "-participations"})
    assert re.findall(r'<tr id="treaty-([a-z]+)"', html(response)) == ["npt", "ctbt", "tpnw"]
    assert not any("DISTINCT" in sql.upper() for sql in queries)
    response, queries = get(client, COUNTRIES, {"sort": "treaties"})
    codes = re.findall(r'<tr id="country-([a-z]+)"', html(response))
    # Ties by name: Japan before the United States.
    assert codes == ["nz", "fr", "jp", "us"]
    assert not any("DISTINCT" in sql.upper() for sql in queries)
