"""A country's page keeps its size whatever the number of treaties: its table shows 50
treaties a page (in the table's order, with the total, on any "as of" day) while its CSV
stays whole, and its figures and events are capped with a link to all of them."""

import datetime
import re

import pytest

from tests.factories import SourceFactory
from tests.helpers import read_csv, text
from tests.treaties.test_matrix import matrix_rows, status_of
from treaties.models import (
    Country,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
)
from treaties.views import COUNTRY_LIST_LIMIT, COUNTRY_TREATIES_PER_PAGE

pytestmark = pytest.mark.django_db

D = datetime.date
TREATIES = 2 * COUNTRY_TREATIES_PER_PAGE + 20
PAGE = "/countries/jp/"


@pytest.fixture
def japan(db):
    """Japan in TREATIES treaties, listed in display order (the reverse of the slugs'):
    it signed each in 1980 and ratified the odd-numbered ones in 1990."""
    source = SourceFactory()
    country = Country.objects.create(code="JP")
    treaties = Treaty.objects.bulk_create(
        Treaty(
            slug=f"t-{n:03d}",
            short_name_en=f"Treaty {n}",
            kind=Treaty.Kind.MULTILATERAL,
            status=Treaty.Status.NOT_IN_FORCE,
            display_order=TREATIES - n,
        )
        for n in range(TREATIES)
    )
    participations = Participation.objects.bulk_create(
        Participation(
            treaty=treaty,
            country=country,
            status=Participation.Status.CONSENTED if n % 2 else Participation.Status.SIGNATORY,
            source=source,
        )
        for n, treaty in enumerate(treaties)
    )
    TreatyAction.objects.bulk_create(
        TreatyAction(participation=p, action_type=kind, date_on=day, date_precision="day")
        for n, p in enumerate(participations)
        for kind, day in [("signature", D(1980, 1, 1)), ("ratification", D(1990, 1, 1))][
            : 1 + n % 2
        ]
    )
    return country


def in_display_order():
    return [f"t-{n:03d}" for n in reversed(range(TREATIES))]


def table(client, query=""):
    response = client.get(PAGE + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_table_shows_a_page_of_treaties_at_a_time_in_order_with_the_total(client, japan):
    per_page = COUNTRY_TREATIES_PER_PAGE
    shown = []
    for number in (1, 2, 3):
        html = table(client, f"?page={number}")
        rows = list(matrix_rows(html))
        assert len(rows) == min(per_page, TREATIES - (number - 1) * per_page)
        shown += rows
        assert f"{TREATIES} treaties" in text(html)
        assert f"page {number} of 3" in text(html)
    assert shown == in_display_order()
    # The first page is the page without a number; the last can be asked for by name.
    assert list(matrix_rows(table(client))) == shown[:per_page]
    assert list(matrix_rows(table(client, "?page=last"))) == shown[2 * per_page :]
    assert 'href="?page=2"' in table(client)


def test_a_page_of_the_table_as_of_a_day_keeps_the_day(client, japan):
    html = table(client, "?as_of=1985-01-01&page=2")
    rows = matrix_rows(html)
    assert (
        list(rows) == in_display_order()[COUNTRY_TREATIES_PER_PAGE : 2 * COUNTRY_TREATIES_PER_PAGE]
    )
    # Before the ratifications of 1990 every treaty was only signed.
    assert {status_of(row) for row in rows.values()} == {"signatory"}
    assert {status_of(row) for row in matrix_rows(table(client, "?page=2")).values()} == {
        "signatory",
        "consented",
    }
    links = re.findall(r'<a rel="(?:prev|next)" href="\?([^"]+)"', html)
    assert links and all("as_of=1985-01-01" in link for link in links)


def test_the_csv_holds_every_treaty_in_the_order_of_the_pages(client, japan):
    rows = read_csv(client.get("/countries/jp/matrix.csv"))
    assert [row["treaty"] for row in rows] == in_display_order()
    assert "every page" in table(client)


@pytest.mark.parametrize("page", ["4", "0", "x", "1.5"])
def test_a_page_that_does_not_exist_is_a_404(client, japan, page):
    assert client.get(PAGE, {"page": page}).status_code == 404


def test_few_treaties_are_shown_whole_without_page_links(client):
    country = Country.objects.create(code="JP")
    treaty = Treaty.objects.create(
        slug="npt", short_name_en="NPT", kind="multilateral", status="in_force"
    )
    Participation.objects.create(treaty=treaty, country=country)
    html = table(client)
    assert list(matrix_rows(html)) == ["npt"]
    assert 'class="pagination"' not in html
    assert "1 treaty" in text(html)


def test_figures_and_events_are_capped_with_a_link_to_all_of_them(client, japan):
    extra = 7
    count = COUNTRY_LIST_LIMIT + extra
    ReportedFigure.objects.bulk_create(
        ReportedFigure(country=japan, metric="stockpile", value=n + 1000) for n in range(count)
    )
    events = TreatyEvent.objects.bulk_create(
        TreatyEvent(title_en=f"Meeting {n}", date_on=D(1900 + n, 1, 1)) for n in range(count)
    )
    TreatyEvent.countries.through.objects.bulk_create(
        TreatyEvent.countries.through(treatyevent=event, country=japan) for event in events
    )
    html = table(client)

    figures = re.findall(r'<li class="figure metric-stockpile">', html)
    assert len(figures) == COUNTRY_LIST_LIMIT
    assert (
        f"The first {COUNTRY_LIST_LIMIT} of {count} figures are listed; all of them (CSV)."
        in text(html)
    )
    assert 'href="/figures/export.csv?country=jp"' in html
    assert len(read_csv(client.get("/figures/export.csv?country=jp"))) == count

    # The latest events, oldest first.
    titles = re.findall(r"<strong>Meeting (\d+)</strong>", html)
    assert titles == [str(n) for n in range(extra, count)]
    assert (
        f"The latest {COUNTRY_LIST_LIMIT} of {count} events are listed; "
        "all of them on the timeline." in text(html)
    )
    assert 'href="/events/?country=jp"' in html
