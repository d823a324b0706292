"""Content fields kept in Japanese and English (`title_ja`, `title_en`)."""

from django.utils.translation import get_language


def localized(obj, field, language=None):
    """The value of `<field>_<lang>` for the active language, falling back to the other."""
    language = (language or get_language() or "ja")[:2]
    order = ("en", "ja") if language == "en" else ("ja", "en")
    for lang in order:
        value = getattr(obj, f"{field}_{lang}", "")
        if value:
            return value
    return ""


class LocalizedMixin:
    def loc(self, field):
        return localized(self, field)
