"""A country's standing towards a treaty, derived from its dated actions: no query here.

Pure functions of a treaty and its acts (duck-typed), so the models can use them; the
queries that gather the acts are in `records.py`.

The stored `Participation.status` is this computation as of today; the treaty page's
"as of" view runs it for any past day. An action counts from the day it takes effect:
its effective date where one is recorded, else the last day its stated date could
mean (an act dated only "June 1976" is certain from 30 June 1976).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.dates import period_end

from .choices import (
    CONSENT_AFTER_SIGNATURE,
    CONSENT_TYPES,
    RATIFIED_STATUSES,
    ActionType,
    ParticipationStatus,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    # For the annotations only: the models import this module, never the other way round.
    from .models import Treaty, TreatyAction


@dataclass(frozen=True)
class ShownStatus:
    """A status as a reader sees it: its value (for CSS and filters) and its label."""

    value: str
    label: _StrOrPromise


NO_ACT_RECORDED = ShownStatus("no_act", gettext_lazy("no act recorded"))


class Act(Protocol):
    """What the derivation reads of an act: a `TreatyAction`, or the plain row of one a page
    reads to draw a treaty's every state (`pictures.HeldAct`)."""

    @property
    def pk(self) -> Any: ...

    @property
    def action_type(self) -> str: ...

    @property
    def date_on(self) -> datetime.date: ...

    @property
    def takes_effect(self) -> datetime.date: ...


class Acts(Protocol):
    def all(self) -> Iterable[Act]: ...


class Record(Protocol):
    """What the derivation and the counts read of a participation: a `Participation` with its
    acts in hand, or the plain row of one (`pictures.HeldRecord`)."""

    @property
    def pk(self) -> Any: ...

    @property
    def treaty(self) -> Treaty: ...

    @property
    def status(self) -> str: ...

    @property
    def required_for_entry_into_force(self) -> bool: ...

    @property
    def actions(self) -> Acts: ...


def shown_status(participation: Record, status: str | None = None) -> ShownStatus:
    """What the page says of a participation's status (the stored one unless given).

    A state with no act is "not signed" only where the treaty's records are complete (a
    depositary's full list as of a stated day). Elsewhere the records may simply lack its
    acts, so the page says that no act is recorded, never that it has not signed.
    """
    status = ParticipationStatus(status or participation.status)
    if (
        status == ParticipationStatus.NOT_SIGNED
        and participation.treaty.record_complete_on is None
        and not participation.actions.all()
    ):
        return NO_ACT_RECORDED
    return ShownStatus(status.value, status.label)


def effect_day(
    effective_on: datetime.date | None, date_on: datetime.date, precision: str
) -> datetime.date:
    """The day from which an act counts: its effective date, else the end of the period its
    date stands for (`TreatyAction.takes_effect`)."""
    return effective_on or period_end(date_on, precision)


def derive_status(
    treaty: Treaty, actions: Iterable[Act], day: datetime.date
) -> ParticipationStatus:
    """The status on `day` given a participation's actions in chronological order."""
    status = ParticipationStatus.NOT_SIGNED
    consented_on = None
    for action in actions:
        if action.takes_effect > day:
            continue
        kind = action.action_type
        if kind == ActionType.SIGNATURE:
            if status in (ParticipationStatus.NOT_SIGNED, ParticipationStatus.WITHDRAWN):
                status = ParticipationStatus.SIGNATORY
        elif kind in CONSENT_TYPES:
            status = ParticipationStatus.CONSENTED
            consented_on = action.takes_effect
        elif kind == ActionType.WITHDRAWAL:
            status = ParticipationStatus.WITHDRAWN
            consented_on = None
        elif kind == ActionType.REVOCATION:
            # Revoking a ratification leaves a signatory, not a state that withdrew.
            status = ParticipationStatus.SIGNATORY
            consented_on = None
        elif kind == ActionType.SUSPENSION:
            status = ParticipationStatus.SUSPENDED
    if consented_on is not None and treaty.has_expired(day):
        # A bilateral treaty past its expiry binds no one any more.
        if status in (ParticipationStatus.CONSENTED, ParticipationStatus.SUSPENDED):
            return ParticipationStatus.FORMER_PARTY
    if status == ParticipationStatus.CONSENTED and consented_on is not None:
        if treaty.is_regime:
            status = ParticipationStatus.PARTICIPATING
        elif treaty.in_force_on(day):
            status = ParticipationStatus.PARTY
    return status


def no_counts() -> dict[str, int]:
    """The counts of `ParticipationQuerySet.records_held()` for no participation at all;
    `tally` counts each participation in, with its status on a day."""
    counts = dict.fromkeys(ParticipationStatus.values, 0)
    counts.update(consented_or_party=0, required_consented=0, required_total=0, signed=0, total=0)
    return counts


def tally(counts: dict[str, int], status: str, required: bool, signed: bool, by: int = 1) -> None:
    """Count one participation into `counts` (`by=-1` takes it out again)."""
    counts[status] += by
    counts["total"] += by
    if required:
        counts["required_total"] += by
    if signed:
        counts["signed"] += by
    if status in RATIFIED_STATUSES:
        counts["consented_or_party"] += by
        if required:
            counts["required_consented"] += by


def validate_sequence(treaty: Treaty, actions: Sequence[TreatyAction]) -> None:
    """Raise ValidationError when a country's actions do not make a coherent sequence.

    Partial dates are compared by the periods they stand for: a ratification dated only
    "1997" may follow a signature of 24 September 1996 or one of March 1997.
    """

    def earlier(action: TreatyAction, kinds: Collection[str]) -> bool:
        return any(
            other is not action
            and other.action_type in kinds
            and other.date.start <= action.date.end
            for other in actions
        )

    errors: list[str] = []
    opened = treaty.opened or treaty.adopted
    for action in sorted(actions, key=lambda a: a.date.start):
        kind = action.action_type
        params = {"action": action.get_action_type_display(), "date": action.date.iso()}
        if opened is not None and action.date.end < opened.start:
            errors.append(
                _("%(action)s of %(date)s is before the treaty opened for signature (%(opened)s).")
                % {**params, "opened": opened.iso()}
            )
        if (
            kind in CONSENT_AFTER_SIGNATURE
            and not treaty.is_regime
            and not earlier(action, {ActionType.SIGNATURE})
        ):
            errors.append(
                _(
                    "%(action)s of %(date)s has no earlier signature: record the signature "
                    "first, or record an accession."
                )
                % params
            )
        elif kind in (ActionType.WITHDRAWAL, ActionType.SUSPENSION) and not earlier(
            action, CONSENT_TYPES
        ):
            errors.append(
                _("%(action)s of %(date)s comes before any consent to be bound.") % params
            )
        elif kind == ActionType.REVOCATION and not earlier(action, {ActionType.RATIFICATION}):
            errors.append(
                _("%(action)s of %(date)s has no earlier ratification to revoke.") % params
            )
    if errors:
        raise ValidationError(errors)
