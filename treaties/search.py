"""What the site search finds in the treaty app: treaties, countries and events by name.

Each finder selects with the same `search()` as its list's `q` filter, so a "more" link to
the list shows the same records; `core.search` ranks them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.dates import PartialDate
from core.registry import Finder, Found, Hit
from core.search import find, list_url, reader_language

from .models import Country, Treaty, TreatyEvent


def treaty_hit(treaty: Treaty) -> Hit:
    return Hit(
        name_ja=treaty.short_name_ja,
        name_en=treaty.short_name_en,
        url=treaty.get_absolute_url(),
        detail=treaty.loc("name"),
        also=(treaty.name_ja, treaty.name_en, treaty.slug),
        pk=treaty.pk,
    )


def find_treaties(query: str, limit: int) -> Found:
    return find(
        Treaty.objects.search(query),
        query=query,
        limit=limit,
        hit=treaty_hit,
        name_fields=("short_name_en", "short_name_ja", "name_en", "name_ja", "slug"),
    )


def country_hit(country: Country) -> Hit:
    return Hit(
        name_ja=country.name_in("ja"),
        name_en=country.name_in("en"),
        url=country.get_absolute_url(),
        detail=str(country.code),
        also=(country.name_ja_reading, str(country.code)),
        reading=country.name_ja_reading,
        pk=country.pk,
    )


def find_countries(query: str, limit: int) -> Found:
    # Names come from django-countries, not from a column: no full-text ranking to order by.
    return find(
        Country.objects.search(query),
        query=query,
        limit=limit,
        hit=country_hit,
    )


def event_url(event: TreatyEvent) -> str:
    if event.treaty is not None:
        return event.treaty.get_absolute_url() + f"#event-{event.pk}"
    return event.get_absolute_url()


def event_hit(event: TreatyEvent) -> Hit:
    date = PartialDate(event.date_on, event.date_precision).display(reader_language())
    treaty = str(event.treaty) if event.treaty is not None else ""
    return Hit(
        name_ja=event.title_ja,
        name_en=event.title_en,
        url=event_url(event),
        detail=f"{date} · {treaty}" if treaty else date,
        pk=event.pk,
    )


def find_events(query: str, limit: int) -> Found:
    return find(
        TreatyEvent.objects.search(query).select_related("treaty"),
        query=query,
        limit=limit,
        hit=event_hit,
        name_fields=("title_en", "title_ja"),
    )


FINDERS = [
    Finder(
        "treaties",
        _("Treaties"),
        _("treaty"),
        find_treaties,
        more_url=lambda query: list_url("treaties:treaty-list", query),
    ),
    Finder(
        "countries",
        _("Countries"),
        _("country"),
        find_countries,
        more_url=lambda query: list_url("treaties:country-list", query),
    ),
    Finder(
        "events",
        _("Events"),
        _("event"),
        find_events,
        more_url=lambda query: list_url("treaties:event-list", query),
    ),
]
