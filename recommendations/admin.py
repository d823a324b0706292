"""Admin of recommendations, their footnotes and their status history.

A recommendation's current status is never typed: it is the status of its latest
update. Updates are therefore only ever added (through
`services.recommendation_set_status`, which writes the row and the current status in
one transaction) or deleted (through `services.recommendation_delete_updates`, which
recomputes the status); an update already recorded cannot be edited in place, so the
history stays a record of what was known when. A deleted update can be restored from the
admin's deleted records, as it was recorded. Whatever adds or deletes updates, or
recomputes a status, the admin leaves to these services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin_base import ContentAdmin, ContentTabularInline
from core.export import admin_csv_action

from .exports import FootnoteExport, RecommendationExport, RecommendationUpdateExport
from .forms import RecommendationUpdateForm
from .models import Footnote, Recommendation, RecommendationQuerySet, RecommendationUpdate
from .services import (
    recommendation_delete_updates,
    recommendation_refresh_status,
    recommendation_set_status,
)

if TYPE_CHECKING:
    from django.http import HttpRequest

UPDATE_FIELDS = ["date", "status", "note_ja", "note_en", "evidence", "locator"]

# Addresses typed without a scheme are taken as https (Django 6 default; no warning).
URL_FIELDS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


def record_update(recommendation, update, reason=None):
    """Record an unsaved update built by a form, through the service; returns the row saved."""
    return recommendation_set_status(
        recommendation=recommendation,
        status=update.status,
        date=update.date,
        note_ja=update.note_ja,
        note_en=update.note_en,
        evidence=update.evidence,
        locator=update.locator,
        reason=reason,
    )


class FootnoteInline(ContentTabularInline):
    formfield_overrides = URL_FIELDS
    model = Footnote
    extra = 0
    fields = ["number", "text_ja", "text_en", "url"]


class RecommendationUpdateInline(ContentTabularInline):
    """Add-only: recorded updates are shown read-only and may only be deleted."""

    model = RecommendationUpdate
    form = RecommendationUpdateForm
    extra = 1
    fields = [*UPDATE_FIELDS, "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["evidence"]
    verbose_name = _("status update")
    verbose_name_plural = _("status history (add an update to change the current status)")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Recommendation)
class RecommendationAdmin(ContentAdmin):
    list_display = ["number", "display_title", "source", "status", "last_update"]
    list_display_links = ["number", "display_title"]
    list_filter = ["status", "source", "related_treaties"]
    list_select_related = ["source"]
    search_fields = ["title_ja", "title_en", "summary_ja", "summary_en", "addressee_ja"]
    autocomplete_fields = ["source", "related_treaties", "related_sessions"]
    readonly_fields = ["current_status", "updated_at"]
    inlines = [FootnoteInline, RecommendationUpdateInline]
    actions = [admin_csv_action(RecommendationExport)]
    fieldsets = [
        (None, {"fields": ["source", "number", "title_ja", "title_en", "current_status"]}),
        (_("Text"), {"fields": ["summary_ja", "summary_en", "body_ja", "body_en"]}),
        (
            None,
            {"fields": ["addressee_ja", "addressee_en", "related_treaties", "related_sessions"]},
        ),
        (_("Where in the source"), {"fields": ["locator", "as_of_on", "as_of_precision"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> RecommendationQuerySet:
        # The admin's queryset comes from Recommendation's default manager.
        queryset = cast(RecommendationQuerySet, super().get_queryset(request))
        return queryset.with_last_update_date()

    @admin.display(description=_("title"), ordering="title_en")
    def display_title(self, obj):
        return obj.loc("title")

    @admin.display(description=_("last update"), ordering="last_update_on")
    def last_update(self, obj):
        on = getattr(obj, "last_update_on", None)
        if on is None:
            return ""
        from core.dates import PartialDate

        return PartialDate(on, obj.last_update_precision or "day").iso()

    @admin.display(description=_("current status"))
    def current_status(self, obj):
        if obj is None or obj.pk is None:
            return _("proposed (until an update is recorded below)")
        latest = obj.latest_update()
        if latest is None:
            return _("%(status)s — no update recorded") % {"status": obj.get_status_display()}
        return _("%(status)s — latest update of %(date)s") % {
            "status": latest.get_status_display(),
            "date": latest.date.iso(),
        }

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Whatever the forms did, the stored status ends up the latest update's.
        recommendation_refresh_status(recommendation=form.instance)

    # A restored version takes its status from the updates as they are now.
    def prepare_restore(self, request, obj):
        recommendation_refresh_status(recommendation=obj)

    def after_restore(self, request, obj):
        recommendation_refresh_status(recommendation=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not RecommendationUpdate:
            return super().save_formset(request, form, formset, change)
        recommendation = form.instance
        reason = self.change_reason(request, form)
        # commit=False: nothing is written here; new rows go through the service below.
        formset.save(commit=False)
        if formset.deleted_objects:
            recommendation_delete_updates(updates=formset.deleted_objects, reason=reason)
        created = [record_update(recommendation, update, reason) for update in formset.new_objects]
        # The change message in the admin log lists what was actually recorded.
        formset.new_objects = created
        formset.changed_objects = []


@admin.register(Footnote)
class FootnoteAdmin(ContentAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["__str__", "recommendation", "number", "url"]
    list_filter = ["recommendation__source"]
    list_select_related = ["recommendation"]
    search_fields = ["text_ja", "text_en", "url"]
    autocomplete_fields = ["recommendation"]
    actions = [admin_csv_action(FootnoteExport)]


@admin.register(RecommendationUpdate)
class RecommendationUpdateAdmin(ContentAdmin):
    """Add-only, like the inline: recorded through the service, recomputed on delete."""

    form = RecommendationUpdateForm
    list_display = ["recommendation", "date_display", "status", "evidence", "created_at"]
    list_filter = ["status", "recommendation__source", "date_precision"]
    list_select_related = ["recommendation", "evidence"]
    search_fields = ["note_ja", "note_en", "locator", "recommendation__title_ja"]
    autocomplete_fields = ["recommendation", "evidence"]
    fields = ["recommendation", *UPDATE_FIELDS]
    actions = [admin_csv_action(RecommendationUpdateExport)]

    @admin.display(description=_("date"), ordering="date_on")
    def date_display(self, obj):
        return obj.date.iso()

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            # Only simple-history's restore of a deleted update gets here (no change
            # permission otherwise): the row comes back as it was recorded.
            return super().save_model(request, obj, form, change)
        created = record_update(obj.recommendation, obj, self.change_reason(request, form))
        # The admin logs and redirects with `obj`: make it the row the service wrote.
        obj.pk = created.pk
        obj.created_at = created.created_at
        obj._state.adding = False
        obj._state.db = created._state.db

    def after_restore(self, request, obj):
        recommendation_refresh_status(recommendation=obj.recommendation)

    def delete_model(self, request, obj):
        recommendation_delete_updates(updates=[obj], reason=self.change_reason(request))

    def delete_queryset(self, request, queryset):
        recommendation_delete_updates(updates=queryset.select_related("recommendation"))
