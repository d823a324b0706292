"""CSV export shared by every public list and the admin.

UTF-8 with a byte-order mark so Excel reads Japanese correctly, a header row, ISO 8601
dates at their stated precision, and cells that a spreadsheet would run as a formula
neutralized. Rows are streamed from `QuerySet.iterator()`, so memory stays flat
however many rows match.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import QuerySet
from django.http import StreamingHttpResponse

from . import export_copy
from .dates import PartialDate
from .export_copy import Sql, same

if TYPE_CHECKING:
    from django.db.models.expressions import OrderBy
    from django.http import HttpRequest
    from django_stubs_ext import StrOrPromise

BOM = "\ufeff"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
# How an export's rows are read: "auto" picks the fastest the database and columns allow.
VIA = ("auto", "copy", "values", "records")

_QuerySetT = TypeVar("_QuerySetT", bound=QuerySet[Any])


def neutralize(text: str) -> str:
    """Prefix a quote to text a spreadsheet would otherwise take for a formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The text a cell held before `neutralize`: what a file exported here imports back as."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


def cell(value: Any) -> str:
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
    """A CSV column: its header and how to read its cell from a record.

    `fields` and `compute` say how to make the same cell from plain values instead (the
    database paths the cell needs, and a function of their values): an export whose every
    column says so streams `values_list` rows, with no model instance built per row.
    `sql`, given the SQL of those values, says how PostgreSQL writes the cell (`None` for an
    empty one): on PostgreSQL an export whose every column can be written so is a COPY
    (`core.export_copy`). A plain stored value needs no `sql`: its field says.
    """

    header: str
    value: Callable[[Any], Any]
    fields: tuple[str, ...] = ()
    compute: Callable[..., Any] | None = None
    sql: Callable[..., Sql] | None = None


def field(header: str, path: str | None = None) -> Column:
    """A column holding one stored value, `path` in the queryset's notation (`treaty__slug`)."""
    path = path or header
    return Column(header, attr(path.replace("__", ".")), fields=(path,), compute=same)


def _partial(on: datetime.date | None, precision: str) -> str | None:
    """`PartialDate(on, precision).iso()` for a stored (already truncated) date, made
    without building the object: the exports write millions of them."""
    if on is None:
        return None
    if precision == "year":
        return f"{on.year:04d}"
    if precision == "month":
        return f"{on.year:04d}-{on.month:02d}"
    return on.isoformat()


def partial_field(header: str, name: str) -> Column:
    """A column holding the partial date `<name>_on` / `<name>_precision` at its precision."""
    return Column(
        header,
        attr(name),
        fields=(f"{name}_on", f"{name}_precision"),
        compute=_partial,
        sql=lambda on, precision: (export_copy.partial(on, precision), []),
    )


def attr(path: str) -> Callable[[Any], Any]:
    """Column value read along a dotted attribute path; None anywhere gives None."""
    names = path.split(".")

    def get(obj: Any) -> Any:
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
            if callable(obj) and not hasattr(obj, "all"):
                obj = obj()
        return obj

    return get


def source_slug(obj: Any) -> str:
    """The slug of the source a fact cites, or nothing."""
    return obj.source.slug if obj.source_id else ""


# The provenance of every fact, in every app's export: the source, where in it, as of when.
PROVENANCE_COLUMNS = [
    Column("source", source_slug, fields=("source__slug",), compute=same),
    field("locator"),
    partial_field("as_of", "as_of"),
]


class Echo:
    """A file-like object whose write returns the line, for csv.writer to stream through."""

    def write(self, value: str) -> str:
        return value


