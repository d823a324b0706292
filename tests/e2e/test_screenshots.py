"""Full-page screenshots of the dashboard and the CTBT's page, in both languages, on a
desktop and on a 390 px phone screen, kept as test artifacts for a person to look at; and
Japanese text set in a Japanese font, not in boxes.

The files go to `$TEST_ARTIFACTS/screenshots/` (`artifacts/screenshots/` by default), named
by page, language and width: `treaty-ctbt-ja-390.png`.
"""

import os
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from tests.e2e.conftest import unavailable

LANGUAGES = ("ja", "en")
BROWSER_LOCALES = {"ja": "ja-JP", "en": "en-US"}
WIDTHS = {1280: 800, 390: 844}
ROOT = Path(settings.BASE_DIR)
STYLESHEET = ROOT / "static" / "css" / "site.css"
NO_JAPANESE_FONT = "No Japanese font installed: apt-get install fonts-noto-cjk (see README)"

# Marks the element whose text holds the first Japanese characters of the page.
MARK_JAPANESE = r"""() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(node.data) && element.closest("main")) {
      element.setAttribute("data-japanese-sample", "");
      return node.data.trim();
    }
  }
  return null;
}"""


def artifacts_dir():
    root = Path(os.environ.get("TEST_ARTIFACTS") or ROOT / "artifacts")
    folder = root / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def japanese_font_families():
    """The font families fontconfig says cover Japanese."""
    if shutil.which("fc-list") is None:
        return set()
    listed = subprocess.run(
        ["fc-list", ":lang=ja", "family"], capture_output=True, text=True, check=False
    ).stdout
    return {family.strip() for line in listed.splitlines() for family in line.split(",")}


def png_size(path):
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG file"
    return struct.unpack(">II", header[16:24])


def rendering_fonts(page, selector):
    """The platform fonts Chromium used for the text of the element `selector` names."""
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()
    return {font["familyName"] for font in fonts if font["glyphCount"] > 0}


@pytest.mark.e2e
def test_screenshots_of_the_dashboard_and_the_ctbt_page_in_both_languages_and_widths(
    browser, live_server
):
    japanese_fonts = japanese_font_families()
    if not japanese_fonts:
        unavailable(NO_JAPANESE_FONT)
    stylesheet_fonts = set(re.findall(r'"([^"]+)"', STYLESHEET.read_text(encoding="utf-8")))
    call_command("load_seed", verbosity=0)
    folder = artifacts_dir()
    for language in LANGUAGES:
        with translation.override(language):
            pages = {
                "dashboard": reverse("portal:home"),
                "treaty-ctbt": reverse("treaties:treaty-detail", args=["ctbt"]),
            }
        for width, height in WIDTHS.items():
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale=BROWSER_LOCALES[language]
            )
            page = context.new_page()
            try:
                for name, path in pages.items():
                    page.goto(live_server.url + path)
                    assert page.evaluate("document.documentElement.lang") == language
                    file = folder / f"{name}-{language}-{width}.png"
                    page.screenshot(path=str(file), full_page=True)
                    shot_width, shot_height = png_size(file)
                    # A full-page screenshot is as wide as the page: no wider than the screen.
                    assert shot_width == width, f"{file.name} is {shot_width} px wide"
                    assert shot_height >= height

                    if language == "ja":
                        sample = page.evaluate(MARK_JAPANESE)
                        assert sample, f"no Japanese text on {path}"
                        fonts = rendering_fonts(page, "[data-japanese-sample]")
                        assert fonts & japanese_fonts, (
                            f"{sample!r} on {path} is set in {fonts}, none of which has "
                            f"Japanese glyphs ({sorted(japanese_fonts)})"
                        )
                        assert fonts & stylesheet_fonts, (
                            f"{sample!r} on {path} is set in {fonts}, not in a font the "
                            f"stylesheet names ({sorted(stylesheet_fonts)})"
                        )
            finally:
                context.close()
