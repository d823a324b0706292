"""On PostgreSQL the long exports are written by the database (`COPY … TO STDOUT`): the file
must be the very one the Python writer gives, byte for byte, for every kind of cell, in the
page's order and under its filters."""

import csv
import datetime
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import export_copy
from core.dates import Precision, truncate
from core.exports import ChangeExport
from core.models import Change
from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.exports import ParticipationExport, TreatyActionExport
from treaties.models import Participation, TreatyAction

postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="COPY is PostgreSQL's: SQLite writes in Python"
)

# Every way a cell can go wrong: formulas, quotes, the delimiter, line breaks of each kind
# (inside a quoted cell a line break must stay as written), a leading space, Japanese, empty.
AWKWARD = [
    "=HYPERLINK(1)",
    "+1 formula",
    "-notice",
    "@moscow",
    "\tleading tab",
    "\rleading return",
    'a "quoted" word, and a comma',
    "two\nlines",
    "windows\r\nlines",
    "old mac\rlines",
    " spaced ",
    "日本の注記、「引用」",
    "",
    "'already quoted",
    "ends with a quote\"",
    "\"",
    "50% of states",
]


@pytest.fixture
def records():
    sources = [SourceFactory(slug="bluebook"), SourceFactory(slug="=evil")]
    treaties = [TreatyFactory(slug=f"t{n}", display_order=n % 3) for n in range(4)]
    countries = [CountryFactory(code=code) for code in ("JP", "EU", "KP", "US", "XK")]
    precisions = [Precision.DAY, Precision.MONTH, Precision.YEAR]
    rng = random.Random(7)
    for treaty in treaties:
        for country in countries:
            precision = rng.choice(precisions)
            as_of = rng.choice([None, datetime.date(1968, 7, 1), datetime.date(2021, 3, 9)])
            date_precision = rng.choice(precisions)
            participation = ParticipationFactory(
                treaty=treaty,
                country=country,
                source=rng.choice([None, *sources]),
                locator=rng.choice(AWKWARD),
                note_en=rng.choice(AWKWARD),
                note_ja=rng.choice(AWKWARD),
                required_for_entry_into_force=rng.choice([True, False]),
                as_of_on=as_of and truncate(as_of, precision),
                as_of_precision=precision if as_of else "",
            )
            TreatyActionFactory(
                participation=participation,
                action_type="signature",
                date_on=truncate(datetime.date(1996, 9, 24), date_precision),
                date_precision=date_precision,
                effective_on=rng.choice([None, datetime.date(1997, 1, 2)]),
                depositary=rng.choice(AWKWARD),
                note_en=rng.choice(AWKWARD),
                note_ja=rng.choice(AWKWARD),
                source=rng.choice([None, *sources]),
                locator=rng.choice(AWKWARD),
            )
    # A change at a whole second, and one with the field list empty.
    first = Change.objects.order_by("pk").first()
    Change.objects.filter(pk=first.pk).update(
        changed_at=datetime.datetime(2024, 5, 6, 7, 8, 9, tzinfo=datetime.UTC), changed_fields=[]
    )


CASES = [
    (ParticipationExport, lambda: Participation.objects.all()),
    (TreatyActionExport, lambda: TreatyAction.objects.all()),
    (ChangeExport, lambda: Change.objects.public().select_related("content_type")),
]


@pytest.mark.django_db
@postgres
@pytest.mark.parametrize(("export_class", "rows"), CASES)
def test_copy_writes_the_file_the_python_writer_writes(records, export_class, rows):
    export = export_class()
    ordered = rows().order_by(*export.ordering)
    copied = export.content(ordered, via="copy")
    assert copied == export.content(ordered, via="values")
    assert copied == export.content(ordered, via="records")
    assert copied.startswith("\ufeff".encode())
    assert copied.count(b"\r\n") >= ordered.count()


@pytest.mark.django_db
@postgres
def test_the_file_holds_what_a_reader_expects(records):
    export = ParticipationExport()
    text = export.content(Participation.objects.order_by(*export.ordering), via="copy").decode()
    assert "'=HYPERLINK(1)" in text and "'=evil" in text
    assert '"two\nlines"' in text and '"windows\r\nlines"' in text
    assert "European Union,欧州連合" in text and "Japan,日本" in text


