"""The choices and sets that a participation's status is derived from.

Kept apart from the models so that the derivation (`status.py`) needs no model: the
models use the derivation, never the other way round.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipationStatus(models.TextChoices):
    NOT_SIGNED = "not_signed", _("not signed")
    SIGNATORY = "signatory", _("signatory")
    CONSENTED = "consented", _("ratified, not yet in force")
    PARTY = "party", _("party")
    PARTICIPATING = "participating", _("participating")
    SUSPENDED = "suspended", _("suspended")
    WITHDRAWN = "withdrawn", _("withdrawn")
    FORMER_PARTY = "former_party", _("party until the treaty expired")


# A state that has consented to be bound: ratified (or acceded …), in force or not yet.
RATIFIED_STATUSES = (ParticipationStatus.CONSENTED, ParticipationStatus.PARTY)


class ActionType(models.TextChoices):
    SIGNATURE = "signature", _("signature")
    RATIFICATION = "ratification", _("ratification")
    ACCEPTANCE = "acceptance", _("acceptance")
    APPROVAL = "approval", _("approval")
    ACCESSION = "accession", _("accession")
    SUCCESSION = "succession", _("succession")
    ADMISSION = "admission", _("admission (regimes, political agreements)")
    WITHDRAWAL = "withdrawal", _("withdrawal")
    REVOCATION = "revocation", _("revocation of ratification")
    SUSPENSION = "suspension", _("suspension")


# Acts by which a state consents to be bound (or joins a regime).
CONSENT_TYPES = frozenset(
    {
        ActionType.RATIFICATION,
        ActionType.ACCEPTANCE,
        ActionType.APPROVAL,
        ActionType.ACCESSION,
        ActionType.SUCCESSION,
        ActionType.ADMISSION,
    }
)
# Consent given on top of an earlier signature.
CONSENT_AFTER_SIGNATURE = frozenset(
    {ActionType.RATIFICATION, ActionType.ACCEPTANCE, ActionType.APPROVAL}
)
