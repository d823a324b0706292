"""Query helpers the apps share; this module imports no app."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet, Window


def first_with_total(queryset: QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """(the first `limit` rows, how many rows there are in all) in one query.

    The total rides on each row as a window count, so a capped list and its exact count
    cost one query instead of two; no row means a total of nought.
    """
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return rows, (rows[0].rows_in_all if rows else 0)
