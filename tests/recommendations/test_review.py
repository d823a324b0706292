"""The recommendations' review check: a recommendation without an update in twelve months."""

import datetime

import pytest

from core.dates import PartialDate
from recommendations.review import recommendations_without_recent_update
from recommendations.services import recommendation_set_status
from tests.factories import RecommendationFactory, RecommendationUpdateFactory
from tests.helpers import today, years_ago

pytestmark = pytest.mark.django_db


def test_a_recommendation_without_an_update_for_twelve_months_needs_review():
    never = RecommendationFactory(title_en="Never followed up")
    old = RecommendationFactory(title_en="Followed up long ago")
    RecommendationUpdateFactory(
        recommendation=old, date_on=years_ago(1, days=1), date_precision="day"
    )
    recent = RecommendationFactory(title_en="Followed up lately")
    recommendation_set_status(
        recommendation=recent,
        status="under_consideration",
        date=PartialDate(today() - datetime.timedelta(days=60)),
    )
    # A month stated without a day counts until its end: the month a year ago still counts.
    by_month = RecommendationFactory(title_en="Followed up a year ago, by month")
    RecommendationUpdateFactory(
        recommendation=by_month, date_on=years_ago(1).replace(day=1), date_precision="month"
    )

    due = set(recommendations_without_recent_update())

    assert due == {never, old}
