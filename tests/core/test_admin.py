"""The admin of sources: registered, every page renders, and a CSV of the selected rows."""

import pytest
from django.contrib import admin

from core.models import Source
from tests.helpers import admin_url, run_csv_action

pytestmark = pytest.mark.django_db

CONTENT_MODELS = [Source]


def test_every_content_model_is_registered():
    assert all(admin.site.is_registered(model) for model in CONTENT_MODELS)


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.model_name)
def test_changelist_and_add_page_render(admin_client, one_of_each, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CONTENT_MODELS, ids=lambda m: m._meta.model_name)
def test_change_page_renders(admin_client, one_of_each, model):
    obj = model.objects.first()
    assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize(
    ("model", "action", "first_column"),
    [(Source, "export_sourceexport", "id")],
    ids=lambda value: getattr(value, "__name__", None),
)
def test_every_model_has_a_csv_action_for_the_selected_rows(
    admin_client, one_of_each, model, action, first_column
):
    header, *rows = run_csv_action(admin_client, model, action, [model.objects.first()])
    assert header[0] == first_column
    assert len(rows) == 1
