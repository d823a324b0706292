"""Edit history in the admin: versions with field diffs, restores and change reasons.

`HistoryAdmin` is django-simple-history's admin made fit for editors:

- each record's history lists every version with what it changed, field by field, in
  words (choice labels and names, not codes and ids);
- an earlier version is restored through simple-history's revert form, which shows that
  version's values, many-to-many links included; the restore is saved as a new version,
  never by rewriting old ones, and `prepare_restore` / `after_restore` let an admin bring
  derived values in line;
- a "deleted records" page per model lists the rows whose latest version is a deletion,
  each restorable (by those who may add such records) from its last version;
- every form, and the delete confirmation, takes an optional change reason, kept with the
  version it explains (and with the inline rows saved along with the record); a restore
  saved without one is explained as "restored the version of <date>".

The history views name a record whose related rows are gone without failing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import (
    ImproperlyConfigured,
    ObjectDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.core.paginator import Paginator
from django.db import models, router, transaction
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import get_history_model_for_model

from .admin_records import (
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

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django.template.response import _TemplateForResponseT

    from .history import HistoricalRecord

REASON_FIELD = "_change_reason"
# The history tables keep the change reason in a CharField(max_length=100).
REASON_MAX_LENGTH = 100
# simple-history takes the reason for the version it is about to save from this attribute
# of the instance (declared on core.models.Versioned, but the admin takes any model).
CHANGE_REASON_ATTR = "_change_reason"
# Where is_deleted keeps its answer on the instance, for the rest of the request.
ROW_MISSING_ATTR = "_content_row_missing"


def row_exists(model: type[models.Model], pk: Any) -> bool:
    """Whether the row is still there (its history outlives it)."""
    return model._default_manager.filter(pk=pk).exists()


def is_deleted(obj: models.Model | None) -> bool:
    """True for an instance rebuilt from history whose row no longer exists."""
    if obj is None or historical_record_of(obj) is None:
        return False
    missing = getattr(obj, ROW_MISSING_ATTR, None)
    if missing is None:
        missing = not row_exists(type(obj), obj.pk)
        setattr(obj, ROW_MISSING_ATTR, missing)
    return missing


class NamedRecord:
    """Stands for a record where only its name is wanted, whatever its relations."""

    def __init__(self, obj: models.Model) -> None:
        self.obj = obj

    def __str__(self) -> str:
        return describe(self.obj)


class ReadableChangesHelper(HistoricalRecordContextHelper):
    """The history page's "Changes" column with choice labels and names, not raw codes."""

    def prepare_delta_change_value(self, change: Any, value: Any) -> Any:
        field = self.model._meta.get_field(change.field)
        if isinstance(field, models.ManyToManyField):
            return super().prepare_delta_change_value(change, value)
        return readable(field, value)


# --- Forms -------------------------------------------------------------------------------


