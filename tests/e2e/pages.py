"""Every public page of the site, found from the site itself, for the page checkers.

The list pages come from their URL names; the record pages from the records: every model of
the site's apps that has `get_absolute_url` is walked, so a new kind of page joins the
checks without a line changed here. A few states only a query string reaches are added: a
past day (`as_of`), filtered lists, a list whose filter values are refused (the error
message), the 404 page, and the search page where the site has one.

The pages are in the active language: reversed addresses carry its prefix (/ja/ in the
tests, whose default language is English), and so do the two written out below.

The HTML checker reads every one of these pages. The browser checks cost more per page, so
where one kind of record page comes in many copies (about two hundred sources and as many
countries) they take a sample: pages spread evenly over the kind, the countries that hold
the most records, and the page of each record with the longest value in a text field,
the likeliest to overflow a narrow screen.
"""

from urllib.parse import urlencode, urlsplit

from django.apps import apps
from django.db import models
from django.db.models.functions import Length
from django.urls import NoReverseMatch, resolve, reverse

# The apps whose records have public pages.
SITE_APPS = ("core", "treaties", "people", "recommendations", "portal")

LIST_PAGES = (
    "portal:home",
    "treaties:treaty-list",
    "treaties:country-list",
    "treaties:participation-list",
    "treaties:event-list",
    "recommendations:recommendation-list",
    "people:session-list",
    "people:person-list",
    "core:source-list",
    "portal:change-list",
)

# Both as the default language writes them; `in_active_language` gives them in another.
NOT_FOUND = "/no-such-page/"
# Refused filter values: the page answers 400 and says what to correct.
BAD_FILTER = "/participations/?" + urlencode({"treaty": "no-such-treaty", "as_of": "1995-13-40"})

# How many pages of one kind the browser checks take, besides the ones always kept.
SAMPLE_SIZE = 12
# The countries with the most records (nuclear-armed states, Japan, the EU): always sampled.
KEY_COUNTRIES = ("jp", "us", "ru", "cn", "gb", "fr", "in", "pk", "il", "kp", "ir", "eu")


def _page_models() -> list[type[models.Model]]:
    return [
        model
        for app_label in SITE_APPS
        for model in apps.get_app_config(app_label).get_models()
        if hasattr(model, "get_absolute_url")
    ]


def _with_url_relations(model: type[models.Model]) -> models.QuerySet:
    """The model's rows, with the records their URL is built from (a participation's page
    is its country's, a footnote's its recommendation's) fetched in the same query."""
    related = [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one and field.name in ("treaty", "country", "session", "recommendation")
    ]
    return model._default_manager.select_related(*related)


def _path(url: str) -> str:
    """The page a record's URL names, without the fragment that points inside it."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def record_pages() -> list[str]:
    """Every distinct page the records' `get_absolute_url` names."""
    paths: set[str] = set()
    for model in _page_models():
        for record in _with_url_relations(model).iterator():
            paths.add(_path(record.get_absolute_url()))
    return sorted(paths)


def in_active_language(path: str) -> str:
    """A path written for the default language, in the active one (/ja/… for Japanese)."""
    return reverse("portal:home").removesuffix("/") + path


def state_pages() -> list[str]:
    """Pages in a state only a query string reaches."""
    treaty = reverse("treaties:treaty-detail", args=["npt"])
    participations = reverse("treaties:participation-list")
    pages = [
        participations + "?" + urlencode({"view": "matrix"}),
        treaty + "?" + urlencode({"as_of": "1995-05-11"}),
        participations + "?" + urlencode({"treaty": "ctbt", "as_of": "2000-01-01"}),
        participations + "?" + urlencode({"treaty": "ctbt", "ratified": "false"}),
        reverse("treaties:event-list") + "?" + urlencode({"treaty": "npt"}),
        in_active_language(BAD_FILTER),
        in_active_language(NOT_FOUND),
    ]
    try:
        search = reverse("portal:search")
    except NoReverseMatch:
        pass  # The site has no search page yet.
    else:
        pages.append(search + "?" + urlencode({"q": "CTBT"}))
    return pages


def expected_status(path: str) -> int:
    """The status of a page of `public_pages`, in whichever language."""
    for written, status in ((NOT_FOUND, 404), (BAD_FILTER, 400)):
        if path.endswith(written):
            return status
    return 200


def public_pages() -> list[str]:
    """Every public page, list pages first, as paths with their query strings."""
    pages = [reverse(name) for name in LIST_PAGES] + state_pages() + record_pages()
    return list(dict.fromkeys(pages))  # once each (an event without a treaty names a list)


def _longest_text_pages() -> set[str]:
    """For each text field of each model with pages, the page of its longest value."""
    paths = set()
    for model in _page_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField) or field.choices:
                continue
            record = (
                _with_url_relations(model)
                .annotate(_length=Length(field.name))
                .filter(_length__gt=0)
                .order_by("-_length", "pk")
                .first()
            )
            if record is not None:
                paths.add(_path(record.get_absolute_url()))
    return paths


def sampled_pages() -> list[str]:
    """The public pages, with each kind of record page that comes in many copies sampled."""
    pages = public_pages()
    kept = _longest_text_pages() | {
        reverse("treaties:country-detail", args=[code]) for code in KEY_COUNTRIES
    }
    kinds: dict[str, list[str]] = {}
    for path in record_pages():
        kinds.setdefault(resolve(urlsplit(path).path).view_name, []).append(path)
    left_out: set[str] = set()
    for paths in kinds.values():
        if len(paths) > SAMPLE_SIZE:
            step = len(paths) / SAMPLE_SIZE
            spread = {paths[int(index * step)] for index in range(SAMPLE_SIZE)}
            left_out.update(set(paths) - spread - kept)
    return [path for path in pages if path not in left_out]
