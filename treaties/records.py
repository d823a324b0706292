"""Statuses on a day, computed from the stored acts in a fixed number of queries.

`status.py` derives a status from a participation's acts; this module fetches the acts of
many participations at once and applies it, for a day in the past or the future.
"""

from __future__ import annotations

import bisect
import datetime
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import Q, QuerySet

from .choices import ActionType, ParticipationStatus
from .models import Participation, Treaty, TreatyAction, today
from .status import Act, Record, derive_status, no_counts, tally


def statuses_on(
    treaty: Treaty, day: datetime.date, participations: Collection[Participation] | None = None
) -> dict[int, ParticipationStatus]:
    """{participation pk: status on `day`} for every participation of a treaty, in two queries."""
    if participations is None:
        participations = list(Participation.objects.for_treaty(treaty))
    for participation in participations:
        participation.treaty = treaty
    return statuses_by_participation(participations, day)


def acts_by_participation(actions: QuerySet[TreatyAction]) -> defaultdict[int, list[TreatyAction]]:
    """{participation pk: its acts in chronological order}, from one query over `actions`."""
    grouped: defaultdict[int, list[TreatyAction]] = defaultdict(list)
    for action in actions.order_by("date_on", "pk"):
        grouped[action.participation_id].append(action)
    return grouped


def statuses_by_participation(
    participations: Collection[Participation], day: datetime.date
) -> dict[int, ParticipationStatus]:
    """{participation pk: status on `day`}, each from its own treaty, in one query."""
    acts = acts_by_participation(
        TreatyAction.objects.filter(participation__in=[p.pk for p in participations])
    )
    return {p.pk: derive_status(p.treaty, acts[p.pk], day) for p in participations}


def records_held_in(participations: Iterable[Record]) -> dict[str, int]:
    """`ParticipationQuerySet.records_held()` counted from participations with their acts
    in hand (each one's stored status, as the query counts), without a query."""
    counts = no_counts()
    for participation in participations:
        signed = any(a.action_type == ActionType.SIGNATURE for a in participation.actions.all())
        tally(
            counts,
            participation.status,
            participation.required_for_entry_into_force,
            signed,
        )
    return counts


def records_held_on(
    treaty: Treaty,
    days: Iterable[datetime.date],
    participations: Collection[Record] | None = None,
) -> dict[datetime.date, dict[str, int]]:
    """{day: records_held counts on that day} for a treaty, in two queries whatever the days,
    or none from `participations`: every one of the treaty's, with their acts in hand."""
    days = sorted(set(days))
    if not days:
        return {}
    by_participation: Mapping[int, Sequence[Act]]
    if participations is None:
        participations = list(treaty.participations.order_by())
        by_participation = acts_by_participation(TreatyAction.objects.for_treaty(treaty))
    else:
        by_participation = {p.pk: list(p.actions.all()) for p in participations}
    return counts_on_days(treaty, participations, by_participation, days)


def counts_on_days(
    treaty: Treaty,
    participations: Collection[Record],
    by_participation: Mapping[int, Sequence[Act]],
    days: Iterable[datetime.date],
) -> dict[datetime.date, dict[str, int]]:
    """{day: records_held counts on that day} from participations and their acts in hand.

    A participation's status on a day depends only on which of its acts are in effect (a
    set that only grows with the day, so its size names it) and on whether the treaty is in
    force or expired that day: each status is derived once per such state, not once per day.
    The counts are kept running from day to day: a day recounts only the participations with
    an act taking effect since the day before (all of them when the treaty's state changes).
    """
    effects = {pk: sorted(a.takes_effect for a in acts) for pk, acts in by_participation.items()}
    first_signature = {
        pk: min(signatures)
        for pk, acts in by_participation.items()
        if (signatures := [a.takes_effect for a in acts if a.action_type == ActionType.SIGNATURE])
    }
    required = {p.pk: p.required_for_entry_into_force for p in participations}
    # Every act's day, in order: between two days only the participations with an act
    # taking effect in between can change, unless the treaty's own state changes.
    changes = sorted((day, pk) for pk, days in effects.items() if pk in required for day in days)
    derived: dict[tuple[int, int, bool, bool], ParticipationStatus] = {}
    shown: dict[int, tuple[str, bool]] = {}
    running = no_counts()
    counts = {}
    treaty_state = None
    upcoming = 0
    for day in sorted(set(days)):
        passed = bisect.bisect_right(changes, (day, math.inf))
        if (state := (treaty.in_force_on(day), treaty.has_expired(day))) != treaty_state:
            treaty_state, changed = state, set(required)
        else:
            changed = {pk for _, pk in changes[upcoming:passed]}
        upcoming = passed
        for pk in changed:
            key = (pk, bisect.bisect_right(effects.get(pk, ()), day), *treaty_state)
            status = derived.get(key)
            if status is None:
                status = derived[key] = derive_status(treaty, by_participation.get(pk, ()), day)
            signed = pk in first_signature and first_signature[pk] <= day
            if pk in shown:
                was, had_signed = shown[pk]
                tally(running, was, required[pk], had_signed, by=-1)
            shown[pk] = (status, signed)
            tally(running, status, required[pk], signed)
        counts[day] = dict(running)
    return counts


def refresh_statuses_after_seed(saved: Mapping[type, Collection[Any]] | None = None) -> None:
    """Recompute the stored statuses from the actions (after a raw fixture load): of the
    participations the load saved, of those of the treaties it saved and of those whose
    acts it saved (`saved`, see `core.history.saved_rows`); of all without it.

    No version is written: the seed load records one "seed data" version per row after.
    """
    participations_query = Participation.objects.select_related("treaty")
    if saved is not None:
        participations_query = participations_query.filter(
            Q(pk__in=saved.get(Participation, ()))
            | Q(treaty__in=saved.get(Treaty, ()))
            | Q(
                pk__in=TreatyAction.objects.filter(pk__in=saved.get(TreatyAction, ())).values(
                    "participation"
                )
            )
        )
    participations = list(participations_query)
    statuses = statuses_by_participation(participations, today())
    changed: list[Participation] = []
    for participation in participations:
        status = statuses[participation.pk]
        if status != participation.status:
            participation.status = status
            changed.append(participation)
    Participation.objects.bulk_update(changed, ["status"], batch_size=500)
