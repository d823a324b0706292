"""FilterSets of the people app's lists; each CSV export reuses its page's FilterSet.

Every field validates strictly: an unknown slug or id, a value outside the choices or
a year that is not a whole number makes the FilterSet invalid, which the page answers
with 400 and the form's message instead of quietly ignoring the filter.
"""

import django_filters
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.filters import YearFilter
from core.sorting import (
    SortFilter,
    SortOrder,
    choice_order,
    localized_order,
    partial_date_order,
    text_order,
)

from .models import (
    Membership,
    MembershipRole,
    Organization,
    Person,
    Session,
    SessionItem,
    SessionKind,
    StudyGroup,
)

# People sort by their romanized names: the names as printed are in kanji, whose order
# means nothing without a reading, and the sources give none.
PERSON_ORDERS = {
    "name": SortOrder(
        _("name"),
        [text_order("family_name_romanized"), text_order("given_name_romanized")],
    ),
}

SESSION_ORDERS = {
    "date": SortOrder(_("dates"), partial_date_order("start")),
    "number": SortOrder(_("number"), ["number", "start_on"]),
    "title": SortOrder(_("title"), [localized_order("title"), "start_on"]),
    "kind": SortOrder(_("kind"), [choice_order("kind", SessionKind.values), "start_on"]),
    "place": SortOrder(_("place"), [localized_order("place"), "start_on"]),
}


def slug_choice_filter(queryset, label, message, filter_class=None, **kwargs):
    """A choice of rows by slug: the query string stays readable and joins with the CSVs."""
    return (filter_class or django_filters.ModelChoiceFilter)(
        label=label,
        queryset=queryset,
        to_field_name="slug",
        error_messages={"invalid_choice": message},
        **kwargs,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        # The name in the reader's language: romanized on English pages, as printed on
        # Japanese ones (the person's own page shows both).
        if (get_language() or "ja")[:2] == "en":
            return obj.name_en or obj.name_ja
        return obj.name_ja


class PersonChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = PersonChoiceField


def organization_filter(**kwargs):
    return slug_choice_filter(
        Organization.objects.all(),
        _("organization"),
        _("There is no organization with this slug."),
        **kwargs,
    )


def person_filter(label, **kwargs):
    return slug_choice_filter(
        Person.objects.all(),
        label,
        _("There is no person with this slug."),
        filter_class=PersonChoiceFilter,
        **kwargs,
    )


def group_filter(**kwargs):
    return slug_choice_filter(
        StudyGroup.objects.all(),
        _("study group"),
        _("There is no study group with this slug."),
        **kwargs,
    )


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("name contains (Japanese or romanized)"), max_length=100, method="search"
    )
    role = django_filters.ChoiceFilter(
        label=_("role"), choices=MembershipRole.choices, method="by_role"
    )
    organization = organization_filter(method="by_organization")
    sort = SortFilter(PERSON_ORDERS, default="name")

    class Meta:
        model = Person
        fields = ["q", "role", "organization", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_role(self, queryset, name, value):
        return queryset.with_role(value)

    def by_organization(self, queryset, name, value):
        return queryset.in_organization(value)


class MembershipFilter(django_filters.FilterSet):
    """The memberships CSV: the people list's query string, plus person and group."""

    q = django_filters.CharFilter(
        label=_("name contains (Japanese or romanized)"), max_length=100, method="search"
    )
    role = django_filters.ChoiceFilter(label=_("role"), choices=MembershipRole.choices)
    organization = organization_filter()
    person = person_filter(_("person"))
    group = group_filter()

    class Meta:
        model = Membership
        fields = ["q", "role", "organization", "person", "group"]

    def search(self, queryset, name, value):
        return queryset.for_person_search(value)


class SessionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("title contains"), max_length=100, method="search")
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=SessionKind.choices)
    year = YearFilter(label=_("year"), method="by_year")
    speaker = person_filter(_("speaker"), method="by_speaker")
    sort = SortFilter(SESSION_ORDERS, default="date")

    class Meta:
        model = Session
        fields = ["q", "kind", "year", "speaker", "sort"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_year(self, queryset, name, value):
        return queryset.in_year(int(value))

    def by_speaker(self, queryset, name, value):
        return queryset.with_speaker(value)


class SessionItemFilter(django_filters.FilterSet):
    """The session items CSV: the session list's query string, plus one session by id."""

    q = django_filters.CharFilter(
        label=_("session title contains"), max_length=100, method="search"
    )
    kind = django_filters.ChoiceFilter(
        label=_("kind"), field_name="session__kind", choices=SessionKind.choices
    )
    year = YearFilter(label=_("year"), field_name="session__start_on", lookup_expr="year")
    speaker = person_filter(_("speaker"))
    session = django_filters.ModelChoiceFilter(
        label=_("session"),
        queryset=Session.objects.all(),
        error_messages={"invalid_choice": _("There is no session with this id.")},
    )

    class Meta:
        model = SessionItem
        fields = ["q", "kind", "year", "speaker", "session"]

    def search(self, queryset, name, value):
        return queryset.filter(session__in=Session.objects.search(value).values("pk"))
