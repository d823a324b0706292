"""Content fields kept in Japanese and English (`title_ja`, `title_en`)."""

from __future__ import annotations

from django.utils.translation import get_language


def localized_with_language(
    obj: object, field: str, language: str | None = None
) -> tuple[str, str]:
    """`<field>_<lang>` for the active language, falling back to the other, and its language.

    With neither value set: ("", the active language).
    """
    language = (language or get_language() or "ja")[:2]
    order = ("en", "ja") if language == "en" else ("ja", "en")
    for lang in order:
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value, lang
    return "", language


def localized(obj: object, field: str, language: str | None = None) -> str:
    """The value of `<field>_<lang>` for the active language, falling back to the other."""
    return localized_with_language(obj, field, language)[0]


def localized_language(obj: object, field: str, language: str | None = None) -> str:
    """The language of the value `localized` picks: the reader's, or the other on fallback."""
    return localized_with_language(obj, field, language)[1]


class LocalizedMixin:
    def loc(self, field: str) -> str:
        return localized(self, field)
