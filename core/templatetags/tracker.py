from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from core.dates import PartialDate
from core.i18n import localized

if TYPE_CHECKING:
    from django.db import models
    from django.template.context import Context

    from core.models import Source

register = template.Library()


@register.filter
def loc(obj: object, field: str) -> str:
    """{{ treaty|loc:"name" }}: the Japanese or English value for the active language."""
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def pdate(value: PartialDate | datetime.date | Literal[""] | None) -> str:
    """{{ treaty.adopted|pdate }}: a partial date shown at its precision."""
    if value is None or value == "":
        return ""
    if isinstance(value, PartialDate):
        return value.display(get_language())
    return PartialDate(value).display(get_language())


@register.inclusion_tag("includes/provenance.html")
def provenance(fact: Any, sources: Mapping[int, Source] | None = None) -> dict[str, Any]:
    """Where a fact came from and how old it is: source link, locator, as-of date.

    `sources` is an optional {pk: Source} map so a table of facts needs no query per row.
    """
    source = None
    if getattr(fact, "source_id", None):
        source = sources.get(fact.source_id) if sources is not None else fact.source
    return {"fact": fact, "source": source, "as_of": getattr(fact, "as_of", None)}


@register.simple_tag(takes_context=True)
def query_with(context: Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


# Japanese wording of the age of a fact, used while no catalogue translates these strings
# (the Japanese UI catalogue is still to come); a catalogue's translation wins once it exists.
AGE_JAPANESE = {
    "as of %(date)s, %(age)s": "%(date)s時点（%(age)s）",
    "%(count)d year ago": "%(count)d年前",
    "%(count)d years ago": "%(count)d年前",
    "this year": "今年",
    "less than a year ago": "1年以内",
    "as of %(date)s": "%(date)s時点",
}


def _or_japanese(text: str) -> str:
    """`text` as gettext gave it, or the built-in Japanese when it came back untranslated."""
    if (get_language() or "").startswith("ja"):
        return AGE_JAPANESE.get(text, text)
    return text


def as_partial_date(value: object) -> PartialDate | None:
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, datetime.datetime):
        return PartialDate(value.date())
    if isinstance(value, datetime.date):
        return PartialDate(value)
    return None


def today() -> datetime.date:
    return timezone.localdate()


def full_years_between(start: datetime.date, end: datetime.date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


def age_text(value: object, on: datetime.date | None = None) -> str:
    """How long ago a fact was stated: "5 years ago", "this year", "less than a year ago".

    A date known only to a month or a year is counted from the end of that period: a
    figure "as of 2021" may hold for 31 December 2021, so it is not yet five years old
    in November 2026. A date still to come has no age ("").
    """
    partial = as_partial_date(value)
    if partial is None:
        return ""
    on = on or today()
    if partial.start > on:
        return ""
    years = full_years_between(partial.end, on) if partial.end <= on else 0
    if years:
        return _or_japanese(ngettext("%(count)d year ago", "%(count)d years ago", years)) % {
            "count": years
        }
    if partial.start.year == on.year:
        return _or_japanese(gettext("this year"))
    return _or_japanese(gettext("less than a year ago"))


@register.filter
def ago(value: object) -> str:
    """{{ figure.as_of|ago }}: "5 years ago" (see age_text)."""
    return age_text(value)


@register.filter
def age(value: object) -> str:
    """{{ figure.as_of|age }}: "as of 31 March 2021, 5 years ago" at the date's precision."""
    partial = as_partial_date(value)
    if partial is None:
        return ""
    shown = partial.display(get_language())
    how_old = age_text(partial)
    if not how_old:
        return _or_japanese(gettext("as of %(date)s")) % {"date": shown}
    return _or_japanese(gettext("as of %(date)s, %(age)s")) % {"date": shown, "age": how_old}


@register.filter
def admin_url(obj: models.Model | None) -> str:
    """The admin change page of a record, or "" when its model has none."""
    if obj is None or obj.pk is None:
        return ""
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""
