"""Filters every app's browse pages share, and the FilterSets of core's own lists.

The shared pieces exist once, here: a year, a date written as YYYY-MM-DD, and a form that
refuses a period whose end comes before its start. Each CSV export reuses its page's
FilterSet, so a file holds exactly the rows the page lists.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .history import tracked_models
from .models import Change, Source, SourceKind, SourceLanguage
from .registry import site
from .sorting import SortFilter, SortOrder, choice_order, localized_order, partial_date_order

if TYPE_CHECKING:
    from django.db import models
    from django_stubs_ext import StrOrPromise

    from .models import ChangeQuerySet, SourceQuerySet

# Years a year filter accepts (arms control begins in the 20th century); anything else is
# a typo worth reporting.
MIN_YEAR = 1900
MAX_YEAR = 2200
ISO_DATE_FORMATS = ["%Y-%m-%d"]


def is_iso_date(text: str) -> bool:
    """Whether `text` is a date written YYYY-MM-DD, as HTML's date inputs carry it."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) is None:
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


class IsoDateInput(forms.DateInput):
    """`<input type="date">`, which may only carry a valid date: a submitted value that is not
    one (`2021-13-40`) is not written back, as a browser would show it empty anyway; the
    field's error message says what to enter."""

    input_type = "date"

    def format_value(self, value: Any) -> str | None:
        formatted = super().format_value(value)
        if isinstance(formatted, str) and formatted and not is_iso_date(formatted):
            return None
        return formatted


def date_input() -> forms.DateInput:
    return IsoDateInput(format="%Y-%m-%d")


class YearFilter(django_filters.NumberFilter):
    """A year as a whole number between MIN_YEAR and MAX_YEAR."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", MIN_YEAR)
        kwargs.setdefault("max_value", MAX_YEAR)
        super().__init__(*args, **kwargs)


class IsoDateFilter(django_filters.DateFilter):
    """A date written as YYYY-MM-DD, whatever the active language's date formats."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ISO_DATE_FORMATS)
        kwargs.setdefault("widget", date_input())
        kwargs.setdefault(
            "error_messages", {"invalid": _("Enter the date as YYYY-MM-DD, e.g. 2021-03-31.")}
        )
        super().__init__(*args, **kwargs)


class DateRangeForm(forms.Form):
    """A filter form with a period `date_from`–`date_to`: its end may not come before its start."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start: datetime.date | None = cleaned.get("date_from")
        end: datetime.date | None = cleaned.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _(
                    "The end of the period comes before its start (“from” must not be later than “to”)."  # noqa: E501
                ),
            )
        return cleaned


SOURCE_ORDERS = {
    "title": SortOrder(_("title"), [localized_order("title")]),
    "publisher": SortOrder(
        _("publisher"), [localized_order("publisher"), localized_order("title")]
    ),
    "kind": SortOrder(
        _("kind"), [choice_order("kind", SourceKind.values), localized_order("title")]
    ),
    "published": SortOrder(
        _("published"), [*partial_date_order("published"), "slug"], descending_first=True
    ),
    "language": SortOrder(
        _("language"), [choice_order("language", SourceLanguage.values), localized_order("title")]
    ),
}


class SourceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Title or publisher contains"), method="filter_search", max_length=200
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SourceKind.choices)
    language = django_filters.ChoiceFilter(label=_("Language"), choices=SourceLanguage.choices)
    year = YearFilter(
        label=_("Year published"),
        field_name="published_on",
        method="filter_year",
    )
    sort = SortFilter(SOURCE_ORDERS)

    class Meta:
        model = Source
        fields = ["q", "kind", "language", "year", "sort"]

    def filter_search(self, queryset: SourceQuerySet, name: str, value: str) -> SourceQuerySet:
        return queryset.search(value)

    def filter_year(self, queryset: SourceQuerySet, name: str, value: int) -> SourceQuerySet:
        return queryset.published_in(value)


# --- The public change log -----------------------------------------------------------------

# The kind as a word in the query string: "+" would arrive as a space.
CHANGE_KINDS = {
    "created": Change.Kind.CREATED,
    "changed": Change.Kind.CHANGED,
    "deleted": Change.Kind.DELETED,
}
KIND_WORDS = {kind: word for word, kind in CHANGE_KINDS.items()}


def public_change_models() -> list[type[models.Model]]:
    """The tracked models whose changes /changes/ lists, by verbose name."""
    public_apps = site.public_apps()
    models = [model for model in tracked_models() if model._meta.app_label in public_apps]
    return sorted(models, key=lambda model: str(model._meta.verbose_name).casefold())


def change_model_choices() -> list[tuple[str, StrOrPromise | None]]:
    return [(model._meta.label_lower, model._meta.verbose_name) for model in public_change_models()]


class ChangeFilter(django_filters.FilterSet):
    model = django_filters.ChoiceFilter(
        label=_("Record type"), choices=change_model_choices, method="filter_model"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of change"),
        choices=[(word, kind.label) for word, kind in CHANGE_KINDS.items()],
        method="filter_kind",
    )
    # Days in the site's time zone, as the page shows them.
    date_from = IsoDateFilter(
        label=_("Changed from"), field_name="changed_at", lookup_expr="date__gte"
    )
    date_to = IsoDateFilter(
        label=_("Changed until"), field_name="changed_at", lookup_expr="date__lte"
    )

    class Meta:
        model = Change
        form = DateRangeForm
        fields = ["model", "kind", "date_from", "date_to"]

    def filter_model(self, queryset: ChangeQuerySet, name: str, value: str) -> ChangeQuerySet:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(
            apps.get_model(value), for_concrete_model=False
        )
        return queryset.filter(content_type=content_type)

    def filter_kind(self, queryset: ChangeQuerySet, name: str, value: str) -> ChangeQuerySet:
        return queryset.filter(kind=CHANGE_KINDS[value])
