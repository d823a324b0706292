"""A country's standing towards a treaty, computed from its dated actions.

The stored `Participation.status` is this computation as of today; the treaty page's
"as of" view runs it for any past day. An action counts from the day it takes effect:
its effective date where one is recorded, else the last day its stated date could
mean (an act dated only "June 1976" is certain from 30 June 1976).
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import (
    CONSENT_AFTER_SIGNATURE,
    CONSENT_TYPES,
    ActionType,
    Participation,
    ParticipationStatus,
    TreatyAction,
)


def derive_status(treaty, actions, day):
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


def statuses_on(treaty, day, participations=None):
    """{participation pk: status on `day`} for every participation of a treaty, in two queries."""
    if participations is None:
        participations = list(Participation.objects.for_treaty(treaty))
    for participation in participations:
        participation.treaty = treaty
    return statuses_by_participation(participations, day)


def statuses_by_participation(participations, day):
    """{participation pk: status on `day`}, each from its own treaty, in one query."""
    by_participation = defaultdict(list)
    actions = TreatyAction.objects.filter(
        participation__in=[p.pk for p in participations]
    ).order_by("date_on", "pk")
    for action in actions:
        by_participation[action.participation_id].append(action)
    return {p.pk: derive_status(p.treaty, by_participation[p.pk], day) for p in participations}


def validate_sequence(treaty, actions):
    """Raise ValidationError when a country's actions do not make a coherent sequence.

    Partial dates are compared by the periods they stand for: a ratification dated only
    "1997" may follow a signature of 24 September 1996 or one of March 1997.
    """

    def earlier(action, kinds):
        return any(
            other is not action
            and other.action_type in kinds
            and other.date.start <= action.date.end
            for other in actions
        )

    errors = []
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
