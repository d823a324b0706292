from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.admin_base import ContentAdmin, ContentTabularInline
from core.admin_locking import VersionedInlineFormSet, VersionedModelForm
from core.export import admin_csv_action

from .admin_import import ImportBatchAdmin
from .exports import (
    CountryExport,
    ParticipationExport,
    ReportedFigureExport,
    TreatyActionExport,
    TreatyEventExport,
    TreatyExport,
)
from .models import (
    Country,
    ImportBatch,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
)
from .status import validate_sequence

PROVENANCE_FIELDS = ["source", "locator", "as_of_on", "as_of_precision"]


def country_codes_named(term):
    """ISO codes of the countries whose English or Japanese name contains `term`.

    Names come from django-countries, not from the database, so the admin's search
    cannot find them with a LIKE; this maps a typed name to codes it can search for.
    """
    term = term.strip().casefold()
    if not term:
        return set()
    codes: set[str] = set()
    for language in ("en", "ja"):
        with translation.override(language):
            codes.update(code for code, name in countries if term in str(name).casefold())
    return codes


class CountryNameSearchMixin(admin.ModelAdmin):
    """Admin search that also finds rows by the country's name in English or Japanese."""

    country_code_path = "code"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        codes = country_codes_named(search_term)
        if codes:
            results |= queryset.filter(**{f"{self.country_code_path}__in": codes})
        return results, may_have_duplicates


def iso_or_blank(partial):
    return partial.iso() if partial else ""


# --- Treaty ---------------------------------------------------------------------------


class StatusNeedsReviewFilter(admin.SimpleListFilter):
    title = _("status review")
    parameter_name = "needs_review"

    def lookups(self, request, model_admin):
        return [("yes", _("past expiry, stored status not updated"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.expired_but_not_marked()
        return queryset


class ReportedFigureInline(ContentTabularInline):
    model = ReportedFigure
    extra = 0
    fields = [
        "metric",
        "label_ja",
        "label_en",
        "value",
        "out_of",
        "unit",
        "country",
        *PROVENANCE_FIELDS,
    ]
    autocomplete_fields = ["country", "source"]
    show_change_link = True


class TreatyEventInline(ContentTabularInline):
    model = TreatyEvent
    extra = 0
    fields = [
        "date_on",
        "date_precision",
        "kind",
        "title_ja",
        "title_en",
        "countries",
        "source",
        "locator",
    ]
    autocomplete_fields = ["countries", "source"]
    show_change_link = True


@admin.register(Treaty)
class TreatyAdmin(ContentAdmin):
    list_display = [
        "display_short_name",
        "slug",
        "kind",
        "status",
        "display_effective_status",
        "needs_review",
        "display_entered_into_force",
        "display_expires",
        "display_order",
    ]
    list_filter = ["kind", "status", StatusNeedsReviewFilter]
    search_fields = ["slug", "short_name_en", "short_name_ja", "name_en", "name_ja"]
    list_select_related = ["source"]
    autocomplete_fields = ["source"]
    prepopulated_fields = {"slug": ["short_name_en"]}
    readonly_fields = ["display_effective_status", "updated_at"]
    inlines = [ReportedFigureInline, TreatyEventInline]
    actions = [admin_csv_action(TreatyExport)]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    ("short_name_ja", "short_name_en"),
                    "name_ja",
                    "name_en",
                    "kind",
                    ("status", "display_effective_status"),
                    "display_order",
                ]
            },
        ),
        (
            _("Key dates"),
            {
                "fields": [
                    ("adopted_on", "adopted_precision"),
                    ("opened_on", "opened_precision"),
                    ("entered_into_force_on", "entered_into_force_precision"),
                    ("expires_on", "expires_precision"),
                    "key_dates_note",
                ]
            },
        ),
        (
            _("Rules and summary"),
            {
                "fields": [
                    "entry_into_force_rule_ja",
                    "entry_into_force_rule_en",
                    "depositary_ja",
                    "depositary_en",
                    "summary_ja",
                    "summary_en",
                ]
            },
        ),
        (_("Provenance"), {"fields": [*PROVENANCE_FIELDS, "updated_at"]}),
    ]

    @admin.display(description=_("short name"), ordering="short_name_en")
    def display_short_name(self, obj):
        return obj.loc("short_name")

    @admin.display(description=_("status shown"))
    def display_effective_status(self, obj):
        if obj.pk is None:
            return ""
        return obj.display_status

    @admin.display(description=_("needs status review"), boolean=True)
    def needs_review(self, obj):
        return obj.needs_status_review

    @admin.display(description=_("entered into force"), ordering="entered_into_force_on")
    def display_entered_into_force(self, obj):
        return iso_or_blank(obj.entered_into_force)

    @admin.display(description=_("expires"), ordering="expires_on")
    def display_expires(self, obj):
        return iso_or_blank(obj.expires)


