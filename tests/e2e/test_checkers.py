"""Every public page, in Japanese and in English, checked by machines: the Nu Html Checker
finds no error in its markup, axe-core finds no serious or critical accessibility
violation, nothing on it is wider than a 390 px phone screen, and nothing on it is blocked by
the Content-Security-Policy.

The pages are the site's own (see `pages.py`): every list, every record's page, a few
states only a query string reaches, the 404 page. The HTML checker reads all of them; the
browser checks, slower per page, read all of them too where CHECK_EVERY_PAGE=1 (as CI does
on its SQLite run), and otherwise a sample of the sources and countries, which come in
hundreds. Failures are collected over the whole walk and reported
together, each with its page and language.
"""

import json
import os
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.core.management import call_command
from django.utils import translation

from tests.e2e.csp import record_csp_violations
from tests.e2e.pages import expected_status, public_pages, sampled_pages

LANGUAGES = ("ja", "en")


def browser_pages(language: str) -> list[str]:
    """Every public page in `language` where CHECK_EVERY_PAGE=1 (CI sets it for one of its
    runs), else a sample: the slow in-browser checks then skip most of the many source and
    country pages."""
    with translation.override(language):
        if os.environ.get("CHECK_EVERY_PAGE") == "1":
            return public_pages()
        return sampled_pages()


BROWSER_LOCALES = {"ja": "ja-JP", "en": "en-US"}
NARROW = {"width": 390, "height": 844}

# A page the checker must reject, checked along with the site's pages: a run that reports
# no error for it did not check the folder.
CONTROL_NAME = "control-invalid.html"
CONTROL = '<!DOCTYPE html><html lang="en"><title>control</title><p><div></p></html>'


def numbered(pages):
    return [(f"{number:03d}", path) for number, path in enumerate(pages)]


# --- The Nu Html Checker -----------------------------------------------------------------


def run_vnu(vnu_command, folder):
    """Every message the checker gives for the files in `folder`, checked in one run."""
    result = subprocess.run(
        [*vnu_command, "--errors-only", "--format", "json", "--stdout", str(folder)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    try:
        return json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        pytest.fail(f"the Nu Html Checker gave no report:\n{result.stdout}\n{result.stderr}")


def test_every_public_page_is_valid_html_in_both_languages(vnu_command, seeded, client, tmp_path):
    written = {}
    for language in LANGUAGES:
        # Each language's pages at their own addresses: /ja/… in the tests (tests/conftest.py).
        with translation.override(language):
            pages = numbered(public_pages())
        for number, path in pages:
            response = client.get(path)
            assert response.status_code == expected_status(path), path
            body = response.content.decode()
            assert f'<html lang="{language}">' in body, (language, path)
            name = f"{language}-{number}.html"
            (tmp_path / name).write_text(body, encoding="utf-8")
            written[name] = f"{path} [{language}]"
    (tmp_path / CONTROL_NAME).write_text(CONTROL, encoding="utf-8")

    messages = run_vnu(vnu_command, tmp_path)

    errors = []
    control_rejected = False
    for message in messages:
        name = Path(unquote(urlsplit(message.get("url", "")).path)).name
        if name == CONTROL_NAME:
            control_rejected = True
            continue
        # No message is filtered away: every error the checker reports fails the test.
        errors.append(
            f"{written.get(name, name)} line {message.get('lastLine', '?')}: "
            f"{message.get('message')} [{message.get('type')}] "
            f"{(message.get('extract') or '').strip()!r}"
        )
    assert control_rejected, f"the checker did not report the invalid control page: {messages}"
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(errors)


# --- axe-core and the 390 px screen, in one walk -----------------------------------------

WIDTHS = """() => {
  const limit = window.innerWidth;
  const widths = {
    limit,
    html: document.documentElement.scrollWidth,
    body: document.body.scrollWidth,
    wide: [],
  };
  if (widths.html <= limit && widths.body <= limit) return widths;
  // Name the outermost elements that reach past the screen; what scrolls inside its own box
  // is not looked into.
  const describe = (element) =>
    element.tagName.toLowerCase() + (element.id ? "#" + element.id : "") +
    [...element.classList].map((name) => "." + name).join("") +
    ` (${Math.round(element.getBoundingClientRect().width)} px wide)`;
  const walk = (element) => {
    for (const child of element.children) {
      if (widths.wide.length >= 6) return;
      if (child.getBoundingClientRect().right > limit + 1) {
        widths.wide.push(describe(child));
      } else if (getComputedStyle(child).overflowX === "visible") {
        walk(child);
      }
    }
  };
  walk(document.body);
  return widths;
}"""

AXE_RUN = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return {
    rules: results.passes.length + results.violations.length,
    violations: results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((node) => node.target.join(" ")),
        count: v.nodes.length,
      })),
  };
}"""


@pytest.mark.e2e
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_kind_of_public_page_passes_axe_and_fits_a_390px_screen(
    language, axe_source, browser, live_server
):
    call_command("load_seed", verbosity=0)
    # The browser's own language is the reader's, but only the address chooses the page's.
    context = browser.new_context(viewport=NARROW, locale=BROWSER_LOCALES[language])
    # axe is put in each page by the test driver, not by a <script> element, so the site's
    # Content-Security-Policy, which allows no inline script, stays in force as readers get it.
    context.add_init_script(script=axe_source)
    csp_violations = record_csp_violations(context)
    page = context.new_page()
    page.set_default_timeout(30_000)
    violations, overflows = [], []
    try:
        for path in browser_pages(language):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == expected_status(path), path
            assert page.evaluate("document.documentElement.lang") == language, path

            widths = page.evaluate(WIDTHS)
            if widths["html"] > widths["limit"] or widths["body"] > widths["limit"]:
                overflows.append(
                    f"{path}: page {widths['html']} px, body {widths['body']} px on a "
                    f"{widths['limit']} px screen; too wide: {', '.join(widths['wide'])}"
                )

            result = page.evaluate(AXE_RUN)
            assert result["rules"] > 0, f"axe ran no rule on {path}"
            for violation in result["violations"]:
                violations.append(
                    f"{path}: {violation['id']} ({violation['impact']}, "
                    f"{violation['count']} elements) {violation['help']}: "
                    + "; ".join(violation["targets"])
                )
    finally:
        context.close()
    problems = []
    if violations:
        problems.append(f"{len(violations)} serious or critical axe violations [{language}]:")
        problems.extend(violations)
    if overflows:
        problems.append(f"{len(overflows)} pages wider than a 390 px screen [{language}]:")
        problems.extend(overflows)
    if csp_violations:
        problems.append(f"{len(csp_violations)} Content-Security-Policy violations [{language}]:")
        problems.extend(json.dumps(violation) for violation in csp_violations)
    assert not problems, "\n".join(problems)
