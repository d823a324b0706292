"""Page after page, the participations list gives the rows in the order of its CSV export,
in its default order and by every `?sort=`, in either language.

Sorted by country or status, a page reads one country's or status's rows at a time
(`core.paging.SegmentedRows`), not one statement sorting them all; these tests hold it to
the export's single ORDER BY, with pages that begin, end and fall wholly inside a country
or a status, and countries and treaties that tie on what they are first sorted by.
"""

import re
from itertools import cycle

import pytest
from django.urls import reverse

from tests.factories import CountryFactory, ParticipationFactory, SourceFactory, TreatyFactory
from tests.helpers import html, read_csv
from treaties.choices import ParticipationStatus
from treaties.models import Participation, Treaty
from treaties.views import ParticipationListView

pytestmark = pytest.mark.django_db

PARTICIPATIONS = reverse("treaties:participation-list")
EXPORT = reverse("treaties:participation-export")
PAGE_SIZE = 4
SORTS = ["", "country", "-country", "treaty", "-treaty", "status", "-status"]
# In Japanese by the reading (いらん, にほん, ぱきすたん …), in English by the name.
READINGS = {
    "IR": "いらん",
    "JP": "にほん",
    "PK": "ぱきすたん",
    "CN": "ちゅうごく",
    "GB": "いぎりす",
}


@pytest.fixture
def records(db, monkeypatch):
    monkeypatch.setattr(ParticipationListView, "paginate_by", PAGE_SIZE)
    source = SourceFactory()
    countries = [CountryFactory(code=code, name_ja_reading=r) for code, r in READINGS.items()]
    countries.append(CountryFactory(code="FR"))  # no reading: sorts by its name
    # Two treaties share a display order: their slugs settle it.
    treaties = [
        TreatyFactory(slug=slug, display_order=order)
        for slug, order in (("ctbt", 2), ("npt", 1), ("inf", 1), ("tpnw", 3))
    ]
    statuses = cycle(ParticipationStatus.values[:4])
    for t_index, treaty in enumerate(treaties):
        for c_index, country in enumerate(countries):
            if (t_index + c_index) % 5 == 4:
                continue  # not every country holds a record of every treaty
            ParticipationFactory(treaty=treaty, country=country, source=source)
    # Statuses of uneven numbers, so pages cut across them.
    for participation, status in zip(Participation.objects.order_by("pk"), statuses, strict=False):
        Participation.objects.filter(pk=participation.pk).update(status=status)
    return Participation.objects.count()


ROW = re.compile(
    r'<th scope="row"><a href="/countries/([a-z]+)/">.*?<a href="/treaties/([a-z0-9-]+)/">', re.S
)


def listed(client, sort, language):
    """(country, treaty) of every row of every page, following the "next" links."""
    rows, page = [], 1
    while True:
        query = {"page": page, **({"sort": sort} if sort else {})}
        response = client.get(PARTICIPATIONS, query, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        body = html(response)
        found = ROW.findall(body.split("<tbody>")[1].split("</tbody>")[0])
        assert 0 < len(found) <= PAGE_SIZE
        rows += found
        if 'rel="next"' not in body:
            return rows
        page += 1


def exported(client, sort, language):
    url = EXPORT + (f"?sort={sort}" if sort else "")
    return [
        (row["iso2"].lower(), row["treaty"])
        for row in read_csv(client.get(url, HTTP_ACCEPT_LANGUAGE=language))
    ]


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize("sort", SORTS)
def test_the_pages_list_every_row_once_in_the_order_of_the_export(client, records, sort, language):
    rows = listed(client, sort, language)
    assert rows == exported(client, sort, language)
    assert len(set(rows)) == records


def test_sorted_by_country_every_country_s_rows_come_together_in_treaty_order(client, records):
    rows = listed(client, "country", "en")
    countries = [country for country, _treaty in rows]
    # China, France, Iran, Japan, Pakistan, United Kingdom: by their English names.
    assert list(dict.fromkeys(countries)) == ["cn", "fr", "ir", "jp", "pk", "gb"]
    japan = [treaty for country, treaty in rows if country == "jp"]
    assert japan == [t for t in ["inf", "npt", "ctbt", "tpnw"] if t in japan]


def test_sorted_by_status_the_statuses_come_in_their_declared_order(client, records):
    rows = listed(client, "-status", "en")
    status_of = {
        (str(p.country.code).lower(), p.treaty.slug): p.status
        for p in Participation.objects.select_related("country", "treaty")
    }
    ranks = [ParticipationStatus.values.index(status_of[row]) for row in rows]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.parametrize("sort", ["country", "-country", "status", "-status"])
def test_a_page_sorted_by_country_or_status_runs_a_bounded_number_of_queries(
    client, records, sort, django_assert_max_num_queries
):
    pages = -(-records // PAGE_SIZE)
    for page in range(1, pages + 1):
        # The request's savepoint and its release, the count of each country or status,
        # the names of the countries (for the order and for its segments), at most three
        # reads of keys, the rows, their acts, their sources, the treaty filter's choices.
        with django_assert_max_num_queries(12):
            response = client.get(PARTICIPATIONS, {"sort": sort, "page": page})
        assert response.status_code == 200


def test_a_treaty_moved_in_the_order_moves_in_the_list_at_once(client, records):
    # The list reads the treaties' own order (an index of it), no copy kept elsewhere: an
    # editor's change of a display order shows on the next page, as in the CSV.
    treaty = Treaty.objects.get(slug="tpnw")
    treaty.display_order = 0
    treaty.save()
    rows = listed(client, "", "en")
    assert {treaty for _country, treaty in rows[:PAGE_SIZE]} == {"tpnw"}
    assert rows == exported(client, "", "en")
