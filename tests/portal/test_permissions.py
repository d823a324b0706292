"""Who may do what: the Editors group edits content only, the public pages only read."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from core.editors import EDITORS_GROUP
from tests.factories import CountryFactory, ParticipationFactory, TreatyFactory

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


def group_permissions(group):
    return set(group.permissions.values_list("content_type__app_label", "codename").order_by())


def test_the_editors_group_exists_after_migrations():
    # Created by the data migrations, not by any test setup.
    assert Group.objects.filter(name=EDITORS_GROUP).exists()


def test_editors_may_add_change_delete_and_view_every_content_model():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    for model in content_models():
        meta = model._meta
        for action in ("add", "change", "delete", "view"):
            assert (meta.app_label, f"{action}_{meta.model_name}") in granted


def test_editors_may_import_and_read_the_import_log_but_never_edit_it():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    batch_rights = {codename for app, codename in granted if codename.endswith("_importbatch")}
    assert batch_rights == {"add_importbatch", "view_importbatch"}


def test_editors_have_no_rights_on_users_groups_or_anything_outside_the_content():
    granted = group_permissions(Group.objects.get(name=EDITORS_GROUP))
    assert {app_label for app_label, _ in granted} == set(CONTENT_APPS)
    assert not any(app_label == "auth" for app_label, _ in granted)


@pytest.fixture
def editor_client(client):
    user = User.objects.create_user("editor", password="not-used", is_staff=True)
    user.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(user)
    return client


@pytest.fixture
def participation(db):
    return ParticipationFactory(
        treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP"), source=None
    )


def test_an_editor_can_open_and_save_a_participation(editor_client, participation):
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    assert editor_client.get(url).status_code == 200

    response = editor_client.post(
        url,
        {
            "treaty": participation.treaty_id,
            "country": participation.country_id,
            "note_en": "Checked against the depositary list.",
            "_version": participation.version,
            "actions-TOTAL_FORMS": 0,
            "actions-INITIAL_FORMS": 0,
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
        },
    )

    assert response.status_code == 302
    participation.refresh_from_db()
    assert participation.note_en == "Checked against the depositary list."


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_an_editor_may_not_manage_users_or_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page_from_the_admin(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_an_anonymous_visitor_cannot_open_an_admin_change_page(client, participation):
    url = reverse("admin:treaties_participation_change", args=[participation.pk])
    response = client.get(url)
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


def test_an_editor_may_not_change_or_add_a_group(editor_client):
    group = Group.objects.get(name=EDITORS_GROUP)
    before = group_permissions(group)
    every_permission = list(Permission.objects.values_list("pk", flat=True))

    change = editor_client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": EDITORS_GROUP, "permissions": every_permission},
    )
    add = editor_client.post(
        reverse("admin:auth_group_add"), {"name": "Admins", "permissions": every_permission}
    )
    delete = editor_client.post(
        reverse("admin:auth_group_delete", args=[group.pk]), {"post": "yes"}
    )

    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    assert group_permissions(group) == before
    assert list(Group.objects.values_list("name", flat=True)) == [EDITORS_GROUP]


def test_an_editor_may_not_change_add_or_delete_users(editor_client):
    editor = User.objects.get(username="editor")
    other = User.objects.create_user("someone-else", password="not-used")
    change_self = editor_client.post(
        reverse("admin:auth_user_change", args=[editor.pk]),
        {
            "username": "editor",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )
    add = editor_client.post(
        reverse("admin:auth_user_add"),
        {
            "username": "intruder",
            "password1": "x-long-passphrase-1",
            "password2": "x-long-passphrase-1",
        },
    )
    delete = editor_client.post(reverse("admin:auth_user_delete", args=[other.pk]), {"post": "yes"})
    password = editor_client.post(
        reverse("admin:auth_user_password_change", args=[other.pk]),
        {"password1": "x-long-passphrase-2", "password2": "x-long-passphrase-2"},
    )

    assert [r.status_code for r in (change_self, add, delete, password)] == [403] * 4
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert not User.objects.filter(username="intruder").exists()
    assert User.objects.get(pk=other.pk).check_password("not-used")
