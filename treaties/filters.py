"""FilterSets of the treaty app's public lists; each CSV export reuses its page's FilterSet.

Every field validates strictly: an unknown slug, a value outside the choices, a
non-numeric year or a malformed date makes the FilterSet invalid, which the page
answers with 400 and the form's message instead of quietly ignoring the filter.
"""

import datetime
from typing import cast

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.dates import years_before
from core.filters import (
    ISO_DATE_FORMATS,
    MIN_YEAR,
    DateRangeForm,
    IsoDateFilter,
    YearFilter,
    date_input,
)
from core.sorting import SortFilter

from .models import (
    RATIFIED_STATUSES,
    ActionType,
    Country,
    EventKind,
    Metric,
    Participation,
    ParticipationStatus,
    Posture,
    Region,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
    TreatyKind,
    TreatyStatus,
    today,
)
from .records import statuses_by_participation
from .sorting import (
    COUNTRY_ORDERS,
    EVENT_ORDERS,
    PARTICIPATION_ORDERS,
    TREATY_ORDERS,
    status_rank,
)

YES_NO = [("true", _("yes")), ("false", _("no"))]
# How far from today an "as of" day may lie, either way.
AS_OF_RANGE_YEARS = 100


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code in any case, checked against django-countries' list."""

    default_error_messages = {
        "unknown": _("“%(value)s” is not a known ISO 3166 country code (e.g. jp, us)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2)
        kwargs.setdefault("min_length", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip().upper() if value else value

    def validate(self, value):
        super().validate(value)
        if value and value not in countries:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value.lower()}
            )


class CountryCodeFilter(django_filters.CharFilter):
    field_class = CountryCodeField


# Up to this many treaties, the treaty filter is a list to pick from; beyond, a text box
# for the treaty's slug, so a list page's size does not grow with the number of treaties.
TREATY_SELECT_LIMIT = 100


class TreatySelect(forms.Select):
    """A <select> of the treaties while they are few, a text box for the slug once they are
    many. Either way one query, reading at most TREATY_SELECT_LIMIT + 1 treaties."""

    def render(self, name, value, attrs=None, renderer=None):
        choices = cast(ModelChoiceIterator, self.choices)  # set by the ModelChoiceField
        treaties = list(choices.queryset[: TREATY_SELECT_LIMIT + 1])
        if len(treaties) > TREATY_SELECT_LIMIT:
            text = forms.TextInput(attrs={**self.attrs, "placeholder": _("slug, e.g. npt")})
            return text.render(name, value, attrs, renderer)
        empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        self.choices = [*empty, *(choices.choice(treaty) for treaty in treaties)]
        return super().render(name, value, attrs, renderer)


def treaty_choice_filter(field_name="treaty", **kwargs):
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        label=_("treaty"),
        queryset=Treaty.objects.all(),
        widget=TreatySelect,
        to_field_name="slug",
        error_messages={
            "invalid_choice": _("There is no treaty with this slug (e.g. npt, ctbt, new-start).")
        },
        **kwargs,
    )


def yes_no_filter(field_name, label):
    def apply(queryset, name, value):
        return queryset.filter(**{field_name: value == "true"})

    return django_filters.ChoiceFilter(label=label, choices=YES_NO, method=apply)


class TreatyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name contains"), max_length=100, method="search")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=TreatyKind.choices)
    # The status a reader sees: a treaty past its expiry date is "expired" whatever is stored.
    status = django_filters.ChoiceFilter(
        label=_("status"), choices=TreatyStatus.choices, method="effective_status"
    )
    sort = SortFilter(TREATY_ORDERS)

    class Meta:
        model = Treaty
        fields = ["q", "kind", "status", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def effective_status(self, queryset, name, value):
        return queryset.with_effective_status(value)


class CountryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("name or ISO code"), max_length=100, method="search")
    region = django_filters.ChoiceFilter(label=_("region"), choices=Region.choices)
    nuclear_posture = django_filters.ChoiceFilter(
        label=_("nuclear posture"), choices=Posture.choices
    )
    un_member = yes_no_filter("un_member", _("UN member"))
    treaty = treaty_choice_filter(method="in_treaty")
    sort = SortFilter(COUNTRY_ORDERS, unique=("code",), default="code")

    class Meta:
        model = Country
        fields = ["q", "region", "nuclear_posture", "un_member", "treaty", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def in_treaty(self, queryset, name, value):
        return queryset.in_treaty(value)


class AsOfField(forms.DateField):
    """A past or future day to compute statuses on, within a century either way of today."""

    default_error_messages = {
        "invalid": _("Enter the “as of” date as YYYY-MM-DD, e.g. 2021-03-31."),
        "range": _("The “as of” date must lie between %(earliest)s and %(latest)s."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ISO_DATE_FORMATS)
        kwargs.setdefault("widget", date_input())
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        earliest = datetime.date(MIN_YEAR, 1, 1)
        latest = years_before(today(), -AS_OF_RANGE_YEARS)
        if not earliest <= value <= latest:
            raise ValidationError(
                self.error_messages["range"],
                code="range",
                params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
            )


class AsOfFilter(django_filters.Filter):
    field_class = AsOfField

    def filter(self, queryset, value):
        # The as-of day changes how statuses are computed, not which rows are listed;
        # the treaty page reads it from the form.
        return queryset


class AsOfFilterSet(django_filters.FilterSet):
    """A day to compute statuses on: the country page and the CSV files of the pictures."""

    as_of = AsOfFilter(label=_("as of (YYYY-MM-DD)"))

    class Meta:
        model = Participation
        fields = ["as_of"]

    @property
    def as_of_date(self):
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("as_of")
        return None


class ParticipationStatusFilterSet(AsOfFilterSet):
    """Participations by status, region and entry-into-force role, on today or an as-of day.

    As of a day the statuses are computed from the dated acts: the status and "ratified"
    filters cannot then run in the database (the stored status is today's), so they are
    applied in Python by `rows_as_of`.
    """

    status = django_filters.ChoiceFilter(
        label=_("status"), choices=ParticipationStatus.choices, method="by_status"
    )
    ratified = django_filters.ChoiceFilter(
        label=_("ratified"), choices=YES_NO, method="by_ratified"
    )
    region = django_filters.ChoiceFilter(
        label=_("region"), field_name="country__region", choices=Region.choices
    )
    required_for_entry_into_force = yes_no_filter(
        "required_for_entry_into_force", _("required for entry into force")
    )

    def by_status(self, queryset, name, value):
        if self.as_of_date:
            return queryset
        return queryset.with_status(value)

    def by_ratified(self, queryset, name, value):
        if self.as_of_date:
            return queryset
        return queryset.ratified(value == "true")

    def rows_as_of(self, queryset=None):
        """The matching rows, each with `status` set to its status on the as-of day."""
        day = self.as_of_date
        rows = list(self.qs if queryset is None else queryset)
        statuses = statuses_by_participation(rows, day)
        wanted = self.form.cleaned_data.get("status")
        ratified = self.form.cleaned_data.get("ratified")
        matching = []
        for row in rows:
            row.status = statuses[row.pk]
            if wanted and row.status != wanted:
                continue
            if ratified and (row.status in RATIFIED_STATUSES) != (ratified == "true"):
                continue
            matching.append(row)
        choice = self.filters["sort"].parse(self.form.cleaned_data.get("sort"))
        if choice is not None and choice.key == "status":
            # Sorted by the status on the as-of day, not the stored (today's) one; the sort
            # is stable, so rows of one status keep the database's order.
            matching.sort(key=lambda row: status_rank(row.status), reverse=choice.descending)
        return matching


class ParticipationFilter(ParticipationStatusFilterSet):
    treaty = treaty_choice_filter()
    country = CountryCodeFilter(label=_("country (ISO code)"), method="by_country")
    nuclear_posture = django_filters.ChoiceFilter(
        label=_("nuclear posture"), field_name="country__nuclear_posture", choices=Posture.choices
    )
    # How the page shows the rows; the export accepts it too so both share a query string.
    view = django_filters.ChoiceFilter(
        label=_("display"),
        choices=[("matrix", _("matrix (countries × treaties)"))],
        empty_label=_("list"),
        method=lambda queryset, name, value: queryset,
    )
    sort = SortFilter(PARTICIPATION_ORDERS)

    class Meta:
        model = Participation
        fields = [
            "treaty",
            "country",
            "as_of",
            "status",
            "region",
            "required_for_entry_into_force",
            "ratified",
            "nuclear_posture",
            "view",
            "sort",
        ]

    def by_country(self, queryset, name, value):
        return queryset.for_country_code(value)


class TreatyParticipationFilter(ParticipationStatusFilterSet):
    """The participations table on a treaty's page, optionally viewed as of a past day."""

    sort = SortFilter({key: PARTICIPATION_ORDERS[key] for key in ("country", "status")})

    class Meta:
        model = Participation
        fields = ["as_of", "status", "ratified", "region", "required_for_entry_into_force", "sort"]

    def export_query(self):
        """The filters that the participations CSV understands, as query parameters."""
        data: dict[str, str] = {}
        if not (self.is_bound and self.is_valid()):
            return data
        names = ("as_of", "status", "ratified", "region", "required_for_entry_into_force", "sort")
        for name in names:
            value = self.form.cleaned_data.get(name)
            if value:
                data[name] = value.isoformat() if name == "as_of" else value
        return data


class TreatyEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title contains"), max_length=100, method="search")
    treaty = treaty_choice_filter()
    country = CountryCodeFilter(label=_("country (ISO code)"), method="by_country")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=EventKind.choices)
    year = YearFilter(label=_("year"), field_name="date_on", lookup_expr="year")
    date_from = IsoDateFilter(label=_("from"), field_name="date_on", lookup_expr="gte")
    date_to = IsoDateFilter(label=_("to"), field_name="date_on", lookup_expr="lte")
    order = django_filters.ChoiceFilter(
        label=_("order"),
        choices=[("oldest", _("oldest first")), ("newest", _("newest first"))],
        empty_label=_("oldest first"),
        method="order_by",
    )
    # Applied after `order`, so an explicit sort wins over it.
    sort = SortFilter(EVENT_ORDERS)

    class Meta:
        model = TreatyEvent
        form = DateRangeForm
        fields = ["q", "treaty", "country", "kind", "year", "date_from", "date_to", "order", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_country(self, queryset, name, value):
        return queryset.involving_code(value)

    def order_by(self, queryset, name, value):
        return queryset.recent() if value == "newest" else queryset.chronological()


class TreatyActionFilter(django_filters.FilterSet):
    treaty = treaty_choice_filter(field_name="participation__treaty")
    country = CountryCodeFilter(label=_("country (ISO code)"), method="by_country")
    action_type = django_filters.ChoiceFilter(label=_("action"), choices=ActionType.choices)

    class Meta:
        model = TreatyAction
        fields = ["treaty", "country", "action_type"]

    def by_country(self, queryset, name, value):
        return queryset.for_country_code(value)


class ReportedFigureFilter(django_filters.FilterSet):
    treaty = treaty_choice_filter()
    country = CountryCodeFilter(label=_("country (ISO code)"), method="by_country")
    metric = django_filters.ChoiceFilter(label=_("metric"), choices=Metric.choices)

    class Meta:
        model = ReportedFigure
        fields = ["treaty", "country", "metric"]

    def by_country(self, queryset, name, value):
        return queryset.for_country_code(value)
