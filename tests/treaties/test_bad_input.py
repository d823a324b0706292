"""Bad query strings on treaty pages and exports: 400 with the reason, or 404, never 500."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

UNKNOWN_TREATY = "There is no treaty with this slug"
BAD_CHOICE = "Select a valid choice"
UNKNOWN_COUNTRY = "is not a known ISO 3166 country code"
BAD_DATE = "Enter the date as YYYY-MM-DD"


@pytest.fixture(autouse=True)
def data(db):
    npt = TreatyFactory(slug="npt", short_name_en="NPT")
    participation = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    TreatyActionFactory(participation=participation, action_type="signature")
    TreatyEventFactory(treaty=npt)
    return npt


# (list URL name, export URL name or None, params, a phrase of the expected message)
INVALID_FILTERS = [
    ("treaty-list", "treaty-export", {"kind": "spaceship"}, BAD_CHOICE),
    ("treaty-list", "treaty-export", {"status": "dormant"}, BAD_CHOICE),
    ("treaty-list", "treaty-export", {"q": "x" * 101}, "at most 100 characters"),
    ("treaty-list", "treaty-export", {"q": "np\x00t"}, "Null characters are not allowed"),
    ("country-list", "country-export", {"region": "mars"}, BAD_CHOICE),
    ("country-list", "country-export", {"nuclear_posture": "huge"}, BAD_CHOICE),
    ("country-list", "country-export", {"un_member": "maybe"}, BAD_CHOICE),
    ("country-list", "country-export", {"treaty": "no-such-treaty"}, UNKNOWN_TREATY),
    ("participation-list", "participation-export", {"treaty": "nptx"}, UNKNOWN_TREATY),
    ("participation-list", "participation-export", {"country": "zz"}, UNKNOWN_COUNTRY),
    ("participation-list", "participation-export", {"country": "japan"}, UNKNOWN_COUNTRY),
    ("participation-list", "participation-export", {"status": "ally"}, BAD_CHOICE),
    ("participation-list", "participation-export", {"region": "1"}, BAD_CHOICE),
    (
        "participation-list",
        "participation-export",
        {"required_for_entry_into_force": "perhaps"},
        BAD_CHOICE,
    ),
    ("participation-list", "participation-export", {"nuclear_posture": "x"}, BAD_CHOICE),
    ("participation-list", "participation-export", {"view": "grid"}, BAD_CHOICE),
    ("event-list", "event-export", {"treaty": "'; drop table"}, UNKNOWN_TREATY),
    ("event-list", "event-export", {"country": "xx"}, UNKNOWN_COUNTRY),
    ("event-list", "event-export", {"kind": "party"}, BAD_CHOICE),
    ("event-list", "event-export", {"year": "nineteen"}, "Enter a whole number"),
    ("event-list", "event-export", {"year": "1996.5"}, "Enter a whole number"),
    ("event-list", "event-export", {"year": "1800"}, "greater than or equal to 1900"),
    ("event-list", "event-export", {"year": "99999999999999999999"}, "less than or equal to 2200"),
    ("event-list", "event-export", {"date_from": "2021-13-01"}, BAD_DATE),
    ("event-list", "event-export", {"date_to": "yesterday"}, BAD_DATE),
    ("event-list", "event-export", {"date_from": "31/03/2021"}, BAD_DATE),
    (
        "event-list",
        "event-export",
        {"date_from": "2021-01-01", "date_to": "2020-01-01"},
        "must not be later than",
    ),
    ("event-list", "event-export", {"order": "random"}, BAD_CHOICE),
    (None, "action-export", {"treaty": "unknown"}, UNKNOWN_TREATY),
    (None, "action-export", {"country": "q1"}, UNKNOWN_COUNTRY),
    (None, "action-export", {"action_type": "invasion"}, BAD_CHOICE),
    (None, "figure-export", {"treaty": "unknown"}, UNKNOWN_TREATY),
    (None, "figure-export", {"metric": "vibes"}, BAD_CHOICE),
]


@pytest.mark.parametrize(
    ("list_name", "params", "message"),
    [(name, params, message) for name, _, params, message in INVALID_FILTERS if name],
)
def test_list_answers_invalid_filter_with_400_and_the_message(client, list_name, params, message):
    response = client.get(reverse(f"treaties:{list_name}"), params)

    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'class="errors"' in body


@pytest.mark.parametrize(
    ("export_name", "params", "message"),
    [(name, params, message) for _, name, params, message in INVALID_FILTERS],
)
def test_export_answers_invalid_filter_with_400_plain_text(client, export_name, params, message):
    response = client.get(reverse(f"treaties:{export_name}"), params)

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert body.startswith("Invalid filter:")
    assert message in body


def test_invalid_filter_lists_nothing(client):
    response = client.get(reverse("treaties:participation-list"), {"status": "ally"})

    assert response.status_code == 400
    assert response.context["rows"] == []


@pytest.mark.parametrize(
    "params",
    [
        {"status": "ally"},
        {"region": "mars"},
        {"required_for_entry_into_force": "perhaps"},
    ],
)
def test_treaty_page_answers_invalid_participation_filter_with_400(client, params):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]), params)

    assert response.status_code == 400
    assert BAD_CHOICE in response.content.decode()


def far_future():
    today = timezone.localdate()
    return today.replace(year=today.year + 101, day=1).isoformat()


@pytest.mark.parametrize(
    ("as_of", "message"),
    [
        ("2021-13-01", "Enter the “as of” date as YYYY-MM-DD"),
        ("2021-02-30", "Enter the “as of” date as YYYY-MM-DD"),
        ("yesterday", "Enter the “as of” date as YYYY-MM-DD"),
        ("20210101", "Enter the “as of” date as YYYY-MM-DD"),
        ("1899-12-31", "must lie between 1900-01-01 and"),
        ("0001-01-01", "must lie between 1900-01-01 and"),
        (far_future(), "must lie between 1900-01-01 and"),
    ],
)
def test_treaty_page_answers_bad_as_of_with_400_and_message(client, as_of, message):
    response = client.get(reverse("treaties:treaty-detail", args=["npt"]), {"as_of": as_of})

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("as_of", "shown"),
    [
        ("2021-13-01", None),
        ("2021-02-30", None),
        ("yesterday", None),
        ("20210101", None),
        ("1899-12-31", "1899-12-31"),
        ("2021-03-31", "2021-03-31"),
    ],
)
def test_the_date_input_carries_only_a_valid_date(client, as_of, shown):
    # An <input type="date"> may only hold a real date; a refused one is not written back
    # (the message beside it says what to enter), one out of range is.
    body = client.get(reverse("treaties:participation-list"), {"as_of": as_of}).content.decode()

    field = re.search(r'<input type="date" name="as_of"[^>]*>', body)
    assert field, "no date input for as_of"
    value = re.search(r'value="([^"]*)"', field.group(0))
    assert (value.group(1) if value else None) == shown


def test_treaty_page_accepts_as_of_at_the_edges(client):
    url = reverse("treaties:treaty-detail", args=["npt"])

    assert client.get(url, {"as_of": "1900-01-01"}).status_code == 200
    assert client.get(url, {"as_of": datetime.date.today().isoformat()}).status_code == 200


@pytest.mark.parametrize(
    "url",
    ["/treaties/", "/countries/", "/participations/", "/events/", "/treaties/npt/"],
)
@pytest.mark.parametrize("page", ["2", "abc", "0", "-1", "99999999999999999999999"])
def test_page_out_of_range_or_not_a_number_is_404(client, url, page):
    response = client.get(url, {"page": page})

    assert response.status_code == 404


@pytest.mark.parametrize(
    "url", ["/treaties/", "/countries/", "/participations/", "/events/", "/treaties/npt/"]
)
def test_first_and_last_page_exist(client, url):
    assert client.get(url, {"page": "1"}).status_code == 200
    assert client.get(url, {"page": "last"}).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/treaties/NPT%00/",
        "/treaties/%E6%9D%A1%E7%B4%84/",
        "/countries/j1/",
        "/countries/%E6%97%A5/",
        "/countries/xx/",
    ],
)
def test_malformed_detail_addresses_are_404(client, url):
    assert client.get(url).status_code == 404


def test_unknown_query_parameters_are_ignored(client):
    response = client.get(reverse("treaties:treaty-list"), {"utm_source": "newsletter"})

    assert response.status_code == 200