# --- Country --------------------------------------------------------------------------


class CountryParticipationInline(ContentTabularInline):
    model = Participation
    extra = 0
    fields = ["treaty", "status", "required_for_entry_into_force", "source", "locator"]
    readonly_fields = ["status"]
    autocomplete_fields = ["treaty", "source"]
    show_change_link = True
    verbose_name_plural = _("participations (edit the actions on each participation's page)")


@admin.register(Country)
class CountryAdmin(CountryNameSearchMixin, ContentAdmin):
    list_display = [
        "code",
        "display_name",
        "name_ja_reading",
        "region",
        "un_member",
        "nuclear_posture",
        "posture_source",
    ]
    list_filter = ["region", "un_member", "nuclear_posture"]
    search_fields = ["code", "name_ja_reading"]
    list_select_related = ["posture_source"]
    autocomplete_fields = ["posture_source"]
    readonly_fields = ["updated_at"]
    inlines = [CountryParticipationInline]
    actions = [admin_csv_action(CountryExport)]

    @admin.display(description=_("name"))
    def display_name(self, obj):
        return obj.name


# --- Participation and its actions ----------------------------------------------------


class TreatyActionInlineForm(VersionedModelForm):
    """Validates one action without comparing it with the saved actions.

    TreatyAction.clean checks the action against the participation's *saved* actions.
    While the whole set is edited at once those rows are stale: a signature and a
    ratification typed in one save would fail, and a ratification whose signature is
    being deleted would pass. The formset below checks the submitted set instead.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Read by TreatyAction.clean, which the form runs on this instance after its own clean.
        self.instance.check_sequence_against_saved = False


class TreatyActionInlineFormSet(VersionedInlineFormSet):
    """Checks the submitted actions together as one coherent sequence."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        participation = self.instance
        if participation.treaty_id is None:
            return  # the participation form itself is invalid and says so
        actions = [
            form.instance
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get(DELETION_FIELD_NAME, False)
            and form.instance.date_on is not None
        ]
        try:
            validate_sequence(participation.treaty, actions)
        except ValidationError as error:
            raise ValidationError(error.messages) from error


class TreatyActionInline(ContentTabularInline):
    model = TreatyAction
    form = TreatyActionInlineForm
    formset = TreatyActionInlineFormSet
    extra = 1
    fields = [
        "action_type",
        "date_on",
        "date_precision",
        "effective_on",
        "depositary",
        "source",
        "locator",
    ]
    autocomplete_fields = ["source"]
    show_change_link = True


@admin.register(Participation)
class ParticipationAdmin(CountryNameSearchMixin, ContentAdmin):
    country_code_path = "country__code"
    list_display = [
        "country",
        "treaty",
        "status",
        "required_for_entry_into_force",
        "source",
        "display_as_of",
    ]
    list_filter = [
        "treaty",
        "status",
        "required_for_entry_into_force",
        "country__region",
        "country__nuclear_posture",
    ]
    search_fields = ["country__code", "treaty__slug", "treaty__short_name_en", "locator"]
    list_select_related = ["treaty", "country", "source"]
    autocomplete_fields = ["treaty", "country", "source"]
    readonly_fields = ["status", "updated_at"]
    inlines = [TreatyActionInline]
    actions = [admin_csv_action(ParticipationExport)]
    fieldsets = [
        (None, {"fields": ["treaty", "country", "status", "required_for_entry_into_force"]}),
        (_("Notes"), {"fields": ["note_ja", "note_en"]}),
        (_("Provenance"), {"fields": [*PROVENANCE_FIELDS, "updated_at"]}),
    ]

    @admin.display(description=_("as of"), ordering="as_of_on")
    def display_as_of(self, obj):
        return iso_or_blank(obj.as_of)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Each saved or deleted action refreshes the status as it goes; recompute it once
        # from the final set, so the stored status never reflects a half-applied edit.
        form.instance.refresh_status()

    # The status is derived from the actions as they are now, never from an old version.
    def prepare_restore(self, request, obj):
        obj.refresh_status(save=False)

    def after_restore(self, request, obj):
        obj.refresh_status()


