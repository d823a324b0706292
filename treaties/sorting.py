"""The orders the treaty app's lists offer (`?sort=`), and countries in name order.

Country names live in django-countries, not in the database, and Japanese readers expect
them in gojūon order of their reading: the countries are ranked in Python (`core.collation`)
and the database sorts by that rank, so a list of countries, or of participations by
country, pages through the same order on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Case, Q, Value, When
from django.db.models.expressions import BaseExpression
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from core.collation import english_key, japanese_key
from core.sorting import (
    SortOrder,
    choice_order,
    localized_order,
    partial_date_order,
    rank_by,
)

from .choices import ParticipationStatus
from .models import (
    Country,
    EventKind,
    Posture,
    Region,
    TreatyKind,
    TreatyStatus,
    participations_of,
    today,
)


def countries_in_name_order(language: str | None = None) -> list[tuple[str, int]]:
    """(code, id) of the recorded countries in name order for `language` (one query):
    Japanese by the reading of the name (by the name itself where no reading is recorded),
    English by the name."""
    language = (language or translation.get_language() or "ja")[:2]
    rows = Country.objects.order_by().values_list("code", "pk", "name_ja_reading")
    readings = {str(code): (pk, reading) for code, pk, reading in rows}
    with translation.override("ja" if language == "ja" else "en"):
        names = {code: str(countries.name(code)) for code in readings}
    keys: dict[str, tuple[str, ...]]
    if language == "ja":
        keys = {code: japanese_key(readings[code][1] or names[code]) for code in readings}
    else:
        keys = {code: english_key(names[code]) for code in readings}
    ordered = sorted(readings, key=lambda code: (keys[code], code))
    return [(code, readings[code][0]) for code in ordered]


def codes_in_name_order(language: str | None = None) -> list[str]:
    """The codes of the recorded countries in name order for `language`."""
    return [code for code, _pk in countries_in_name_order(language)]


def country_name_order(code_field: str = "code") -> Callable[[], BaseExpression]:
    """A term: countries (through `code_field`) in name order for the reader's language."""
    return lambda: rank_by(code_field, codes_in_name_order())


def participations_by_country() -> tuple[str, list[int]]:
    """The segments of participations sorted by country: the countries' ids in name order."""
    return "country_id", [pk for _code, pk in countries_in_name_order()]


def participations_by_status() -> tuple[str, list[str]]:
    """The segments of participations sorted by status: the statuses in declared order."""
    return "status", list(ParticipationStatus.values)


def effective_status_order() -> BaseExpression:
    """Treaties by the status a reader sees: past its expiry date a treaty counts as expired."""
    statuses = TreatyStatus.values
    expired = Q(expires_on__lt=today()) & ~Q(status=TreatyStatus.TERMINATED)
    return Case(
        When(expired, then=Value(statuses.index(TreatyStatus.EXPIRED))),
        *(When(status=status, then=Value(rank)) for rank, status in enumerate(statuses)),
        default=Value(len(statuses)),
    )


TREATY_ORDERS = {
    "name": SortOrder(_("name"), [localized_order("short_name"), "slug"]),
    "kind": SortOrder(_("kind"), [choice_order("kind", TreatyKind.values), "display_order"]),
    "status": SortOrder(_("status"), [effective_status_order, "display_order"]),
    "adopted": SortOrder(_("adopted"), partial_date_order("adopted")),
    "in_force": SortOrder(_("entered into force"), partial_date_order("entered_into_force")),
    "participations": SortOrder(
        _("participations recorded"),
        ["sort_participations", "display_order"],
        prepare=lambda qs: qs.alias(sort_participations=participations_of("treaty")),
        descending_first=True,
    ),
}

COUNTRY_ORDERS = {
    "name": SortOrder(_("name"), [country_name_order()]),
    "code": SortOrder(_("ISO code"), []),
    "region": SortOrder(_("region"), [choice_order("region", Region.values), country_name_order()]),
    "posture": SortOrder(
        _("nuclear posture"),
        [choice_order("nuclear_posture", Posture.values), country_name_order()],
    ),
    "un_member": SortOrder(_("UN member"), ["un_member", country_name_order()]),
    "treaties": SortOrder(
        _("treaties with a record"),
        ["sort_treaties", country_name_order()],
        prepare=lambda qs: qs.alias(sort_treaties=participations_of("country")),
        descending_first=True,
    ),
}

TREATY_POSITION = ["treaty__display_order", "treaty__slug"]

# Each order reads an index of treaties in order, then each treaty's participations; a page
# sorted by country or status reads one country's or status's rows at a time (`segments`).
PARTICIPATION_ORDERS = {
    "country": SortOrder(
        _("country"),
        [country_name_order("country__code"), *TREATY_POSITION],
        segments=participations_by_country,
    ),
    "treaty": SortOrder(_("treaty"), [*TREATY_POSITION, country_name_order("country__code")]),
    "status": SortOrder(
        _("status"),
        [
            choice_order("status", ParticipationStatus.values),
            *TREATY_POSITION,
            country_name_order("country__code"),
        ],
        segments=participations_by_status,
    ),
}

EVENT_ORDERS = {
    "date": SortOrder(_("date"), partial_date_order("date")),
    "title": SortOrder(_("title"), [localized_order("title")]),
    "treaty": SortOrder(
        _("treaty"), ["treaty__display_order", "treaty__slug", *partial_date_order("date")]
    ),
    "kind": SortOrder(_("kind"), [choice_order("kind", EventKind.values), "date_on"]),
}


def status_rank(status: str) -> int:
    """The position of a participation status in the order the status column sorts by."""
    values = ParticipationStatus.values
    return values.index(status) if status in values else len(values)
