"""The admin works in Chromium under the site's Content-Security-Policy, and the public pages
break none of it.

Every page the browser opens reports each `securitypolicyviolation` event to the test
(tests/e2e/csp.py), and every console error and uncaught script error is collected too. A
control first shows the listener hears what the policy blocks: an inline <style> put in a
page is refused and reported. Then an editor signs in, adds a row to a treaty's inline
timeline with the admin's scripts (the "Add another" link, the calendar, the autocomplete
of the source and the countries), adds a source in the admin's popup (its slug written by
the prepopulate script, the popup closed by the popup response script), saves, and all of
it is stored. Nothing may be blocked on the way, nor on a sample of the public pages.
"""

import datetime
import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command

from core.editors import EDITORS_GROUP, ensure_editors_group
from core.models import Source
from tests.e2e.csp import record_csp_violations
from tests.e2e.pages import BAD_FILTER, NOT_FOUND, expected_status
from treaties.models import Country, Treaty, TreatyEvent

# Public pages of each kind: the dashboard, lists, a treaty with its map and chart, a
# country, the matrix, search, a refused filter and the 404 page.
PUBLIC_SAMPLE = (
    "/",
    "/treaties/",
    "/treaties/ctbt/",
    "/treaties/npt/?as_of=1995-05-11",
    "/countries/",
    "/countries/jp/",
    "/participations/?view=matrix",
    "/events/",
    "/recommendations/",
    "/sessions/",
    "/people/",
    "/sources/",
    "/changes/",
    "/search/?q=CTBT",
    BAD_FILTER,
    NOT_FOUND,
)


class Watch:
    """What the browser reports: policy violations, console errors, uncaught errors."""

    def __init__(self, context, page):
        self.violations = record_csp_violations(context)
        self.errors: list[str] = []
        self.expected_failures: set[str] = set()
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        self.page = page

    def console(self, message):
        if message.type != "error":
            return
        text = message.text
        # A page expected to answer 404 or 400 is reported as a failed load, and so is the
        # icon the browser asks for by itself (the site has none); nothing else may fail.
        if text.startswith("Failed to load resource"):
            failed = message.location.get("url", "")
            if failed in self.expected_failures or failed.endswith("/favicon.ico"):
                return
        self.errors.append(f"{self.page.url}: {text}")

    def clear(self):
        self.violations.clear()
        self.errors.clear()

    def problems(self) -> list[str]:
        return [json.dumps(violation) for violation in self.violations] + self.errors


@pytest.fixture
def watched(browser):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(context, page)
    try:
        yield page, watch
    finally:
        context.close()


@pytest.mark.e2e
def test_the_listener_hears_what_the_policy_blocks(watched, live_server):
    from playwright.sync_api import expect

    page, watch = watched
    page.goto(live_server.url + NOT_FOUND)
    watch.expected_failures.add(page.url)
    page.evaluate(
        """() => {
          const style = document.createElement("style");
          style.textContent = "body { background: red }";
          document.head.append(style);
        }"""
    )
    expect(page.locator("body")).not_to_have_css("background-color", "rgb(255, 0, 0)")
    # The event is dispatched after the element is refused.
    for _ in range(50):
        if watch.violations:
            break
        page.wait_for_timeout(100)
    assert [v["directive"] for v in watch.violations] == ["style-src-elem"], watch.violations


@pytest.mark.e2e
def test_public_pages_break_no_rule_of_the_policy(watched, live_server):
    call_command("load_seed", verbosity=0)
    page, watch = watched
    for path in PUBLIC_SAMPLE:
        url = live_server.url + path
        if expected_status(path) != 200:
            watch.expected_failures.add(url)
        response = page.goto(url)
        assert response is not None and response.status == expected_status(path), path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    assert not watch.problems(), "\n".join(watch.problems())