@pytest.mark.django_db
@postgres
def test_copy_keeps_the_filters_and_the_order_of_the_page(records):
    export = TreatyActionExport()
    rows = TreatyAction.objects.filter(
        participation__country__code__in=["JP", "KP"], note_en__contains="%"
    ).order_by("-pk")
    copied = export.content(rows, via="copy")
    assert copied == export.content(rows, via="records")
    ids = [line.split(b",", 1)[0] for line in copied.split(b"\r\n")[1:] if line[:1].isdigit()]
    assert ids == [str(pk).encode() for pk in rows.values_list("pk", flat=True)]


@pytest.mark.django_db
@postgres
def test_the_site_serves_the_copy(client, records):
    response = client.get("/participations/export.csv")
    served = b"".join(response.streaming_content)
    export = ParticipationExport()
    rows = Participation.objects.order_by(*export.ordering)
    assert served == export.content(rows, via="values")
    with CaptureQueriesContext(connection) as queries:
        export.content(rows)  # "auto" on PostgreSQL: one COPY, no SELECT of the rows
    assert not any("treaties_participation" in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
@postgres
def test_a_reader_who_leaves_half_way_leaves_the_connection_usable(records):
    export = ParticipationExport()
    rows = Participation.objects.order_by(*export.ordering)
    statement = export_copy.copy_statement(export.columns, rows, export.value_paths())
    stream = export_copy.blocks(rows, statement, size=64)
    first = next(stream)
    assert 64 <= len(first) < 1000
    stream.close()
    assert Participation.objects.count() == 20


@pytest.mark.parametrize("seed", range(5))
def test_row_ends_become_crlf_outside_quotes_wherever_the_blocks_split(seed):
    rng = random.Random(seed)
    cells = ['"a\nb"', '""""', "x", '"q""\n""q"', "", '"\n"', "日本"]
    stream = b"".join(
        ",".join(rng.choice(cells) for _ in range(3)).encode() + b"\n" for _ in range(40)
    )
    whole, quoted = export_copy.crlf(stream, False)
    assert not quoted
    # What Python's csv module writes for the same rows: CRLF row ends, cells as they were.
    rows = list(csv.reader(io.StringIO(stream.decode(), newline="")))
    expected = io.StringIO(newline="")
    csv.writer(expected).writerows(rows)
    assert whole == expected.getvalue().encode()
    cuts = sorted(rng.sample(range(1, len(stream)), 8))
    pieces, state = [], False
    for start, end in zip([0, *cuts], [*cuts, len(stream)], strict=True):
        block, state = export_copy.crlf(stream[start:end], state)
        pieces.append(block)
    assert b"".join(pieces) == whole
    assert not state


def test_blocks_are_gathered_from_rows_without_psycopg_s_row_generator():
    """The fallback when psycopg no longer offers its row reader: `Copy.read()` row by row."""

    class Copy:
        def __init__(self, rows):
            self.rows = list(rows)

        def read(self):
            return self.rows.pop(0) if self.rows else b""

    read = export_copy.block_reader(Copy([b"a,b\n"] * 10), size=10)
    blocks = list(iter(read, b""))
    assert blocks == [b"a,b\n" * 3, b"a,b\n" * 3, b"a,b\n" * 3, b"a,b\n"]


@pytest.mark.django_db
@postgres
def test_one_wait_reads_a_whole_block(records, monkeypatch):
    """A block is one round trip for the watchdog (`core.database`), not one per row."""
    from django.db import connection as django_connection

    export = TreatyActionExport()
    rows = TreatyAction.objects.order_by(*export.ordering)
    statement = export_copy.copy_statement(export.columns, rows, export.value_paths())
    django_connection.ensure_connection()
    raw = django_connection.connection
    waits = []
    original = type(raw).wait

    def counted(self, gen, *args, **kwargs):
        waits.append(1)
        return original(self, gen, *args, **kwargs)

    monkeypatch.setattr(type(raw), "wait", counted)
    content = b"".join(export_copy.blocks(rows, statement))
    assert content.count(b"\r\n") >= 20
    assert len(waits) <= 4  # the COPY statement, one block, the end: not one wait per row
