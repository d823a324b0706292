"""The treaties' review checks: figures stated more than three years ago, and treaties
past their expiry with another stored status."""

import datetime

import pytest

from tests.factories import ReportedFigureFactory, TreatyFactory
from tests.helpers import today, years_ago
from treaties.models import Treaty
from treaties.review import stale_figures, treaties_past_expiry

pytestmark = pytest.mark.django_db


def test_figures_older_than_three_years_are_stale_and_newer_ones_are_not():
    npt = TreatyFactory(slug="npt")
    old = ReportedFigureFactory(treaty=npt, as_of_on=years_ago(3, days=1))
    fresh = ReportedFigureFactory(treaty=npt, as_of_on=years_ago(3))
    undated = ReportedFigureFactory(treaty=npt, as_of_on=None, as_of_precision="")

    stale = list(stale_figures())

    assert stale == [old]
    assert fresh not in stale and undated not in stale


def test_a_treaty_past_its_expiry_with_another_stored_status_needs_review():
    past = today() - datetime.timedelta(days=1)
    new_start = TreatyFactory(
        slug="new-start", status=Treaty.Status.IN_FORCE, expires_on=past, expires_precision="day"
    )
    TreatyFactory(
        slug="inf", status=Treaty.Status.EXPIRED, expires_on=past, expires_precision="day"
    )
    TreatyFactory(
        slug="running",
        status=Treaty.Status.IN_FORCE,
        expires_on=today() + datetime.timedelta(days=1),
        expires_precision="day",
    )
    TreatyFactory(slug="npt", status=Treaty.Status.IN_FORCE)

    assert list(treaties_past_expiry()) == [new_start]