@pytest.mark.e2e
def test_an_editor_uses_the_admins_scripts_under_the_policy(watched, live_server):
    from playwright.sync_api import expect

    call_command("load_seed", verbosity=0)
    # Live-server tests flush the database after them, taking the migrated group along.
    ensure_editors_group()
    editor = User.objects.create_user(
        "hana-mori", email="hana@example.org", password="a-long-passphrase-2", is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    treaty = Treaty.objects.get(slug="ctbt")
    source = Source.objects.order_by("pk").first()
    row = treaty.events.count()  # the index of the row "Add another" makes
    page, watch = watched

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("hana-mori")
    page.get_by_label("Password").fill("a-long-passphrase-2")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(live_server.url + "/admin/")
    response = page.goto(f"{live_server.url}/admin/treaties/treaty/{treaty.pk}/change/")
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy

    # "Add another" (inlines.js) adds a row to the timeline.
    new_row = page.locator(f"#events-{row}")
    expect(new_row).to_have_count(0)
    page.locator("#events-group .add-row a").click()
    expect(new_row).to_be_visible()

    # The calendar (calendar.js, DateTimeShortcuts.js) writes the date.
    new_row.locator(".datetimeshortcuts .date-icon").first.click()
    calendar = page.locator(".calendarbox:visible")
    expect(calendar).to_be_visible()
    calendar.get_by_role("link", name="15", exact=True).click()
    expect(calendar).to_be_hidden()
    date_value = new_row.locator(f'input[name="events-{row}-date_on"]').input_value()
    assert datetime.date.fromisoformat(date_value).day == 15

    new_row.locator(f'select[name="events-{row}-date_precision"]').select_option("day")
    new_row.locator(f'select[name="events-{row}-kind"]').select_option("meeting")
    new_row.locator(f'input[name="events-{row}-title_en"]').fill("Test meeting under the policy")
    new_row.locator(f'input[name="events-{row}-title_ja"]').fill("ポリシー下の会合")

    # The autocomplete (select2, autocomplete.js) fetches its options from the admin.
    new_row.locator(".field-source .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(source.slug)
    page.locator(".select2-results__option", has_text=str(source)).first.click()
    expect(new_row.locator(".field-source .select2-selection__rendered")).to_contain_text(
        str(source)
    )
    countries = new_row.locator(".field-countries .select2-search__field")
    countries.click()
    countries.fill("Japan")
    page.locator(".select2-results__option", has_text="Japan").first.click()

    # "+" beside the treaty's source opens the add form in a popup (RelatedObjectLookups.js);
    # the slug is written from the title (prepopulate.js), and saving closes the popup and
    # selects the new source in the form (popup_response.js).
    with page.expect_popup() as opened:
        page.locator("#add_id_source").click()
    popup = opened.value
    popup.on("console", watch.console)
    popup.on("pageerror", lambda error: watch.errors.append(f"{popup.url}: {error}"))
    popup.locator("#id_title_en").press_sequentially("Annual Report on Arms Control")
    expect(popup.locator("#id_slug")).to_have_value("annual-report-on-arms-control")
    popup.locator("#id_kind").select_option(Source.Kind.WHITE_PAPER)
    popup.locator("#id_language").select_option(Source.Language.EN)
    with popup.expect_event("close"):
        popup.locator('input[name="_save"]').click()
    new_source = Source.objects.get(slug="annual-report-on-arms-control")
    expect(page.locator("#id_source")).to_have_value(str(new_source.pk))

    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    event = TreatyEvent.objects.get(treaty=treaty, title_en="Test meeting under the policy")
    assert event.date_on.isoformat() == date_value
    assert event.source == source
    assert list(event.countries.all()) == [Country.objects.get(code="JP")]
    treaty.refresh_from_db()
    assert treaty.source == new_source

    # The history lists the change (its paginator's style is in a file, not an attribute).
    page.goto(f"{live_server.url}/admin/treaties/treaty/{treaty.pk}/history/")
    expect(page.locator("#change-history")).to_contain_text("Annual Report on Arms Control")

    assert not watch.problems(), "\n".join(watch.problems())
