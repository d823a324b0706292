"""The public change log: one `Change` row for every historical record an edit writes.

django-simple-history sends `post_create_historical_record` after each version it saves
(model saves, deletes and changes of a tracked many-to-many field). Loading a fixture is
not an edit: bulk history creation (the seed baseline of `core.history`) sends nothing,
and the many-to-many rows loaddata sets on a row it saved raw are skipped here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q

from .models import Change
from .registry import site

if TYPE_CHECKING:
    from .history import HistoricalRecord

# Bookkeeping every save touches; listing them would make every edit look the same.
IGNORED_FIELDS = frozenset({"updated_at", "version"})
REPR_LENGTH = Change._meta.get_field("object_repr").max_length
# Set by mark_raw_save on a row loaddata saved raw.
SAVED_RAW = "_saved_raw"


def previous_version(history_instance: HistoricalRecord) -> HistoricalRecord | None:
    """The version of the same record saved just before this one, or None.

    Ordered by date and then id: two versions can carry the same timestamp (a restore
    may set it), and simple-history's own `prev_record` would skip one of them.
    """
    historical = type(history_instance)
    pk_name = history_instance.instance_type._meta.pk.attname
    date = history_instance.history_date
    return (
        historical._default_manager.filter(**{pk_name: getattr(history_instance, pk_name)})
        .filter(
            Q(history_date__lt=date)
            | Q(history_date=date, history_id__lt=history_instance.history_id)
        )
        .order_by("-history_date", "-history_id")
        .first()
    )


def changed_field_names(history_instance: HistoricalRecord) -> list[str]:
    """Names of the fields this version changed against the previous one, sorted."""
    previous = previous_version(history_instance)
    if previous is None:
        return []
    pk_name = history_instance.instance_type._meta.pk.name
    tracked = [
        field
        for field in history_instance.tracked_fields
        if field.name not in IGNORED_FIELDS and field.name != pk_name
    ]
    # diff_against compares editable fields and tracked many-to-many fields only.
    included = {field.name for field in tracked if field.editable}
    included.update(field.name for field in history_instance._history_m2m_fields)
    changed = set(history_instance.diff_against(previous, included_fields=included).changed_fields)
    # A derived value such as a participation's status is not editable but is news.
    changed.update(
        field.name
        for field in tracked
        if not field.editable
        and getattr(previous, field.attname) != getattr(history_instance, field.attname)
    )
    return sorted(changed)


def mark_raw_save(
    sender: type[models.Model], instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    """Remember that loaddata saved this row, for the many-to-many rows it sets next."""
    if raw:
        setattr(instance, SAVED_RAW, True)


def describe(instance: models.Model) -> str:
    """The record's name as its page shows it, or its kind and id when that cannot be had.

    An object saved with raw values (a date given as a string) may not render until it is
    read back; logging the change must never make the save itself fail.
    """
    try:
        text = str(instance)
    except Exception:  # whatever breaks a model's __str__, the save goes on
        text = ""
    return (text or f"{instance._meta.verbose_name} {instance.pk}")[:REPR_LENGTH]


def record_change(
    sender: type[models.Model],
    instance: models.Model,
    history_instance: HistoricalRecord,
    **kwargs: Any,
) -> None:
    if getattr(instance, SAVED_RAW, False):
        return
    model = history_instance.instance_type
    kind = history_instance.history_type
    Change.objects.create(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=describe(instance),
        history_id=history_instance.history_id,
        kind=kind,
        changed_fields=changed_field_names(history_instance) if kind == Change.Kind.CHANGED else [],
        changed_at=history_instance.history_date,
        # Only apps whose records have public pages show on /changes/ (see core.registry).
        public=model._meta.app_label in site.public_apps(),
    )
