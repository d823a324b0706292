from django import template
from django.utils.translation import get_language

from core.dates import PartialDate
from core.i18n import localized

register = template.Library()


@register.filter
def loc(obj, field):
    """{{ treaty|loc:"name" }}: the Japanese or English value for the active language."""
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def pdate(value):
    """{{ treaty.adopted|pdate }}: a partial date shown at its precision."""
    if value is None or value == "":
        return ""
    if isinstance(value, PartialDate):
        return value.display(get_language())
    return PartialDate(value).display(get_language())


@register.filter
def isodate(value):
    if isinstance(value, PartialDate):
        return value.iso()
    return value.isoformat() if value else ""


@register.inclusion_tag("includes/provenance.html")
def provenance(fact, sources=None):
    """Where a fact came from and how old it is: source link, locator, as-of date.

    `sources` is an optional {pk: Source} map so a table of facts needs no query per row.
    """
    source = None
    if getattr(fact, "source_id", None):
        source = sources.get(fact.source_id) if sources is not None else fact.source
    return {"fact": fact, "source": source, "as_of": getattr(fact, "as_of", None)}


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()
