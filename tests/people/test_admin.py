"""The people admin: every page and autocomplete answers, a CSV of the selected rows, and
a study group's memberships added inline."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import PersonFactory, StudyGroupFactory
from tests.helpers import check_admin_pages, check_autocomplete

pytestmark = pytest.mark.django_db

MODELS = [
    ("people", "organization"),
    ("people", "person"),
    ("people", "studygroup"),
    ("people", "membership"),
    ("people", "session"),
    ("people", "sessionitem"),
]


@pytest.mark.parametrize("app, model", MODELS)
def test_changelist_add_and_change_pages_render(admin_client, study_group_rows, app, model):
    check_admin_pages(admin_client, app, model, study_group_rows[model])


@pytest.mark.parametrize(
    "app, model, field",
    [
        ("people", "session", "participants"),
        ("people", "sessionitem", "speaker"),
        ("people", "membership", "organization"),
    ],
)
def test_autocomplete_fields_answer(admin_client, study_group_rows, app, model, field):
    check_autocomplete(admin_client, app, model, field)


@pytest.mark.parametrize(
    "app, model, action, expected_header",
    [
        ("people", "person", "export_personexport", "slug"),
        ("people", "membership", "export_membershipexport", "role"),
        ("people", "session", "export_sessionexport", "start"),
        ("people", "sessionitem", "export_sessionitemexport", "speaker_label_en"),
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


def test_study_group_inline_adds_a_membership(admin_client, study_group_rows):
    group = StudyGroupFactory()
    person = PersonFactory()
    url = reverse("admin:people_studygroup_change", args=[group.pk])
    form_data = {
        "slug": group.slug,
        "name_ja": group.name_ja,
        "name_en": group.name_en,
        "host": group.host_id,
        "established_on": "2023-01-01",
        "established_precision": "year",
        "_version": group.version,
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 0,
        "memberships-0-person": person.pk,
        "memberships-0-role": "secretariat",
        "memberships-0-title_ja": "研究員",
        "memberships-0-order": 1,
    }
    response = admin_client.post(url, form_data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert group.memberships.get().person == person
