"""Optimistic locking in the admin: no editor silently overwrites another's save.

Every change form carries, in a hidden `_version` field, the version of the row it showed,
and so does every inline row (`VersionedInlineMixin`). On save, inside the admin's
transaction, the row's current version is read under a row lock (where the database has
row locks: PostgreSQL does, SQLite does not). If another editor saved in between, nothing
is written and the form comes back with the editor's values, a message naming each field
the other editor changed ("saved by someone else: X / yours: Y") and the hidden version
moved on, so that saving again applies the editor's values over the new version. An
inline row deleted by someone else, or changed by someone else while this editor deletes
it, stops the whole save the same way.

A change form sent without `_version` for a row that exists (every admin page sends it;
only a hand-made request lacks it) is refused: it could overwrite what its sender never
saw. A new record, or a new inline row, has no version to check.

Deletions are checked the same way. The delete confirmation page of the content admin
(its template is set in `core.admin_base`) sends the version it showed; a deletion
confirmed for a version that is no longer the row's, or sent without a version (or with
one that is not a number), is refused with a message, and nothing is deleted.

Actions on the rows selected in a list: the "delete selected" action's confirmation page
lists each row and sends, beside each, the version it showed (`row_version_field`); on
confirmation every selected row is read under lock (as above), and if any has moved on or came
without a version, the action stops for all of them, nothing is deleted, and a message
names the rows. `versioned_action` wraps an action this way. An action that changes rows
goes through such a confirmation page rather than sending versions from the list itself:
a list can stay open for hours, shows only a few columns of each row and only one page of
them, so the rows an editor "saw" there are not the rows the action would change, while a
confirmation page shows them as they are, just before the change, and its versions say
exactly that. The project's other actions export the selected rows as CSV and change
nothing, so they carry no version.

Restores (`core.admin_history`) go through the same forms: an old version shown by
simple-history's revert form is saved over the row's *current* version (a deleted row
comes back with the version it had), so a row's version number never goes back, and a
restore opened before someone else's save is refused like any stale edit.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.db import models, router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .admin_records import (
    comparable,
    describe,
    historical_record_of,
    history_date,
    history_of,
    may_save_form,
    readable,
    value_at,
    with_closing_fields,
    without_fields,
)
from .validators import bidi_control_errors

if TYPE_CHECKING:
    from django.contrib.admin.options import InlineModelAdmin
    from django.http import HttpRequest, HttpResponse

    from .history import HistoricalRecord

VERSION_FIELD = "_version"


def stored_version(model: type[models.Model], pk: Any, *, lock: bool = False) -> int | None:
    """The version the database holds for a row, None if the row does not exist.

    With `lock`, inside a transaction, the row stays locked until the transaction ends, so
    no other save can slip in between this check and the write.
    """
    queryset = model._default_manager.filter(pk=pk)
    if lock and transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        queryset = queryset.select_for_update()
    # No ordering and no joins: a default ordering over a nullable foreign key would join
    # it, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return queryset.order_by().values_list("version", flat=True).first()


def who_and_when(record: HistoricalRecord | None) -> str:
    """Who saved a version, and when; only when for a version saved by no one logged in."""
    if record is None:
        return ""
    when = history_date(record)
    user = record.history_user
    if user is None:
        return when
    return _("%(user)s, %(when)s") % {"user": user.get_username(), "when": when}


# --- Forms -------------------------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a version it did not show.

    Used as is for inline rows; `core.admin_base.ContentForm` adds the change reason for
    whole records.
    """

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version_conflict: int | None = None
        if historical_record_of(self.instance) is not None:
            # Simple-history's revert form shows an old version: it is saved over the
            # row's current version (a deleted row keeps the version it had).
            current = stored_version(type(self.instance), self.instance.pk)
            if current is not None:
                self.instance.version = current
        if self.instance.pk is not None and not self.instance._state.adding:
            self.initial[VERSION_FIELD] = self.instance.version

    @property
    def changed_data(self) -> list[str]:
        # The version is bookkeeping, not an edit of the record.
        return [name for name in super().changed_data if name != VERSION_FIELD]

    def clean(self) -> dict[str, Any] | None:
        cleaned_data = super().clean()
        self.refuse_bidi_controls()
        self.check_version()
        return cleaned_data

    def refuse_bidi_controls(self) -> None:
        """Every text the form cleaned, whatever its field, without a bidirectional control
        (see core.validators)."""
        for name, error in bidi_control_errors(self.cleaned_data).items():
            self.add_error(name, error)

    def check_version(self) -> None:
        """Refuse the save if the row moved on since the form was shown (see the module)."""
        instance = self.instance
        if instance.pk is None:
            return
        if instance._state.adding and historical_record_of(instance) is None:
            return
        posted = self.cleaned_data.get(VERSION_FIELD)
        if posted is None:
            # Every admin page sends it; a save without it could overwrite unseen.
            raise forms.ValidationError(
                _(
                    "This form was sent without the version it showed. Reload the page and "
                    "apply your change again."
                ),
                code="no_version",
            )
        current = stored_version(type(instance), instance.pk, lock=True)
        if current is None:
            return  # a deleted record being restored (a vanished inline row: see the formset)
        if posted == current:
            instance.version = current
            return
        self.version_conflict = current
        self._report_conflict(posted, current)

    def _report_conflict(self, posted: int, current: int) -> None:
        model = self._meta.model
        pk = self.instance.pk
        history = history_of(model, pk).select_related("history_user")
        latest = history.first()
        started_from = history.filter(version=posted).first()
        stored = model._default_manager.get(pk=pk)
        lines = []
        for name in self.fields:
            field = self._model_field(name)
            if field is None:
                continue
            theirs = field.value_from_object(stored)
            if name in self.cleaned_data:
                yours = self.cleaned_data[name]
            else:
                yours = self[name].value()
            if started_from is not None:
                before = value_at(started_from, field)
                if comparable(field, theirs) == comparable(field, before):
                    continue  # the other editor left this field alone
            elif comparable(field, theirs) == comparable(field, yours):
                continue
            theirs_text, yours_text = readable(field, theirs), readable(field, yours)
            line = _("%(field)s — saved by someone else: %(theirs)s / yours: %(yours)s") % {
                "field": capfirst(field.verbose_name),
                "theirs": theirs_text,
                "yours": yours_text,
            }
            if started_from is not None and comparable(field, yours) == comparable(
                field, value_at(started_from, field)
            ):
                line += " " + _("(you did not change it: saving again puts your value back)")
            lines.append((name, line, theirs_text))

        header = _(
            "Someone else saved this %(model)s after you opened it (now version %(version)s, "
            "%(who)s). Nothing has been saved. Your values are kept below; review the "
            "differences and save again to apply your values over theirs."
        ) % {"model": model._meta.verbose_name, "version": current, "who": who_and_when(latest)}
        details = [line for _name, line, _theirs in lines] or [
            _("No field you can edit here differs from what you entered.")
        ]
        for name, _line, theirs_text in lines:
            self.add_error(name, _("Saved by someone else: %(theirs)s") % {"theirs": theirs_text})
        self.add_error(None, [header, *details])
        # Saving this form again means: my values over the version I have now seen.
        # (The posted data is a QueryDict, a dict: its copy() is a mutable QueryDict.)
        data = self.data.copy() if isinstance(self.data, dict) else dict(self.data)
        data[self.add_prefix(VERSION_FIELD)] = str(current)
        self.data = data

    def _model_field(self, name: str) -> models.Field[Any, Any] | None:
        """The model field a form field edits; None for the form's own (version, reason)."""
        try:
            field = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.primary_key or not (field.concrete or field.many_to_many):
            return None
        if field.auto_created:
            return None
        return field


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline rows: a row changed or deleted by someone else stops the whole save."""

    # An inline formset's rows always have a model (the stubs allow None for any formset).
    model: type[models.Model]

    if TYPE_CHECKING:
        # BaseFormSet's own (private) test for a row marked for deletion; django-stubs
        # leaves it out.
        def _should_delete_form(self, form: forms.BaseForm) -> bool: ...

    def clean(self) -> None:
        super().clean()
        problems = []
        pk_name = self.model._meta.pk.name
        for form in self.initial_forms:
            deleting = self.can_delete and self._should_delete_form(form)
            if form.instance.pk is None and self.data.get(form.add_prefix(pk_name)):
                if not deleting:
                    problems.append(
                        _(
                            "A %(model)s you had open was deleted by someone else in the "
                            "meantime. Nothing has been saved; reload the page to see the "
                            "rows as they are now."
                        )
                        % {"model": self.model._meta.verbose_name}
                    )
            elif (
                deleting
                and isinstance(form, VersionedModelForm)  # always (see VersionedInlineMixin)
                and form.version_conflict is not None
            ):
                # The row's own errors are ignored once it is marked for deletion.
                problems.append(
                    _(
                        "“%(row)s” was changed by someone else after you opened this page, "
                        "so it has not been deleted; check it and save again to delete it."
                    )
                    % {"row": describe(form.instance)}
                )
        if problems:
            raise ValidationError(problems)


# --- Admin -------------------------------------------------------------------------------


# The mixin goes before an InlineModelAdmin; type checkers see it as one.
if TYPE_CHECKING:
    _InlineAdmin = InlineModelAdmin[Any, Any]
else:
    _InlineAdmin = object


class VersionedInlineMixin(_InlineAdmin):
    """For every inline of a content model: rows carry their version too."""

    form = VersionedModelForm
    formset = VersionedInlineFormSet

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        fields = [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]
        # A view-only inline shows no form, so no version to send.
        if self.has_change_permission(request, obj):
            fields.append(VERSION_FIELD)
        return fields

    def get_formset(
        self, request: HttpRequest, obj: models.Model | None = None, **kwargs: Any
    ) -> type[BaseInlineFormSet]:
        formset = super().get_formset(request, obj, **kwargs)
        if not issubclass(formset.form, VersionedModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must be a VersionedModelForm")
        return formset


class OptimisticLockAdmin(admin.ModelAdmin):
    """The record's change form and delete confirmation check the version they showed."""

    form = VersionedModelForm

    def get_form(
        self,
        request: HttpRequest,
        obj: models.Model | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        if not issubclass(form, VersionedModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must be a VersionedModelForm")
        return form

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        # The hidden version goes last, in the section closing the form; only a form that
        # shows a saved row and can be saved sends it.
        fieldsets = without_fields(super().get_fieldsets(request, obj), [VERSION_FIELD])
        if obj is not None and may_save_form(self, request, obj):
            fieldsets = with_closing_fields(fieldsets, [VERSION_FIELD])
        return fieldsets

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        # The admin site's "delete selected" checks the versions its confirmation showed.
        entry = actions.get("delete_selected")
        if entry is not None:
            function, name, description = entry
            actions["delete_selected"] = (versioned_action(function), name, description)
        return actions

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST" and request.POST.get("post"):
                refused = self._refuse_stale_delete(request, object_id)
                if refused is not None:
                    return refused
            obj = self.get_object(request, unquote(object_id))
            extra_context = {
                **(extra_context or {}),
                "content_version": getattr(obj, "version", None),
                "version_field": VERSION_FIELD,
            }
            return super().delete_view(request, object_id, extra_context)

    def _refuse_stale_delete(self, request: HttpRequest, object_id: str) -> HttpResponse | None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None  # the admin says the record does not exist
        posted = posted_version(request.POST.get(VERSION_FIELD))
        if posted is None:
            # Every confirmation page sends it; without it the deletion could take a
            # version its sender never saw.
            self.message_user(
                request,
                _(
                    "This confirmation was sent without the version of “%(obj)s” it showed, "
                    "so it has not been deleted. Check the record below and confirm again."
                )
                % {"obj": describe(obj)},
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())
        current = stored_version(self.model, obj.pk, lock=True)
        if current is None or current == posted:
            return None
        latest = history_of(self.model, obj.pk).select_related("history_user").first()
        self.message_user(
            request,
            _(
                "“%(obj)s” was changed by someone else after you opened this page (now "
                "version %(version)s, %(who)s), so it has not been deleted. Check its "
                "history, then confirm again if it should still go."
            )
            % {"obj": describe(obj), "version": current, "who": who_and_when(latest)},
            messages.ERROR,
        )
        return HttpResponseRedirect(request.get_full_path())


# --- Actions on the rows selected in a list ------------------------------------------------

# How many rows a refused action names; the rest are counted.
NAMED_ROWS = 10


def posted_version(value: str | None) -> int | None:
    """The version a form sent, None if it sent none or something that is not one."""
    try:
        version = int(value or "")
    except ValueError:
        return None
    return version if version >= 0 else None


def row_version_field(pk: Any) -> str:
    """The name under which a confirmation page sends the version of one listed row
    (`templates/admin/content/delete_selected_confirmation.html` writes it too)."""
    return f"{VERSION_FIELD}-{pk}"


def versioned_action(action: Callable[..., Any]) -> Callable[..., Any]:
    """An admin action that changes or deletes the selected rows, made to check versions.

    Its confirmation page must send, beside each row it lists, the version it showed
    (`row_version_field`); when the confirmation comes back, every selected row is read
    under lock, and if one moved on, or came without a version, nothing is done and a
    message names the rows.
    """

    @functools.wraps(action)
    def checked(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> Any:
        if request.method != "POST" or not request.POST.get("post"):
            return action(modeladmin, request, queryset)  # the confirmation page
        with transaction.atomic(using=router.db_for_write(queryset.model)):
            if refuse_stale_rows(modeladmin, request, queryset):
                return None  # back to the list, with the message
            return action(modeladmin, request, queryset)

    return checked


def refuse_stale_rows(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: Any) -> bool:
    """Say so and return True if a selected row is not at the version its confirmation sent."""
    model = queryset.model
    # The rows alone, without the list's joins (PostgreSQL refuses FOR UPDATE on the
    # nullable side of an outer join); locked until the action is done.
    rows = model._default_manager.filter(pk__in=queryset.order_by().values("pk")).order_by("pk")
    if transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        rows = rows.select_for_update()
    moved: dict[Any, int] = {}
    unversioned = []
    for pk, current in rows.values_list("pk", "version"):
        posted = posted_version(request.POST.get(row_version_field(pk)))
        if posted is None:
            unversioned.append(pk)
        elif posted != current:
            moved[pk] = current
    if not moved and not unversioned:
        return False
    named = [*list(moved)[:NAMED_ROWS], *unversioned[:NAMED_ROWS]]
    names = {obj.pk: describe(obj) for obj in queryset.filter(pk__in=named)}
    if moved:
        listed = [
            _("“%(row)s” (now version %(version)s)") % {"row": names.get(pk, pk), "version": v}
            for pk, v in list(moved.items())[:NAMED_ROWS]
        ]
        modeladmin.message_user(
            request,
            _(
                "Someone else changed these rows after the confirmation page was shown, so "
                "nothing has been done: %(rows)s. Select the rows again to see them as they "
                "are now."
            )
            % {"rows": listing(listed, len(moved))},
            messages.ERROR,
        )
    if unversioned:
        listed = [_("“%(row)s”") % {"row": names.get(pk, pk)} for pk in unversioned[:NAMED_ROWS]]
        modeladmin.message_user(
            request,
            _(
                "The confirmation was sent without the version it showed of these rows, so "
                "nothing has been done: %(rows)s. Select the rows again and confirm on the "
                "page that lists them."
            )
            % {"rows": listing(listed, len(unversioned))},
            messages.ERROR,
        )
    return True


def listing(items: list[str], total: int) -> str:
    """Items joined, with how many more there are beyond them."""
    text = pgettext("between the items of a list", ", ").join(items)
    if total > len(items):
        text += " " + _("and %(count)s more") % {"count": total - len(items)}
    return text
