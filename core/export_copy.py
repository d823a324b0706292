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
from typing import Any, Protocol

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
    Expression,
    F,
    Field,
    ForeignKey,
    IntegerField,
    QuerySet,
    SmallIntegerField,
    TextField,
)
from django.db.models.constants import LOOKUP_SEP

BLOCK_SIZE = 64 * 1024

# The code points of core.export.FORMULA_PREFIXES, as SQL's ascii() reads a text's first.
FORMULA_CODES = "(61, 43, 45, 64, 9, 13)"

# A column's SQL: its cell as text (NULL for an empty cell) from the SQL of its values.
Sql = tuple[str, list[Any]]
SqlMaker = Callable[..., Sql]


class Column(Protocol):
    """What a COPY needs of a CSV column (`core.export.Column`): the database paths its
    cell is made of, and how SQL or Python makes the cell from their values."""

    @property
    def fields(self) -> tuple[str, ...]: ...

    @property
    def compute(self) -> Callable[..., Any] | None: ...

    @property
    def sql(self) -> Callable[..., Sql] | None: ...


def same(value: Any) -> Any:
    """A column's `compute` that keeps the stored value: its field says how it reads in SQL."""
    return value


def text(ref: str) -> str:
    """`neutralize(value)`, an empty text an empty cell (NULL, which COPY leaves unquoted)."""
    return (
        f"CASE WHEN {ref} = '' THEN NULL WHEN ascii({ref}) IN {FORMULA_CODES} "
        f"THEN '''' || {ref} ELSE {ref} END"
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


def stored(field: Field[Any, Any]) -> Callable[[str], str] | None:
    """How SQL writes a stored value of `field` as `cell()` does, given the value's SQL; None
    if there is no rule for its kind of field."""
    if isinstance(field, BooleanField):
        return lambda ref: f"CASE WHEN {ref} THEN 'true' WHEN NOT {ref} THEN 'false' END"
    if isinstance(field, DateTimeField):
        return timestamp
    if isinstance(field, DateField):
        return lambda ref: f"to_char({ref}, 'YYYY-MM-DD')"
    if isinstance(
        field, AutoField | BigAutoField | IntegerField | BigIntegerField | SmallIntegerField
    ):
        return lambda ref: ref  # COPY writes a number as str() does
    if isinstance(field, ForeignKey):
        return stored(field.target_field)
    if isinstance(field, CharField | TextField):
        return text
    return None


def field_at(model: Any, path: str) -> Field[Any, Any]:
    """The model field a queryset path (`participation__treaty__slug`, `pk`) ends on."""
    *joins, last = path.split(LOOKUP_SEP)
    for name in joins:
        model = model._meta.get_field(name).related_model
    if last == "pk":
        return model._meta.pk
    return model._meta.get_field(last)


def maker(column: Column, model: Any) -> SqlMaker | None:
    """How SQL writes one column's cell from the SQL of its values, or None where only
    Python can write it."""
    if column.sql is not None:
        return column.sql
    if column.compute is same and len(column.fields) == 1:
        rule = stored(field_at(model, column.fields[0]))
        if rule is not None:
            return lambda ref: (rule(ref), [])
    return None


class Cell(Expression):
    """A CSV cell as text, written in SQL by `make` from the columns at `paths` (joined as
    the queryset joins them): being part of the queryset's own SELECT, cells are computed
    where the rows are read, in the parallel workers too, before the sort."""

    output_field = TextField()

    def __init__(self, make: SqlMaker, paths: Sequence[str]) -> None:
        super().__init__()
        self.make = make
        self.sources: list[Any] = [F(path) for path in paths]

    def get_source_expressions(self) -> list[Any]:
        return self.sources

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.sources = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        refs = []
        for source in self.sources:
            sql, params = compiler.compile(source)
            if params:
                raise ValueError("a cell is made of plain columns")
            refs.append(sql)
        sql, params = self.make(*refs)
        return sql, tuple(params)


def copy_statement(columns: Sequence[Column], rows: QuerySet[Any], paths: list[str]) -> Sql | None:
    """`COPY … TO STDOUT` of the export's cells, the queryset's filters and order, or None."""
    makers = [maker(column, rows.model) for column in columns]
    if any(make is None for make in makers):
        return None
    cells = {
        f"_csv_cell_{index}": Cell(make, column.fields)  # type: ignore[arg-type]
        for index, (make, column) in enumerate(zip(makers, columns, strict=True))
    }
    query = rows.prefetch_related(None).annotate(**cells).values_list(*cells).query
    sql, params = query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", list(params)


def usable(rows: QuerySet[Any]) -> bool:
    """Whether the database can write this export: PostgreSQL, with `EXPORT_COPY` on."""
    return settings.EXPORT_COPY and connections[rows.db].vendor == "postgresql"


def blocks(rows: QuerySet[Any], statement: Sql, size: int = BLOCK_SIZE) -> Iterator[bytes]:
    """What PostgreSQL writes, in blocks of about `size` bytes, rows ending in CRLF."""
    sql, params = statement
    connection = connections[rows.db]
    connection.ensure_connection()
    quoted = False  # whether the stream is inside a quoted cell at a block's start
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql, params or None) as copy:
            read = block_reader(copy, size)
            while block := read():
                block, quoted = crlf(block, quoted)
                yield block


def block_reader(copy: Any, size: int) -> Callable[[], bytes]:
    """A function giving the next `size` bytes or so of a COPY TO (empty at the end).

    psycopg reads a COPY a row at a time, each read a round trip of its own through
    `Connection.wait` (where `core.database` bounds how long an answer may take). Here one
    wait reads a whole block: the same bound for each block, without a wait's cost for each
    of a million rows. Should psycopg stop offering its row reader's generator, the block
    is gathered from `Copy.read()` instead.
    """
    read_row = getattr(copy, "_read_gen", None)
    if read_row is None:

        def gather() -> bytes:
            parts, length = [], 0
            while length < size and (data := copy.read()):
                parts.append(data)
                length += len(data)
            return b"".join(parts)

        return gather

    def rows_of_a_block() -> Any:
        parts, length = [], 0
        while length < size:
            data = yield from read_row()
            if not data:
                break
            parts.append(data)
            length += len(data)
        return b"".join(parts)

    return lambda: copy.connection.wait(rows_of_a_block())


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
