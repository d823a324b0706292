"""Relation fields of the admin that survive a posted value that names no row.

Django looks up a posted id as is in two places: a form sent back with its errors shows each
autocomplete box with the row it holds, and a many-to-many field checks its ids with one
query. A value that is not an id at all (`abc`), or an id beyond the column's range, makes
those queries fail with a server error instead of the field's "Select a valid choice". Here
only the values the column could hold are looked up; the others are refused by the field,
with its message, and left out of the box. `holds` serves the rest of the admin as well: a
refused form's values, shown back to the editor, are looked up only where they could be ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteMixin,
    AutocompleteSelect,
    AutocompleteSelectMultiple,
)
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, models

if TYPE_CHECKING:
    from collections.abc import Sequence

    from django.http import HttpRequest


def holds(target: models.Field[Any, Any], value: Any, using: str | None = None) -> bool:
    """Whether `value` is one the column of `target` could hold, so it may be looked up."""
    try:
        python_value = target.to_python(value)
    except ValidationError:
        return False
    if isinstance(python_value, str):
        return "\x00" not in python_value  # PostgreSQL refuses NUL in a text parameter
    if isinstance(python_value, int) and not isinstance(python_value, bool):
        ranges = connections[using or DEFAULT_DB_ALIAS].ops.integer_field_ranges
        low, high = ranges.get(target.get_internal_type(), (None, None))
        return (low is None or low <= python_value) and (high is None or python_value <= high)
    return True


def lookable(widget: AutocompleteMixin, value: Sequence[str]) -> list[str]:
    """The posted values of an autocomplete widget that its related column could hold."""
    remote = widget.field.remote_field
    opts = remote.model._meta
    target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    return [item for item in value if holds(target, item, widget.db)]


class CheckedAutocompleteSelect(AutocompleteSelect):
    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        return super().optgroups(name, lookable(self, value), attr)


class CheckedAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(
        self, name: str, value: Sequence[str], attr: dict[str, Any] | None = None
    ) -> list[tuple[str | None, list[dict[str, Any]], int | None]]:
        return super().optgroups(name, lookable(self, value), attr)


class CheckedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses an id the column could not hold before querying the rest."""

    queryset: models.QuerySet[Any]  # always set on the admin's relation fields

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, list | tuple | set | frozenset):
            opts = self.queryset.model._meta
            target = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
            for item in value:
                if not holds(target, item):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": item},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # private, not in the stubs


# The mixin goes before a ModelAdmin or an InlineModelAdmin; type checkers see it as one.
if TYPE_CHECKING:
    _Admin = admin.options.BaseModelAdmin[Any]
else:
    _Admin = object


class CheckedRelationsMixin(_Admin):
    """An admin's or an inline's relation fields with the checked widgets and field above."""

    def formfield_for_foreignkey(
        self, db_field: models.ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: models.ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> forms.ModelMultipleChoiceField[Any] | None:
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = CheckedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", CheckedModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
