"""The recommendations admin: every page and autocomplete answers, a CSV of the selected
rows, and a status changes only through the service, never by editing it."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.dates import PartialDate
from recommendations import admin as recommendations_admin
from recommendations.models import Recommendation, RecommendationUpdate
from recommendations.services import recommendation_set_status
from tests.factories import RecommendationFactory, SourceFactory
from tests.helpers import (
    check_admin_pages,
    check_autocomplete,
    confirm_delete,
    delete_selected_confirmation,
)

pytestmark = pytest.mark.django_db

Status = Recommendation.Status

MODELS = [
    ("recommendations", "recommendation"),
    ("recommendations", "footnote"),
    ("recommendations", "recommendationupdate"),
]


@pytest.mark.parametrize("app, model", MODELS)
def test_changelist_add_and_change_pages_render(admin_client, study_group_rows, app, model):
    check_admin_pages(admin_client, app, model, study_group_rows[model])


@pytest.mark.parametrize(
    "app, model, field",
    [
        ("recommendations", "recommendation", "related_treaties"),
        ("recommendations", "recommendation", "related_sessions"),
        ("recommendations", "recommendation", "source"),
    ],
)
def test_autocomplete_fields_answer(admin_client, study_group_rows, app, model, field):
    check_autocomplete(admin_client, app, model, field)


# -- recording status through the Recommendation form ----------------------------------


def change_form_data(recommendation, new_updates=(), delete=()):
    """POST data of the recommendation change form, as the browser sends it."""
    updates = list(recommendation.updates.order_by("date_on", "pk"))
    footnotes = list(recommendation.footnotes.all())
    data = {
        "source": recommendation.source_id,
        "number": recommendation.number,
        "title_ja": recommendation.title_ja,
        "title_en": recommendation.title_en,
        "summary_ja": recommendation.summary_ja,
        "summary_en": recommendation.summary_en,
        "body_ja": recommendation.body_ja,
        "body_en": recommendation.body_en,
        "addressee_ja": recommendation.addressee_ja,
        "addressee_en": recommendation.addressee_en,
        "related_treaties": [t.pk for t in recommendation.related_treaties.all()],
        "related_sessions": [s.pk for s in recommendation.related_sessions.all()],
        "locator": recommendation.locator,
        "as_of_on": "",
        "as_of_precision": "",
        "_version": recommendation.version,
        "footnotes-TOTAL_FORMS": len(footnotes),
        "footnotes-INITIAL_FORMS": len(footnotes),
        "footnotes-MIN_NUM_FORMS": 0,
        "footnotes-MAX_NUM_FORMS": 1000,
        "updates-TOTAL_FORMS": len(updates) + len(new_updates),
        "updates-INITIAL_FORMS": len(updates),
        "updates-MIN_NUM_FORMS": 0,
        "updates-MAX_NUM_FORMS": 1000,
    }
    for i, footnote in enumerate(footnotes):
        data.update(
            {
                f"footnotes-{i}-id": footnote.pk,
                f"footnotes-{i}-recommendation": recommendation.pk,
                f"footnotes-{i}-number": footnote.number,
                f"footnotes-{i}-text_ja": footnote.text_ja,
                f"footnotes-{i}-text_en": footnote.text_en,
                f"footnotes-{i}-url": footnote.url,
                f"footnotes-{i}-_version": footnote.version,
            }
        )
    # Recorded updates are read-only: the browser sends only their ids (and DELETE).
    for i, update in enumerate(updates):
        data[f"updates-{i}-id"] = update.pk
        data[f"updates-{i}-recommendation"] = recommendation.pk
        data[f"updates-{i}-_version"] = update.version
        if update in delete:
            data[f"updates-{i}-DELETE"] = "on"
    for j, fields in enumerate(new_updates, start=len(updates)):
        data[f"updates-{j}-recommendation"] = recommendation.pk
        data.update({f"updates-{j}-{key}": value for key, value in fields.items()})
    return data


def post_change(admin_client, recommendation, data):
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    return response


@pytest.fixture
def service_calls(monkeypatch):
    """Records every call the admin makes to the service (and still runs it)."""
    calls = []

    def spy(**kwargs):
        calls.append(kwargs)
        return recommendation_set_status(**kwargs)

    monkeypatch.setattr(recommendations_admin, "recommendation_set_status", spy)
    return calls


def test_an_update_added_in_the_inline_sets_the_status_and_one_history_row(
    admin_client, study_group_rows, service_calls
):
    recommendation = study_group_rows["recommendation"]
    evidence = SourceFactory(slug="joint-statement")
    new = {
        "date": "2024-04",
        "status": Status.UNDER_CONSIDERATION,
        "note_en": "Raised at the summit",
        "evidence": evidence.pk,
        "locator": "para. 3",
    }
    post_change(admin_client, recommendation, change_form_data(recommendation, [new]))

    recommendation.refresh_from_db()
    assert recommendation.status == Status.UNDER_CONSIDERATION
    assert recommendation.updates.count() == 2
    added = recommendation.updates.get(status=Status.UNDER_CONSIDERATION)
    assert added.date.iso() == "2024-04"
    assert added.evidence == evidence
    assert added.note_en == "Raised at the summit"
    assert len(service_calls) == 1  # recorded through the service, not form.save()
    assert service_calls[0]["date"] == PartialDate(datetime.date(2024, 4, 1), "month")


def test_an_older_update_added_in_the_inline_does_not_change_the_current_status(
    admin_client, study_group_rows
):
    recommendation = study_group_rows["recommendation"]
    recommendation_set_status(
        recommendation=recommendation,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
    )
    new = {"date": "2024-06-10", "status": Status.NOT_IMPLEMENTED}
    post_change(admin_client, recommendation, change_form_data(recommendation, [new]))
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED
    assert recommendation.updates.count() == 3


def test_an_invalid_date_in_the_inline_is_refused_and_nothing_changes(
    admin_client, study_group_rows
):
    recommendation = study_group_rows["recommendation"]
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    new = {"date": "April 2024", "status": Status.IMPLEMENTED}
    response = admin_client.post(url, change_form_data(recommendation, [new]))
    assert response.status_code == 200
    assert "Enter the date as YYYY-MM-DD, YYYY-MM or YYYY" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == Status.PROPOSED
    assert recommendation.updates.count() == 1


def test_recorded_updates_cannot_be_edited_in_place(admin_client, study_group_rows):
    recommendation = study_group_rows["recommendation"]
    update = recommendation.updates.get()
    form_data = change_form_data(recommendation)
    # A crafted POST trying to rewrite history is ignored.
    form_data.update({"updates-0-status": Status.IMPLEMENTED, "updates-0-date": "2020"})
    post_change(admin_client, recommendation, form_data)
    update.refresh_from_db()
    recommendation.refresh_from_db()
    assert update.status == Status.PROPOSED
    assert update.date.iso() == "2024-04"
    assert recommendation.status == Status.PROPOSED

    page = admin_client.get(
        reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    ).content.decode()
    assert 'name="updates-0-status"' not in page  # shown read-only
    assert 'name="updates-1-status"' in page  # the empty row for a new update


def test_deleting_an_update_in_the_inline_recomputes_the_status(admin_client, study_group_rows):
    recommendation = study_group_rows["recommendation"]
    latest = recommendation_set_status(
        recommendation=recommendation,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
    )
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED
    post_change(admin_client, recommendation, change_form_data(recommendation, delete=[latest]))
    recommendation.refresh_from_db()
    assert recommendation.status == Status.PROPOSED
    assert not RecommendationUpdate.objects.filter(pk=latest.pk).exists()


def test_the_status_is_not_editable_directly(admin_client, study_group_rows):
    recommendation = study_group_rows["recommendation"]
    url = reverse("admin:recommendations_recommendation_change", args=[recommendation.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="status"' not in page
    assert "latest update of 2024-04" in page

    form_data = change_form_data(recommendation)
    form_data["status"] = Status.IMPLEMENTED
    form_data["title_en"] = "Edited title"
    post_change(admin_client, recommendation, form_data)
    recommendation.refresh_from_db()
    assert recommendation.title_en == "Edited title"
    assert recommendation.status == Status.PROPOSED


def test_a_new_recommendation_with_an_update_gets_its_status(admin_client, study_group_rows):
    source = SourceFactory()
    form_data = {
        "source": source.pk,
        "number": 1,
        "title_en": "Promote Track 2 dialogue",
        "locator": "提言2",
        "footnotes-TOTAL_FORMS": 1,
        "footnotes-INITIAL_FORMS": 0,
        "footnotes-0-number": 5,
        "footnotes-0-text_en": "Office of the Secretary of Defense",
        "footnotes-0-url": "https://media.defense.gov/",
        "updates-TOTAL_FORMS": 1,
        "updates-INITIAL_FORMS": 0,
        "updates-0-date": "2024",
        "updates-0-status": Status.SUPERSEDED,
    }
    response = admin_client.post(reverse("admin:recommendations_recommendation_add"), form_data)
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(source=source)
    assert recommendation.status == Status.SUPERSEDED
    assert recommendation.updates.get().date.iso() == "2024"
    assert recommendation.footnotes.get().url == "https://media.defense.gov/"


# -- the standalone update admin -------------------------------------------------------


def test_the_update_admin_records_through_the_service(
    admin_client, study_group_rows, service_calls
):
    recommendation = study_group_rows["recommendation"]
    response = admin_client.post(
        reverse("admin:recommendations_recommendationupdate_add"),
        {"recommendation": recommendation.pk, "date": "2024-09", "status": Status.IMPLEMENTED},
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.IMPLEMENTED
    assert recommendation.updates.count() == 2
    assert len(service_calls) == 1


def test_the_update_admin_does_not_edit_recorded_updates(admin_client, study_group_rows):
    update = study_group_rows["recommendationupdate"]
    url = reverse("admin:recommendations_recommendationupdate_change", args=[update.pk])
    assert 'name="status"' not in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, {"recommendation": update.recommendation_id, "date": "2020", "status": "implemented"}
    )
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.status == Status.PROPOSED


def test_deleting_in_the_update_admin_recomputes_the_status(admin_client, study_group_rows):
    recommendation = study_group_rows["recommendation"]
    latest = recommendation_set_status(
        recommendation=recommendation,
        status=Status.IMPLEMENTED,
        date=PartialDate(datetime.date(2025, 1, 1), "year"),
    )
    assert confirm_delete(admin_client, latest).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == Status.PROPOSED


def test_bulk_deleting_updates_recomputes_every_status(admin_client, study_group_rows):
    recommendation = study_group_rows["recommendation"]
    other = RecommendationFactory()
    updates = [
        recommendation_set_status(
            recommendation=r,
            status=Status.IMPLEMENTED,
            date=PartialDate(datetime.date(2025, 1, 1), "year"),
        )
        for r in (recommendation, other)
    ]
    response = admin_client.post(
        reverse("admin:recommendations_recommendationupdate_changelist"),
        delete_selected_confirmation(admin_client, RecommendationUpdate, updates),
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    other.refresh_from_db()
    assert recommendation.status == Status.PROPOSED
    assert other.status == Status.PROPOSED


# -- CSV actions -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "app, model, action, expected_header",
    [
        ("recommendations", "recommendation", "export_recommendationexport", "status"),
        ("recommendations", "footnote", "export_footnoteexport", "url"),
        ("recommendations", "recommendationupdate", "export_recommendationupdateexport", "date"),
    ],
)
def test_csv_admin_action_exports_the_selected_rows(
    admin_client, study_group_rows, app, model, action, expected_header
):
    obj = study_group_rows[model]
    response = admin_client.post(
        reverse(f"admin:{app}_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk]},
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(content[1:])))
    assert expected_header in rows[0]
    assert [row["id"] for row in rows] == [str(obj.pk)]
