"""What an editor should look at: the four checks of the review page and the dashboard.

Each check returns a queryset (the unsourced check one per kind of fact), ready for
display: related rows that `str()` reads are selected. `core` sits below the apps whose
facts it checks, so their models are imported inside each function.
"""

from django.db.models import Count, Window
from django.utils import timezone

# A reported figure older than this is probably out of date.
STALE_AFTER_YEARS = 3


def years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def stale_figures(on=None):
    """Figures whose as-of date is more than three years old, oldest first."""
    from treaties.models import ReportedFigure

    return (
        ReportedFigure.objects.stale(years=STALE_AFTER_YEARS, on=on)
        .select_related("treaty", "country", "source")
        .order_by("as_of_on", "pk")
    )


def treaties_past_expiry(on=None):
    """Treaties past their expiry date while their stored status says otherwise."""
    from treaties.models import Treaty

    return Treaty.objects.expired_but_not_marked(on).order_by("expires_on", "pk")


def stale_statuses(on=None):
    """Stored statuses (treaties' and participations') that differ from today's derivation.

    A daily `refresh_statuses` keeps them equal; anything listed here means a run was missed.
    """
    from treaties.services import stale_statuses as treaty_stale_statuses

    result = treaty_stale_statuses(on=on)
    return result.treaties + result.participations


def recommendations_without_recent_update(on=None):
    """Recommendations whose latest status update is more than twelve months old, or absent."""
    from recommendations.models import Recommendation

    since = years_before(on or timezone.localdate(), 1)
    return (
        Recommendation.objects.without_update_since(since)
        .with_last_update_date()
        .select_related("source")
        .order_by("source__published_on", "source__slug", "number", "pk")
    )


def unsourced_facts():
    """Per kind of fact, the records that name no source (one queryset per kind)."""
    from people.models import Membership, Session
    from recommendations.models import Recommendation
    from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent

    kinds = [
        (Treaty.objects.all(), ()),
        (Participation.objects.all(), ("treaty", "country")),
        (TreatyAction.objects.all(), ("participation__treaty", "participation__country")),
        (ReportedFigure.objects.all(), ("treaty", "country")),
        (TreatyEvent.objects.all(), ("treaty",)),
        (Recommendation.objects.all(), ()),
        (Session.objects.all(), ()),
        (Membership.objects.all(), ("person", "group")),
    ]
    return [
        queryset.filter(source__isnull=True).select_related(*related).order_by("pk")
        for queryset, related in kinds
    ]


def first_with_total(queryset, limit):
    """(the first `limit` rows, how many rows there are in all) in one query.

    The total rides on each row as a window count, so a list of examples and its exact
    count cost one query instead of two; no row means a total of nought.
    """
    rows = list(queryset.annotate(review_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].review_total if rows else 0)
