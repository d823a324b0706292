"""An editor's path in a real browser: sign in, edit, and see the edit where readers look."""

import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from core.editors import EDITORS_GROUP, ensure_editors_group
from treaties.models import Participation


@pytest.mark.e2e
def test_an_editor_edits_a_participation_and_readers_see_it_on_the_page_and_in_changes(
    browser_page, live_server
):
    from playwright.sync_api import expect

    call_command("load_seed", verbosity=0)
    # Live-server tests flush the database after them, taking the migrated group along.
    ensure_editors_group()
    editor = User.objects.create_user(
        "kaori-sato", email="kaori@example.org", password="a-long-passphrase-1", is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    japan = Participation.objects.get(treaty__slug="npt", country__code="JP")
    page = browser_page

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("kaori-sato")
    page.get_by_label("Password").fill("a-long-passphrase-1")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/admin/")

    page.goto(f"{live_server.url}/admin/treaties/participation/{japan.pk}/change/")
    page.locator("#id_note_en").fill("Japan deposited its instrument of ratification in June 1976.")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(live_server.url + "/treaties/npt/")
    expect(page.locator("#participations")).to_contain_text(
        "Japan deposited its instrument of ratification in June 1976."
    )

    page.goto(live_server.url + "/changes/")
    latest = page.locator("table tbody tr").first
    expect(latest).to_contain_text("Japan")
    expect(latest).to_contain_text(re.compile("note", re.IGNORECASE))
    # The public log names what changed, never who changed it.
    expect(page.locator("main")).not_to_contain_text("kaori")
    expect(page.locator("main")).not_to_contain_text("a-long-passphrase")
    latest.get_by_role("link").first.click()
    expect(page).not_to_have_url(re.compile("/admin/"))
