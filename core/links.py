"""Links to one kind of page for many objects at once: `reverse()` once, then the argument put
in place.

A page that links every state on a map, or every source of a table, would otherwise resolve
the same URL pattern hundreds of times. The pattern is reversed once per URL name, language,
script prefix and URLconf (the things a reversed URL depends on); each link then puts its
argument where a sample argument stood. Arguments that `reverse()` would quote, or that the
pattern might not accept, are reversed in full, so the result is always what `reverse()` gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Arguments put in place as they are: what reverse() would neither quote nor change.
PLAIN = re.compile(r"[A-Za-z0-9_-]+")

_templates: dict[tuple[object, ...], tuple[str, str] | None] = {}


def link(viewname: str, arg: str | int, sample: str) -> str:
    """`reverse(viewname, args=[arg])`, for a pattern with one argument that `sample` matches
    (and that `arg` is of the same kind as: a slug, a number, two letters)."""
    return _put(viewname, _template(viewname, sample), arg)


def linker(viewname: str, sample: str) -> Callable[[str | int], str]:
    """`link` for many arguments in a row (a page's every state): the pattern, and what it
    depends on, is looked up once."""
    template = _template(viewname, sample)
    return lambda arg: _put(viewname, template, arg)


def _template(viewname: str, sample: str) -> tuple[str, str] | None:
    """What comes before and after the argument in the pattern's URL, as things stand now;
    None where the argument cannot simply be put in place."""
    key = (viewname, sample, get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    try:
        return _templates[key]
    except KeyError:
        url = reverse(viewname, args=[sample])
        before, sample_found, after = url.partition(sample)
        template = _templates[key] = (
            (before, after) if sample_found and sample not in after else None
        )
        return template


def _put(viewname: str, template: tuple[str, str] | None, arg: str | int) -> str:
    text = str(arg)
    if template is None or not PLAIN.fullmatch(text):
        return reverse(viewname, args=[arg])
    return template[0] + text + template[1]
