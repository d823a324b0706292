"""The Editors group: made by the migrations, and never able to manage users or groups."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from core.editors import EDITORS_GROUP
from tests.helpers import group_permissions

pytestmark = pytest.mark.django_db


def test_the_editors_group_exists_after_migrations():
    # Created by the data migrations, not by any test setup.
    assert Group.objects.filter(name=EDITORS_GROUP).exists()


@pytest.mark.parametrize(
    "url", ["/admin/auth/user/", "/admin/auth/group/", "/admin/auth/user/add/"]
)
def test_an_editor_may_not_manage_users_or_groups(editor_client, url):
    assert editor_client.get(url).status_code == 403


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
