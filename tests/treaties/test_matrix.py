"""The matrices: a country across treaties (with ?as_of= and the act each status follows
from) and the participations page's countries × treaties, each with its CSV; and the
queries every picture and CSV runs, which do not grow with the number of states."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
    iso_code,
)
from tests.helpers import read_csv
from treaties.models import Treaty
from treaties.views import MATRIX_TREATIES

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def japan(db):
    """Japan in the NPT (signed 1970, ratified June 1976), the CTBT (signed 1996, ratified
    1997) and the TPNW (a record without acts)."""
    source = SourceFactory(slug="white-paper", title_en="White Paper")
    npt = TreatyFactory(slug="npt", short_name_en="NPT", display_order=10)
    ctbt = TreatyFactory(
        slug="ctbt",
        short_name_en="CTBT",
        display_order=20,
        status=Treaty.Status.NOT_IN_FORCE,
        opened_on=D(1996, 9, 24),
        entered_into_force_on=None,
        entered_into_force_precision="",
    )
    tpnw = TreatyFactory(slug="tpnw", short_name_en="TPNW", display_order=30)
    country = CountryFactory(code="JP")
    for treaty, acts in [
        (npt, [("signature", D(1970, 2, 3), "day"), ("ratification", D(1976, 6, 1), "month")]),
        (ctbt, [("signature", D(1996, 9, 24), "day"), ("ratification", D(1997, 1, 1), "year")]),
        (tpnw, []),
    ]:
        participation = ParticipationFactory(
            treaty=treaty, country=country, source=source, locator=f"{treaty.slug} row"
        )
        for kind, day, precision in acts:
            TreatyActionFactory(
                participation=participation, action_type=kind, date_on=day, date_precision=precision
            )
    return country


def matrix_rows(html):
    table = re.search(
        r'<table class="participations compact country-matrix">(.*?)</table>', html, re.S
    )
    assert table, "no matrix on the country page"
    return {
        slug: body
        for slug, body in re.findall(
            r'<tr id="participation-([\w-]+)">(.*?)</tr>', table.group(1), re.S
        )
    }


def status_of(row):
    return re.search(r'<span class="status status-(\w+)">', row).group(1)


def test_the_country_page_is_a_compact_table_of_statuses_and_decisive_acts(client, japan):
    html = client.get("/countries/jp/").content.decode()

    assert "<caption>" in html and '<th scope="row">' in html and '<th scope="col">' in html
    rows = matrix_rows(html)
    assert list(rows) == ["npt", "ctbt", "tpnw"]
    assert status_of(rows["npt"]) == "party"
    assert re.search(r'ratification <time datetime="1976-06">June 1976</time>', rows["npt"])
    assert status_of(rows["ctbt"]) == "consented"
    assert status_of(rows["tpnw"]) == "no_act"
    assert "npt row" in rows["npt"]  # the participation's provenance
    assert 'href="/countries/jp/matrix.csv"' in html


def test_the_country_page_honours_as_of(client, japan):
    response = client.get("/countries/jp/?as_of=1975-01-01")

    assert response.status_code == 200
    html = response.content.decode()
    rows = matrix_rows(html)
    assert status_of(rows["npt"]) == "signatory"
    assert re.search(r'signature <time datetime="1970-02-03">3 February 1970</time>', rows["npt"])
    assert status_of(rows["ctbt"]) == "not_signed"
    assert "(after the as-of date)" in rows["npt"]  # the ratification, in the full list
    assert 'href="/countries/jp/matrix.csv?as_of=1975-01-01"' in html
    assert "Statuses as of" in html


@pytest.mark.parametrize("as_of", ["1975-02-30", "soon", "1850-01-01"])
def test_a_bad_as_of_on_the_country_page_is_a_400_with_a_message(client, japan, as_of):
    response = client.get(f"/countries/jp/?as_of={as_of}")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error"' in html
    assert "country-matrix" not in html
    csv = client.get(f"/countries/jp/matrix.csv?as_of={as_of}")
    assert csv.status_code == 400 and "as_of:" in csv.content.decode()


def test_the_country_matrix_csv_holds_the_rows_of_the_table(client, japan):
    html = client.get("/countries/jp/?as_of=1980-01-01").content.decode()
    rows = read_csv(client.get("/countries/jp/matrix.csv?as_of=1980-01-01"))

    assert list(rows[0]) == [
        "treaty",
        "treaty_en",
        "treaty_ja",
        "status",
        "status_on",
        "act",
        "act_date",
        "act_takes_effect",
        "required_for_entry_into_force",
        "source",
        "locator",
        "as_of",
    ]
    table = matrix_rows(html)
    assert [(r["treaty"], r["status"]) for r in rows] == [
        (slug, status_of(body)) for slug, body in table.items()
    ]
    npt = rows[0]
    assert (npt["act"], npt["act_date"], npt["status_on"]) == (
        "ratification",
        "1976-06",
        "1980-01-01",
    )
    assert (npt["source"], npt["locator"]) == ("white-paper", "npt row")
    assert client.get("/countries/zz/matrix.csv").status_code == 404


# -- the participations page's matrix ----------------------------------------------------------


def test_the_participations_matrix_is_a_table_with_its_csv(client, japan):
    CountryFactory(code="US")
    ParticipationFactory(treaty=Treaty.objects.get(slug="npt"), country=CountryFactory(code="FR"))

    html = client.get("/participations/?view=matrix").content.decode()

    table = re.search(r'<table class="matrix">(.*?)</table>', html, re.S).group(1)
    assert "<caption>" in table and '<th scope="col">' in table and '<th scope="row">' in table
    cells = {
        code: re.findall(r'<td>(?:<span class="status status-(\w+)">|<span class="muted")', body)
        for code, body in re.findall(
            r'<tr>\s*<th scope="row"><a href="/countries/(\w\w)/">(.*?)</tr>', table, re.S
        )
    }
    assert cells == {"fr": ["no_act", "", ""], "jp": ["party", "consented", "no_act"]}
    assert 'href="/participations/matrix.csv"' in html

    rows = read_csv(client.get("/participations/matrix.csv"))
    assert list(rows[0]) == ["iso2", "country_en", "country_ja", "npt", "ctbt", "tpnw"]
    assert [(r["iso2"], r["npt"], r["ctbt"], r["tpnw"]) for r in rows] == [
        ("FR", "no_act", "", ""),
        ("JP", "party", "consented", "no_act"),
    ]


def test_the_participations_matrix_csv_takes_the_page_s_filters(client, japan):
    html = client.get("/participations/?view=matrix&as_of=1975-01-01&treaty=npt").content.decode()
    assert 'href="/participations/matrix.csv?as_of=1975-01-01&amp;treaty=npt"' in html

    rows = read_csv(client.get("/participations/matrix.csv?as_of=1975-01-01&treaty=npt"))

    assert rows == [{"iso2": "JP", "country_en": "Japan", "country_ja": "日本", "npt": "signatory"}]
    bad = client.get("/participations/matrix.csv?as_of=1975-13-01")
    assert bad.status_code == 400 and "as_of:" in bad.content.decode()


def matrix_columns(html):
    table = re.search(r'<table class="matrix">(.*?)</table>', html, re.S).group(1)
    return re.findall(r'<th scope="col"><a href="/treaties/([\w-]+)/">', table)


def test_the_participations_matrix_shows_its_treaties_a_page_at_a_time(client, japan):
    # Japan's three and as many more as fill the first page and part of a second.
    many = [TreatyFactory(slug=f"t{n:02d}", display_order=100 + n) for n in range(MATRIX_TREATIES)]
    for treaty in many:
        ParticipationFactory(treaty=treaty, country=japan)
    every = ["npt", "ctbt", "tpnw", *(t.slug for t in many)]

    first = client.get("/participations/?view=matrix").content.decode()
    second = client.get("/participations/?view=matrix&page=2").content.decode()

    assert matrix_columns(first) == every[:MATRIX_TREATIES]
    assert matrix_columns(second) == every[MATRIX_TREATIES:]
    total = MATRIX_TREATIES + 3
    assert f"Treaties 1–{MATRIX_TREATIES} of {total}, as columns." in first
    assert 'href="?view=matrix&amp;page=2"' in first and "page 2 of 2" in second
    # "This matrix (CSV)" is the page's matrix: the same treaties as columns.
    assert 'href="/participations/matrix.csv?page=2"' in second
    rows = read_csv(client.get("/participations/matrix.csv?page=2"))
    assert list(rows[0])[3:] == every[MATRIX_TREATIES:]
    assert client.get("/participations/?view=matrix&page=3").status_code == 404
    assert client.get("/participations/matrix.csv?page=x").status_code == 404
    last = client.get("/participations/?view=matrix&page=last").content.decode()
    assert matrix_columns(last) == every[MATRIX_TREATIES:]


def test_a_filtered_matrix_pages_through_the_treaties_it_covers(client, japan):
    for n in range(MATRIX_TREATIES + 5):
        ParticipationFactory(treaty=TreatyFactory(slug=f"t{n:02d}"), country=CountryFactory())
    html = client.get("/participations/?view=matrix&country=JP").content.decode()
    assert matrix_columns(html) == ["npt", "ctbt", "tpnw"]
    assert "as columns" not in html and 'class="pagination"' not in html


def test_the_country_page_renders_in_japanese(client, japan):
    html = client.get("/ja/countries/jp/").content.decode()

    assert '<html lang="ja">' in html
    assert "1976年6月" in matrix_rows(html)["npt"]


# -- queries ----------------------------------------------------------------------------------


def grow(start, size):
    """States `start` to `size` of a treaty, each signed and ratified, with a figure each, and
    a state without a record each; Japan (the first) in one more treaty each two states, so
    that its page and its CSV grow too."""
    source = SourceFactory(slug="list")
    treaty = TreatyFactory(slug="big", opened_on=D(1968, 7, 1))
    japan = CountryFactory(code="JP")
    for n in range(start, size):
        country = japan if n == 0 else CountryFactory(code=iso_code(n + 60))
        participation = ParticipationFactory(treaty=treaty, country=country, source=source)
        for kind, day in [("signature", D(1970 + n, 1, 5)), ("ratification", D(1975 + n, 3, 1))]:
            TreatyActionFactory(participation=participation, action_type=kind, date_on=day)
        ReportedFigureFactory(treaty=treaty, value=n, as_of_on=D(1980 + n, 1, 1), source=source)
        CountryFactory(code=iso_code(n + 200))
    for n in range(start // 2, size // 2):
        other = TreatyFactory(slug=f"other-{n}")
        participation = ParticipationFactory(treaty=other, country=japan, source=source)
        TreatyActionFactory(
            participation=participation, action_type="accession", date_on=D(1990, 1, 1)
        )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(captured), body


# (address, most queries allowed)
PICTURES = [
    ("/treaties/big/", 17),
    ("/treaties/big/?as_of=1990-01-01", 17),
    # The country page's table is paginated: one query counts its treaties.
    ("/countries/jp/", 9),
    ("/countries/jp/?as_of=1990-01-01", 9),
    ("/treaties/big/map.csv", 6),
    ("/treaties/big/map.csv?as_of=1990-01-01", 6),
    ("/treaties/big/counts.csv", 6),
    ("/countries/jp/matrix.csv?as_of=1990-01-01", 5),
    ("/participations/?view=matrix", 4),
    ("/participations/matrix.csv", 3),
    ("/participations/matrix.csv?treaty=big&as_of=1990-01-01", 5),
]


@pytest.mark.parametrize(("url", "ceiling"), PICTURES)
def test_queries_stay_the_same_with_2_or_20_states(
    client, django_assert_max_num_queries, url, ceiling
):
    grow(0, 2)
    small, small_body = queries(client, url)

    grow(2, 20)
    with django_assert_max_num_queries(ceiling):
        large, large_body = queries(client, url)

    assert len(large_body) > len(small_body)  # more states are really drawn or listed
    assert large == small
