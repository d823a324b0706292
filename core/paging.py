"""Pages of long lists whose cost does not grow with the list.

A page far down a list costs as much as every row before it: the database reads and skips
them (OFFSET). So a list shows at most `MAX_PAGES` pages (`CappedPaginator`); the rest is
reached by narrowing the list with its filters, by sorting it the other way, or in the CSV
export, which holds every row. The count stays exact.
"""

from __future__ import annotations

import math
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator

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