class CsvExport:
    """Columns of a CSV file and how to fetch its rows from a queryset."""

    columns: list[Column] = []
    # The list's default order (`core.sorting.stable_order`), which its page shares.
    ordering: Sequence[OrderBy] = ()
    select_related: tuple[str, ...] = ()
    prefetch_related: tuple[Any, ...] = ()
    filename: str = "export.csv"

    def prepare(self, queryset: _QuerySetT) -> _QuerySetT:
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        return queryset

    def header(self) -> list[str]:
        return [column.header for column in self.columns]

    def row(self, obj: Any) -> list[str]:
        return [cell(column.value(obj)) for column in self.columns]

    def value_paths(self) -> list[str] | None:
        """The database paths every cell is made of, if every column says (see `Column`)."""
        if not self.columns or any(column.compute is None for column in self.columns):
            return None
        return list(dict.fromkeys(name for column in self.columns for name in column.fields))

    def lines(self, rows: Iterable[Any], *, via: str = "auto") -> Iterator[str | bytes]:
        """The file, in blocks of about 64 KB, from a queryset (streamed) or from rows
        already in memory.

        A queryset is written by PostgreSQL where the database and the columns allow it
        (`via="copy"`), read as plain values where the columns allow it (`"values"`), or
        read as model instances (`"records"`). All three give the same bytes.
        """
        if via not in VIA:
            raise ValueError(f"via must be one of {VIA}")
        writer = csv.writer(Echo())
        yield BOM + writer.writerow(self.header())
        if not isinstance(rows, QuerySet):
            yield from export_copy.gathered(writer.writerow(self.row(obj)) for obj in rows)
            return
        paths = self.value_paths() if via != "records" else None
        if paths is not None and via in ("auto", "copy"):
            statement = (
                export_copy.copy_statement(self.columns, rows, paths)
                if via == "copy" or export_copy.usable(rows)
                else None
            )
            if statement is not None:
                yield from export_copy.blocks(rows, statement)
                return
            if via == "copy":
                raise ValueError(f"{type(self).__name__} has a column with no SQL")
        if paths is not None:
            yield from export_copy.gathered(self._lines_from_values(writer, rows, paths))
            return
        if via == "values":
            raise ValueError(f"{type(self).__name__} has a column with no plain values")
        objects = self.prepare(rows).iterator(chunk_size=CHUNK_SIZE)
        yield from export_copy.gathered(writer.writerow(self.row(obj)) for obj in objects)

    def _lines_from_values(
        self, writer: Any, rows: QuerySet[Any], paths: list[str]
    ) -> Iterator[str]:
        position = {path: index for index, path in enumerate(paths)}
        makers = [
            (column.compute, [position[name] for name in column.fields])
            for column in self.columns
        ]
        values = rows.prefetch_related(None).values_list(*paths)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            yield writer.writerow(
                [cell(compute(*[row[i] for i in indexes])) for compute, indexes in makers]  # type: ignore[misc]
            )

    def content(self, rows: Iterable[Any], *, via: str = "auto") -> bytes:
        """The whole file as bytes (for tests and small files; pages stream `response`)."""
        return b"".join(
            part if isinstance(part, bytes) else part.encode() for part in self.lines(rows, via=via)
        )

    def response(
        self, queryset: Iterable[Any], filename: str | None = None
    ) -> StreamingHttpResponse:
        response = StreamingHttpResponse(
            self.lines(queryset), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename or self.filename}"'
        return response


def admin_csv_action(
    export_class: type[CsvExport], description: StrOrPromise | None = None
) -> Callable[..., StreamingHttpResponse]:
    """An admin action exporting the selected rows with the public export's columns."""
    from django.contrib import admin
    from django.utils.translation import gettext_lazy as _

    @admin.action(description=description or _("Export selected rows as CSV"))
    def export_selected(
        modeladmin: Any, request: HttpRequest, queryset: QuerySet[Any]
    ) -> StreamingHttpResponse:
        ordering = export_class.ordering or queryset.model._meta.ordering or ["pk"]
        return export_class().response(queryset.order_by(*ordering))

    export_selected.__name__ = f"export_{export_class.__name__.lower()}"
    return export_selected