@admin.register(TreatyAction)
class TreatyActionAdmin(ContentAdmin):
    list_display = [
        "display_date",
        "country",
        "treaty",
        "action_type",
        "effective_on",
        "depositary",
        "source",
    ]
    list_filter = ["action_type", "participation__treaty", "date_precision"]
    search_fields = [
        "participation__country__code",
        "participation__treaty__slug",
        "participation__treaty__short_name_en",
        "depositary",
        "locator",
    ]
    list_select_related = ["participation__treaty", "participation__country", "source"]
    autocomplete_fields = ["participation", "source"]
    date_hierarchy = "date_on"
    readonly_fields = ["updated_at"]
    actions = [admin_csv_action(TreatyActionExport)]

    @admin.display(description=_("date"), ordering="date_on")
    def display_date(self, obj):
        return obj.date.iso()

    @admin.display(description=_("country"), ordering="participation__country__code")
    def country(self, obj):
        return obj.participation.country

    @admin.display(description=_("treaty"), ordering="participation__treaty__display_order")
    def treaty(self, obj):
        return obj.participation.treaty

    def after_restore(self, request, obj):
        # TreatyAction.save refreshes it too; said here so a restore never depends on that.
        obj.participation.refresh_status()


# --- Reported figures and events ------------------------------------------------------


class StaleFilter(admin.SimpleListFilter):
    title = _("age")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("stated more than three years ago"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.stale()
        return queryset


@admin.register(ReportedFigure)
class ReportedFigureAdmin(ContentAdmin):
    list_display = [
        "display_subject",
        "metric",
        "display_label",
        "display_value",
        "display_as_of",
        "source",
        "locator",
    ]
    list_filter = ["metric", "treaty", StaleFilter, "as_of_precision"]
    search_fields = [
        "label_en",
        "label_ja",
        "treaty__slug",
        "treaty__short_name_en",
        "country__code",
        "locator",
    ]
    list_select_related = ["treaty", "country", "source"]
    autocomplete_fields = ["treaty", "country", "source"]
    date_hierarchy = "as_of_on"
    readonly_fields = ["updated_at"]
    actions = [admin_csv_action(ReportedFigureExport)]

    @admin.display(description=_("about"), ordering="treaty__display_order")
    def display_subject(self, obj):
        return " · ".join(str(subject) for subject in (obj.treaty, obj.country) if subject)

    @admin.display(description=_("label"))
    def display_label(self, obj):
        return obj.label

    @admin.display(description=_("value"), ordering="value")
    def display_value(self, obj):
        return obj.display_value

    @admin.display(description=_("as of"), ordering="as_of_on")
    def display_as_of(self, obj):
        return iso_or_blank(obj.as_of)


@admin.register(TreatyEvent)
class TreatyEventAdmin(ContentAdmin):
    list_display = ["display_date", "display_title", "treaty", "kind", "source", "locator"]
    list_filter = ["kind", "treaty", "date_precision"]
    search_fields = [
        "title_en",
        "title_ja",
        "description_en",
        "description_ja",
        "treaty__slug",
        "treaty__short_name_en",
    ]
    list_select_related = ["treaty", "source"]
    autocomplete_fields = ["treaty", "countries", "source"]
    date_hierarchy = "date_on"
    readonly_fields = ["updated_at"]
    actions = [admin_csv_action(TreatyEventExport)]

    @admin.display(description=_("date"), ordering="date_on")
    def display_date(self, obj):
        return obj.date.iso()

    @admin.display(description=_("title"), ordering="title_en")
    def display_title(self, obj):
        return obj.loc("title")


admin.site.register(ImportBatch, ImportBatchAdmin)
