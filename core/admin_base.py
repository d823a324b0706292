"""The admin every content model uses: edit history with restore, and no silent overwrite.

`ContentAdmin` joins two halves:

- `OptimisticLockAdmin`: every change form carries, in a hidden `_version` field, the
  version of the row it showed (inline rows too). On save, inside the admin's
  transaction, the row's current version is read under a row lock; if another editor
  saved in between, nothing is written and the form comes back with the editor's values,
  a message naming each field the other editor changed ("saved by someone else: X /
  yours: Y") and the hidden version moved on, so that saving again applies the editor's
  values over the new version. The delete confirmation page does the same check.
- `HistoryAdmin` (django-simple-history's admin): each record's history with a
  field-by-field diff, restoring an earlier version through simple-history's revert form
  (saved as a new version, never by rewriting old ones), an optional change reason on
  every form, and a "deleted records" page per model from which a deleted record is
  restored.

A POST without `_version` (a hand-made request; every admin page sends it) is saved
unchecked, as before this check existed.
"""

import datetime
import decimal

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import (
    FieldDoesNotExist,
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.db.models.functions import Coalesce
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.manager import SIMPLE_HISTORY_REVERSE_ATTR_NAME
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model, get_m2m_reverse_field_name

VERSION_FIELD = "_version"
REASON_FIELD = "_change_reason"
FORM_ONLY_FIELDS = (VERSION_FIELD, REASON_FIELD)
# The history tables keep the change reason in a CharField(max_length=100).
REASON_MAX_LENGTH = 100
EMPTY = "—"


# --- Reading rows, versions and history ---------------------------------------------------


def historical_record_of(instance):
    """The historical record `instance` was rebuilt from (simple-history's revert form)."""
    return getattr(instance, SIMPLE_HISTORY_REVERSE_ATTR_NAME, None)


def stored_version(model, pk, *, lock=False):
    """The version the database holds for a row, None if the row does not exist.

    With `lock`, the row stays locked until the transaction ends, so no other save can
    slip in between this check and the write.
    """
    queryset = model._default_manager.filter(pk=pk)
    if lock and transaction.get_connection(router.db_for_write(model)).in_atomic_block:
        queryset = queryset.select_for_update()
    # No ordering and no joins: a default ordering over a nullable foreign key would join
    # it, and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return queryset.order_by().values_list("version", flat=True).first()


def history_of(model, pk):
    history_model = get_history_model_for_model(model)
    return history_model._default_manager.filter(**{model._meta.pk.attname: pk}).order_by(
        "-history_date", "-history_id"
    )


def row_exists(model, pk):
    return model._default_manager.filter(pk=pk).exists()


def is_deleted(obj):
    """True for an instance rebuilt from history whose row no longer exists."""
    if obj is None or historical_record_of(obj) is None:
        return False
    if not hasattr(obj, "_content_row_missing"):
        obj._content_row_missing = not row_exists(type(obj), obj.pk)
    return obj._content_row_missing


def describe(obj):
    """str(obj) that survives a related row that no longer exists."""
    try:
        return str(obj)
    except ObjectDoesNotExist:
        return f"{capfirst(obj._meta.verbose_name)} #{obj.pk}"


class NamedRecord:
    """Stands for a record where only its name is wanted, whatever its relations."""

    def __init__(self, obj):
        self.obj = obj

    def __str__(self):
        return describe(self.obj)


def history_date(record):
    return formats.date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")


def who_and_when(record):
    if record is None:
        return ""
    when = history_date(record)
    user = record.history_user
    if user is None:
        return when
    return _("%(user)s, %(when)s") % {"user": user.get_username(), "when": when}


# --- Values as a reader sees them ---------------------------------------------------------


def comparable(field, value):
    """A value reduced to what matters for "did it change": pks, None for blank."""
    if isinstance(field, models.ManyToManyField):
        items = value or ()
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


def readable(field, value):
    """A field's value as text for an editor: labels for choices, names for relations."""
    if isinstance(field, models.ManyToManyField):
        items = list(value or ())
        pks = [item for item in items if not isinstance(item, models.Model)]
        objects = [item for item in items if isinstance(item, models.Model)]
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
        related = field.related_model._default_manager.filter(pk=key).first()
        return describe(related) if related is not None else f"#{key}"
    if isinstance(key, bool):
        return _("yes") if key else _("no")
    if isinstance(key, datetime.datetime):
        return formats.date_format(timezone.localtime(key), "DATETIME_FORMAT")
    if isinstance(key, datetime.date):
        return key.isoformat()
    return Truncator(str(value)).chars(200)


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """The history page's "Changes" column with choice labels and names, not raw codes."""

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable(field, value)


# --- Forms -------------------------------------------------------------------------------


class VersionedModelForm(forms.ModelForm):
    """A model form that refuses to save over a version it did not show.

    Used as is for inline rows; `ContentForm` adds the change reason for whole records.
    """

    _version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.version_conflict = None
        record = historical_record_of(self.instance)
        if record is not None:
            self._prepare_restore(record)
        if self.instance.pk is not None and not self.instance._state.adding:
            self.initial[VERSION_FIELD] = self.instance.version

    def _prepare_restore(self, record):
        """Simple-history's revert form shows an old version: check it against today's row.

        The restore is saved over the row's *current* version (a deleted row keeps the
        version it had), so the version number only ever goes up; and the old version's
        many-to-many links, which the plain form would read from today's row, are shown.
        """
        current = stored_version(type(self.instance), self.instance.pk)
        if current is not None:
            self.instance.version = current
        if self.is_bound:
            return
        for field in record._history_m2m_fields:
            if field.name in self.fields:
                self.initial[field.name] = self._value_at(record, field)

    @property
    def changed_data(self):
        # The version and the reason are bookkeeping, not edits of the record.
        return [name for name in super().changed_data if name not in FORM_ONLY_FIELDS]

    def clean(self):
        cleaned_data = super().clean()
        self.check_version()
        return cleaned_data

    def check_version(self):
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

    def _report_conflict(self, posted, current):
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
                before = self._value_at(started_from, field)
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
                field, self._value_at(started_from, field)
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
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = str(current)

    def _model_field(self, name):
        if name in FORM_ONLY_FIELDS:
            return None
        try:
            field = self._meta.model._meta.get_field(name)
        except FieldDoesNotExist:
            return None
        if field.primary_key or not (field.concrete or field.many_to_many):
            return None
        if field.auto_created:
            return None
        return field

    @staticmethod
    def _value_at(record, field):
        if isinstance(field, models.ManyToManyField):
            if field.name not in {f.name for f in record._history_m2m_fields}:
                return ()
            target = get_m2m_reverse_field_name(field)
            return [getattr(row, f"{target}_id") for row in getattr(record, field.name).all()]
        return getattr(record, field.attname)


class ContentForm(VersionedModelForm):
    """The form of a whole record: the version check and an optional change reason."""

    _change_reason = forms.CharField(
        label=gettext_lazy("Change reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Optional: why this change was made. Kept in the history."),
        widget=forms.TextInput(attrs={"size": 80}),
    )


class VersionedInlineFormSet(BaseInlineFormSet):
    """Inline rows: a row changed or deleted by someone else stops the whole save."""

    def clean(self):
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
            elif deleting and form.version_conflict is not None:
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


class VersionedInlineMixin:
    """For every inline of a content model: rows carry their version too."""

    form = VersionedModelForm
    formset = VersionedInlineFormSet

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != VERSION_FIELD]
        # A view-only inline shows no form, so no version to send.
        if self.has_change_permission(request, obj):
            fields.append(VERSION_FIELD)
        return fields

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        if not issubclass(formset.form, VersionedModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must be a VersionedModelForm")
        return formset


class ContentTabularInline(VersionedInlineMixin, admin.TabularInline):
    pass


class ContentStackedInline(VersionedInlineMixin, admin.StackedInline):
    pass


class OptimisticLockAdmin(admin.ModelAdmin):
    form = ContentForm
    delete_confirmation_template = "admin/content/delete_confirmation.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not issubclass(form, ContentForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must be a ContentForm")
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options.get("fields", ()) if f not in FORM_ONLY_FIELDS]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        extra = self.bookkeeping_fields(request, obj)
        if extra:
            fieldsets.append((_("Change reason"), {"fields": extra}))
        return fieldsets

    def bookkeeping_fields(self, request, obj):
        if obj is None:
            return [REASON_FIELD]
        if historical_record_of(obj) is not None:  # simple-history's revert form
            may_save = getattr(self, "has_change_history_permission", self.has_change_permission)(
                request, obj
            )
        else:
            may_save = self.has_change_permission(request, obj)
        return [REASON_FIELD, VERSION_FIELD] if may_save else []

    def delete_view(self, request, object_id, extra_context=None):
        with transaction.atomic(using=router.db_for_write(self.model)):
            if request.method == "POST" and request.POST.get("post"):
                refused = self._refuse_stale_delete(request, object_id)
                if refused is not None:
                    return refused
            obj = self.get_object(request, unquote(object_id))
            extra_context = {
                **(extra_context or {}),
                "content_version": getattr(obj, "version", None),
                "reason_field": REASON_FIELD,
                "version_field": VERSION_FIELD,
                "reason_max_length": REASON_MAX_LENGTH,
            }
            return super().delete_view(request, object_id, extra_context)

    def _refuse_stale_delete(self, request, object_id):
        try:
            posted = int(request.POST.get(VERSION_FIELD, ""))
        except ValueError:
            return None
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return None
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


