"""The CSV exports on PostgreSQL: the database writes the file's rows itself.

The export's queryset (its filters and order, as the page shows them) reads the values its
columns are made of; around it, one `COPY (SELECT …) TO STDOUT WITH (FORMAT csv)` turns each
value into the cell `core.export.cell` would write: ISO dates at their precision, `true` /
`false`, formulas neutralised, names looked up by code. psycopg streams what PostgreSQL
writes, gathered into blocks of `BLOCK_SIZE` bytes. The Python writer (`CsvExport.lines`)
stays the path for SQLite and for columns with no SQL; `tests/core/test_export_copy.py`
holds the two to the same bytes.

PostgreSQL ends a row with `\\n`, the Python writer (as RFC 4180 asks) with `\\r\\n`: the
blocks are rewritten outside quoted cells only, so a line break inside a note is kept as it
was written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connections
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    QuerySet,
    SmallIntegerField,
    TextField,
)
from django.db.models.constants import LOOKUP_SEP

if TYPE_CHECKING:
    from .export import Column

BLOCK_SIZE = 64 * 1024

# core.export.FORMULA_PREFIXES as SQL.
FORMULA_START = "('=', '+', '-', '@', E'\\t', E'\\r')"

# A column's SQL: its cell as text (NULL for an empty cell) from the SQL of its values.
Sql = tuple[str, list[Any]]
SqlMaker = Callable[..., Sql]


def same(value: Any) -> Any:
    """A column's `compute` that keeps the stored value: its field says how it reads in SQL."""
    return value


def text(ref: str) -> str:
    """`neutralize(value)`, an empty text an empty cell."""
    return (
        f"NULLIF(CASE WHEN left({ref}, 1) IN {FORMULA_START} "
        f"THEN '''' || {ref} ELSE {ref} END, '')"
    )


def partial(on: str, precision: str) -> str:
    """`PartialDate.iso()`: the stored date at its precision."""
    return (
        f"CASE {precision} WHEN 'year' THEN to_char({on}, 'YYYY') "
        f"WHEN 'month' THEN to_char({on}, 'YYYY-MM') ELSE to_char({on}, 'YYYY-MM-DD') END"
    )


def timestamp(ref: str) -> str:
    """`datetime.isoformat()` of the aware UTC value Django reads: microseconds when any."""
    utc = f"({ref} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN to_char({utc}, 'US') = "
        f"'000000' THEN '' ELSE '.' || to_char({utc}, 'US') END || '+00:00'"
    )


def stored(field: Field[Any, Any], ref: str) -> str | None:
    """The cell of a stored value of `field` as `cell()` writes it, or None if no rule."""
    if isinstance(field, BooleanField):
        return f"CASE WHEN {ref} THEN 'true' WHEN NOT {ref} THEN 'false' END"
    if isinstance(field, DateTimeField):
        return timestamp(ref)
    if isinstance(field, DateField):
        return f"to_char({ref}, 'YYYY-MM-DD')"
    if isinstance(
        field, AutoField | BigAutoField | IntegerField | BigIntegerField | SmallIntegerField
    ):
        return f"{ref}::text"
    if isinstance(field, ForeignKey):
        return stored(field.target_field, ref)
    if isinstance(field, CharField | TextField):
        return text(ref)
    return None


def field_at(model: Any, path: str) -> Field[Any, Any]:
    """The model field a queryset path (`participation__treaty__slug`, `pk`) ends on."""
    *joins, last = path.split(LOOKUP_SEP)
    for name in joins:
        model = model._meta.get_field(name).related_model
    if last == "pk":
        return model._meta.pk
    return model._meta.get_field(last)


def column_sql(column: Column, model: Any, refs: Sequence[str]) -> Sql | None:
    """The SQL of one column's cell, or None where only Python can write it."""
    if column.sql is not None:
        return column.sql(*refs)
    if column.compute is same and len(refs) == 1:
        made = stored(field_at(model, column.fields[0]), refs[0])
        return None if made is None else (made, [])
    return None


def copy_statement(columns: Sequence[Column], rows: QuerySet[Any], paths: list[str]) -> Sql | None:
    """`COPY … TO STDOUT` of the export's cells in the queryset's order, or None."""
    refs = {path: f"v.c{index}" for index, path in enumerate(paths)}
    cells, params = [], []
    for column in columns:
        made = column_sql(column, rows.model, [refs[name] for name in column.fields])
        if made is None:
            return None
        cells.append(made[0])
        params.extend(made[1])
    inner, inner_params = rows.prefetch_related(None).values_list(*paths).query.sql_with_params()
    # A subquery with ORDER BY is never flattened: its rows reach the outer SELECT in order.
    names = ", ".join(refs[path].removeprefix("v.") for path in paths)
    statement = (
        f"COPY (SELECT {', '.join(cells)} FROM ({inner}) AS v({names})) "
        "TO STDOUT WITH (FORMAT csv)"
    )
    return statement, [*params, *inner_params]


def usable(rows: QuerySet[Any]) -> bool:
    """Whether the database can write this export: PostgreSQL, with `EXPORT_COPY` on."""
    return settings.EXPORT_COPY and connections[rows.db].vendor == "postgresql"


def blocks(rows: QuerySet[Any], statement: Sql, size: int = BLOCK_SIZE) -> Iterator[bytes]:
    """What PostgreSQL writes, in blocks of about `size` bytes, rows ending in CRLF."""
    sql, params = statement
    connection = connections[rows.db]
    connection.ensure_connection()
    quoted = False  # whether the stream is inside a quoted cell at a block's start
    pending = bytearray()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql, params or None) as copy:
            for data in copy:
                pending += data
                if len(pending) >= size:
                    block, quoted = crlf(bytes(pending), quoted)
                    pending.clear()
                    yield block
    if pending:
        yield crlf(bytes(pending), quoted)[0]


def crlf(block: bytes, quoted: bool) -> tuple[bytes, bool]:
    """`block` with each row end outside a quoted cell written CRLF; whether it ends quoted.

    Between two double quotes the stream alternates between outside and inside a quoted
    cell (an escaped quote, `""`, leaves an empty piece), so only every other piece holds
    row ends.
    """
    if b'"' not in block:
        return (block if quoted else block.replace(b"\n", b"\r\n")), quoted
    pieces = block.split(b'"')
    start = 1 if quoted else 0
    for index in range(start, len(pieces), 2):
        pieces[index] = pieces[index].replace(b"\n", b"\r\n")
    ends_quoted = (len(pieces) - 1 + quoted) % 2 == 1
    return b'"'.join(pieces), ends_quoted


def gathered(lines: Iterator[str], size: int = BLOCK_SIZE) -> Iterator[str]:
    """Lines joined into blocks of about `size` characters: one write per block, not per row."""
    block: list[str] = []
    length = 0
    for line in lines:
        block.append(line)
        length += len(line)
        if length >= size:
            yield "".join(block)
            block.clear()
            length = 0
    if block:
        yield "".join(block)
