"""Every CSV export lists its rows in an order every database gives alike.

SQLite and PostgreSQL differ where NULLs sort (first or last in a descending order) and in
how they compare text (PostgreSQL by the database's collation, SQLite by code point), and
either returns tied rows in any order. So every order an export uses, the list's default and
each `?sort=` the list offers, states where NULLs go, compares text by code point and ends
with a unique key; the file then holds the same bytes on either database.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import resolve, reverse

from core.sorting import SORT_PARAM, SortFilter, order_problems
from core.views_base import CsvExportView
from portal.management.commands.export_all import public_exports
from tests.factories import (
    CountryFactory,
    ReportedFigureFactory,
    SourceFactory,
    TreatyFactory,
)
from tests.helpers import read_csv

pytestmark = pytest.mark.django_db


def export_orders():
    """(export, query string, queryset) for each list export, unsorted and by every sort."""
    for name, path in public_exports():
        match = resolve(path)
        view_class = match.func.view_class  # type: ignore[attr-defined]
        assert issubclass(view_class, CsvExportView), name
        queries = [{}]
        sort = view_class.filterset_class.base_filters.get(SORT_PARAM)
        if isinstance(sort, SortFilter):
            queries += [{SORT_PARAM: f"{sign}{key}"} for key in sort.orders for sign in ("", "-")]
        for query in queries:
            request = RequestFactory().get(path, query)
            request.user = AnonymousUser()
            view = view_class()
            view.setup(request, *match.args, **match.kwargs)
            filterset = view.get_filterset(view.get_filterset_class())
            assert not filterset.is_bound or filterset.is_valid(), (name, query, filterset.errors)
            yield name, query, filterset.qs


def test_every_export_order_is_the_same_on_every_database():
    orders = list(export_orders())
    assert len({name for name, _query, _qs in orders}) >= 14
    problems = {
        f"{name} {query}": found
        for name, query, queryset in orders
        if (found := order_problems(queryset))
    }
    assert problems == {}


def exported_column(client, url, column):
    return [row[column] for row in read_csv(client.get(url))]


def test_sources_list_the_newest_first_the_undated_last_ties_by_slug(client):
    # Slugs in code-point order: "-" comes before the letters, whatever the collation.
    for slug, published in [
        ("undated-b", None),
        ("dated-ab", datetime.date(2021, 1, 1)),
        ("older", datetime.date(1999, 1, 1)),
        ("dated-a-b", datetime.date(2021, 1, 1)),
        ("undated-a", None),
    ]:
        SourceFactory(
            slug=slug, published_on=published, published_precision="year" if published else ""
        )

    assert exported_column(client, reverse("core:source-export"), "slug") == [
        "dated-a-b",
        "dated-ab",
        "older",
        "undated-a",
        "undated-b",
    ]


def test_figures_list_by_treaty_then_metric_newest_first_the_unplaced_last(client):
    treaty = TreatyFactory(slug="ctbt", display_order=1)
    later = TreatyFactory(slug="npt", display_order=2)
    figures = {
        "no-treaty": ReportedFigureFactory(treaty=None, country=CountryFactory(code="JP")),
        "later-treaty": ReportedFigureFactory(treaty=later),
        "undated": ReportedFigureFactory(treaty=treaty, as_of_on=None, as_of_precision=""),
        "older": ReportedFigureFactory(treaty=treaty, as_of_on=datetime.date(2020, 1, 1)),
        "newer": ReportedFigureFactory(treaty=treaty, as_of_on=datetime.date(2023, 1, 1)),
        "tie-1": ReportedFigureFactory(treaty=treaty, as_of_on=datetime.date(2021, 1, 1)),
        "tie-2": ReportedFigureFactory(treaty=treaty, as_of_on=datetime.date(2021, 1, 1)),
        "other-metric": ReportedFigureFactory(treaty=treaty, metric="signatories"),
    }
    name_of = {str(figure.pk): name for name, figure in figures.items()}

    ids = exported_column(client, reverse("treaties:figure-export"), "id")

    assert [name_of[pk] for pk in ids] == [
        "newer",
        "tie-1",
        "tie-2",
        "older",
        "undated",
        "other-metric",
        "later-treaty",
        "no-treaty",
    ]