class HistoryAdmin(SimpleHistoryAdmin):
    """History with diffs, restore of earlier versions and of deleted records."""

    object_history_template = "admin/content/object_history.html"
    object_history_form_template = "admin/content/object_history_form.html"
    change_list_template = "admin/content/change_list.html"
    deleted_records_template = "admin/content/deleted_records.html"
    history_list_display = ["version"]
    deleted_records_per_page = 50

    def get_urls(self):
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    # Restoring a deleted record adds it back; restoring an older version changes it.
    def has_change_history_permission(self, request, obj=None):
        if is_deleted(obj):
            return self.has_add_permission(request)
        return super().has_change_history_permission(request, obj)

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableChangesHelper(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # The last row of a page is compared with the first row of the next one, so every
        # version listed shows what it changed.
        records = list(historical_records)
        for record in records:
            # The list names each version by its __str__; let it use the related rows
            # fetched with the record instead of one query per row.
            record.history_object = NamedRecord(self._instance_with_relations(record))
        if records and records[-1].history_type != "+":
            older = records[-1].prev_record
            if older is not None:
                records.append(older)
        super().set_history_delta_changes(request, records, foreign_keys_are_objs)

    def history_view(self, request, object_id, extra_context=None):
        extra_context = dict(extra_context or {})
        pk = self._pk_or_404(object_id)
        if not row_exists(self.model, pk):
            history = history_of(self.model, pk)
            last = history.exclude(history_type="-").first() or history.first()
            if last is not None:
                extra_context["deleted_restore_url"] = self._revert_url(pk, last.history_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        pk = self._pk_or_404(object_id)
        try:
            record = history_of(self.model, pk).get(history_id=int(version_id))
        except (ValueError, ObjectDoesNotExist) as error:
            raise Http404 from error
        # simple-history hides the Revert button from those who may not restore, but
        # would still save their POST.
        if request.method == "POST" and self.revert_disabled(request, record.instance):
            raise PermissionDenied
        with transaction.atomic(using=router.db_for_write(self.model)):
            return super().history_form_view(request, object_id, version_id, extra_context)

    # A record rebuilt from history may name a related row that is gone as well: the
    # pages name it without failing (the templates use `record_name`).
    def history_view_title(self, request, obj):
        return super().history_view_title(request, NamedRecord(obj))

    def history_form_view_title(self, request, obj):
        return super().history_form_view_title(request, NamedRecord(obj))

    def render_history_view(self, request, template, context, **kwargs):
        obj = context.get("original", context.get("object"))
        context["record_name"] = describe(obj) if obj is not None else ""
        return super().render_history_view(request, template, context, **kwargs)

    # -- change reasons ------------------------------------------------------------------

    def change_reason(self, request, form=None):
        """The reason typed in the form (or the delete confirmation), if any."""
        if form is not None:
            reason = form.cleaned_data.get(REASON_FIELD) or ""
        else:
            reason = request.POST.get(REASON_FIELD, "")
        reason = reason.strip()[:REASON_MAX_LENGTH]
        record = historical_record_of(form.instance) if form is not None else None
        if not reason and record is not None:
            reason = _("restored the version of %(when)s") % {"when": history_date(record)}
        return reason or None

    def save_model(self, request, obj, form, change):
        restoring = historical_record_of(obj) is not None
        obj._change_reason = self.change_reason(request, form)
        if restoring:
            self.prepare_restore(request, obj)
        super().save_model(request, obj, form, change)
        if restoring:
            self.after_restore(request, obj)

    def save_formset(self, request, form, formset, change):
        # The reason given for the record also explains the rows edited with it.
        reason = self.change_reason(request, form)
        for inline_form in formset.forms:
            inline_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        obj._change_reason = self.change_reason(request)
        super().delete_model(request, obj)

    # -- restore ---------------------------------------------------------------------------

    def prepare_restore(self, request, obj):
        """Before a restored version is saved: bring derived fields in line."""

    def after_restore(self, request, obj):
        """After a restored version is saved: recompute what depends on it."""

    def response_change(self, request, obj):
        record = historical_record_of(obj)
        if record is None:
            return super().response_change(request, obj)
        self.message_user(
            request,
            _(
                "“%(obj)s” was restored to the version of %(when)s; the restore is kept "
                "in the history as a new version."
            )
            % {"obj": describe(obj), "when": history_date(record)},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(
            reverse(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_history",
                args=[quote(obj.pk)],
            )
        )

    # -- deleted records ----------------------------------------------------------------

    def deleted_records(self):
        """The latest version of each row that no longer exists, when it is a deletion."""
        history_model = get_history_model_for_model(self.model)
        pk = self.model._meta.pk.attname
        # The rows a record's __str__ may name, fetched with it (outer joins: they may be gone).
        related_names = [
            field.name
            for field in history_model.tracked_fields
            if isinstance(field, models.ForeignKey)
        ]
        same_row = history_model._default_manager.filter(**{pk: models.OuterRef(pk)}).order_by(
            "-history_date", "-history_id"
        )
        still_there = self.model._default_manager.filter(pk=models.OuterRef(pk))
        return (
            history_model._default_manager.filter(
                ~models.Exists(still_there),
                history_type="-",
                history_id=models.Subquery(same_row.values("history_id")[:1]),
            )
            .annotate(
                # The last version before the deletion; the deletion record itself (which
                # holds the same values) for a row loaded without a version of its own.
                restore_id=Coalesce(
                    models.Subquery(same_row.exclude(history_type="-").values("history_id")[:1]),
                    "history_id",
                )
            )
            .select_related(*related_names, "history_user")
            .order_by("-history_date", "-history_id")
        )

    def deleted_records_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        request.current_app = self.admin_site.name
        page = Paginator(self.deleted_records(), self.deleted_records_per_page).get_page(
            request.GET.get("p")
        )
        may_restore = self.has_add_permission(request)
        rows = []
        for record in page.object_list:
            pk = getattr(record, self.model._meta.pk.attname)
            rows.append(
                {
                    "record": record,
                    "label": describe(self._instance_with_relations(record)),
                    "pk": pk,
                    "history_url": reverse(
                        f"{self.admin_site.name}:{self.opts.app_label}_"
                        f"{self.opts.model_name}_history",
                        args=[quote(pk)],
                    ),
                    "restore_url": self._revert_url(pk, record.restore_id) if may_restore else None,
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted %(name)s") % {"name": self.opts.verbose_name_plural},
            "subtitle": None,
            "opts": self.opts,
            "app_label": self.opts.app_label,
            "page_obj": page,
            "rows": rows,
            "may_restore": may_restore,
        }
        return TemplateResponse(request, self.deleted_records_template, context)

    def _instance_with_relations(self, record):
        # The related rows fetched with the record serve the instance's __str__ as well.
        instance = record.instance
        for field in self.model._meta.concrete_fields:
            if field.is_relation and field.name in record._state.fields_cache:
                related = record._state.fields_cache[field.name]
                if related is not None:
                    instance._state.fields_cache[field.name] = related
        return instance

    def _revert_url(self, pk, history_id):
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_simple_history",
            args=[quote(pk), history_id],
        )

    def _pk_or_404(self, object_id):
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error


class ContentAdmin(OptimisticLockAdmin, HistoryAdmin):
    """The admin of every content model (see the module docstring)."""
