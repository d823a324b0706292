"""The reader's language: the switch, the alternates, the head, dates and numbers."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.dates import PartialDate
from tests import factories
from treaties.models import grouped_number

TREATIES = reverse("treaties:treaty-list")


def head(response):
    html = response.content.decode()
    return html[html.index("<head>") : html.index("</head>")]


@pytest.mark.parametrize(("language", "expected"), [("ja", "1976年6月"), ("en", "June 1976")])
def test_a_month_reads_as_each_language_writes_it(language, expected):
    with translation.override(language):
        assert PartialDate(datetime.date(1976, 6, 1), "month").display() == expected


@pytest.mark.parametrize("language", ["ja", "en"])
def test_figures_group_their_digits(language):
    with translation.override(language):
        assert grouped_number(Decimal("2967.80")) == "2,967.8"
        assert grouped_number(Decimal("12345678")) == "12,345,678"
        assert grouped_number(Decimal("191.00")) == "191"


def test_a_treaty_page_shows_a_figure_with_grouped_digits(client, treaty):
    factories.ReportedFigureFactory(treaty=treaty, value=Decimal("2967.80"), unit="kg")

    assert "2,967.8 kg" in client.get(treaty.get_absolute_url()).content.decode()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_lang_in_the_query_sets_the_page_language_and_keeps_it(client, db, language):
    first = client.get(TREATIES, {"lang": language})

    assert f'<html lang="{language}">' in first.content.decode()
    assert first["Content-Language"] == language
    cookie = first.cookies["django_language"]
    assert cookie.value == language and cookie["samesite"] == "Lax"
    # The next page, without lang=, stays in the chosen language.
    assert f'<html lang="{language}">' in client.get(TREATIES).content.decode()


def test_an_unknown_language_is_ignored(client, db):
    response = client.get(TREATIES, {"lang": "xx"})

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert "django_language" not in response.cookies


def test_the_switch_keeps_the_page_and_its_query(client, treaty):
    response = client.get(treaty.get_absolute_url(), {"as_of": "2020-01-01", "lang": "en"})
    html = response.content.decode()
    switch = html[html.index('<nav class="language"') :]
    switch = switch[: switch.index("</nav>")]

    links = dict(re.findall(r'href="([^"]+)" hreflang="(\w+)"', switch))
    assert set(links.values()) == {"ja", "en"}
    for url, code in links.items():
        assert url == f"/treaties/npt/?as_of=2020-01-01&amp;lang={code}"
    assert 'hreflang="en" lang="en" aria-current="true"' in switch


def test_the_head_names_the_alternates_the_feed_and_a_description(client, treaty):
    response = client.get(treaty.get_absolute_url(), {"as_of": "2020-01-01"})
    alternates = {
        code: url
        for code, url in re.findall(
            r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', head(response)
        )
    }

    assert alternates == {
        "ja": "http://testserver/treaties/npt/?as_of=2020-01-01&amp;lang=ja",
        "en": "http://testserver/treaties/npt/?as_of=2020-01-01&amp;lang=en",
        "x-default": "http://testserver/treaties/npt/?as_of=2020-01-01",
    }
    assert 'type="application/atom+xml"' in head(response)
    assert f'href="{reverse("portal:change-feed")}"' in head(response)
    description = re.search(r'<meta name="description" content="([^"]+)">', head(response))
    assert description and "NPT" in description.group(1)


@pytest.mark.parametrize(
    ("url", "title"),
    [
        (lambda t: t.get_absolute_url(), "NPT — Treaty Tracker"),
        (lambda t: reverse("treaties:treaty-list"), "Treaties — Treaty Tracker"),
        (lambda t: reverse("portal:home"), "Dashboard — Treaty Tracker"),
        (lambda t: "/no-such-page/", "Page not found — Treaty Tracker"),
    ],
)
def test_titles_name_the_page_then_the_site(client, treaty, url, title):
    response = client.get(url(treaty))

    assert f"<title>{title}</title>" in head(response)


def test_a_fact_source_is_a_short_marker_that_opens_to_the_whole_reference(client, treaty):
    figure = factories.ReportedFigureFactory(treaty=treaty, locator="4-3 (1), note 7")
    html = client.get(treaty.get_absolute_url()).content.decode()

    marker = html[: html.index("4-3 (1), note 7")]
    marker = html[marker.rindex('<details class="provenance">') :]
    marker = marker[: marker.index("</details>")]
    summary = marker[: marker.index("</summary>")]
    assert "Source" in summary and "31 March 2021" in summary
    assert figure.source.title_en not in summary
    body = marker[marker.index("</summary>") :]
    assert figure.source.get_absolute_url() in body
    assert "4-3 (1), note 7" in body and "as of 31 March 2021" in body


def test_a_table_whose_rows_share_a_source_says_so_once(client, treaty):
    source = factories.SourceFactory()
    for code in ("JP", "FR", "DE"):
        factories.ParticipationFactory(
            treaty=treaty, country=factories.CountryFactory(code=code), source=source
        )
    html = client.get(treaty.get_absolute_url()).content.decode()
    table = html[html.index('<table class="participations">') :]
    table = table[: table.index("</table>")]

    assert "provenance" not in table
    after = html[html.index("</table>", html.index('<table class="participations">')) :]
    assert after.index('class="table-source"') < 200
    assert after[: after.index("</div>")].count(f'href="{source.get_absolute_url()}"') == 1


def test_rows_from_different_places_keep_their_own_markers(client, treaty):
    for code in ("JP", "FR"):
        factories.ParticipationFactory(treaty=treaty, country=factories.CountryFactory(code=code))
    html = client.get(treaty.get_absolute_url()).content.decode()
    table = html[html.index('<table class="participations">') :]
    table = table[: table.index("</table>")]

    assert table.count('<details class="provenance">') == 2
    assert 'class="table-source"' not in html
