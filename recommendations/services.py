"""Writes that change several rows together.

A recommendation's stored status is always the status of its latest update (by date,
then by recording order); every write here that adds or removes updates brings it back
in line in the same transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q

from .models import Recommendation, RecommendationUpdate

if TYPE_CHECKING:
    from core.dates import PartialDate
    from core.models import Source


@transaction.atomic
def recommendation_set_status(
    *,
    recommendation: Recommendation,
    status: str,
    date: PartialDate,
    note_ja: str = "",
    note_en: str = "",
    evidence: Source | None = None,
    locator: str = "",
    reason: str | None = None,
) -> RecommendationUpdate:
    """Record a status change and make it the recommendation's current status, in one transaction.

    `date` is a core.dates.PartialDate. The current status is always the status of the
    latest update (by date, then by recording order), so recording an older update does
    not overwrite a newer status. `reason`, if given, is the change reason kept with the
    update's first version in its history.
    """
    # Lock the row so two concurrent updates cannot leave a stale status.
    # (ordering dropped: the default one joins the nullable source, which FOR UPDATE refuses)
    list(
        Recommendation.objects.select_for_update()
        .filter(pk=recommendation.pk)
        .order_by()
        .values_list("pk")
    )
    update = RecommendationUpdate(
        recommendation=recommendation,
        status=status,
        note_ja=note_ja,
        note_en=note_en,
        evidence=evidence,
        locator=locator,
    )
    update.date = date
    update.full_clean()
    if reason:
        update._change_reason = reason
    update.save()
    recommendation_refresh_status(recommendation=recommendation)
    return update


@transaction.atomic
def recommendation_delete_updates(
    *, updates: Iterable[RecommendationUpdate], reason: str | None = None
) -> None:
    """Delete status updates and bring each affected recommendation's status back in line.

    The updates may belong to several recommendations; each is recomputed once, after all
    the deletions. `reason` is kept with each deletion in the history.
    """
    updates = list(updates)
    recommendations = {update.recommendation_id: update.recommendation for update in updates}
    for update in updates:
        update._change_reason = reason
        update.delete()
    for recommendation in recommendations.values():
        recommendation_refresh_status(recommendation=recommendation)


def recommendation_refresh_status(*, recommendation: Recommendation) -> str:
    """Store the status of the recommendation's latest update as its current status.

    PROPOSED when it has no update. Written with a queryset update (no new version of the
    recommendation: the status is derived, and the update's history records the change);
    `recommendation.status` is set too. Returns the status.
    """
    latest = recommendation.updates.order_by("-date_on", "-pk").first()
    status = latest.status if latest else Recommendation.Status.PROPOSED
    Recommendation.objects.filter(pk=recommendation.pk).update(status=status)
    recommendation.status = status
    return status


def recommendation_refresh_all_statuses(
    saved: Mapping[type, Collection[Any]] | None = None,
) -> None:
    """Bring current statuses in line with the latest update (after a raw fixture load):
    of the recommendations the load saved or gave an update (`saved`, see
    `core.history.saved_rows`); of all without it."""
    recommendations = Recommendation.objects.all()
    if saved is not None:
        recommendations = recommendations.filter(
            Q(pk__in=saved.get(Recommendation, ()))
            | Q(updates__in=saved.get(RecommendationUpdate, ()))
        ).distinct()
    for recommendation in recommendations:
        recommendation_refresh_status(recommendation=recommendation)
