"""Every app's admin keeps history: each content admin and inline is history-aware and
version-checked, and every history page, revert form and deleted list renders."""

import datetime

import pytest
from django.contrib import admin

from core.admin_base import ContentAdmin
from core.admin_locking import VersionedInlineMixin
from core.dates import PartialDate
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import (
    CountryFactory,
    FootnoteFactory,
    MembershipFactory,
    OrganizationFactory,
    ParticipationFactory,
    RecommendationFactory,
    ReportedFigureFactory,
    SessionFactory,
    SessionItemFactory,
    SourceFactory,
    TreatyActionFactory,
    TreatyEventFactory,
    TreatyFactory,
)
from tests.helpers import admin_url, history_url, revert_url
from treaties.models import ImportBatch

pytestmark = pytest.mark.django_db

CONTENT_APPS = {"core", "treaties", "people", "recommendations"}


def test_every_content_admin_and_inline_is_history_aware_and_version_checked():
    registered = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label in CONTENT_APPS
    }
    assert len(registered) >= 16
    for model, model_admin in registered.items():
        if model is ImportBatch:
            continue  # the log of imports: read-only, nothing to version
        assert isinstance(model_admin, ContentAdmin), model
        for inline in model_admin.inlines:
            assert issubclass(inline, VersionedInlineMixin), inline


@pytest.fixture
def a_row_of_every_model(db):
    """A row of every content model of every app, with a version each."""
    source = SourceFactory()
    npt = TreatyFactory(slug="npt", source=source)
    participation = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    TreatyActionFactory(participation=participation)
    ReportedFigureFactory(treaty=npt)
    TreatyEventFactory(treaty=npt, countries=[participation.country])
    membership = MembershipFactory(organization=OrganizationFactory())
    session = SessionFactory(group=membership.group, participants=[membership.person])
    SessionItemFactory(session=session)
    recommendation = RecommendationFactory(related_treaties=[npt], related_sessions=[session])
    FootnoteFactory(recommendation=recommendation)
    recommendation_set_status(
        recommendation=recommendation,
        status=Recommendation.Status.PROPOSED,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
    )


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in admin.site._registry
        if model._meta.app_label in CONTENT_APPS and hasattr(model, "history")
    ],
    ids=lambda model: model._meta.model_name,
)
def test_every_history_page_and_deleted_list_renders(admin_client, a_row_of_every_model, model):
    obj = model.objects.first()
    assert admin_client.get(history_url(obj)).status_code == 200
    record = obj.history.first()
    assert admin_client.get(revert_url(obj, record)).status_code == 200
    changelist = admin_client.get(admin_url(model, "changelist")).content.decode()
    assert admin_url(model, "deleted") in changelist
    assert admin_client.get(admin_url(model, "deleted")).status_code == 200
