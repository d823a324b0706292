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

A list's default order, which its CSV export keeps, is built with `stable_order`: empty
values placed explicitly, text compared by code point, a unique key last, so the files are
byte for byte the same on every database (`order_problems` says where an order falls short).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db.models import (
    Case,
    CharField,
    F,
    Field,
    IntegerField,
    Model,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import BaseExpression, Col, Func, OrderBy
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .dates import Precision
from .paging import SegmentedRows

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
    newest or largest first. `segments`, for an order whose first term ranks a field of few
    values (a country, a status), gives that field and its values in the first term's order:
    a page then reads the rows of one value at a time (`core.paging.SegmentedRows`) rather
    than sorting every row by the first term.
    """

    label: Label
    terms: Sequence[Term]
    prepare: Callable[[QuerySet[Any]], QuerySet[Any]] | None = None
    descending_first: bool = False
    segments: Callable[[], tuple[str, Sequence[Any]]] | None = None


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


def order_by_terms(
    terms: Sequence[Term], descending: bool, model: type[Model] | None = None
) -> list[OrderBy]:
    """`order_by` arguments for `terms`, empty values last; with `model`, a term naming a
    text column compares code points (`code_points`), so every database sorts it alike.

    A descending term on a column that is never empty (`never_null`) states no NULL
    placement: "DESC NULLS LAST" would give the same rows, but PostgreSQL reads an index
    backwards only for "DESC" (NULLS FIRST), so the reversed list would sort every row.
    """
    ordering = []
    for term in terms:
        resolved = term() if callable(term) else term
        if isinstance(resolved, str):
            is_text = model is not None and _names_text_column(model, resolved)
            expression = code_points(resolved) if is_text else F(resolved)
            if descending and model is not None and never_null(model, resolved):
                ordering.append(expression.desc())
                continue
        else:
            expression = resolved
        ordering.append(
            expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        )
    return ordering


def never_null(model: type[Model], path: str) -> bool:
    """Whether the column a lookup path names holds a value in every row of `model`'s list:
    a NOT NULL column reached through NOT NULL foreign keys only (no outer join)."""
    names = path.split(LOOKUP_SEP)
    for index, name in enumerate(names):
        try:
            field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # an annotation
        if not isinstance(field, Field) or field.null:
            return False
        if index < len(names) - 1:
            if not field.many_to_one or field.related_model is None:
                return False
            model = field.related_model
    return True


# Columns whose order depends on the database's collation unless compared by code point.
TEXT_FIELDS = (CharField, TextField)


def code_points(expression: str | BaseExpression) -> BaseExpression:
    """A text column or expression compared code point by code point, case included."""
    return CodePointOrder(F(expression) if isinstance(expression, str) else expression)


def field_at(model: type[Model], path: str) -> Field[Any, Any]:
    """The field a lookup path (`treaty__slug`, `pk`) ends on."""
    names = path.split(LOOKUP_SEP)
    for index, name in enumerate(names):
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        if index < len(names) - 1:
            if field.related_model is None:
                raise FieldError(f"{path}: {name} is not a relation.")
            model = field.related_model
    assert isinstance(field, Field), path
    return field


def _names_text_column(model: type[Model], path: str) -> bool:
    try:
        return isinstance(field_at(model, path), TEXT_FIELDS)
    except (FieldDoesNotExist, FieldError):
        return False  # an annotation: its expression says how it compares


def stable_order(model: type[Model], *terms: str | BaseExpression) -> list[OrderBy]:
    """A default order that comes out the same on every database.

    Each term is a field path (`-name` for descending) or an expression (ascending, or an
    OrderBy that states where NULLs go). Empty values come last either way; text columns
    compare code points (not the database's collation). The last term must be a unique key
    of `model`, so that no two rows tie: `order_problems` checks all of this.
    """
    ordering: list[OrderBy] = []
    for term in terms:
        if isinstance(term, OrderBy):
            ordering.append(term)
        elif isinstance(term, str):
            descending = term.startswith("-")
            ordering.extend(order_by_terms([term.removeprefix("-")], descending, model))
        else:
            ordering.extend(order_by_terms([term], False))
    return ordering


def order_problems(queryset: QuerySet[Any]) -> list[str]:
    """Why `queryset`'s order could differ between SQLite and PostgreSQL (empty: it cannot).

    Every term must state where NULLs go (unless its column is never empty), no term may
    compare text in the database's collation, and the last term must be a unique key of the
    queryset's model.
    """
    query = queryset.query
    terms = list(query.order_by) or (
        list(queryset.model._meta.ordering) if query.default_ordering else []
    )
    if not terms:
        return ["no order"]
    problems = []
    resolved: BaseExpression | None = None
    for term in terms:
        if not isinstance(term, OrderBy):
            problems.append(f"{term!r}: a name, which leaves NULL placement to the database")
            resolved = None
            continue
        if not (term.nulls_first or term.nulls_last) and not _names_never_null(
            term.expression, queryset.model
        ):
            problems.append(f"{term.expression!r}: NULL placement not stated")
        resolved = term.expression.resolve_expression(query.clone(), allow_joins=True)
        if not isinstance(resolved, CodePointOrder) and _is_text(resolved):
            problems.append(f"{term.expression!r}: text in the database's collation")
    if resolved is None or not _is_unique_key(resolved, queryset.model):
        problems.append(f"{terms[-1]!r}: the last term is not a unique key")
    return problems


def _names_never_null(expression: Any, model: type[Model]) -> bool:
    """A column (compared by code point or not) that is never empty: NULLs cannot move it."""
    if isinstance(expression, CodePointOrder):
        expression = expression.get_source_expressions()[0]
    return isinstance(expression, F) and never_null(model, getattr(expression, "name", ""))


def _is_text(expression: Any) -> bool:
    try:
        return isinstance(expression.output_field, TEXT_FIELDS)
    except FieldError:
        return False


def _is_unique_key(expression: Any, model: type[Model]) -> bool:
    if isinstance(expression, CodePointOrder):
        expression = expression.get_source_expressions()[0]
    if not isinstance(expression, Col):
        return False
    target = expression.target
    return (
        (target.primary_key or target.unique)
        and target.model is not None
        and issubclass(model, target.model)
        and expression.alias == model._meta.db_table
    )


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

    def segmented(self, qs: QuerySet[Any], value: str | None) -> SegmentedRows | None:
        """`qs` in the order `value` names, as rows a page reads one segment at a time, where
        that order has segments (None where it has not)."""
        choice = self.parse(value)
        if choice is None or self.orders[choice.key].segments is None:
            return None
        order = self.orders[choice.key]
        assert order.segments is not None
        field, values = order.segments()
        # The segments stand for the first term; each is read in the order of the others.
        rest = order_by_terms([*order.terms[1:], *self.unique], choice.descending, qs.model)
        return SegmentedRows(
            qs,
            field,
            list(reversed(values)) if choice.descending else list(values),
            rest,
            # `rank_by` ranks a value not listed after the listed ones.
            others_first=choice.descending,
        )

    def filter(self, qs: QuerySet[Any], value: str | None) -> QuerySet[Any]:
        choice = self.parse(value)
        if choice is None:
            # No value, or one this list does not know: the list keeps its default order.
            return qs
        order = self.orders[choice.key]
        if order.prepare is not None:
            qs = order.prepare(qs)
        terms = [*order.terms, *self.unique]
        return qs.order_by(*order_by_terms(terms, choice.descending, qs.model))


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
