"""recommendation_set_status: the only way a recommendation's status changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from core.dates import PartialDate
from recommendations import services
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.services import recommendation_refresh_status, recommendation_set_status
from tests.factories import RecommendationFactory, SourceFactory

Status = Recommendation.Status

pytestmark = pytest.mark.django_db


def month(year, number):
    return PartialDate(datetime.date(year, number, 1), "month")


def stored_status(recommendation):
    return Recommendation.objects.values_list("status", flat=True).get(pk=recommendation.pk)


def test_it_writes_the_update_and_the_current_status_together():
    recommendation = RecommendationFactory()
    evidence = SourceFactory()
    assert stored_status(recommendation) == Status.PROPOSED

    update = recommendation_set_status(
        recommendation=recommendation,
        status=Status.UNDER_CONSIDERATION,
        date=month(2024, 6),
        note_en="Raised at the summit",
        evidence=evidence,
        locator="p. 3",
    )

    assert list(recommendation.updates.all()) == [update]
    assert update.status == Status.UNDER_CONSIDERATION
    assert update.evidence == evidence
    assert update.note_en == "Raised at the summit"
    assert stored_status(recommendation) == Status.UNDER_CONSIDERATION
    # The caller's instance is brought up to date too, so saving it later keeps the status.
    assert recommendation.status == Status.UNDER_CONSIDERATION


def test_it_keeps_the_date_at_the_precision_given():
    recommendation = RecommendationFactory()
    update = recommendation_set_status(
        recommendation=recommendation,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2024, 6, 17), "month"),
    )
    update.refresh_from_db()
    assert update.date_on == datetime.date(2024, 6, 1)
    assert update.date_precision == "month"
    assert update.date.iso() == "2024-06"


def test_the_latest_dated_update_wins():
    recommendation = RecommendationFactory()
    recommendation_set_status(
        recommendation=recommendation, status=Status.UNDER_CONSIDERATION, date=month(2024, 5)
    )
    recommendation_set_status(
        recommendation=recommendation, status=Status.PARTLY_IMPLEMENTED, date=month(2024, 9)
    )
    assert stored_status(recommendation) == Status.PARTLY_IMPLEMENTED
    assert recommendation.updates.count() == 2


def test_an_older_update_recorded_later_does_not_override_a_newer_status():
    recommendation = RecommendationFactory()
    recommendation_set_status(
        recommendation=recommendation, status=Status.IMPLEMENTED, date=month(2025, 1)
    )
    # An editor back-fills what happened earlier: it joins the history, not the present.
    older = recommendation_set_status(
        recommendation=recommendation, status=Status.UNDER_CONSIDERATION, date=month(2024, 5)
    )
    assert stored_status(recommendation) == Status.IMPLEMENTED
    assert older in recommendation.updates.all()
    assert recommendation.latest_update().status == Status.IMPLEMENTED


def test_on_the_same_date_the_update_recorded_last_wins():
    recommendation = RecommendationFactory()
    for status in (Status.UNDER_CONSIDERATION, Status.NOT_IMPLEMENTED):
        recommendation_set_status(recommendation=recommendation, status=status, date=month(2024, 5))
    assert stored_status(recommendation) == Status.NOT_IMPLEMENTED


def test_it_rejects_an_invalid_status_and_changes_nothing():
    recommendation = RecommendationFactory()
    recommendation_set_status(
        recommendation=recommendation, status=Status.UNDER_CONSIDERATION, date=month(2024, 5)
    )

    with pytest.raises(ValidationError):
        recommendation_set_status(
            recommendation=recommendation, status="abandoned", date=month(2024, 8)
        )

    assert recommendation.updates.count() == 1
    assert stored_status(recommendation) == Status.UNDER_CONSIDERATION


def test_a_failure_after_the_row_is_written_rolls_the_row_back(monkeypatch):
    """The row and the status are one transaction: if setting the status fails, no row stays."""
    recommendation = RecommendationFactory()

    def broken_refresh(*, recommendation):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "recommendation_refresh_status", broken_refresh)
    with pytest.raises(RuntimeError):
        recommendation_set_status(
            recommendation=recommendation, status=Status.IMPLEMENTED, date=month(2024, 8)
        )

    assert not RecommendationUpdate.objects.filter(recommendation=recommendation).exists()
    assert stored_status(recommendation) == Status.PROPOSED


def test_refreshing_after_a_deletion_falls_back_to_the_previous_update():
    recommendation = RecommendationFactory()
    recommendation_set_status(
        recommendation=recommendation, status=Status.UNDER_CONSIDERATION, date=month(2024, 5)
    )
    latest = recommendation_set_status(
        recommendation=recommendation, status=Status.IMPLEMENTED, date=month(2024, 9)
    )

    latest.delete()
    recommendation_refresh_status(recommendation=recommendation)
    assert stored_status(recommendation) == Status.UNDER_CONSIDERATION

    recommendation.updates.all().delete()
    recommendation_refresh_status(recommendation=recommendation)
    assert stored_status(recommendation) == Status.PROPOSED
