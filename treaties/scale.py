"""Data at the scale of the full public record, for benchmarks: many treaties, every state.

`generate_scale_data(treaties=500, countries=200, seed=1)` writes 100,000 participations
with their dated acts (about 1.9 per participation): every row valid under the database's
constraints and the acts' sequence rules (`status.validate_sequence`), every stored status
derived by the project's own code (`status.derive_status`, `Treaty.derived_status`). The
same arguments give the same rows on any database. The rows are written in bulk, without
edit history: they stand for a large record, not for a record edited by hand.

It refuses a database that holds anything it did not generate (the seed, real records),
unless told to generate alongside it.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django_countries import countries as country_names

from core.dates import Precision
from core.models import Source

from .choices import ActionType
from .models import Country, Participation, Treaty, TreatyAction, today
from .status import derive_status, validate_sequence

PREFIX = "scale-"
SOURCE_SLUG = "scale-generated"
LAST_DAY = datetime.date(2025, 12, 31)
# Participations written per round trip; bounds memory at a million rows.
CHUNK = 10_000


class RealDataPresent(Exception):
    """The database holds rows this generator did not write."""


@dataclass
class Generated:
    treaties: int = 0
    countries: int = 0
    participations: int = 0
    actions: int = 0


def holds_other_data() -> bool:
    return (
        Treaty.objects.exclude(slug__startswith=PREFIX).exists()
        or Source.objects.exclude(slug=SOURCE_SLUG).exists()
    )


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    span = max((end - start).days, 0)
    return start + datetime.timedelta(days=rng.randint(0, span))


def _coarse(rng: random.Random, day: datetime.date) -> tuple[datetime.date, str]:
    """Mostly a day; now and then only a month or a year, as the records sometimes give."""
    draw = rng.random()
    if draw < 0.02:
        return day.replace(month=1, day=1), Precision.YEAR
    if draw < 0.07:
        return day.replace(day=1), Precision.MONTH
    return day, Precision.DAY


def _acts(
    rng: random.Random, treaty: Treaty, participation: Participation, source: Source
) -> list[TreatyAction]:
    """A coherent sequence of acts for one state, chronological."""
    opened = treaty.opened_on or datetime.date(1970, 1, 1)
    steps: list[tuple[str, datetime.date, str]] = []
    # Early enough that the latest act of a sequence (up to ~3,900 days on) is still past.
    first, precision = _coarse(rng, _day(rng, opened, LAST_DAY - datetime.timedelta(days=4000)))
    if treaty.is_regime:
        if rng.random() < 0.8:
            steps.append((ActionType.ADMISSION, first, precision))
    else:
        draw = rng.random()
        # Later acts come more than a year after a first act known only to the month or year.
        later = first + datetime.timedelta(days=400 + rng.randint(0, 1500))
        if draw < 0.05:
            pass  # no act recorded
        elif draw < 0.20:
            steps.append((ActionType.SIGNATURE, first, precision))
        elif draw < 0.75:
            steps += [
                (ActionType.SIGNATURE, first, precision),
                (ActionType.RATIFICATION, later, Precision.DAY),
            ]
        elif draw < 0.85:
            steps.append((ActionType.ACCESSION, first, precision))
        else:
            leaving = later + datetime.timedelta(days=200 + rng.randint(0, 800))
            steps += [
                (ActionType.SIGNATURE, first, precision),
                (ActionType.RATIFICATION, later, Precision.DAY),
                (ActionType.WITHDRAWAL, leaving, Precision.DAY),
            ]
            if draw >= 0.95:
                back = leaving + datetime.timedelta(days=300 + rng.randint(0, 300))
                steps.append((ActionType.ACCESSION, back, Precision.DAY))
    acts = []
    for kind, day, precision in steps:
        act = TreatyAction(
            participation=participation,
            action_type=kind,
            date_on=day,
            date_precision=precision,
            effective_on=(
                day + datetime.timedelta(days=90) if kind == ActionType.WITHDRAWAL else None
            ),
            depositary="Secretary-General" if rng.random() < 0.5 else "",
            source=source,
            locator=f"{participation.treaty.slug} {participation.country.code} {kind}",
            as_of_on=LAST_DAY,
            as_of_precision=Precision.DAY,
        )
        acts.append(act)
    return acts


def _treaty(rng: random.Random, number: int, source: Source) -> Treaty:
    regime = rng.random() < 0.15
    opened = _day(rng, datetime.date(1960, 1, 1), datetime.date(2015, 12, 31))
    in_force = None if regime or rng.random() < 0.2 else opened + datetime.timedelta(
        days=rng.randint(200, 2000)
    )
    treaty = Treaty(
        slug=f"{PREFIX}{number:05d}",
        short_name_en=f"Scale treaty {number}",
        short_name_ja=f"規模試験条約 {number}",
        name_en=f"Generated treaty number {number} for measurements at scale",
        name_ja=f"規模試験のための生成条約 第{number}号",
        kind=Treaty.Kind.REGIME if regime else Treaty.Kind.MULTILATERAL,
        status=Treaty.Status.OPERATING if regime else Treaty.Status.OPEN_FOR_SIGNATURE,
        opened_on=opened,
        opened_precision=Precision.DAY,
        entered_into_force_on=in_force,
        entered_into_force_precision=Precision.DAY if in_force else "",
        display_order=1000 + number,
        source=source,
        locator=f"treaty {number}",
        as_of_on=LAST_DAY,
        as_of_precision=Precision.DAY,
    )
    treaty.status = treaty.derived_status()
    return treaty


# The states whose pages are measured come first; the rest in code order.
FIRST_CODES = ("US", "JP", "RU", "CN", "GB", "FR", "IN", "PK", "IL", "KP", "DE", "IR")


def _countries(count: int) -> list[Country]:
    rest = sorted(code for code, _name in country_names if code not in FIRST_CODES)
    codes = [*FIRST_CODES, *rest][:count]
    if len(codes) < count:
        raise ValueError(f"there are only {len(codes)} country codes")
    existing = {str(country.code): country for country in Country.objects.filter(code__in=codes)}
    Country.objects.bulk_create(Country(code=code) for code in codes if code not in existing)
    return list(Country.objects.filter(code__in=codes).order_by("code"))


def _chunks(items: list[Treaty], size: int) -> Iterator[list[Treaty]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def generate_scale_data(
    *, treaties: int = 500, countries: int = 200, seed: int = 1, alongside_real_data: bool = False
) -> Generated:
    if treaties < 1 or countries < 1:
        raise ValueError("--treaties and --countries must be at least 1")
    if Treaty.objects.filter(slug__startswith=PREFIX).exists():
        raise RealDataPresent("the database already holds generated data: use an empty one")
    if holds_other_data() and not alongside_real_data:
        raise RealDataPresent(
            "the database holds real data (the seed or records not generated here); "
            "use an empty database, or pass --alongside-real-data to add to it"
        )
    rng = random.Random(seed)
    done = Generated()
    # Written in bulk like every generated row: no version, no entry in the change log.
    [source] = Source.objects.bulk_create(
        [
            Source(
                slug=SOURCE_SLUG,
                title_en="Generated data for measurements at scale",
                title_ja="規模試験のための生成データ",
                kind=Source.Kind.OTHER,
                language=Source.Language.EN,
            )
        ]
    )
    states = _countries(countries)
    done.countries = len(states)
    made = Treaty.objects.bulk_create(
        [_treaty(rng, number, source) for number in range(1, treaties + 1)]
    )
    done.treaties = len(made)
    on = today()
    per_chunk = max(CHUNK // len(states), 1)
    for group in _chunks(made, per_chunk):
        participations = []
        acts_of: list[list[TreatyAction]] = []
        for treaty in group:
            for country in states:
                participation = Participation(
                    treaty=treaty,
                    country=country,
                    required_for_entry_into_force=rng.random() < 0.2,
                    source=source,
                    locator=f"{treaty.slug} {country.code}",
                    as_of_on=LAST_DAY,
                    as_of_precision=Precision.DAY,
                )
                acts = _acts(rng, treaty, participation, source)
                validate_sequence(treaty, acts)
                participation.status = derive_status(treaty, acts, on)
                participations.append(participation)
                acts_of.append(acts)
        Participation.objects.bulk_create(participations)
        for participation, acts in zip(participations, acts_of, strict=True):
            for act in acts:
                act.participation = participation
        actions = [act for acts in acts_of for act in acts]
        TreatyAction.objects.bulk_create(actions)
        done.participations += len(participations)
        done.actions += len(actions)
    return done
