from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext, ngettext

from core.dates import PartialDate
from core.editors import is_editor
from core.i18n import localized, localized_language
from core.languages import url_in_language

if TYPE_CHECKING:
    from django.db import models
    from django.template.context import Context
    from django.utils.safestring import SafeString

    from core.models import Source

register = template.Library()


@register.filter(name="is_editor")
def is_editor_filter(user: Any) -> bool:
    """{% if user|is_editor %}: notes for editors on the public pages (core.editors)."""
    return user is not None and is_editor(user)


@register.filter
def loc(obj: object, field: str) -> str:
    """{{ treaty|loc:"name" }}: the Japanese or English value for the active language."""
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def loc_lang(obj: object, field: str) -> str:
    """{{ source|loc_lang:"title" }}: the language of what `loc` shows, for a `lang` attribute."""
    if obj is None:
        return ""
    return localized_language(obj, field)


@register.filter
def pdate(value: PartialDate | datetime.date | Literal[""] | None) -> str:
    """{{ treaty.adopted|pdate }}: a partial date shown at its precision."""
    if value is None or value == "":
        return ""
    if isinstance(value, PartialDate):
        return value.display(get_language())
    return PartialDate(value).display(get_language())


@register.simple_tag
def provenance(fact: Any, sources: Mapping[int, Source] | None = None) -> SafeString:
    """Where a fact came from and how old it is: source link, locator, as-of date.

    `sources` is an optional {pk: Source} map so a table of facts needs no query per row.
    Built here rather than in a template: a page of facts shows it for every one of them.
    """
    return ProvenanceMarks(sources)(fact)


class ProvenanceMarks:
    """`provenance` for the many facts of one page, with its {pk: Source} map (or each
    fact's own source without one). Each source's link and each as-of date's text are
    built once; a fact adds only its locator. Every text is escaped as format_html would.
    """

    def __init__(self, sources: Mapping[int, Source] | None) -> None:
        self.sources = sources
        self.label = escape(gettext("Source"))
        self.no_source = escape(gettext("no source recorded"))
        self.links: dict[int, str] = {}
        self.dates: dict[PartialDate, tuple[str, str]] = {}

    def __call__(self, fact: Any) -> SafeString:
        source = None
        if source_id := getattr(fact, "source_id", None):
            source = self.sources.get(source_id) if self.sources is not None else fact.source
        as_of = as_partial_date(getattr(fact, "as_of", None))
        on, how_old = self.date(as_of) if as_of else ("", "")
        if source is None:
            return mark_safe(
                f'<span class="provenance"><span class="no-source">{self.no_source}</span>'
                f"{how_old}</span>"
            )
        locator = getattr(fact, "locator", "")
        located = (
            f', <span lang="{escape(source.language)}">{escape(locator)}</span>' if locator else ""
        )
        return mark_safe(
            f'<details class="provenance"><summary>{self.label}{on}</summary>'
            f'<span class="provenance-body">{self.link(source)}{located}{how_old}</span></details>'
        )

    def link(self, source: Source) -> str:
        link = self.links.get(source.pk)
        if link is None:
            link = self.links[source.pk] = (
                f'<a href="{escape(source.get_absolute_url())}" '
                f'lang="{escape(loc_lang(source, "title"))}">{escape(loc(source, "title"))}</a>'
            )
        return link

    def date(self, as_of: PartialDate) -> tuple[str, str]:
        """The as-of date beside "Source", and how old it is."""
        texts = self.dates.get(as_of)
        if texts is None:
            texts = self.dates[as_of] = (
                f' <time datetime="{as_of.iso()}">{escape(pdate(as_of))}</time>',
                f' · <time class="as-of" datetime="{as_of.iso()}">{escape(age(as_of))}</time>',
            )
        return texts


@register.simple_tag
def shared_provenance(facts: Any) -> Any:
    """The first of `facts` when every one of them cites the same source, locator and as-of.

    A table whose rows all come from one place says so once, under the table, instead of
    repeating the same marker on every row. None when the rows differ, or are fewer than two.
    """
    rows = list(facts)
    if len(rows) < 2:
        return None
    keys = {
        (getattr(row, "source_id", None), getattr(row, "locator", ""), getattr(row, "as_of", None))
        for row in rows
    }
    if len(keys) != 1 or next(iter(keys))[0] is None:
        return None
    return rows[0]


@register.simple_tag(takes_context=True)
def query_with(context: Context, **kwargs: Any) -> str:
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def query_with_key(context: Context, key: str, value: Any) -> str:
    """`query_with` for a parameter whose name is itself a variable (`<kind>_page`)."""
    return query_with(context, **{key: value})


@register.simple_tag(takes_context=True)
def language_versions(context: Context) -> list[dict[str, Any]]:
    """This page in each language: its address in that language, with the same query.

    Each entry has the language's `code`, its `name` in that language, a relative `url`
    for the switch in the header, an `absolute_url` for the `hreflang` alternates, and
    `current` for the language the page is shown in. `{"code": "x-default"}` comes last:
    the page in the site's default language, for readers of any other.
    """
    request = context.get("request")
    if request is None:  # the 400 page is rendered without one
        return []
    try:
        origin = f"{request.scheme}://{request.get_host()}"
    except DisallowedHost:  # the 400 page for a bad Host header: relative addresses only
        origin = ""
    current = (get_language() or settings.LANGUAGE_CODE)[:2]
    urls = {code: url_in_language(request, code) for code, _name in settings.LANGUAGES}
    versions: list[dict[str, Any]] = [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": url,
            "absolute_url": origin + url,
            "current": code == current,
        }
        for code, url in urls.items()
    ]
    default = urls[settings.LANGUAGE_CODE]
    versions.append({"code": "x-default", "url": default, "absolute_url": origin + default})
    return versions


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
        return ngettext("%(count)d year ago", "%(count)d years ago", years) % {"count": years}
    if partial.start.year == on.year:
        return gettext("this year")
    return gettext("less than a year ago")


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
        return gettext("as of %(date)s") % {"date": shown}
    return gettext("as of %(date)s, %(age)s") % {"date": shown, "age": how_old}


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
