"""Writes that change several rows together."""

from django.db import transaction

from .models import Recommendation, RecommendationUpdate


@transaction.atomic
def recommendation_set_status(
    *, recommendation, status, date, note_ja="", note_en="", evidence=None, locator=""
):
    """Record a status change and make it the recommendation's current status, in one transaction.

    `date` is a core.dates.PartialDate. The current status is always the status of the
    latest update (by date, then by recording order), so recording an older update does
    not overwrite a newer status.
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
    update.save()
    recommendation_refresh_status(recommendation=recommendation)
    return update


def recommendation_refresh_status(*, recommendation):
    latest = recommendation.updates.order_by("-date_on", "-pk").first()
    status = latest.status if latest else Recommendation.Status.PROPOSED
    Recommendation.objects.filter(pk=recommendation.pk).update(status=status)
    recommendation.status = status
    return status


def recommendation_refresh_all_statuses():
    """Bring every current status in line with the latest update (after a raw fixture load)."""
    for recommendation in Recommendation.objects.all():
        recommendation_refresh_status(recommendation=recommendation)
