"""Query helpers the apps share; this module imports no app."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models import Count, ManyToOneRel, Model, QuerySet, Window


def first_with_total(queryset: QuerySet[Any], limit: int) -> tuple[list[Any], int]:
    """(the first `limit` rows, how many rows there are in all) in one query.

    The total rides on each row as a window count, so a capped list and its exact count
    cost one query instead of two; no row means a total of nought.
    """
    rows = list(queryset.annotate(rows_in_all=Window(Count("pk")))[:limit])
    return rows, (rows[0].rows_in_all if rows else 0)


def hand_children(parents: Sequence[Model], accessor: str, children: Iterable[Model]) -> None:
    """Give each of `parents` its rows of the reverse foreign key `accessor` (as "actions"),
    in the order `children` come, as `prefetch_related` would: `parent.<accessor>.all()`
    then reads them, and each child's foreign key its parent, without a query.

    `children` is one query over every parent's rows. `prefetch_related` builds a filtered
    queryset for each parent, which is most of its time on a page of hundreds; here each
    parent gets an empty one holding its rows.
    """
    if not parents:
        return
    relation = parents[0]._meta.get_field(accessor)
    assert isinstance(relation, ManyToOneRel) and relation.related_model is not None
    foreign_key = relation.field
    by_parent: defaultdict[Any, list[Model]] = defaultdict(list)
    for child in children:
        by_parent[getattr(child, foreign_key.attname)].append(child)
    # Each parent's queryset shares one query: a queryset clones its query before any change.
    template: Any = relation.related_model._default_manager.get_queryset()
    target = foreign_key.target_field.attname
    for parent in parents:
        rows = by_parent.get(getattr(parent, target), [])
        for child in rows:
            foreign_key.set_cached_value(child, parent)
        queryset: Any = type(template)(
            model=template.model, query=template.query, using=template._db, hints=template._hints
        )
        queryset._result_cache = rows
        queryset._prefetch_done = True
        cache = parent.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[relation.cache_name] = queryset
