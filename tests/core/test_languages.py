"""The reader's language: chosen by the address alone (Japanese at /…, English at /en/…),
the switch, the alternates, old `?lang=` links, the head, dates and numbers."""

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


# --- The language in the address ------------------------------------------------------------
# The tests' default language is English (tests/conftest.py): English at /…, Japanese at
# /ja/…. The site's own layout, Japanese at /… and English at /en/…, is tested under the
# `japanese_default` fixture.


def switch_links(response):
    """{link: hreflang} of the language switch in the page's header."""
    html = response.content.decode()
    switch = html[html.index('<nav class="language"') :]
    switch = switch[: switch.index("</nav>")]
    return dict(re.findall(r'href="([^"]+)" hreflang="(\w+)"', switch))


def alternates(response):
    return dict(
        re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', head(response))
    )


@pytest.mark.parametrize(("path", "language"), [("/treaties/", "en"), ("/ja/treaties/", "ja")])
def test_the_address_says_the_language(client, db, path, language):
    response = client.get(path)

    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert response["Content-Language"] == language
    assert not response.cookies


def test_neither_a_cookie_nor_the_browser_chooses_the_language(client, db):
    client.cookies["django_language"] = "ja"
    response = client.get(TREATIES, HTTP_ACCEPT_LANGUAGE="ja")

    assert '<html lang="en">' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_the_site_is_japanese_at_the_root_and_english_under_en(client, db, japanese_default):
    # A reader whose browser and old cookie both ask for English still gets the address's.
    client.cookies["django_language"] = "en"
    pages = {"/": "ja", "/treaties/": "ja", "/en/": "en", "/en/treaties/": "en"}
    for path, language in pages.items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.content.decode(), path
        assert response["Content-Language"] == language
        assert "Accept-Language" not in response.get("Vary", ""), path
    assert reverse("portal:home") == "/"
    assert reverse("treaties:treaty-detail", args=["npt"]) == "/treaties/npt/"
    with translation.override("en"):
        assert reverse("treaties:treaty-detail", args=["npt"]) == "/en/treaties/npt/"
        assert reverse("healthz") == "/healthz"


def test_the_default_language_has_one_address(client, db, japanese_default):
    redirects = {
        "/ja/treaties/npt/?as_of=2020-01-01": "/treaties/npt/?as_of=2020-01-01",
        "/ja/": "/",
    }
    for path, target in redirects.items():
        response = client.get(path)
        assert (response.status_code, response["Location"]) == (301, target)


def test_the_admin_speaks_the_language_of_its_address(client, db, japanese_default):
    japanese = client.get("/admin/login/").content.decode()
    english = client.get("/en/admin/login/").content.decode()

    assert '<html lang="ja"' in japanese and "ログイン" in japanese
    assert '<html lang="en"' in english and "Log in" in english
    assert "Log in" not in japanese
    with translation.override("en"):
        assert reverse("admin:index") == "/en/admin/"


@pytest.mark.parametrize(
    ("page", "current"),
    [("/en/treaties/npt/?as_of=2020-01-01", "en"), ("/treaties/npt/?as_of=2020-01-01", "ja")],
)
def test_the_switch_links_the_same_page_and_query_in_each_language(
    client, treaty, japanese_default, page, current
):
    response = client.get(page)

    assert switch_links(response) == {
        "/treaties/npt/?as_of=2020-01-01": "ja",
        "/en/treaties/npt/?as_of=2020-01-01": "en",
    }
    html = response.content.decode()
    assert f'hreflang="{current}" lang="{current}" aria-current="true"' in html


def test_the_head_names_the_alternates_the_feed_and_a_description(client, treaty, japanese_default):
    response = client.get("/en/treaties/npt/", {"as_of": "2020-01-01"})

    assert alternates(response) == {
        "ja": "http://testserver/treaties/npt/?as_of=2020-01-01",
        "en": "http://testserver/en/treaties/npt/?as_of=2020-01-01",
        "x-default": "http://testserver/treaties/npt/?as_of=2020-01-01",
    }
    assert 'type="application/atom+xml"' in head(response)
    assert 'href="/en/changes/feed/"' in head(response)
    description = re.search(r'<meta name="description" content="([^"]+)">', head(response))
    assert description and "NPT" in description.group(1)


def test_a_missing_page_switches_to_the_same_address_in_the_other_language(
    client, db, japanese_default
):
    response = client.get("/en/no-such-page/", {"q": "x"})

    assert response.status_code == 404
    assert switch_links(response) == {"/no-such-page/?q=x": "ja", "/en/no-such-page/?q=x": "en"}


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/treaties/npt/?lang=en&as_of=2020-01-01", "/en/treaties/npt/?as_of=2020-01-01"),
        ("/en/treaties/?lang=ja", "/treaties/"),
        ("/en/treaties/?page=2&lang=en", "/en/treaties/?page=2"),
        ("/?lang=en", "/en/"),
        ("/admin/?lang=en", "/en/admin/"),
        ("/no-such-page/?lang=en", "/en/no-such-page/"),
    ],
)
def test_old_lang_links_are_sent_on_for_good(client, treaty, japanese_default, old, new):
    for method in (client.get, client.head):
        response = method(old)
        assert (response.status_code, response["Location"]) == (301, new), method
        assert not response.cookies


def test_an_unknown_lang_is_ignored_and_left_out_of_the_switch(client, treaty, japanese_default):
    response = client.get("/en/treaties/npt/", {"lang": "xx", "as_of": "2020-01-01"})

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert set(switch_links(response)) == {
        "/treaties/npt/?as_of=2020-01-01",
        "/en/treaties/npt/?as_of=2020-01-01",
    }


def test_a_form_sent_to_an_address_with_lang_is_answered_not_redirected(client, db):
    login = reverse("admin:login") + "?lang=ja"
    response = client.post(login, {"username": "x", "password": "y"})

    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


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
