"""Who may do what across the apps: the Editors group may edit every content model and
nothing else, every content model is in the admin and opens for an editor, and an
anonymous visitor is sent to the login page. The group's limits on users and groups are
in tests/core/test_editors.py, its rights on imports in tests/treaties/test_permissions.py."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import reverse

from core.editors import EDITORS_GROUP
from tests.helpers import group_permissions

pytestmark = pytest.mark.django_db

# The project's own apps: each grants the Editors group its models from a data migration.
CONTENT_APPS = [
    label for label in ("core", "treaties", "people", "recommendations") if apps.is_installed(label)
]


def content_models():
    """The models editors work on: each app's own, not its history tables or the change log."""
    from simple_history.models import HistoricalChanges

    from core.models import Change
    from treaties.models import ImportBatch

    return [
        model
        for label in CONTENT_APPS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
        and not model._meta.auto_created
        and model not in (Change, ImportBatch)
        and not model.__name__.startswith("Historical")
    ]


def test_editors_may_add_change_delete_and_view_every_content_model():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    for model in content_models():
        meta = model._meta
        for action in ("add", "change", "delete", "view"):
            assert (meta.app_label, f"{action}_{meta.model_name}") in granted


def test_editors_have_no_rights_on_users_groups_or_anything_outside_the_content():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    assert {app_label for app_label, _ in granted} == set(CONTENT_APPS)
    assert not any(app_label == "auth" for app_label, _ in granted)


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


# Anonymous writes to every public page (405) are tested in tests/portal/test_public_methods.py,
# over every URL pattern of the site.


def registered_content_models():
    from django.contrib import admin

    return [model for model in content_models() if model in admin.site._registry]


def test_every_content_model_is_in_the_admin():
    assert set(registered_content_models()) == set(content_models())


def test_an_editor_can_open_every_content_model_in_the_admin(editor_client, seeded):
    failures = []
    for model in registered_content_models():
        meta = model._meta
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the seed data holds no {meta.label}"
        for url in (
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_history", args=[obj.pk]),
        ):
            status = editor_client.get(url).status_code
            if status != 200:
                failures.append(f"{url}: {status}")
    assert not failures, "\n".join(failures)
