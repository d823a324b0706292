"""What each app contributes to the site as a whole, declared by the app itself.

`core` sits at the bottom of the house: it may not import the apps above it, yet the
site's pages that span every app (the source page, the review page, the change log,
`load_seed`, `export_all`, the editors' group) need to know what each app holds. So each
app describes its part in a `SitePart`, and registers it from its `AppConfig.ready()`;
the top layer asks this registry. A new app joins the whole site by registering its
part, without a line changed anywhere else.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise

if TYPE_CHECKING:
    # A string or a lazy translation (the alias django-stubs provides for type checkers).
    from django_stubs_ext import StrOrPromise as Label

    from .history import SavedRows
else:
    Label = str | Promise


@dataclass(frozen=True)
class Facts:
    """One kind of fact that names a source: the rows of `model` whose `source_field` is set.

    `key` names the kind's section on the source page (an HTML id, unique on the site);
    `related` and `order` shape the rows for display (the model's own order without one);
    `template` renders one kind's section on the source page (given `rows` and `facts`), and
    the generic list is used without one.
    `unsourced_review` puts the kind's rows without a source on the editors' review page.
    """

    key: str
    model: type[models.Model]
    source_field: str = "source"
    related: Sequence[str] = ()
    prefetch: Sequence[str] = ()
    order: Sequence[str] = ()
    template: str = ""
    label: Label = ""
    unsourced_review: bool = True

    @property
    def title(self) -> Label:
        if self.label:
            return self.label
        plural = self.model._meta.verbose_name_plural
        return plural if plural is not None else ""

    def queryset(self) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.select_related(*self.related)
        return queryset.order_by(*self.order) if self.order else queryset

    def citing(self, source: models.Model) -> models.QuerySet[Any]:
        """The facts of this kind that cite `source`, as the source page shows them."""
        queryset = self.queryset().filter(**{self.source_field: source})
        return queryset.prefetch_related(*self.prefetch) if self.prefetch else queryset

    def unsourced(self) -> models.QuerySet[Any]:
        """The facts of this kind that name no source, for the review (no prefetching)."""
        return self.queryset().filter(**{f"{self.source_field}__isnull": True}).order_by("pk")


@dataclass(frozen=True)
class ReviewCheck:
    """Something an editor should look at, found by the app that owns the records.

    `find(on)` returns the records needing a look on day `on` (today when None), as a
    queryset or a list; `summary(count)` says how many in a sentence; `template` renders the
    check's section on the review page (given `check`, `rows`, `count`), `dashboard_template`
    its examples on the home page when it has any; `admin_url()` lists them all in the admin.
    A check too costly for every visit to the home page sets `on_dashboard` to False.
    """

    key: str
    summary: Callable[[int], str]
    find: Callable[[datetime.date | None], Any]
    template: str
    admin_url: Callable[[], str] | None = None
    dashboard_template: str = ""
    on_dashboard: bool = True


@dataclass(frozen=True)
class Hit:
    """A record a site search found: its name in both languages and where it lives.

    `detail` is shown small beside the name (a date, an ISO code); `also` are further texts
    the search matched besides the names (a full name, a slug), which count for relevance;
    `reading` is the Japanese name as read (in kana), which Japanese pages order it by;
    `pk` breaks ties so that the order is the same on every database.
    """

    name_ja: str
    name_en: str
    url: str
    detail: str = ""
    also: Sequence[str] = ()
    reading: str = ""
    pk: Any = None

    def name(self, language: str) -> str:
        """The name in `language`, or in the other language where it has none."""
        first, second = (
            (self.name_en, self.name_ja) if language == "en" else (self.name_ja, self.name_en)
        )
        return first or second

    def sort_name(self, language: str) -> str:
        """What the hit is ordered by in `language`: its name, or in Japanese its reading."""
        if language == "ja" and self.reading:
            return self.reading
        return self.name(language)

    def other_name(self, language: str) -> str:
        """The name in the language other than `language` (empty when the same or absent)."""
        other = self.name_ja if language == "en" else self.name_en
        return other if other != self.name(language) else ""


@dataclass(frozen=True)
class Found:
    """What a finder found: the best `hits` and the number of every match."""

    hits: Sequence[Hit]
    total: int


@dataclass(frozen=True)
class Finder:
    """One kind of record the site search finds, offered by the app that owns it.

    `find(query, limit)` returns at most `limit` hits, best first, and the number of all
    matches, in a bounded number of queries; `more_url(query)` is the kind's own list
    filtered by the query (empty where the list cannot take it); `label` names the kind in
    the plural for the heading of its results, `kind` in the singular for each result;
    `position` places the kind's results on the page (smaller first, then in the order the
    apps registered them).
    """

    key: str
    label: Label
    kind: Label
    find: Callable[[str, int], Found]
    more_url: Callable[[str], str] | None = None
    position: int = 50


@dataclass(frozen=True)
class SitePart:
    """An app's part in the site.

    - `seed_fixture`: its seed file in the fixture directory, loaded in registration order;
    - `after_seed_fixtures(saved)`: brings derived values up to date after the raw fixture
      load, for the rows it saved (`saved`: {model: primary keys}, see
      `core.history.saved_rows`) and no others;
    - `load_seed_imports(fixture_dir, verbosity)`: more seed rows through the app's own path,
      yielding (name, summary) pairs;
    - `facts`: the kinds of fact that cite a source;
    - `review_checks`: what the review page asks of it;
    - `editor_models`: {model name: actions} the Editors group may take;
    - `exports`: URL names of its public list exports (what `export_all` writes);
    - `finders`: the kinds of record the site search finds in it;
    - `public`: its records have public pages, so their changes show on /changes/.
    """

    label: str
    seed_fixture: str = ""
    after_seed_fixtures: Callable[[SavedRows], Any] | None = None
    load_seed_imports: Callable[..., Any] | None = None
    facts: Sequence[Facts] = ()
    review_checks: Sequence[ReviewCheck] = ()
    editor_models: dict[str, Sequence[str]] = field(default_factory=dict)
    exports: Sequence[str] = ()
    public: bool = True
    finders: Sequence[Finder] = ()


class Registry:
    def __init__(self) -> None:
        self._parts: dict[str, SitePart] = {}

    def register(self, part: SitePart) -> None:
        """Add or replace an app's part; apps register once, from `AppConfig.ready()`."""
        self._parts[part.label] = part

    def parts(self) -> list[SitePart]:
        """Every registered part, in the order the apps are installed (lowest first)."""
        return list(self._parts.values())

    def part(self, label: str) -> SitePart | None:
        return self._parts.get(label)

    def facts(self) -> Iterator[Facts]:
        for part in self.parts():
            yield from part.facts

    def review_checks(self) -> Iterator[ReviewCheck]:
        for part in self.parts():
            yield from part.review_checks

    def public_apps(self) -> frozenset[str]:
        return frozenset(part.label for part in self.parts() if part.public)

    def exports(self) -> list[str]:
        return [name for part in self.parts() for name in part.exports]

    def finders(self) -> list[Finder]:
        finders = [finder for part in self.parts() for finder in part.finders]
        return sorted(finders, key=lambda finder: finder.position)


site = Registry()
