"""History helpers that know no app: every model with `history = HistoricalRecords()`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from django.apps import apps
from django.db import models
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


def record_current_state(reason: str = SEED_REASON) -> int:
    """Write a version for every tracked row whose current state no version holds yet.

    Fixture loads save rows raw, which django-simple-history does not record. Without
    this, the first edit of a seed row would leave no version to restore the seed from.
    Run after each seed load; a row already recorded as it stands gets nothing new, so
    loading twice changes nothing.
    """
    created = 0
    for model in tracked_models():
        history = get_history_manager_for_model(model)
        historical = history.model
        fields = [field.attname for field in historical.tracked_fields]
        latest = {
            record.pk_value: tuple(getattr(record, name) for name in fields)
            for record in _latest_versions(model)
        }
        new: list[models.Model] = []
        changed: list[models.Model] = []
        for obj in model._default_manager.all().iterator():
            state = tuple(getattr(obj, name) for name in fields)
            if obj.pk not in latest:
                new.append(obj)
            elif latest[obj.pk] != state:
                changed.append(obj)
        if new:
            history.bulk_history_create(new, default_change_reason=reason)
        if changed:
            history.bulk_history_create(changed, update=True, default_change_reason=reason)
        created += len(new) + len(changed)
    return created


def _latest_versions(model: type[models.Model]) -> Iterator[Any]:
    historical = get_history_model_for_model(model)
    pk_name = model._meta.pk.attname
    seen: set[Any] = set()
    for record in historical.objects.order_by(pk_name, "-history_date", "-history_id").iterator():
        key = getattr(record, pk_name)
        if key in seen:
            continue
        seen.add(key)
        record.pk_value = key
        if record.history_type != "-":
            yield record
