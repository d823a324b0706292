"""What the editors should check in the recommendations: the app's review check."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from core.dates import years_before
from core.registry import ReviewCheck

from .models import Recommendation, RecommendationQuerySet


def recommendations_without_recent_update(
    on: datetime.date | None = None,
) -> RecommendationQuerySet:
    """Recommendations whose latest status update is more than twelve months old, or absent."""
    since = years_before(on or timezone.localdate(), 1)
    return (
        Recommendation.objects.without_update_since(since)
        .with_last_update_date()
        .select_related("source")
        .order_by("source__published_on", "source__slug", "number", "pk")
    )


CHECKS = [
    ReviewCheck(
        key="stale-recommendations",
        summary=lambda count: (
            ngettext(
                "%(counter)s recommendation without an update in the last twelve months",
                "%(counter)s recommendations without an update in the last twelve months",
                count,
            )
            % {"counter": count}
        ),
        find=recommendations_without_recent_update,
        template="recommendations/review/stale_recommendations.html",
        admin_url=lambda: reverse("admin:recommendations_recommendation_changelist"),
    ),
]
