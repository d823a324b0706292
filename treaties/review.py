"""What the editors should check in the treaty records: the treaties app's review checks.

Registered with the site (see `site_part`), so the review page and the dashboard list them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import ngettext

from core.registry import ReviewCheck

from .models import (
    STALE_AFTER_YEARS,
    ReportedFigure,
    ReportedFigureQuerySet,
    Treaty,
    TreatyQuerySet,
)
from .services import stale_statuses as stale_status_changes


def stale_figures(on: datetime.date | None = None) -> ReportedFigureQuerySet:
    """Figures whose as-of date is more than three years old, oldest first."""
    return (
        ReportedFigure.objects.stale(years=STALE_AFTER_YEARS, on=on)
        .select_related("treaty", "country", "source")
        .order_by("as_of_on", "pk")
    )


def treaties_past_expiry(on: datetime.date | None = None) -> TreatyQuerySet:
    """Treaties past their expiry date while their stored status says otherwise."""
    return Treaty.objects.expired_but_not_marked(on).order_by("expires_on", "pk")


def stale_statuses(on: datetime.date | None = None) -> list[dict[str, Any]]:
    """Stored statuses (treaties' and participations') that differ from today's derivation.

    A daily `refresh_statuses` keeps them equal; anything listed here means a run was missed.
    """
    result = stale_status_changes(on=on)
    return [
        {"record": obj, "stored": obj.get_status_display(), "derived": new.label}
        for obj, _old, new in result.treaties + result.participations
    ]


def changelist(model: type[models.Model]) -> str:
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")


CHECKS = [
    ReviewCheck(
        key="stale-figures",
        summary=lambda count: (
            ngettext(
                "%(counter)s figure stated more than three years ago",
                "%(counter)s figures stated more than three years ago",
                count,
            )
            % {"counter": count}
        ),
        find=stale_figures,
        template="treaties/review/stale_figures.html",
        dashboard_template="treaties/review/stale_figures_dashboard.html",
        admin_url=lambda: changelist(ReportedFigure),
    ),
    ReviewCheck(
        key="expired-treaties",
        summary=lambda count: (
            ngettext(
                "%(counter)s treaty past its expiry date with another stored status",
                "%(counter)s treaties past their expiry date with another stored status",
                count,
            )
            % {"counter": count}
        ),
        find=treaties_past_expiry,
        template="treaties/review/expired_treaties.html",
        admin_url=lambda: changelist(Treaty),
    ),
    ReviewCheck(
        key="stale-statuses",
        summary=lambda count: (
            ngettext(
                "%(counter)s stored status that differs from the one derived today",
                "%(counter)s stored statuses that differ from the ones derived today",
                count,
            )
            % {"counter": count}
        ),
        find=stale_statuses,
        template="treaties/review/stale_statuses.html",
        # Derived from every participation's acts: for the review page, not every home visit.
        on_dashboard=False,
    ),
]
