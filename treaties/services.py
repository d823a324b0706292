"""Writes that keep stored, date-dependent statuses true as time passes.

A participation's status is derived from its dated acts, and a treaty's stored status from
its key dates (it enters into force, it expires); both are stored for filtering. What is
stored is refreshed when the dates it depends on change and by `manage.py
refresh_statuses`, run daily. Every refresh is saved, so the edit history shows it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models, transaction

from .models import Participation, Treaty, today
from .records import statuses_by_participation

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

REFRESH_REASON = "status refreshed"


@dataclass
class RefreshResult:
    # (record, stored status, derived status): a TreatyStatus or a ParticipationStatus.
    treaties: list[tuple[Treaty, str, models.TextChoices]] = field(default_factory=list)
    participations: list[tuple[Participation, str, models.TextChoices]] = field(
        default_factory=list
    )

    @property
    def changed(self) -> int:
        return len(self.treaties) + len(self.participations)


def stale_statuses(
    *, on: datetime.date | None = None, treaties: Iterable[Treaty] | None = None
) -> RefreshResult:
    """Stored statuses that differ from the ones derived on `on` (today), unsaved."""
    on = on or today()
    result = RefreshResult()
    treaty_list = list(treaties if treaties is not None else Treaty.objects.all())
    for treaty in treaty_list:
        derived = treaty.derived_status(on)
        if derived != treaty.status:
            result.treaties.append((treaty, treaty.status, derived))
    participations = list(
        Participation.objects.filter(treaty__in=treaty_list).select_related("treaty", "country")
    )
    # derive_status reads the treaty's dates, never its stored status.
    statuses = statuses_by_participation(participations, on)
    for participation in participations:
        status = statuses[participation.pk]
        if status != participation.status:
            result.participations.append((participation, participation.status, status))
    return result


def refresh_statuses(
    *,
    on: datetime.date | None = None,
    treaties: Iterable[Treaty] | None = None,
    user: AbstractBaseUser | None = None,
) -> RefreshResult:
    """Store the statuses derived on `on` (today) wherever they moved; one version each."""
    on = on or today()
    # Stored with each version, so in one language whatever the active one.
    reason = f"{REFRESH_REASON} on {on.isoformat()}"
    with transaction.atomic():
        result = stale_statuses(on=on, treaties=treaties)
        for items in (result.treaties, result.participations):
            for obj, _old, new in items:
                obj.status = new
                obj._change_reason = reason
                if user is not None and user.pk:
                    obj._history_user = user
                obj.save(update_fields=["status", "updated_at"])
    return result
