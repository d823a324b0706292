"""Pages of long lists whose cost does not grow with the list.

A page far down a list costs as much as every row before it: the database reads and skips
them (OFFSET). So a list shows at most `MAX_PAGES` pages (`CappedPaginator`); the rest is
reached by narrowing the list with its filters, by sorting it the other way, or in the CSV
export, which holds every row. The count stays exact.

`SegmentedRows` pages a list whose order begins with a term of few values (a country, a
status): each value's rows are read in the list's further order, which an index gives,
instead of sorting every row by that first term.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

# 50 rows a page (core.views_base.PAGE_SIZE): the first 5,000 rows of any order.
MAX_PAGES = 100


class PageBeyondCap(Exception):
    """A page that exists but lies beyond the pages a list shows; `last` is the last shown."""

    def __init__(self, last: int) -> None:
        super().__init__(last)
        self.last = last


class CappedPaginator(Paginator):
    """A paginator that shows the first `max_pages` pages of any list, with the exact count.

    A page number past them (but within the list) raises `PageBeyondCap`, which the page
    answers by sending the reader to the last page shown; `get_page` shows that page.
    """

    max_pages = MAX_PAGES

    @cached_property
    def all_pages(self) -> int:
        """The pages the whole list would fill (as Django's `num_pages` counts them)."""
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return math.ceil(max(1, self.count - self.orphans) / self.per_page)

    @cached_property
    def num_pages(self) -> int:
        return min(self.all_pages, self.max_pages)

    @property
    def capped(self) -> bool:
        """Whether rows lie beyond the last page shown."""
        return self.all_pages > self.num_pages

    @property
    def shown_count(self) -> int:
        """How many rows the pages shown hold."""
        return min(self.count, self.num_pages * self.per_page)

    def validate_number(self, number: Any) -> int:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0  # Django's own check says why
        if self.num_pages < wanted <= self.all_pages:
            raise PageBeyondCap(self.num_pages)
        return super().validate_number(number)

    def get_page(self, number: Any) -> Page:
        try:
            return super().get_page(number)
        except PageBeyondCap as beyond:
            return self.page(beyond.last)


@dataclass(frozen=True)
class Segment:
    """The rows of one value of the first term (`value` None: those of the values not listed)."""

    condition: Q
    size: int
    value: Any = None


class SegmentedRows:
    """The rows of `queryset` ordered by `field` in the order of `values` (values not listed
    after them), then by `rest` — read a slice at a time, without sorting every row.

    One query counts the rows of each value; a slice then reads the primary keys of the
    first and last values it touches (each in `rest` order, which an index gives), those of
    the values wholly inside it in one query, and the rows themselves in one more: at most
    five queries whatever the length of the list. `queryset`'s own order is the same order
    in one statement (its CSV export uses it).
    """

    def __init__(
        self,
        queryset: QuerySet[Any],
        field: str,
        values: Sequence[Any],
        rest: Sequence[Any],
        *,
        others_first: bool = False,
    ) -> None:
        self.queryset = queryset
        self.field = field
        self.values = list(values)
        self.rest = list(rest)
        self.others_first = others_first

    @cached_property
    def segments(self) -> list[Segment]:
        counts = dict(self.queryset.order_by().values_list(self.field).annotate(rows=Count("*")))
        segments = [
            Segment(Q(**{self.field: value}), counts.pop(value), value)
            for value in self.values
            if counts.get(value)
        ]
        if counts:
            others = Segment(~Q(**{f"{self.field}__in": self.values}), sum(counts.values()))
            segments.insert(0 if self.others_first else len(segments), others)
        return segments

    def count(self) -> int:
        return sum(segment.size for segment in self.segments)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list[Any]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("SegmentedRows is read a slice at a time")
        start, stop = key.start or 0, key.stop if key.stop is not None else self.count()
        pks: list[Any] = []
        whole: list[Segment] = []
        position = 0
        for segment in self.segments:
            first, position = position, position + segment.size
            if position <= start:
                continue
            if first >= stop:
                break
            low, high = max(start - first, 0), min(stop, position) - first
            if low == 0 and high == segment.size:
                whole.append(segment)
                continue
            pks += self._read_whole(whole)
            whole = []
            ids = self._ordered(self.queryset.filter(segment.condition))[low:high]
            pks += list(ids.values_list("pk", flat=True))
        pks += self._read_whole(whole)
        rows = self.queryset.order_by().in_bulk(pks)
        return [rows[pk] for pk in pks]

    def _ordered(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        return queryset.order_by(*self.rest)

    def _read_whole(self, segments: list[Segment]) -> list[Any]:
        """The keys of every row of `segments` (each read whole), in one query."""
        if not segments:
            return []
        condition = Q()
        for segment in segments:
            condition |= segment.condition
        found = self._ordered(self.queryset.filter(condition)).values_list(self.field, "pk")
        rank = {
            segment.value: index
            for index, segment in enumerate(segments)
            if segment.value is not None
        }
        others = -1 if self.others_first else len(segments)
        # Stable: rows of one value keep the `rest` order the database gave.
        ordered = sorted(found, key=lambda row: rank.get(row[0], others))
        return [pk for _value, pk in ordered]
