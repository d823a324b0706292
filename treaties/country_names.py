"""Country names as depositaries spell them, mapped to ISO 3166 codes.

The UN Treaty Collection and the UNODA database write "Bolivia (Plurinational State of)"
or "Türkiye" where django-countries says "Bolivia" or "Turkey". A name is looked up after
folding case, accents, apostrophes, punctuation and a leading "the", among django-countries'
names in English and Japanese and the depositaries' spellings kept in
`data/state_names.json`. A name found nowhere gives None: an importer reports it, it never
guesses.
"""

import json
import re
import unicodedata
from functools import cache
from pathlib import Path

from django.utils import translation
from django_countries import countries

NAMES_FILE = Path(__file__).resolve().parent / "data" / "state_names.json"


def fold(name: str) -> str:
    """The comparable form of a name: no accents, case, punctuation or leading article."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("’", "'").replace("‘", "'").replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.removeprefix("the ").removesuffix(" the")


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    for language in ("ja", "en"):
        with translation.override(language):
            for code, name in countries:
                index[fold(str(name))] = code
    for code in countries:
        index.setdefault(fold(code.code), code.code)
    aliases = json.loads(NAMES_FILE.read_text(encoding="utf-8"))
    for name, code in aliases.items():
        if code not in countries:
            raise ValueError(f"{NAMES_FILE.name}: {name!r} maps to unknown code {code!r}")
        index[fold(name)] = code
    return index


def code_for_name(name: str) -> str | None:
    """The ISO code of the state called `name` (any known spelling), else None."""
    key = fold(name or "")
    if not key:
        return None
    return _index().get(key)
