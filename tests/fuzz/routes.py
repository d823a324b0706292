"""The public addresses of the site and the query parameters each reads, found from the URL
configuration and the views' FilterSets, so a new list or export joins the fuzz by itself."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from core.languages import LANGUAGE_PARAMETER
from core.sorting import SORT_PARAM, SortFilter
from treaties.filters import AsOfFilterSet, TreatyParticipationFilter
from treaties.picture_views import AsOfCsvView
from treaties.views import CountryDetailView, TreatyDetailView

# Parameters every page may be sent: the language, the page, the sort (and the `o` that
# django-filter's OrderingFilter would read), a search, a day, and names no page knows.
COMMON_PARAMS = [LANGUAGE_PARAMETER, "page", SORT_PARAM, "o", "q", "as_of", "no_such_param"]

# Pages that read a FilterSet of their own rather than through `filterset_class`.
INNER_FILTERSETS = {TreatyDetailView: TreatyParticipationFilter, CountryDetailView: AsOfFilterSet}


@dataclass(frozen=True)
class Route:
    name: str
    view_class: type | None
    # The names of the address's own parts (slug, iso2, pk).
    kwargs: tuple[str, ...]
    filterset_class: type | None = None
    params: tuple[str, ...] = field(default_factory=tuple)

    @property
    def model(self):
        return getattr(self.view_class, "model", None)


def _filterset_of(view_class: type | None) -> type | None:
    if view_class is None:
        return None
    if view_class in INNER_FILTERSETS:
        return INNER_FILTERSETS[view_class]
    if issubclass(view_class, AsOfCsvView):
        return AsOfFilterSet
    return getattr(view_class, "filterset_class", None)


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has a fuzz of its own
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def public_routes() -> list[Route]:
    routes = []
    for name, pattern in _walk(get_resolver().url_patterns):
        view_class = getattr(pattern.callback, "view_class", None)
        filterset_class = _filterset_of(view_class)
        own = list(filterset_class.base_filters) if filterset_class else []
        routes.append(
            Route(
                name=name,
                view_class=view_class,
                kwargs=tuple(pattern.pattern.regex.groupindex),
                filterset_class=filterset_class,
                params=tuple(dict.fromkeys([*own, *COMMON_PARAMS])),
            )
        )
    return routes


def accepted_values(filterset_class: type, world: dict) -> dict[str, list[str]]:
    """Values each parameter of a FilterSet accepts, read from its form's fields, so that an
    example can pair a hostile value with good ones and reach the code behind the form."""
    filterset = filterset_class(queryset=filterset_class._meta.model._default_manager.none())
    values: dict[str, list[str]] = {}
    for name, form_field in filterset.form.fields.items():
        found: list[str] = []
        queryset = getattr(form_field, "queryset", None)
        if queryset is not None:
            key = getattr(form_field, "to_field_name", None) or "pk"
            found = [str(value) for value in queryset.values_list(key, flat=True)[:5]]
        elif hasattr(form_field, "choices"):
            found = [str(value) for value, _label in list(form_field.choices) if value]
        filter_ = filterset.filters[name]
        if isinstance(filter_, SortFilter):
            found = [*filter_.orders, *(f"-{key}" for key in filter_.orders)]
        values[name] = found
    return values


# Values of the common parameters that the pages accept.
COMMON_VALUES = {
    LANGUAGE_PARAMETER: ["en", "ja"],
    "page": ["1", "2", "last"],
    "q": ["NPT", "日本", "a"],
    "as_of": ["2000-01-01", "1996-09-24"],
    "year": ["1996", "2024"],
    "date_from": ["2020-01-01"],
    "date_to": ["2021-12-31"],
    "country": ["jp", "US"],
}
