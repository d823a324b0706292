"""History helpers that know no app: every model with `history = HistoricalRecords()`."""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.apps import apps
from django.db import models
from django.db.models.signals import post_save
from simple_history.manager import HistoryManager
from simple_history.utils import get_history_manager_for_model, get_history_model_for_model

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models.base import ModelState
    from django.db.models.options import Options

SEED_REASON = "seed data"


class HistoricalRecord(Protocol):
    """One version of a row: an instance of the history model simple-history generates.

    django-simple-history ships no type information; this names what the site reads of a
    version (its own fields, and what simple-history adds to every history model).
    """

    _default_manager: ClassVar[models.Manager[Any]]
    _meta: ClassVar[Options[Any]]
    instance_type: ClassVar[type[models.Model]]
    tracked_fields: ClassVar[Sequence[models.Field[Any, Any]]]
    _history_m2m_fields: ClassVar[Sequence[models.ManyToManyField[Any, Any]]]

    pk: Any
    _state: ModelState
    history_id: int
    history_date: datetime.datetime
    history_type: str  # "+" created, "~" changed, "-" deleted
    history_change_reason: str | None
    history_user: AbstractBaseUser | None

    @property
    def instance(self) -> models.Model: ...  # the row as this version holds it (unsaved)

    @property
    def prev_record(self) -> HistoricalRecord | None: ...

    def diff_against(
        self,
        old_history: HistoricalRecord,
        excluded_fields: Iterable[str] | None = None,
        included_fields: Iterable[str] | None = None,
        *,
        foreign_keys_are_objs: bool = False,
    ) -> Any: ...


def tracked_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if isinstance(getattr(model, "history", None), HistoryManager)
    ]


# Rows saved while a block ran, by model: {model: {pk, …}}.
SavedRows = Mapping[type[models.Model], Collection[Any]]
# Primary keys per IN (…) list: well inside every database's limit on query parameters.
PK_BATCH = 900


@contextmanager
def saved_rows() -> Iterator[dict[type[models.Model], set[Any]]]:
    """Collect every row saved while the block runs (raw fixture loads included), so work
    that follows can touch those rows only, however much else the database holds."""
    rows: dict[type[models.Model], set[Any]] = defaultdict(set)

    def note(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
        rows[sender].add(instance.pk)

    uid = f"saved_rows:{id(rows)}"
    post_save.connect(note, weak=False, dispatch_uid=uid)
    try:
        yield rows
    finally:
        post_save.disconnect(dispatch_uid=uid)


def _batches(pks: Collection[Any]) -> Iterator[list[Any]]:
    ordered = iter(sorted(pks))
    while batch := list(itertools.islice(ordered, PK_BATCH)):
        yield batch


def record_current_state(reason: str = SEED_REASON, only: SavedRows | None = None) -> int:
    """Write a version for every tracked row whose current state no version holds yet.

    Fixture loads save rows raw, which django-simple-history does not record. Without
    this, the first edit of a seed row would leave no version to restore the seed from.
    Run after each seed load; a row already recorded as it stands gets nothing new, so
    loading twice changes nothing. `only` limits it to those rows (what a seed load saved),
    so its cost follows the seed's size, not the database's.
    """
    created = 0
    for model in tracked_models():
        if only is None:
            created += _record_rows(model, reason, None)
        else:
            for batch in _batches(only.get(model, ())):
                created += _record_rows(model, reason, batch)
    return created


def _record_rows(model: type[models.Model], reason: str, pks: list[Any] | None) -> int:
    """record_current_state for one model's rows (all, or those of `pks`)."""
    history = get_history_manager_for_model(model)
    historical = history.model
    fields = [field.attname for field in historical.tracked_fields]
    latest = {
        record.pk_value: tuple(getattr(record, name) for name in fields)
        for record in _latest_versions(model, pks)
    }
    new: list[models.Model] = []
    changed: list[models.Model] = []
    rows = model._default_manager.all()
    if pks is not None:
        rows = rows.filter(pk__in=pks)
    for obj in rows.iterator():
        state = tuple(getattr(obj, name) for name in fields)
        if obj.pk not in latest:
            new.append(obj)
        elif latest[obj.pk] != state:
            changed.append(obj)
    if new:
        history.bulk_history_create(new, default_change_reason=reason)
    if changed:
        history.bulk_history_create(changed, update=True, default_change_reason=reason)
    return len(new) + len(changed)


def _latest_versions(model: type[models.Model], pks: list[Any] | None = None) -> Iterator[Any]:
    historical = get_history_model_for_model(model)
    pk_name = model._meta.pk.attname
    seen: set[Any] = set()
    versions = historical.objects.all()
    if pks is not None:
        versions = versions.filter(**{f"{pk_name}__in": pks})
    for record in versions.order_by(pk_name, "-history_date", "-history_id").iterator():
        key = getattr(record, pk_name)
        if key in seen:
            continue
        seen.add(key)
        record.pk_value = key
        if record.history_type != "-":
            yield record
