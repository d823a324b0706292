"""Edit history in the recommendations admin: status updates are add-only, a deleted one
is restored and the status recomputed, and a reason given when adding is kept."""

import datetime

import pytest

from core.dates import PartialDate
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.services import recommendation_set_status
from tests.factories import RecommendationFactory
from tests.helpers import admin_url, confirm_delete, restore, revert_url, saved

pytestmark = pytest.mark.django_db


def test_restoring_a_deleted_status_update_recomputes_the_recommendation_status(admin_client):
    recommendation = RecommendationFactory()
    for status, year in [("proposed", 2024), ("implemented", 2025)]:
        recommendation_set_status(
            recommendation=recommendation,
            status=status,
            date=PartialDate(datetime.date(year, 1, 1), "year"),
        )
    latest = recommendation.updates.get(status="implemented")
    assert confirm_delete(admin_client, latest).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.PROPOSED

    [row] = admin_client.get(admin_url(RecommendationUpdate, "deleted")).context["rows"]
    saved(restore(admin_client, row["restore_url"]))

    recommendation.refresh_from_db()
    assert recommendation.status == Recommendation.Status.IMPLEMENTED
    restored = RecommendationUpdate.objects.get(pk=latest.pk)
    assert restored.date.iso() == "2025"
    assert restored.note_en == latest.note_en


def test_a_recorded_status_update_cannot_be_reverted_in_place(admin_client):
    # Updates are add-only: their history is shown, but only a deleted one can come back.
    recommendation = RecommendationFactory()
    update = recommendation_set_status(
        recommendation=recommendation,
        status="proposed",
        date=PartialDate(datetime.date(2024, 1, 1), "year"),
    )
    url = revert_url(update, update.history.get())
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'value="Revert"' not in page.content.decode()
    assert admin_client.post(url, {"recommendation": recommendation.pk}).status_code == 403


def test_a_reason_given_when_adding_is_kept_on_the_first_version(admin_client):
    recommendation = RecommendationFactory()
    response = admin_client.post(
        admin_url(RecommendationUpdate, "add"),
        {
            "recommendation": recommendation.pk,
            "date": "2024-09",
            "status": "implemented",
            "_change_reason": "Cabinet decision",
        },
    )
    assert response.status_code == 302
    update = recommendation.updates.get()
    assert update.history.get().history_change_reason == "Cabinet decision"
