"""Dates stated at the precision a document gives them.

A document may say "1976年6月" or "1997年" without a day. Such a date is stored as a
DateField holding the first day of its period plus a precision column, and is shown
and exported at that precision, never with an invented day.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Self, TypeVar, overload

from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


PRECISIONS = frozenset(Precision.values)


@dataclass(frozen=True, order=False)
class PartialDate:
    """A date known to a day, a month or a year."""

    value: datetime.date
    precision: str = Precision.DAY

    def __post_init__(self) -> None:
        if self.precision not in PRECISIONS:
            raise ValueError(f"unknown precision {self.precision!r}")
        object.__setattr__(self, "value", truncate(self.value, self.precision))

    @classmethod
    def parse(cls, text: str | None) -> Self:
        """Parse `1976-06-08`, `1976-06` or `1976`; raise ValueError otherwise."""
        text = (text or "").strip()
        parts = text.split("-")
        try:
            if len(parts) == 1 and len(parts[0]) == 4:
                return cls(datetime.date(int(parts[0]), 1, 1), Precision.YEAR)
            if len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
                return cls(datetime.date(int(parts[0]), int(parts[1]), 1), Precision.MONTH)
            if len(parts) == 3 and len(parts[0]) == 4:
                return cls(datetime.date.fromisoformat(text), Precision.DAY)
        except ValueError:
            pass
        raise ValueError(f"{text!r} is not a date like 1976-06-08, 1976-06 or 1976")

    @property
    def start(self) -> datetime.date:
        return self.value

    @property
    def end(self) -> datetime.date:
        """The last day the period could stand for."""
        return period_end(self.value, self.precision)

    def iso(self) -> str:
        if self.precision == Precision.YEAR:
            return f"{self.value.year:04d}"
        if self.precision == Precision.MONTH:
            return f"{self.value.year:04d}-{self.value.month:02d}"
        return self.value.isoformat()

    def display(self, language: str | None = None) -> str:
        language = language or get_language() or "en"
        if language.startswith("ja"):
            d = self.value
            if self.precision == Precision.YEAR:
                return f"{d.year}年"
            if self.precision == Precision.MONTH:
                return f"{d.year}年{d.month}月"
            return f"{d.year}年{d.month}月{d.day}日"
        if self.precision == Precision.YEAR:
            return str(self.value.year)
        if self.precision == Precision.MONTH:
            return date_format(self.value, "F Y", use_l10n=False)
        return date_format(self.value, "j F Y", use_l10n=False)

    def certainly_by(self, day: datetime.date) -> bool:
        """True when the whole period lies on or before `day`."""
        return self.end <= day

    def __str__(self) -> str:
        return self.display()


def truncate(value: datetime.date, precision: str) -> datetime.date:
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def period_end(value: datetime.date, precision: str) -> datetime.date:
    """The last day of the period `value` stands for at `precision` ("" is a day)."""
    if precision == Precision.YEAR:
        return datetime.date(value.year, 12, 31)
    if precision == Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` years earlier (later when negative); 29 February gives the 28th."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def _by_period(name: str, day: datetime.date, lookup: str) -> Q:
    on, prec = f"{name}_on", f"{name}_precision"
    return (
        Q(**{prec: Precision.DAY, f"{on}__{lookup}": day})
        | Q(**{prec: Precision.MONTH, f"{on}__{lookup}": truncate(day, Precision.MONTH)})
        | Q(**{prec: Precision.YEAR, f"{on}__{lookup}": truncate(day, Precision.YEAR)})
    )


def ended_before(name: str, day: datetime.date) -> Q:
    """Rows whose partial date `<name>` lies wholly before `day`: "March 2021" ends on 31 March.

    A date known to a month or a year counts from the end of its period, as the age shown
    beside it does; an empty date matches neither this nor `reaches`.
    """
    return _by_period(name, day, "lt")


def reaches(name: str, day: datetime.date) -> Q:
    """Rows whose partial date `<name>` reaches `day` or later: "November 2025" reaches the 30th."""
    return _by_period(name, day, "gte")


# What a PartialDateAttr gives: PartialDate for a required date, else PartialDate | None.
_Got = TypeVar("_Got", PartialDate, "PartialDate | None")


class PartialDateAttr(Generic[_Got]):
    """Class attribute that joins `<name>_on` and `<name>_precision` into a PartialDate.

    adopted = PartialDateAttr("adopted")
    treaty.adopted            # PartialDate or None
    treaty.adopted = PartialDate.parse("2017-07")

    `required=True` says the date column is not null (as `precision_field` and
    `partial_date_constraints` do), so type checkers read the attribute as a PartialDate,
    never None; it changes nothing at run time.
    """

    @overload
    def __init__(
        self: PartialDateAttr[PartialDate], name: str, *, required: Literal[True]
    ) -> None: ...
    @overload
    def __init__(
        self: PartialDateAttr[PartialDate | None], name: str, *, required: Literal[False] = ...
    ) -> None: ...
    def __init__(self, name: str, *, required: bool = False) -> None:
        self.date_field = f"{name}_on"
        self.precision_field = f"{name}_precision"
        self.required = required

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Self: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> _Got: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> Self | _Got | None:
        if instance is None:
            return self
        value = getattr(instance, self.date_field)
        if value is None:
            return None
        return PartialDate(value, getattr(instance, self.precision_field) or Precision.DAY)

    def __set__(self, instance: Any, partial: PartialDate | None) -> None:
        if partial is None:
            setattr(instance, self.date_field, None)
            setattr(instance, self.precision_field, "")
        else:
            setattr(instance, self.date_field, partial.value)
            setattr(instance, self.precision_field, partial.precision)


def precision_field(
    *, required: bool = True, verbose_name: StrOrPromise | None = None
) -> models.CharField[Any, Any]:
    return models.CharField(
        verbose_name or _("precision"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY if required else "",
        blank=not required,
        help_text=_(
            "How much of the date the source states. Month: store the 1st; year: 1 January."
        ),
    )


def partial_date_constraints(
    name: str, *, model_label: str, required: bool = True
) -> list[models.CheckConstraint]:
    """Database checks for a `<name>_on` / `<name>_precision` pair.

    The precision is one of the known values; a month-precision date is the first of
    its month, a year-precision date 1 January; an empty date has no precision.
    """
    on, prec = f"{name}_on", f"{name}_precision"
    valid = Q(**{f"{prec}__in": Precision.values})
    normalized = (
        Q(**{prec: Precision.DAY})
        | Q(**{prec: Precision.MONTH, f"{on}__day": 1})
        | Q(**{prec: Precision.YEAR, f"{on}__day": 1, f"{on}__month": 1})
    )
    if required:
        condition = valid & normalized
    else:
        empty = Q(**{f"{on}__isnull": True, prec: ""})
        condition = empty | (Q(**{f"{on}__isnull": False}) & valid & normalized)
    return [
        models.CheckConstraint(condition=condition, name=f"{model_label}_{name}_precision_valid"),
    ]


def normalize_partial_dates(instance: models.Model, *names: str) -> None:
    """Truncate each `<name>_on` to its precision (used from Model.clean)."""
    for name in names:
        on, prec = f"{name}_on", f"{name}_precision"
        value = getattr(instance, on)
        if value is None:
            setattr(instance, prec, "")
            continue
        if not getattr(instance, prec):
            setattr(instance, prec, Precision.DAY)
        setattr(instance, on, truncate(value, getattr(instance, prec)))
