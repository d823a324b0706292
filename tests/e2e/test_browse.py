"""A reader's path through the site in a real browser, ending in a filtered CSV download."""

import codecs
import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from treaties.models import Participation


@pytest.mark.e2e
def test_a_reader_filters_the_npt_participations_and_downloads_exactly_those(
    browser_page, live_server
):
    from playwright.sync_api import expect

    call_command("load_seed", verbosity=0)
    not_signed = set(
        Participation.objects.filter(
            treaty__slug="npt", status=Participation.Status.NOT_SIGNED
        ).values_list("country__code", flat=True)
    )
    # Seed 004: India, Pakistan and Israel have stayed outside the NPT.
    assert {"IN", "PK", "IL"} <= not_signed
    page = browser_page

    page.goto(live_server.url + "/")
    expect(page.locator("#treaty-npt")).to_contain_text("in force")
    # New START's extension ran to 5 February 2026: it is stored and shown as expired, and
    # readers see no review banner (that is for editors).
    expect(page.locator("#treaty-new-start")).to_contain_text("expired")
    expect(page.locator("#status-review")).to_have_count(0)

    page.locator("#browse").get_by_role("link", name="Treaties", exact=True).click()
    expect(page).to_have_url(live_server.url + "/treaties/")
    page.locator("#treaty-npt").get_by_role("link", name="NPT", exact=True).click()
    expect(page).to_have_url(live_server.url + "/treaties/npt/")
    expect(page.locator("h1")).to_have_text("NPT")

    participations = page.locator("#participations")
    participations.get_by_label("status", exact=True).select_option("not_signed")
    participations.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"/treaties/npt/\?.*status=not_signed"))
    expect(participations.locator("table.participations tbody tr")).to_have_count(len(not_signed))

    export_link = participations.locator('a.export[href*="/participations/export.csv"]')
    with page.expect_download() as download_info:
        export_link.click()
    body = Path(download_info.value.path()).read_bytes()

    assert body.startswith(codecs.BOM_UTF8), "Excel needs the byte-order mark to read Japanese"
    reader = csv.DictReader(io.StringIO(body.decode("utf-8-sig")))
    assert reader.fieldnames[:3] == ["id", "treaty", "iso2"]
    rows = list(reader)
    assert {row["iso2"] for row in rows} == not_signed
    assert len(rows) == len(not_signed)
    assert {(row["treaty"], row["status"]) for row in rows} == {("npt", "not_signed")}


@pytest.mark.e2e
def test_a_reader_goes_from_a_treaty_to_a_recommendation_and_the_session_that_drafted_it(
    browser_page, live_server
):
    from playwright.sync_api import expect

    call_command("load_seed", verbosity=0)
    page = browser_page

    page.goto(live_server.url + "/treaties/npt/")
    related = page.locator("#treaty-recommendations")
    related.get_by_role("link", name=re.compile(r"^Reaffirm the importance")).click()
    expect(page).to_have_url(re.compile(r"/recommendations/\d+/$"))
    expect(page.locator("#current-status")).to_have_text("proposed")
    # Seed 000, note 1 defines the umbrella states; note 7 cites Arms Control Today.
    expect(page.locator("#fn1")).to_contain_text("NATO")
    expect(page.locator("#treaties")).to_contain_text("NPT")

    page.locator("#sessions").get_by_role("link", name=re.compile("7th meeting")).click()
    expect(page).to_have_url(re.compile(r"/sessions/\d+/$"))
    expect(page.locator("h1")).to_contain_text("7th meeting")
    expect(page.locator("main")).to_contain_text("26 March 2024")
    # The cross-link runs both ways: the session lists the recommendations it produced.
    expect(
        page.locator("#recommendations").get_by_role("link", name=re.compile("Reaffirm"))
    ).to_have_count(1)

    page.goto(live_server.url + "/sessions/")
    page.get_by_role("link", name=re.compile("2nd meeting")).first.click()
    expect(page.locator("#items")).to_contain_text("external lecturer")
