"""Lists sorted by the column a reader picks: `?sort=name`, `?sort=-date`.

Each list names the orders it offers (a whitelist); an unknown value leaves the list in its
default order, and the page says so. The order is applied by the list's FilterSet, so the
list's CSV export, which reuses the FilterSet, comes out in the same order as the page, and
the pagination and filter form keep the parameter. Every order ends with the list's unique
key, in the same direction, so a row never moves between pages. Empty values sort last
either way.

Text is compared code point by code point after lowering the case (`text_order`), which
gives the same order on SQLite and on PostgreSQL whatever the database's collation; orders
that need a reader's collation (country names) rank the rows in Python and sort by rank.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.db.models.expressions import BaseExpression, Func, OrderBy
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import Precision

if TYPE_CHECKING:
    from .registry import Label

# A term of an order: a field path, an expression, or a callable that builds one when the
# list is sorted (in the reader's language, from the data of the moment).
Term = str | BaseExpression | Callable[[], "str | BaseExpression"]

SORT_PARAM = "sort"
# How much of an unknown value the page repeats back.
SHOWN_UNKNOWN_LENGTH = 40


@dataclass(frozen=True)
class SortOrder:
    """One way to sort a list: its name for readers and the terms it orders by.

    `prepare` adds what the terms need to a queryset (an annotation the list's queryset may
    not have, e.g. in the CSV export); `descending_first` makes a header's first click sort
    newest or largest first.
    """

    label: Label
    terms: Sequence[Term]
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    descending_first: bool = False


class CodePointOrder(Func):
    """Text compared code point by code point: SQLite's own way, "C" collation on PostgreSQL."""

    template = "%(expressions)s"

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(compiler, connection, template='%(expressions)s COLLATE "C"')


def text_order(expression: str | BaseExpression) -> BaseExpression:
    """A text column or expression ordered the same way on every database."""
    return CodePointOrder(Lower(F(expression) if isinstance(expression, str) else expression))


def localized_text(field: str, language: str | None = None) -> BaseExpression:
    """`<field>_<lang>` for the reader's language, the other language's value when empty."""
    language = (language or get_language() or "ja")[:2]
    first, second = ("en", "ja") if language == "en" else ("ja", "en")
    return Coalesce(NullIf(F(f"{field}_{first}"), Value("")), F(f"{field}_{second}"))


def localized_order(field: str) -> Callable[[], BaseExpression]:
    """A term: `<field>_ja` / `<field>_en` in the reader's language, as `loc` shows it."""
    return lambda: text_order(localized_text(field))


def choice_order(field: str, values: Sequence[str]) -> Callable[[], BaseExpression]:
    """A term: a choice field in the order its choices are declared (not by their labels)."""
    return lambda: rank_by(field, values)


def rank_by(field: str, values: Sequence[Any]) -> BaseExpression:
    """The position of `field`'s value in `values`; a value not listed comes after them."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def partial_date_order(name: str) -> list[Term]:
    """Terms of a partial date `<name>_on` / `<name>_precision`: by the stored date, then the
    precision, coarser first ("1976" before "June 1976" before "1 June 1976")."""
    coarse_to_fine = [Precision.YEAR, Precision.MONTH, Precision.DAY]
    return [f"{name}_on", lambda: rank_by(f"{name}_precision", coarse_to_fine)]


def order_by_terms(terms: Sequence[Term], descending: bool) -> list[OrderBy]:
    ordering = []
    for term in terms:
        resolved = term() if callable(term) else term
        expression = F(resolved) if isinstance(resolved, str) else resolved
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return ordering


@dataclass(frozen=True)
class SortChoice:
    """What a list's `?sort=` value asks for: the key and its direction."""

    key: str
    descending: bool

    @property
    def value(self) -> str:
        return f"-{self.key}" if self.descending else self.key


class SortFilter(django_filters.Filter):
    """The `sort` parameter of a list: one of `orders` by key, `-key` for the reverse.

    `unique` ends every order (the list's unique key); `default` names the order the list
    has without the parameter, if it is one of them, so its header can say so.
    """

    field_class = forms.CharField

    def __init__(
        self,
        orders: Mapping[str, SortOrder],
        *,
        unique: Sequence[str] = ("pk",),
        default: str = "",
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label", _("sort by"))
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(**kwargs)
        self.orders = dict(orders)
        self.unique = tuple(unique)
        self.default = default

    def parse(self, value: str | None) -> SortChoice | None:
        """The order `value` names, or None when it names none of this list's orders."""
        value = (value or "").strip()
        key = value[1:] if value.startswith("-") else value
        if key not in self.orders:
            return None
        return SortChoice(key, value.startswith("-"))

    def default_choice(self) -> SortChoice | None:
        return self.parse(self.default) if self.default else None

    def filter(self, qs: QuerySet[Any], value: str | None) -> QuerySet[Any]:
        choice = self.parse(value)
        if choice is None:
            # No value, or one this list does not know: the list keeps its default order.
            return qs
        order = self.orders[choice.key]
        if order.prepare is not None:
            qs = order.prepare(qs)
        return qs.order_by(*order_by_terms([*order.terms, *self.unique], choice.descending))


@dataclass(frozen=True)
class SortState:
    """How a list page is sorted, for its headers: the filter, the order shown, and the value
    of the query string when it named no order of the list."""

    filter: SortFilter
    current: SortChoice | None
    unknown: str = ""

    def link_value(self, key: str) -> str:
        """The `sort` value a header links to: the reverse of the current order, or the order's
        first direction."""
        if self.current is not None and self.current.key == key:
            return SortChoice(key, not self.current.descending).value
        return SortChoice(key, self.filter.orders[key].descending_first).value


def sort_state(filterset: Any, query: Mapping[str, Any]) -> SortState | None:
    """The sort state of a list page from its FilterSet and query string (None: not sortable)."""
    sort_filter = getattr(filterset, "filters", {}).get(SORT_PARAM) if filterset else None
    if not isinstance(sort_filter, SortFilter):
        return None
    value = str(query.get(SORT_PARAM, "") or "").strip()
    if not value:
        return SortState(sort_filter, sort_filter.default_choice())
    choice = sort_filter.parse(value)
    if choice is None:
        return SortState(
            sort_filter, sort_filter.default_choice(), unknown=value[:SHOWN_UNKNOWN_LENGTH]
        )
    return SortState(sort_filter, choice)
