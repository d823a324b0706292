"""No silent overwrite, in the admin of every app: two editors open the same record, the
first saves, and the second's save is refused with both values shown until the second
editor saves again on purpose."""

import datetime

import pytest

from core.dates import PartialDate
from recommendations.models import Recommendation
from recommendations.services import recommendation_set_status
from tests.factories import FootnoteFactory, RecommendationFactory
from tests.helpers import (
    SAVED_BY_SOMEONE_ELSE,
    admin_form_data,
    change_url,
    make_participation,
    make_person,
    make_treaty,
    open_change_page,
    refused,
    saved,
    shown_version,
)

pytestmark = pytest.mark.django_db


def make_recommendation():
    recommendation = RecommendationFactory(title_en="Promote dialogue")
    FootnoteFactory(recommendation=recommendation)
    recommendation_set_status(
        recommendation=recommendation,
        status=Recommendation.Status.PROPOSED,
        date=PartialDate(datetime.date(2024, 4, 1), "month"),
    )
    recommendation.refresh_from_db()
    return recommendation


CASES = [
    pytest.param(
        make_treaty, "short_name_en", "NPT (1968)", "Non-Proliferation Treaty", id="treaty"
    ),
    pytest.param(
        make_participation, "note_en", "Signed in New York.", "Ratified 1997.", id="participation"
    ),
    pytest.param(
        make_recommendation,
        "title_en",
        "Promote Track 2 dialogue",
        "Promote dialogue with China",
        id="recommendation",
    ),
    pytest.param(make_person, "given_name_romanized", "Tatsujirō", "Tatujiro", id="person"),
]


@pytest.mark.parametrize(("make", "field", "first_value", "second_value"), CASES)
def test_the_second_save_on_a_stale_form_is_refused_then_can_be_reapplied(
    admin_client, editor_client, make, field, first_value, second_value
):
    obj = make()
    model = type(obj)
    first_page = open_change_page(admin_client, obj)
    second_page = open_change_page(editor_client, obj)
    assert shown_version(first_page) == shown_version(second_page) == obj.version

    saved(admin_client.post(change_url(obj), {**admin_form_data(first_page), field: first_value}))

    response = editor_client.post(
        change_url(obj), {**admin_form_data(second_page), field: second_value}
    )

    page = refused(response)
    assert "Someone else saved this" in page
    assert SAVED_BY_SOMEONE_ELSE in page
    assert first_value in page and second_value in page
    stored = model.objects.get(pk=obj.pk)
    assert getattr(stored, field) == first_value, "the first editor's value stays"
    # The page now carries the version the second editor has seen: saving again reapplies.
    assert shown_version(response) == stored.version

    saved(editor_client.post(change_url(obj), admin_form_data(response)))

    stored = model.objects.get(pk=obj.pk)
    assert getattr(stored, field) == second_value
    assert stored.version == obj.version + 2
