"""The site search's common part: reading a query, fetching matches, ranking them.

Each app's finder (registered with `core.registry`) selects its matches with the same
`search()` its list's `q` filter uses — a substring match of the names in both languages,
which finds Japanese text as well as English, since Japanese writes no spaces for a word
index to split on. The matches are then ranked here, in Python and the same way on every
database: a name equal to the query first, then names starting with it, then names with a
word starting with each word of the query, then any other match; within a rank, by the
name in the reader's order (`core.collation`), then by id.

When a kind has more than `CANDIDATES` matches, the database chooses which are ranked: those
whose name equals the query or starts with it first, on every database; then, on PostgreSQL,
those the full-text ranking puts first (`ts_rank` over the `simple` configuration, each word
of the query matched as a prefix), elsewhere the oldest. Below that number, which the site's
data stays well under, SQLite and PostgreSQL give exactly the same results.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlencode

from django.db import connections
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import get_language

from .collation import name_key
from .registry import Finder, Found, Hit

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    _ModelT = TypeVar("_ModelT", bound=Model)

# The longest query the search page takes, and the longest a list's `q` filter takes.
MAX_QUERY_LENGTH = 200
LIST_QUERY_MAX_LENGTH = 100
# How many matches of one kind are fetched to be ranked (more than there are countries).
CANDIDATES = 300

EXACT, PREFIX, WORD_PREFIX, CONTAINS = range(4)
_WORD = re.compile(r"\w+")


def normalize_query(text: str) -> str:
    """The query as searched: full-width letters and digits as ASCII (ＮＰＴ → NPT), half-width
    katakana as full-width, runs of spaces (also the ideographic space) as one."""
    return " ".join(unicodedata.normalize("NFKC", text or "").split())


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def relevance(texts: Sequence[str], query: str) -> int:
    """How well `texts` (a record's names) match `query`: EXACT, PREFIX, WORD_PREFIX or CONTAINS."""
    needle = fold(query)
    words = needle.split()
    folded = [fold(text) for text in texts if text]
    if any(text == needle for text in folded):
        return EXACT
    if any(text.startswith(needle) for text in folded):
        return PREFIX
    starts = {match.group() for text in folded for match in _WORD.finditer(text)}
    if words and all(any(start.startswith(word) for start in starts) for word in words):
        return WORD_PREFIX
    return CONTAINS


def ranked(hits: Sequence[Hit], query: str, language: str, limit: int) -> list[Hit]:
    """The best `limit` hits: by relevance, then by name in the reader's order, then by id."""

    def key(hit: Hit) -> tuple[Any, ...]:
        texts = [hit.name_ja, hit.name_en, *hit.also]
        return (relevance(texts, query), name_key(hit.sort_name(language), language), hit.pk)

    return sorted(hits, key=key)[:limit]


def _tsquery(query: str) -> str:
    """Every word of `query` as a quoted prefix term of a raw tsquery, joined by AND."""
    terms = []
    for word in query.split():
        quoted = word.replace("\\", "\\\\").replace("'", "''")
        terms.append(f"'{quoted}':*")
    return " & ".join(terms)


def by_likely_relevance(
    queryset: QuerySet[_ModelT], fields: Sequence[str], query: str
) -> QuerySet[_ModelT]:
    """The matches in the order the database can tell their relevance: a field equal to the
    query, then one starting with it, then (on PostgreSQL) by full-text rank; then by id."""
    if not fields or not query.split():
        return queryset.order_by("pk")
    exact, prefix = Q(), Q()
    for field in fields:
        exact |= Q(**{f"{field}__iexact": query})
        prefix |= Q(**{f"{field}__istartswith": query})
    ordering: list[Any] = [
        Case(When(exact, then=Value(0)), When(prefix, then=Value(1)), default=Value(2)).asc()
    ]
    if connections[queryset.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        rank = SearchRank(
            SearchVector(*fields, config="simple"),
            SearchQuery(_tsquery(query), search_type="raw", config="simple"),
        )
        ordering.append(rank.desc())
    return queryset.order_by(*ordering, "pk")


def reader_language() -> str:
    """The reader's language, "ja" or "en"."""
    return (get_language() or "ja")[:2]


def find(
    queryset: QuerySet[_ModelT],
    *,
    query: str,
    limit: int,
    hit: Callable[[_ModelT], Hit],
    language: str | None = None,
    name_fields: Sequence[str] = (),
) -> Found:
    """The best `limit` of the matches in `queryset` (already filtered by the query), ranked.

    `name_fields` are the columns holding the names, which the database orders by
    when there are too many matches to rank them all; `language` (the reader's by default)
    orders names that rank alike.

    One query, and a second to count the matches when there are more than CANDIDATES.
    """
    ordered = by_likely_relevance(queryset, name_fields, query)
    rows = list(ordered[: CANDIDATES + 1])
    total = len(rows) if len(rows) <= CANDIDATES else ordered.count()
    hits = [hit(row) for row in rows[:CANDIDATES]]
    language = language or reader_language()
    return Found(hits=ranked(hits, query, language, limit), total=total)


def list_url(url_name: str, query: str) -> str:
    """A list page filtered by `query` (its `q`), or "" when the query is too long for it."""
    if len(query) > LIST_QUERY_MAX_LENGTH:
        return ""
    return reverse(url_name) + "?" + urlencode({"q": query})


# --- Core's own records: the sources -------------------------------------------------------


def source_hit(source: Any) -> Hit:
    published = source.published
    return Hit(
        name_ja=source.title_ja,
        name_en=source.title_en,
        url=source.get_absolute_url(),
        detail=" · ".join(
            part
            for part in (source.loc("publisher"), published.display() if published else "")
            if part
        ),
        also=(source.publisher_ja, source.publisher_en),
        pk=source.pk,
    )


def find_sources(query: str, limit: int) -> Found:

    from .models import Source

    return find(
        Source.objects.search(query),
        query=query,
        limit=limit,
        hit=source_hit,
        language=reader_language(),
        name_fields=("title_en", "title_ja", "publisher_en", "publisher_ja"),
    )


def source_finder() -> Finder:
    from django.utils.translation import gettext_lazy as _

    return Finder(
        "sources",
        _("Sources"),
        _("source"),
        find_sources,
        more_url=lambda query: list_url("core:source-list", query),
        # The documents behind the facts: after the records themselves.
        position=90,
    )