class HistoryModelForm(forms.ModelForm):
    """The form of a record with history: an optional change reason, and faithful restores.

    On simple-history's revert form, which shows an old version, the many-to-many links
    shown are that version's (the plain form would read them from today's row).
    """

    _change_reason = forms.CharField(
        label=gettext_lazy("Change reason"),
        max_length=REASON_MAX_LENGTH,
        required=False,
        help_text=gettext_lazy("Optional: why this change was made. Kept in the history."),
        widget=forms.TextInput(attrs={"size": 80}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        record = historical_record_of(self.instance)
        if record is not None and not self.is_bound:
            for field in record._history_m2m_fields:
                if field.name in self.fields:
                    self.initial[field.name] = value_at(record, field)

    @property
    def changed_data(self) -> list[str]:
        # The reason is bookkeeping, not an edit of the record.
        return [name for name in super().changed_data if name != REASON_FIELD]


# --- Admin -------------------------------------------------------------------------------


class HistoryAdmin(SimpleHistoryAdmin):
    """History with diffs, restore of earlier versions and of deleted records (see above)."""

    form = HistoryModelForm
    # Typed as ModelAdmin declares them (simple-history's admin, their base, has no types).
    object_history_template: ClassVar[_TemplateForResponseT | None] = (
        "admin/content/object_history.html"
    )
    object_history_form_template = "admin/content/object_history_form.html"
    change_list_template: ClassVar[_TemplateForResponseT | None] = "admin/content/change_list.html"
    deleted_records_template = "admin/content/deleted_records.html"
    history_list_display = ["version"]
    deleted_records_per_page = 50

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_records_view),
                name=f"{self.opts.app_label}_{self.opts.model_name}_deleted",
            ),
            *super().get_urls(),
        ]

    def get_form(
        self,
        request: HttpRequest,
        obj: models.Model | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        if not issubclass(form, HistoryModelForm):
            raise ImproperlyConfigured(f"{type(self).__name__}.form must be a HistoryModelForm")
        return form

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> list:
        # The reason goes last, in the section closing the form, on a form that can be saved.
        fieldsets = without_fields(super().get_fieldsets(request, obj), [REASON_FIELD])
        if may_save_form(self, request, obj):
            fieldsets = with_closing_fields(fieldsets, [REASON_FIELD])
        return fieldsets

    # Restoring a deleted record adds it back; restoring an older version changes it.
    def has_change_history_permission(
        self, request: HttpRequest, obj: models.Model | None = None
    ) -> bool:
        if is_deleted(obj):
            return self.has_add_permission(request)
        return super().has_change_history_permission(request, obj)

    def get_historical_record_context_helper(
        self, request: HttpRequest, historical_record: models.Model
    ) -> ReadableChangesHelper:
        return ReadableChangesHelper(self.model, historical_record)

    def set_history_delta_changes(
        self,
        request: HttpRequest,
        historical_records: Any,
        foreign_keys_are_objs: bool = True,
    ) -> None:
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

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = dict(extra_context or {})
        pk = self._pk_or_404(object_id)
        if not row_exists(self.model, pk):
            history = history_of(self.model, pk)
            last = history.exclude(history_type="-").first() or history.first()
            if last is not None:
                extra_context["deleted_restore_url"] = self._revert_url(pk, last.history_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict | None = None,
    ) -> HttpResponse:
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
    def history_view_title(self, request: HttpRequest, obj: models.Model) -> str:
        return super().history_view_title(request, NamedRecord(obj))

    def history_form_view_title(self, request: HttpRequest, obj: models.Model) -> str:
        return super().history_form_view_title(request, NamedRecord(obj))

    def render_history_view(
        self, request: HttpRequest, template: str, context: dict, **kwargs: Any
    ) -> HttpResponse:
        obj = context.get("original", context.get("object"))
        context["record_name"] = describe(obj) if obj is not None else ""
        return super().render_history_view(request, template, context, **kwargs)

    # -- change reasons ------------------------------------------------------------------

    def change_reason(
        self, request: HttpRequest, form: forms.ModelForm | None = None
    ) -> str | None:
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

    def save_model(
        self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool
    ) -> None:
        restoring = historical_record_of(obj) is not None
        setattr(obj, CHANGE_REASON_ATTR, self.change_reason(request, form))
        if restoring:
            self.prepare_restore(request, obj)
        super().save_model(request, obj, form, change)
        if restoring:
            self.after_restore(request, obj)

    def save_formset(
        self, request: HttpRequest, form: forms.ModelForm, formset: Any, change: bool
    ) -> None:
        # The reason given for the record also explains the rows edited with it.
        reason = self.change_reason(request, form)
        for inline_form in formset.forms:
            setattr(inline_form.instance, CHANGE_REASON_ATTR, reason)
        super().save_formset(request, form, formset, change)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "reason_field": REASON_FIELD,
            "reason_max_length": REASON_MAX_LENGTH,
        }
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        setattr(obj, CHANGE_REASON_ATTR, self.change_reason(request))
        super().delete_model(request, obj)

    # -- restore ---------------------------------------------------------------------------

    def prepare_restore(self, request: HttpRequest, obj: models.Model) -> None:
        """Before a restored version is saved: bring derived fields in line."""

    def after_restore(self, request: HttpRequest, obj: models.Model) -> None:
        """After a restored version is saved: recompute what depends on it."""

    def response_change(self, request: HttpRequest, obj: models.Model) -> HttpResponse:
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

    def deleted_records(self) -> models.QuerySet[Any]:
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

    def deleted_records_view(self, request: HttpRequest) -> TemplateResponse:
        """The "deleted records" page of this model, paginated, with a restore link each."""
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

    def _instance_with_relations(self, record: HistoricalRecord) -> models.Model:
        # The related rows fetched with the record serve the instance's __str__ as well.
        instance = record.instance
        for field in self.model._meta.concrete_fields:
            if field.is_relation and field.name in record._state.fields_cache:
                related = record._state.fields_cache[field.name]
                if related is not None:
                    instance._state.fields_cache[field.name] = related
        return instance

    def _revert_url(self, pk: Any, history_id: int) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_simple_history",
            args=[quote(pk), history_id],
        )

    def _pk_or_404(self, object_id: str) -> Any:
        try:
            return self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError as error:
            raise Http404 from error
