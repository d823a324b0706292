"""`SegmentedRows` reads a list ordered by a field of few values, then by further terms, a
slice at a time: every slice holds the rows the single ORDER BY would give, in its order,
in a bounded number of queries however long the list and wherever the slice falls."""

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from core.paging import SegmentedRows
from core.sorting import rank_by
from tests.factories import SourceFactory
from treaties.models import Treaty

pytestmark = pytest.mark.django_db

KINDS = [Treaty.Kind.REGIME, Treaty.Kind.MULTILATERAL, Treaty.Kind.BILATERAL]
LISTED = KINDS[:2]  # the bilateral treaties are of a kind the order does not list


@pytest.fixture
def treaties(db):
    source = SourceFactory()
    # 7 regimes, 1 multilateral treaty, 4 bilateral ones, in mixed display orders.
    counts = {KINDS[0]: 7, KINDS[1]: 1, KINDS[2]: 4}
    number = 0
    for kind, count in counts.items():
        for _ in range(count):
            number += 1
            Treaty.objects.create(
                slug=f"t-{number:02d}",
                short_name_en=f"T{number}",
                kind=kind,
                status=Treaty.Status.IN_FORCE,
                display_order=(number * 7) % 5,
                source=source,
            )


def single_statement(descending):
    """The same order in one ORDER BY: what the CSV export of a list uses."""
    rank = rank_by("kind", LISTED)
    rest = [F("display_order"), F("slug")]
    terms = [rank, *rest]
    return Treaty.objects.order_by(
        *(t.desc(nulls_last=True) if descending else t.asc(nulls_last=True) for t in terms)
    )


def segmented(descending):
    rest = [F("display_order"), F("slug")]
    return SegmentedRows(
        Treaty.objects.all(),
        "kind",
        list(reversed(LISTED)) if descending else LISTED,
        [t.desc() if descending else t.asc() for t in rest],
        others_first=descending,
    )


@pytest.mark.parametrize("descending", [False, True])
def test_every_slice_holds_the_rows_of_the_single_statement(treaties, descending):
    expected = [t.slug for t in single_statement(descending)]
    rows = segmented(descending)
    assert rows.count() == len(rows) == len(expected) == 12
    for start in range(len(expected) + 1):
        for stop in range(start, len(expected) + 2):
            assert [t.slug for t in rows[start:stop]] == expected[start:stop], (start, stop)


@pytest.mark.parametrize("descending", [False, True])
def test_a_slice_runs_at_most_five_queries_wherever_it_falls(treaties, descending):
    for start in range(12):
        rows = segmented(descending)
        with CaptureQueriesContext(connection) as queries:
            rows[start : start + 5]
        # The count of each value, the keys of the first value the slice touches, of those
        # it holds whole and of the last one, and the rows.
        assert len(queries) <= 5, (start, [q["sql"] for q in queries])


def test_no_rows_read_as_an_empty_list(db):
    rows = segmented(False)
    assert rows.count() == 0 and rows[0:5] == []
