"""FilterSets of the recommendation list and its CSV exports.

The footnote and status-history exports accept the list's query string too (source,
treaty, year, q), so "download what I see" works from the list page for all three files.
"""

import django_filters
from django.db.models import Exists, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter
from core.models import Source
from core.sorting import SortFilter, SortOrder, choice_order, localized_order, partial_date_order
from treaties.filters import TreatySelect
from treaties.models import Treaty

from .models import Footnote, Recommendation, RecommendationStatus, RecommendationUpdate


def with_last_update_order(queryset):
    """The date and precision of each recommendation's latest update, to sort by."""
    latest = RecommendationUpdate.objects.filter(recommendation=OuterRef("pk")).order_by(
        "-date_on", "-pk"
    )
    return queryset.alias(
        sort_update_on=Subquery(latest.values("date_on")[:1]),
        sort_update_precision=Subquery(latest.values("date_precision")[:1]),
    )


PUBLICATION = [*partial_date_order("source__published"), "source__slug"]

RECOMMENDATION_ORDERS = {
    "number": SortOrder(_("number"), ["number", *PUBLICATION]),
    "title": SortOrder(_("title"), [localized_order("title")]),
    "publication": SortOrder(_("publication"), [*PUBLICATION, "number"]),
    "status": SortOrder(
        _("current status"),
        [choice_order("status", RecommendationStatus.values), *PUBLICATION, "number"],
    ),
    "updated": SortOrder(
        _("last update"),
        [*partial_date_order("sort_update"), *PUBLICATION, "number"],
        prepare=with_last_update_order,
        descending_first=True,
    ),
}


def publications():
    """Sources that published at least one recommendation (the choices of the source filter)."""
    return Source.objects.filter(
        Exists(Recommendation.objects.filter(source=OuterRef("pk")))
    ).order_by("-published_on", "slug")


def source_filter(field_name="source"):
    return django_filters.ModelChoiceFilter(
        label=_("publication"),
        field_name=field_name,
        queryset=publications(),
        to_field_name="slug",
        error_messages={
            "invalid_choice": _("There is no publication of recommendations with this slug.")
        },
    )


def treaty_filter(method):
    return django_filters.ModelChoiceFilter(
        label=_("related treaty"),
        queryset=Treaty.objects.all(),
        # A text box for the slug once the treaties are many (as on the treaties' lists).
        widget=TreatySelect,
        to_field_name="slug",
        method=method,
        error_messages={
            "invalid_choice": _("There is no treaty with this slug (e.g. npt, ctbt, new-start).")
        },
    )


def recommendation_filter():
    return django_filters.ModelChoiceFilter(
        label=_("recommendation"),
        queryset=Recommendation.objects.all(),
        error_messages={"invalid_choice": _("There is no recommendation with this id.")},
    )


class RecommendationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title contains"), max_length=100, method="search")
    status = django_filters.ChoiceFilter(
        label=_("current status"), choices=RecommendationStatus.choices
    )
    source = source_filter()
    treaty = treaty_filter("by_treaty")
    year = YearFilter(label=_("year published"), method="by_year")
    sort = SortFilter(RECOMMENDATION_ORDERS)

    class Meta:
        model = Recommendation
        fields = ["q", "status", "source", "treaty", "year", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_treaty(self, queryset, name, value):
        return queryset.for_treaty(value)

    def by_year(self, queryset, name, value):
        return queryset.published_in(int(value))


class RecommendationChildFilter(django_filters.FilterSet):
    """Rows that belong to a recommendation, filtered with the recommendation list's query string.

    `status` is the recommendation's current status here too, so the list page's query
    string selects the same recommendations in all three files.
    """

    recommendation = recommendation_filter()
    q = django_filters.CharFilter(
        label=_("recommendation title contains"), max_length=100, method="search"
    )
    status = django_filters.ChoiceFilter(
        label=_("current status of the recommendation"),
        field_name="recommendation__status",
        choices=RecommendationStatus.choices,
    )
    source = source_filter("recommendation__source")
    treaty = treaty_filter("by_treaty")
    year = YearFilter(label=_("year published"), method="by_year")

    def of_recommendations(self, queryset, recommendations):
        return queryset.filter(recommendation__in=recommendations.values("pk"))

    def search(self, queryset, name, value):
        return self.of_recommendations(queryset, Recommendation.objects.search(value))

    def by_treaty(self, queryset, name, value):
        return self.of_recommendations(queryset, Recommendation.objects.for_treaty(value))

    def by_year(self, queryset, name, value):
        return self.of_recommendations(queryset, Recommendation.objects.published_in(int(value)))


class FootnoteFilter(RecommendationChildFilter):
    class Meta:
        model = Footnote
        fields = ["recommendation", "status", "q", "source", "treaty", "year"]


class RecommendationUpdateFilter(RecommendationChildFilter):
    update_status = django_filters.ChoiceFilter(
        label=_("status recorded by the update"),
        field_name="status",
        choices=RecommendationStatus.choices,
    )

    class Meta:
        model = RecommendationUpdate
        fields = ["recommendation", "status", "update_status", "q", "source", "treaty", "year"]
