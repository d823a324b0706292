"""The review page, and the review notes on the public pages, are for editors: a staff
account without the Editors group's rights is refused (403), not shown them."""

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from django.urls import reverse

from core.editors import editor_permissions, is_editor

pytestmark = pytest.mark.django_db
REVIEW = reverse("portal:review")
HOME = reverse("portal:home")


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def staff(name="staff", *permissions):
    user = User.objects.create_user(name, password="not-used", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return User.objects.get(pk=user.pk)  # without the permission cache


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(REVIEW)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={REVIEW}"


def test_a_staff_account_without_the_editors_rights_is_refused():
    assert signed_in(staff()).get(REVIEW).status_code == 403


def test_a_staff_account_with_only_some_of_them_is_refused():
    user = staff("sources-only", "core.view_source", "core.change_source")
    assert signed_in(user).get(REVIEW).status_code == 403


def test_an_inactive_editor_is_sent_to_the_login(editor):
    editor.is_active = False
    editor.save()
    client = Client()
    client.force_login(editor)  # a session made before the account was closed
    assert client.get(REVIEW).status_code == 302


def test_an_editor_and_a_superuser_see_it(editor_client, admin_client):
    assert editor_client.get(REVIEW).status_code == 200
    assert admin_client.get(REVIEW).status_code == 200


def test_the_rights_count_however_they_were_given():
    # Every right of the group, given to the account itself rather than through the group.
    user = staff("direct", *editor_permissions())
    assert is_editor(user)
    assert signed_in(user).get(REVIEW).status_code == 200


def test_the_editors_rights_are_the_groups(editor):
    # What the apps declare is what the data migrations gave the group.
    group = editor.groups.get()
    held = {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }
    assert set(editor_permissions()) == held


def test_the_review_notes_on_public_pages_are_for_editors_only(editor_client, bilateral):
    treaty_page = reverse("treaties:treaty-detail", args=["new-start"])
    other_staff = signed_in(staff())

    assert 'id="status-review"' in editor_client.get(HOME).content.decode()
    assert "expired-notice" in editor_client.get(treaty_page).content.decode()
    assert 'id="status-review"' not in other_staff.get(HOME).content.decode()
    assert "expired-notice" not in other_staff.get(treaty_page).content.decode()
