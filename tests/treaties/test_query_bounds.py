"""The treaty pages and exports run as many queries for 500 rows as for 5.

Each test measures one page with a small data set, grows the data a hundredfold and
measures again: the counts must be equal (no query per row) and stay under a ceiling.
"""

import datetime
import itertools
import string

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_countries import countries

from tests.factories import SourceFactory, TreatyFactory
from treaties.models import (
    Country,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
)

pytestmark = pytest.mark.django_db

SMALL, LARGE = 5, 500
D = datetime.date


def country_codes():
    """Japan first, then every ISO code, then unassigned letter pairs (past the ~250 real ones)."""
    real = [code for code, _ in countries]
    spare = ["".join(pair) for pair in itertools.product(string.ascii_uppercase, repeat=2)]
    ordered = ["JP", *real, *(code for code in spare if code not in set(real))]
    return list(dict.fromkeys(ordered))


class World:
    """Treaties, countries and every kind of fact, grown in bulk.

    The NPT gets one participation per country and Japan one per treaty, so both detail
    pages grow with the lists; every event involves Japan and every figure is about it.
    """

    def __init__(self):
        self.sources = [SourceFactory() for _ in range(3)]
        self.npt = TreatyFactory(slug="npt", source=self.sources[0])
        self.japan = Country.objects.create(code="JP", posture_source=self.sources[1])
        self.codes = iter(country_codes()[1:])
        self.size = 1
        self.add_participations([(self.npt, self.japan)])

    def source(self, n):
        return self.sources[n % len(self.sources)]

    def grow(self, size):
        new = range(self.size, size)
        treaties = Treaty.objects.bulk_create(
            [
                Treaty(
                    slug=f"treaty-{n}",
                    short_name_en=f"T{n}",
                    kind=Treaty.Kind.MULTILATERAL,
                    status=Treaty.Status.IN_FORCE,
                    entered_into_force_on=D(1970, 3, 5),
                    entered_into_force_precision="day",
                    source=self.source(n),
                )
                for n in new
            ]
        )
        countries_ = Country.objects.bulk_create(
            [Country(code=next(self.codes), posture_source=self.source(n)) for n in new]
        )
        self.add_participations(
            [(self.npt, c) for c in countries_] + [(t, self.japan) for t in treaties]
        )
        events = TreatyEvent.objects.bulk_create(
            [
                TreatyEvent(
                    treaty=self.npt,
                    kind=TreatyEvent.Kind.MEETING,
                    date_on=D(1970 + n % 50, 1, 1),
                    date_precision="year",
                    title_en=f"Event {n}",
                    source=self.source(n),
                    locator=f"p. {n}",
                )
                for n in new
            ]
        )
        through = TreatyEvent.countries.through
        through.objects.bulk_create(
            [through(treatyevent=e, country=self.japan) for e in events]
            + [through(treatyevent=e, country=c) for e, c in zip(events, countries_, strict=True)]
        )
        ReportedFigure.objects.bulk_create(
            [
                ReportedFigure(
                    treaty=self.npt,
                    country=self.japan if n % 2 else None,
                    metric=ReportedFigure.Metric.PARTIES,
                    value=n,
                    source=self.source(n),
                )
                for n in new
            ]
        )
        self.size = size

    def add_participations(self, pairs):
        participations = Participation.objects.bulk_create(
            [
                Participation(
                    treaty=treaty,
                    country=country,
                    status=Participation.Status.PARTY,
                    source=self.source(n),
                    locator="note 22",
                )
                for n, (treaty, country) in enumerate(pairs)
            ]
        )
        TreatyAction.objects.bulk_create(
            [
                TreatyAction(
                    participation=p,
                    action_type=kind,
                    date_on=day,
                    date_precision=precision,
                    source=self.source(n),
                )
                for n, p in enumerate(participations)
                for kind, day, precision in [
                    (TreatyAction.Type.SIGNATURE, D(1970, 2, 3), "day"),
                    (TreatyAction.Type.RATIFICATION, D(1976, 6, 1), "month"),
                ]
            ]
        )


def count_queries(client, url, params):
    """(queries run, items shown): CSV lines, or table rows and list items of a page."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
        if response.streaming:
            # A streamed export runs its queries while the body is read.
            body = b"".join(response.streaming_content)
        else:
            body = response.content
    assert response.status_code == 200, body[:500]
    if response.streaming:
        items = body.count(b"\n")
    else:
        items = body.count(b"<tr") + body.count(b"<li")
    return len(queries), items


# (address, query string, most queries allowed)
PAGES = [
    ("/treaties/", {}, 8),
    ("/treaties/", {"status": "in_force", "q": "t"}, 8),
    ("/treaties/npt/", {}, 16),
    ("/treaties/npt/", {"as_of": "1975-01-01"}, 16),
    ("/treaties/npt/", {"as_of": "1980-01-01", "status": "party", "region": "other"}, 16),
    ("/countries/", {}, 8),
    ("/countries/", {"treaty": "npt", "q": "a"}, 9),
    ("/countries/jp/", {}, 12),
    ("/participations/", {}, 9),
    ("/participations/", {"treaty": "npt", "status": "party", "region": "other"}, 10),
    ("/participations/", {"country": "jp", "nuclear_posture": "none"}, 10),
    ("/participations/", {"view": "matrix"}, 6),
    ("/events/", {}, 9),
    ("/events/", {"treaty": "npt", "country": "jp", "order": "newest"}, 10),
]

EXPORTS = [
    ("/treaties/export.csv", {}, 5),
    ("/countries/export.csv", {}, 5),
    ("/participations/export.csv", {}, 5),
    ("/participations/export.csv", {"treaty": "npt", "region": "other"}, 6),
    ("/events/export.csv", {}, 6),
    ("/events/export.csv", {"country": "jp", "year": "1972"}, 6),
    ("/actions/export.csv", {}, 5),
    ("/actions/export.csv", {"treaty": "npt"}, 6),
    ("/figures/export.csv", {"treaty": "npt"}, 6),
]


@pytest.mark.parametrize(("url", "params", "ceiling"), PAGES + EXPORTS)
def test_queries_do_not_grow_with_rows(client, django_assert_max_num_queries, url, params, ceiling):
    world = World()
    world.grow(SMALL)
    small, small_items = count_queries(client, url, params)

    world.grow(LARGE)
    with django_assert_max_num_queries(ceiling):
        large, large_items = count_queries(client, url, params)

    # The larger set really is shown or exported, so a query per row would show.
    assert large_items > small_items
    assert large == small


def test_the_treaty_page_counts_its_table_from_the_records_it_has_read(client):
    """Unfiltered, the participations table lists every record the page has read for its
    pictures: it shows their number without counting them again; filtered, it counts."""
    World().grow(120)
    held = Participation.objects.filter(treaty__slug="npt").count()

    def counts(params):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/treaties/npt/", params)
        assert response.status_code == 200
        counting = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
        return response.context["paginator"], counting, len(queries)

    plain, plain_counting, plain_queries = counts({})
    assert plain.count == held > 50
    assert plain.num_pages == 3
    assert not plain_counting
    # Given any parameter, the filters may select fewer: the database counts them.
    everything, counting, queries = counts({"page": "1"})
    assert everything.count == held
    assert len(counting) == 1
    assert queries == plain_queries + 1
