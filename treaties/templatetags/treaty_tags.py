"""Template helpers of the treaty pages."""

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

register = template.Library()

# Where instruments are deposited, as the records store them (in English, the same in every
# language so that imports compare), and as each language names them.
DEPOSITARY_NAMES = {
    "Secretary-General of the United Nations": _("Secretary-General of the United Nations"),
    "London": _("London"),
    "Moscow": _("Moscow"),
    "Washington": _("Washington"),
}


@register.filter
def depositary_names(value: str) -> str:
    """{{ action.depositary|depositary_names }}: "London, Washington" → 「ロンドン、ワシントン」."""
    names = [part.strip() for part in (value or "").split(",") if part.strip()]
    shown = [str(DEPOSITARY_NAMES.get(name, name)) for name in names]
    return pgettext("between the items of a list", ", ").join(shown)
