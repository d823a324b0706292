"""Template helpers of the people pages: date spans of sessions, names as printed."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.dates import Precision

register = template.Library()


def date_span(start, end, language=None):
    """A period shown at its precision, without repeating what start and end share.

    14–21 January 2024 · 30 May – 3 July 2023 · 2024年1月14日～21日 · 2024年1月14日～2月2日
    """
    if start is None:
        return ""
    language = (language or get_language() or "ja")[:2]
    if end is None or (end.value == start.value and end.precision == start.precision):
        return start.display(language)
    s, e = start.value, end.value
    both_days = start.precision == end.precision == Precision.DAY
    if language == "ja":
        if both_days and s.year == e.year and s.month == e.month:
            return f"{s.year}年{s.month}月{s.day}日～{e.day}日"
        if both_days and s.year == e.year:
            return f"{s.year}年{s.month}月{s.day}日～{e.month}月{e.day}日"
        return f"{start.display(language)}～{end.display(language)}"
    if both_days and s.year == e.year and s.month == e.month:
        return f"{s.day}–{e.day} {date_format(e, 'F Y', use_l10n=False)}"
    if both_days and s.year == e.year:
        return f"{s.day} {date_format(s, 'F', use_l10n=False)} – " + end.display(language)
    return f"{start.display(language)} – {end.display(language)}"


@register.simple_tag
def session_dates(session):
    """{% session_dates session %}: "14–21 January 2024" for a session spanning days."""
    return date_span(session.start, session.end)


@register.filter
def romanized(person):
    """A person's romanized name, given name first ("Tatsujiro Suzuki")."""
    return person.name_en if person else ""


@register.filter
def session_name(session):
    """A session's title, or its kind and number when the source gives no title ("meeting 3")."""
    if session is None:
        return ""
    title = session.loc("title")
    if title:
        return title
    kind = session.get_kind_display()
    if session.number is not None:
        return _("%(kind)s %(number)s") % {"kind": kind, "number": session.number}
    return f"{kind} ({session.start.iso()})"
