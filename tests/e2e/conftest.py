"""A real headless Chromium for the end-to-end tests.

Debian's `chromium` package is driven by Playwright through `executable_path`, so no
browser is downloaded (never run `playwright install`). Where Chromium or Playwright is
missing the tests are skipped with a message; CI sets REQUIRE_E2E=1 to make that a
failure instead, so the browser test cannot silently stop running there. The page checkers
(the Nu Html Checker, run with Java, and axe-core) come from `node_modules/`, which
`make test` installs from package-lock.json; they are skipped or required the same way.
"""

import os
import shutil
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

NODE_MODULES = Path(__file__).resolve().parents[2] / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
NO_NODE_MODULES = "{} missing: run `npm ci` (make test does) to install package-lock.json"
NO_JAVA = "Java not installed: apt-get install default-jre-headless (see README)"


def unavailable(message):
    if os.environ.get("REQUIRE_E2E") == "1":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def browser_unavailable():
    unavailable(MISSING)


@pytest.fixture
def vnu_command():
    """The command that runs the Nu Html Checker, to which the files to check are added."""
    java = shutil.which("java")
    if java is None:
        unavailable(NO_JAVA)
    if not VNU_JAR.exists():
        unavailable(NO_NODE_MODULES.format(VNU_JAR.relative_to(NODE_MODULES.parent)))
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture
def axe_source():
    """axe-core's script, to evaluate in a page."""
    if not AXE_JS.exists():
        unavailable(NO_NODE_MODULES.format(AXE_JS.relative_to(NODE_MODULES.parent)))
    return AXE_JS.read_text(encoding="utf-8")


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
