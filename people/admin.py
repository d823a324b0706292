from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.admin_base import ContentAdmin, ContentTabularInline
from core.export import admin_csv_action

from .exports import MembershipExport, PersonExport, SessionExport, SessionItemExport
from .models import (
    Membership,
    Organization,
    Person,
    PersonQuerySet,
    Session,
    SessionItem,
    StudyGroup,
)

if TYPE_CHECKING:
    from django.http import HttpRequest
    from django_stubs_ext import FieldOpts, StrOrPromise

PROVENANCE_FIELDSET: tuple[StrOrPromise | None, FieldOpts] = (
    _("Provenance"),
    {"fields": ["source", "locator", "as_of_on", "as_of_precision"]},
)

# Addresses typed without a scheme are taken as https (Django 6 default; no warning).
URL_FIELDS: Mapping[type[models.Field[Any, Any]], Mapping[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


@admin.register(Organization)
class OrganizationAdmin(ContentAdmin):
    formfield_overrides = URL_FIELDS
    list_display = ["display_name", "slug", "kind", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["slug", "name_ja", "name_en"]
    autocomplete_fields = ["parent", "source"]
    prepopulated_fields = {"slug": ["name_en"]}
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "name_ja", "name_en", "kind", "parent", "url"]}),
        PROVENANCE_FIELDSET,
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("name"), ordering="name_en")
    def display_name(self, obj):
        return obj.loc("name")


class MembershipInline(ContentTabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "group", "organization", "source"]
    fields = [
        "person",
        "group",
        "role",
        "affiliation_ja",
        "affiliation_en",
        "title_ja",
        "title_en",
        "organization",
        "order",
        "source",
        "locator",
        "as_of_on",
        "as_of_precision",
    ]


class PersonMembershipInline(MembershipInline):
    fk_name = "person"
    verbose_name_plural = _("roles in study groups")


class GroupMembershipInline(MembershipInline):
    fk_name = "group"


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name_ja", "name_en", "slug", "roles", "source"]
    list_filter = ["memberships__role", "memberships__group"]
    list_select_related = ["source"]
    search_fields = [
        "slug",
        "family_name",
        "given_name",
        "family_name_romanized",
        "given_name_romanized",
    ]
    autocomplete_fields = ["source"]
    readonly_fields = ["updated_at"]
    inlines = [PersonMembershipInline]
    actions = [admin_csv_action(PersonExport)]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("family_name", "given_name"),
                    ("family_name_romanized", "given_name_romanized"),
                    "editor_note",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
        (None, {"fields": ["updated_at"]}),
    ]

    def get_queryset(self, request: HttpRequest) -> PersonQuerySet:
        # The admin's queryset comes from Person's default manager: a PersonQuerySet.
        return cast(PersonQuerySet, super().get_queryset(request)).with_memberships()

    @admin.display(description=_("name as printed"), ordering="family_name")
    def name_ja(self, obj):
        return obj.name_ja

    @admin.display(description=_("romanized"), ordering="family_name_romanized")
    def name_en(self, obj):
        return obj.name_en

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(m.get_role_display() for m in obj.memberships.all())


@admin.register(StudyGroup)
class StudyGroupAdmin(ContentAdmin):
    list_display = ["display_name", "slug", "host", "established_display"]
    list_select_related = ["host"]
    list_filter = ["host"]
    search_fields = ["slug", "name_ja", "name_en"]
    autocomplete_fields = ["host", "source"]
    readonly_fields = ["updated_at"]
    inlines = [GroupMembershipInline]
    fieldsets = [
        (None, {"fields": ["slug", "name_ja", "name_en", "host"]}),
        (
            _("Established"),
            {
                "fields": [
                    "established_on",
                    "established_precision",
                    "established_note_ja",
                    "established_note_en",
                ]
            },
        ),
        (None, {"fields": ["summary_ja", "summary_en"]}),
        PROVENANCE_FIELDSET,
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("name"), ordering="name_en")
    def display_name(self, obj):
        return obj.loc("name")

    @admin.display(description=_("established"), ordering="established_on")
    def established_display(self, obj):
        return obj.established.iso() if obj.established else ""


@admin.register(Membership)
class MembershipAdmin(ContentAdmin):
    list_display = ["person", "group", "role", "affiliation_ja", "title_ja", "as_of_display"]
    list_filter = ["role", "group", "organization"]
    list_select_related = ["person", "group", "organization"]
    search_fields = [
        "person__family_name",
        "person__given_name",
        "person__family_name_romanized",
        "person__given_name_romanized",
        "affiliation_ja",
        "affiliation_en",
        "title_ja",
        "title_en",
    ]
    autocomplete_fields = ["person", "group", "organization", "source"]
    readonly_fields = ["updated_at"]
    actions = [admin_csv_action(MembershipExport)]

    @admin.display(description=_("as of"), ordering="as_of_on")
    def as_of_display(self, obj):
        return obj.as_of.iso() if obj.as_of else ""


class SessionItemInline(ContentTabularInline):
    model = SessionItem
    extra = 0
    autocomplete_fields = ["speaker"]
    fields = ["order", "title_ja", "title_en", "speaker", "speaker_label_ja", "speaker_label_en"]


@admin.register(Session)
class SessionAdmin(ContentAdmin):
    list_display = ["__str__", "group", "kind", "number", "dates", "place_ja"]
    list_filter = ["kind", "group"]
    list_select_related = ["group"]
    search_fields = [
        "title_ja",
        "title_en",
        "place_ja",
        "place_en",
        "summary_ja",
        "summary_en",
        "items__title_ja",
        "items__title_en",
    ]
    autocomplete_fields = ["group", "participants", "source"]
    date_hierarchy = "start_on"
    readonly_fields = ["updated_at"]
    inlines = [SessionItemInline]
    actions = [admin_csv_action(SessionExport)]
    fieldsets = [
        (None, {"fields": ["group", "kind", "number", "title_ja", "title_en"]}),
        (_("Dates"), {"fields": ["start_on", "start_precision", "end_on", "end_precision"]}),
        (
            None,
            {
                "fields": [
                    "place_ja",
                    "place_en",
                    "summary_ja",
                    "summary_en",
                    "participant_count",
                    "interviewee_count",
                    "participants",
                ]
            },
        ),
        PROVENANCE_FIELDSET,
        (None, {"fields": ["updated_at"]}),
    ]

    @admin.display(description=_("dates"), ordering="start_on")
    def dates(self, obj):
        from .templatetags.people_tags import date_span

        return date_span(obj.start, obj.end)


@admin.register(SessionItem)
class SessionItemAdmin(ContentAdmin):
    list_display = ["__str__", "session", "order", "speaker_display"]
    list_filter = ["session__kind", "session__group"]
    list_select_related = ["session", "speaker"]
    search_fields = [
        "title_ja",
        "title_en",
        "speaker_label_ja",
        "speaker_label_en",
        "speaker__family_name",
        "speaker__family_name_romanized",
    ]
    autocomplete_fields = ["session", "speaker"]
    actions = [admin_csv_action(SessionItemExport)]

    @admin.display(description=_("speaker"))
    def speaker_display(self, obj):
        return obj.speaker_display
