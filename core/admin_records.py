"""What both halves of the content admin read: a record's history, its name, its values.

`core.admin_locking` (no silent overwrite) and `core.admin_history` (history and restore)
both look a record up in its history, name it on a page that may outlive its related
rows, and show a field's value as an editor reads it; they take that from here. So does
the choice, shared by both, of whether the form shown may be saved at all.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

from .admin_widgets import holds

if TYPE_CHECKING:
    from django.contrib.admin import ModelAdmin
    from django.http import HttpRequest

    from .history import HistoricalRecord

EMPTY = "—"


# --- Records and their history -------------------------------------------------------------


def historical_record_of(instance: models.Model | None) -> HistoricalRecord | None:
    """The historical record `instance` was rebuilt from (simple-history's revert form)."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


def history_of(model: type[models.Model], pk: Any) -> models.QuerySet[Any]:
    """The versions of one row, latest first (the row itself may no longer exist)."""
    history_model = get_history_model_for_model(model)
    return history_model._default_manager.filter(**{model._meta.pk.attname: pk}).order_by(
        "-history_date", "-history_id"
    )


def value_at(record: HistoricalRecord, field: models.Field[Any, Any]) -> Any:
    """A field's value in a historical record; pks of the links for a many-to-many field."""
    if isinstance(field, models.ManyToManyField):
        if field.name not in {f.name for f in record._history_m2m_fields}:
            return ()
        target = get_m2m_reverse_field_name(field)
        return [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
    return getattr(record, field.attname)


def history_date(record: HistoricalRecord) -> str:
    """When a version was saved, in the local time and the active language's format."""
    return formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def describe(obj: models.Model) -> str:
    """str(obj) that survives a related row that no longer exists."""
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"


def may_save_form(
    model_admin: ModelAdmin[Any], request: HttpRequest, obj: models.Model | None
) -> bool:
    """Whether the change form shown for `obj` can be saved by this user.

    A new record's form always can (the add page is only shown to those who may add); an
    old version shown by simple-history's revert form needs the right to restore it.
    """
    if obj is None:
        return True
    if historical_record_of(obj) is not None:
        may_restore = getattr(
            model_admin, "has_change_history_permission", model_admin.has_change_permission
        )
        return may_restore(request, obj)
    return model_admin.has_change_permission(request, obj)


# --- Values as a reader sees them ---------------------------------------------------------


def comparable(field: models.Field[Any, Any], value: Any) -> Any:
    """A value reduced to what matters for "did it change": pks, None for blank."""
    if isinstance(field, models.ManyToManyField):
        items: Iterable[Any] = value or ()
        return frozenset(item.pk if isinstance(item, models.Model) else item for item in items)
    if isinstance(value, models.Model):
        return value.pk
    if value is None or value == "":
        return None
    if isinstance(
        value, (bool, int, float, decimal.Decimal, str, datetime.date, datetime.datetime)
    ):
        return value
    return str(value)  # e.g. django-countries' Country, which compares as its code


def readable(field: models.Field[Any, Any], value: Any) -> str:
    """A field's value as text for an editor: labels for choices, names for relations."""
    if isinstance(field, models.ManyToManyField):
        items = list(value or ())
        pks = [item for item in items if not isinstance(item, models.Model)]
        objects = [item for item in items if isinstance(item, models.Model)]
        # A value sent back with a refused form may be anything (`abc`): only ids are looked up.
        pk_field = field.related_model._meta.pk
        pks = [pk for pk in pks if holds(pk_field, pk)]
        if pks:
            objects += list(field.related_model._default_manager.filter(pk__in=pks))
        return ", ".join(sorted(describe(obj) for obj in objects)) or EMPTY
    key = comparable(field, value)
    if key is None:
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(key, key))
    if isinstance(field, models.ForeignKey):
        if isinstance(value, models.Model):
            return describe(value)
        related = None
        if holds(field.related_model._meta.pk, key):
            related = field.related_model._default_manager.filter(pk=key).first()
        return describe(related) if related is not None else f"#{key}"
    if isinstance(key, bool):
        return _("yes") if key else _("no")
    if isinstance(key, datetime.datetime):
        return formats.date_format(timezone.localtime(key), "DATETIME_FORMAT")
    if isinstance(key, datetime.date):
        return key.isoformat()
    return Truncator(str(value)).chars(200)


# --- The section that closes every content form --------------------------------------------


def without_fields(
    fieldsets: Iterable[tuple[Any, Any]], names: Iterable[str]
) -> list[tuple[Any, Any]]:
    """Fieldsets with the named fields taken out, and any section left empty dropped."""
    names = set(names)
    kept = []
    for title, options in fieldsets:
        fields = [f for f in options.get("fields", ()) if f not in names]
        if fields:
            kept.append((title, {**options, "fields": fields}))
    return kept


def with_closing_fields(
    fieldsets: list[tuple[Any, Any]], names: list[str]
) -> list[tuple[Any, Any]]:
    """Fieldsets with `names` added to the closing "Change reason" section (made if missing).

    Both halves put the fields a form carries for the save itself, not for the record (the
    change reason, the hidden version), in that one section at the end of the form.
    """
    title = _("Change reason")
    if fieldsets and fieldsets[-1][0] == title:
        last_title, options = fieldsets[-1]
        return [*fieldsets[:-1], (last_title, {**options, "fields": [*options["fields"], *names]})]
    return [*fieldsets, (title, {"fields": list(names)})]
