"""The Japanese catalogue: every string of the interface translated, and compiled as committed.

The compiled `.mo` is committed so that nothing beyond Python is needed to run the site;
these tests fail when a string in the code or templates has no Japanese, when the
catalogue holds a fuzzy or empty entry, or when the committed `.mo` says something other
than the `.po` compiled afresh.
"""

import gettext
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "ja" / "LC_MESSAGES"
PO = LOCALE / "django.po"
MO = LOCALE / "django.mo"
SOURCES = ["config", "core", "treaties", "people", "recommendations", "portal", "templates"]


def catalogue():
    with PO.open("rb") as handle:
        return read_po(handle, locale="ja")


def entries():
    return [message for message in catalogue() if message.id]


def as_text(message_id):
    return message_id[0] if isinstance(message_id, tuple) else message_id


def test_every_entry_is_translated_and_none_is_fuzzy():
    untranslated = [
        as_text(m.id)
        for m in entries()
        if not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [as_text(m.id) for m in entries() if m.fuzzy]

    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_has_one_plural_form_as_japanese_does():
    assert catalogue().num_plurals == 1


def test_the_committed_mo_says_what_the_po_says():
    fresh = io.BytesIO()
    write_mo(fresh, catalogue())
    fresh.seek(0)
    with MO.open("rb") as committed:
        compiled = gettext.GNUTranslations(committed)._catalog  # type: ignore[attr-defined]
    expected = gettext.GNUTranslations(fresh)._catalog  # type: ignore[attr-defined]
    # The header entry ("") is written by each compiler in its own words; the rest must agree.
    compiled.pop("", None)
    expected.pop("", None)
    assert compiled == expected


def test_every_string_in_the_code_and_templates_is_in_the_catalogue(tmp_path):
    """`makemessages` run on a copy of the project finds nothing the catalogue lacks."""
    if shutil.which("xgettext") is None:
        message = "GNU gettext (xgettext) is not installed: apt-get install gettext"
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    shutil.copytree(base / "locale", tmp_path / "locale")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    with (tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po").open("rb") as handle:
        extracted = {as_text(m.id) for m in read_po(handle) if m.id}

    missing = sorted(extracted - {as_text(m.id) for m in entries()})
    assert missing == [], "run `make messages` and translate these"
    unused = sorted({as_text(m.id) for m in entries()} - extracted)
    assert unused == [], "run `make messages`: the catalogue holds strings no longer used"
