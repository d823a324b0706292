"""FilterSets of the core app's browse pages; the CSV export reuses them."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Source, SourceKind, SourceLanguage

# Years a publication-year filter accepts; anything else is a typo worth reporting.
MIN_YEAR = 1900
MAX_YEAR = 2200


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


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
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
    )

    class Meta:
        model = Source
        fields = ["q", "kind", "language", "year"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_year(self, queryset, name, value):
        return queryset.published_in(value)
