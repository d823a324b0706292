"""The CSV file beside each picture: the numbers it draws, in the project's CSV format.

A day given as `as_of` is read by the same form field as the treaty page's; a bad one is
answered with 400 and the field's message, like every other export.
"""

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View

from core.views_base import ReadOnlyMixin, invalid_filter_response

from .filters import AsOfFilterSet
from .models import Country, Participation, Treaty, today
from .pictures import (
    CountryMatrixExport,
    CountsExport,
    StatusMapExport,
    country_matrix,
    country_records,
    counts_over_time,
    status_rows,
)


def pictured_treaty(slug: str) -> Treaty:
    return get_object_or_404(Treaty, slug=slug)


class AsOfCsvView(ReadOnlyMixin, View):
    """A picture's CSV that may be asked for as of a day (today when none is given)."""

    def get(self, request: HttpRequest, *args: str, **kwargs: str) -> HttpResponseBase:
        subject = self.subject(**kwargs)
        as_of = AsOfFilterSet(request.GET or None, queryset=Participation.objects.none())
        if as_of.is_bound and not as_of.is_valid():
            return invalid_filter_response(as_of)
        return self.csv(subject, as_of.as_of_date or today())

    def subject(self, **kwargs: str) -> Any:
        """The treaty or country of the address (404 when there is none)."""
        raise NotImplementedError

    def csv(self, subject: Any, day: datetime.date) -> HttpResponseBase:
        raise NotImplementedError


class TreatyMapExportView(AsOfCsvView):
    """/treaties/<slug>/map.csv: every state the map's legend counts, with its status."""

    model = Treaty

    def subject(self, **kwargs: str) -> Treaty:
        return pictured_treaty(kwargs["slug"])

    def csv(self, treaty: Treaty, day: datetime.date) -> HttpResponseBase:
        return StatusMapExport().response(
            status_rows(treaty, day), filename=f"{treaty.slug}-map-{day.isoformat()}.csv"
        )


class TreatyCountsExportView(ReadOnlyMixin, View):
    """/treaties/<slug>/counts.csv: each year's counts and each figure reported."""

    model = Treaty

    def get(self, request: HttpRequest, slug: str) -> HttpResponseBase:
        treaty = pictured_treaty(slug)
        counts = counts_over_time(treaty, draw=False)
        return CountsExport(counts.series).response(
            counts.rows(), filename=f"{treaty.slug}-counts.csv"
        )


class CountryMatrixExportView(AsOfCsvView):
    """/countries/<iso2>/matrix.csv: each treaty, the status on the day and its decisive act."""

    model = Country

    def subject(self, **kwargs: str) -> Country:
        country = Country.objects.filter(code=kwargs["iso2"].upper()).first()
        if country is None:
            raise Http404(_("No country with this ISO code is recorded."))
        return country

    def csv(self, country: Country, day: datetime.date) -> HttpResponseBase:
        rows = country_matrix(country_records(country), day)
        return CountryMatrixExport().response(
            rows, filename=f"{country.iso2}-matrix-{day.isoformat()}.csv"
        )
