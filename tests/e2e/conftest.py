"""A real headless Chromium for the end-to-end tests.

Debian's `chromium` package is driven by Playwright through `executable_path`, so no
browser is downloaded (never run `playwright install`). Where Chromium or Playwright is
missing the tests are skipped with a message; CI sets REQUIRE_E2E=1 to make that a
failure instead, so the browser test cannot silently stop running there.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made
# by the test itself (loading the seed data, reading expected rows) are still synchronous.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MISSING = "Chromium not installed: apt-get install chromium (see README)"


def browser_unavailable():
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(MISSING, pytrace=False)
    pytest.skip(MISSING)


@pytest.fixture
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable()
    if not CHROMIUM.exists():
        browser_unavailable()
    # Started per test, not per session: while Playwright runs, the test thread has a
    # running event loop, which the rest of the suite should not inherit.
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def browser_page(browser):
    context = browser.new_context(locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        yield page
    finally:
        context.close()
