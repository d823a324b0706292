"""The site search: what every app finds by name or title, in either language.

The page asks the registry for the finders the apps offer (`core.registry.Finder`) and
shows each kind's best matches, in a bounded number of queries (one, at most two, per kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from core.registry import Finder, Hit, site
from core.search import MAX_QUERY_LENGTH, fold, normalize_query, reader_language

if TYPE_CHECKING:
    from collections.abc import Sequence

# How many records of each kind the page lists; the kind's own list has the rest.
RESULTS_PER_KIND = 20


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "A search can be at most %(limit_value)d characters long (this one has "
                "%(show_value)d)."
            ),
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def clean_q(self) -> str:
        return normalize_query(self.cleaned_data.get("q") or "")


@dataclass(frozen=True)
class Result:
    """A hit as the page shows it: its name in the reader's language and, where the query
    matched the name in the other language only, that name beside it."""

    hit: Hit
    name: str
    other_name: str
    other_language: str
    # Set when the name is in the other language, the record having none in the reader's.
    name_language: str = ""


@dataclass(frozen=True)
class Group:
    finder: Finder
    results: Sequence[Result]
    total: int
    more_url: str

    @property
    def more(self) -> int:
        return self.total - len(self.results)


def matches(text: str, query: str) -> bool:
    folded = fold(text)
    return bool(text) and all(word in folded for word in fold(query).split())


def shown(hit: Hit, query: str, language: str) -> Result:
    name = hit.name(language)
    other = hit.other_name(language)
    other_language = "ja" if language == "en" else "en"
    own = hit.name_en if language == "en" else hit.name_ja
    name_language = "" if own else other_language
    if other and matches(other, query) and not matches(name, query):
        return Result(hit, name, other, other_language, name_language)
    return Result(hit, name, "", other_language, name_language)


def search(query: str, limit: int = RESULTS_PER_KIND) -> list[Group]:
    """Every kind's best matches for `query` (a normalized, non-empty query)."""
    language = reader_language()
    groups = []
    for finder in site.finders():
        found = finder.find(query, limit)
        more_url = ""
        if finder.more_url is not None and found.total > len(found.hits):
            more_url = finder.more_url(query)
        groups.append(
            Group(
                finder=finder,
                results=[shown(hit, query, language) for hit in found.hits],
                total=found.total,
                more_url=more_url,
            )
        )
    return groups
