"""No silent overwrite in the people admin: a save on a fresh form raises the version, and
a second save from the same, now stale, page is refused."""

import pytest

from people.models import Person
from tests.helpers import (
    admin_form_data,
    change_url,
    make_person,
    open_change_page,
    refused,
    saved,
    shown_version,
)

pytestmark = pytest.mark.django_db


def test_a_save_on_a_fresh_form_goes_through_and_raises_the_version(admin_client):
    person = make_person()
    page = open_change_page(admin_client, person)
    saved(admin_client.post(change_url(person), {**admin_form_data(page), "editor_note": "Chair"}))
    person.refresh_from_db()
    assert person.editor_note == "Chair"
    assert person.version == 2
    assert shown_version(open_change_page(admin_client, person)) == 2


def test_two_saves_from_one_page_are_caught_too(admin_client):
    # The same editor submitting an old tab again is no different from another editor.
    person = make_person()
    data = admin_form_data(open_change_page(admin_client, person))
    saved(admin_client.post(change_url(person), {**data, "editor_note": "first"}))
    refused(admin_client.post(change_url(person), {**data, "editor_note": "second"}))
    assert Person.objects.get(pk=person.pk).editor_note == "first"
