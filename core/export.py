"""CSV export shared by every public list and the admin.

UTF-8 with a byte-order mark so Excel reads Japanese correctly, a header row, ISO 8601
dates at their stated precision, and cells that a spreadsheet would run as a formula
neutralized. Rows are streamed from `QuerySet.iterator()`, so memory stays flat
however many rows match.
"""

import csv
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import StreamingHttpResponse

from .dates import PartialDate

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000


def neutralize(text):
    """Prefix a quote to text a spreadsheet would otherwise take for a formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def restore(text):
    """The text a cell held before `neutralize`: what a file exported here imports back as."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int | float):
        return str(value)
    return neutralize(str(value))


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]


def attr(path):
    """Column value read along a dotted attribute path; None anywhere gives None."""
    names = path.split(".")

    def get(obj):
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
            if callable(obj) and not hasattr(obj, "all"):
                obj = obj()
        return obj

    return get


def source_slug(obj):
    """The slug of the source a fact cites, or nothing."""
    return obj.source.slug if obj.source_id else ""


# The provenance of every fact, in every app's export: the source, where in it, as of when.
PROVENANCE_COLUMNS = [
    Column("source", source_slug),
    Column("locator", attr("locator")),
    Column("as_of", attr("as_of")),
]


class Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value):
        return value


class CsvExport:
    """Columns of a CSV file and how to fetch its rows from a queryset."""

    columns: list[Column] = []
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple = ()
    filename = "export.csv"

    def prepare(self, queryset):
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def header(self):
        return [column.header for column in self.columns]

    def row(self, obj):
        return [cell(column.value(obj)) for column in self.columns]

    def lines(self, rows):
        """The file's lines from a queryset (streamed) or from rows already in memory."""
        writer = csv.writer(Echo())
        yield BOM + writer.writerow(self.header())
        if hasattr(rows, "iterator"):
            rows = self.prepare(rows).iterator(chunk_size=CHUNK_SIZE)
        for obj in rows:
            yield writer.writerow(self.row(obj))

    def response(self, queryset, filename=None):
        response = StreamingHttpResponse(
            self.lines(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename or self.filename}"'
        return response


def admin_csv_action(export_class, description=None):
    """An admin action exporting the selected rows with the public export's columns."""
    from django.contrib import admin
    from django.utils.translation import gettext_lazy as _

    @admin.action(description=description or _("Export selected rows as CSV"))
    def export_selected(modeladmin, request, queryset):
        return export_class().response(queryset.order_by(*queryset.model._meta.ordering or ["pk"]))

    export_selected.__name__ = f"export_{export_class.__name__.lower()}"
    return export_selected
