"""`/participations/` and the treaty page's CSV honour `as_of`: statuses on that day."""

import csv
import datetime
import io

import pytest

from tests.factories import CountryFactory, ParticipationFactory, TreatyActionFactory, TreatyFactory

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def ctbt():
    treaty = TreatyFactory(
        slug="ctbt",
        status="not_in_force",
        opened_on=D(1996, 9, 24),
        entered_into_force_on=None,
        entered_into_force_precision="",
    )
    russia = ParticipationFactory(
        treaty=treaty, country=CountryFactory(code="RU"), required_for_entry_into_force=True
    )
    TreatyActionFactory(participation=russia, action_type="signature", date_on=D(1996, 9, 24))
    TreatyActionFactory(participation=russia, action_type="ratification", date_on=D(2000, 6, 30))
    TreatyActionFactory(participation=russia, action_type="revocation", date_on=D(2023, 11, 2))
    egypt = ParticipationFactory(
        treaty=treaty, country=CountryFactory(code="EG"), required_for_entry_into_force=True
    )
    TreatyActionFactory(participation=egypt, action_type="signature", date_on=D(1996, 10, 14))
    return treaty


def rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["iso2"]: row["status"] for row in csv.DictReader(io.StringIO(text))}


def test_the_csv_gives_the_statuses_on_the_as_of_day(client, ctbt):
    assert rows(client, "/participations/export.csv?treaty=ctbt") == {
        "EG": "signatory",
        "RU": "signatory",
    }
    assert rows(client, "/participations/export.csv?treaty=ctbt&as_of=2021-03-31") == {
        "EG": "signatory",
        "RU": "consented",
    }


def test_status_and_ratified_filters_apply_to_the_as_of_statuses(client, ctbt):
    url = "/participations/export.csv?treaty=ctbt&as_of=2021-03-31"
    assert rows(client, url + "&ratified=true") == {"RU": "consented"}
    assert rows(client, url + "&status=signatory") == {"EG": "signatory"}
    assert rows(client, "/participations/export.csv?treaty=ctbt&ratified=true") == {}


def test_the_list_page_shows_the_as_of_statuses(client, ctbt):
    html = client.get("/participations/?treaty=ctbt&as_of=2021-03-31").content.decode()
    assert "Statuses as of" in html
    assert "ratified, not yet in force" in html
    matrix = client.get("/participations/?treaty=ctbt&as_of=2021-03-31&view=matrix")
    assert matrix.status_code == 200


def test_the_treaty_page_links_a_csv_with_the_same_as_of_statuses(client, ctbt):
    html = client.get("/treaties/ctbt/?as_of=2021-03-31").content.decode()
    assert "/participations/export.csv?treaty=ctbt&amp;as_of=2021-03-31" in html
    assert rows(client, "/participations/export.csv?treaty=ctbt&as_of=2021-03-31")["RU"] == (
        "consented"
    )


def test_a_bad_as_of_is_a_400_not_a_500(client, ctbt):
    assert client.get("/participations/export.csv?as_of=2021-02-30").status_code == 400
    assert client.get("/participations/?as_of=yesterday").status_code == 400


def test_the_as_of_list_runs_a_bounded_number_of_queries(
    client, ctbt, django_assert_max_num_queries
):
    for code in ["FR", "DE", "GB", "JP", "CN", "US"]:
        participation = ParticipationFactory(treaty=ctbt, country=CountryFactory(code=code))
        TreatyActionFactory(
            participation=participation, action_type="signature", date_on=D(1996, 9, 24)
        )
    # Treaty, rows, their acts (for the statuses and for the page), sources, the states
    # without a record, the treaty filter's choices, and the request's savepoint.
    with django_assert_max_num_queries(9):
        client.get("/participations/?treaty=ctbt&as_of=2021-03-31")
    with django_assert_max_num_queries(6):
        b"".join(client.get("/participations/export.csv?as_of=2021-03-31").streaming_content)
