import datetime

import pytest

from tests.factories import CountryFactory, ParticipationFactory, TreatyActionFactory
from tests.helpers import in_language


@pytest.fixture
def three_states(treaty):
    readings = {"JP": "にほん", "FR": "ふらんす", "IR": "いらん"}
    for code, act in (("JP", "ratification"), ("FR", "signature"), ("IR", None)):
        country = CountryFactory(code=code, name_ja_reading=readings[code])
        participation = ParticipationFactory(treaty=treaty, country=country)
        if act:
            TreatyActionFactory(
                participation=participation, action_type=act, date_on=datetime.date(1996, 9, 24)
            )
    return treaty


def order(html):
    table = html[html.index('<table class="participations">') :]
    return [row.split('"')[0] for row in table.split('<tr id="participation-')[1:]]


@pytest.mark.parametrize(
    ("language", "sort", "expected"),
    [
        ("en", "country", ["fr", "ir", "jp"]),
        ("en", "-country", ["jp", "ir", "fr"]),
        # Japanese reading order: イラン, 日本 (にほん), フランス.
        ("ja", "country", ["ir", "jp", "fr"]),
    ],
)
def test_the_treaty_page_sorts_its_participations_by_country(
    client, three_states, language, sort, expected
):
    url = in_language(language, three_states.get_absolute_url())
    assert order(client.get(url, {"sort": sort}).content.decode()) == expected


def test_the_treaty_page_sorts_by_status_both_ways(client, three_states):
    url = three_states.get_absolute_url()
    up = order(client.get(url, {"sort": "status"}).content.decode())
    down = order(client.get(url, {"sort": "-status"}).content.decode())

    assert sorted(up) == ["fr", "ir", "jp"]
    assert down == list(reversed(up))


def test_the_sorted_header_is_marked_and_links_keep_the_filters(client, three_states):
    html = client.get(
        three_states.get_absolute_url(), {"sort": "country", "region": "asia"}
    ).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "region=asia" in html[html.index('aria-sort="ascending"') :][:300]
