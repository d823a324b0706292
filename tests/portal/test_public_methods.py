"""Anonymous visitors can only read: every public page and export answers 405 to writes.

The pages are not listed by hand: every URL pattern outside /admin/ and /i18n/ is taken
from the URL resolver, so a page added later is covered without touching this file. A
pattern with arguments gets a concrete URL from a seed object of its view's model.
"""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from django.urls.resolvers import LocalePrefixPattern

from tests.helpers import WRITE_METHODS

pytestmark = pytest.mark.django_db

NOT_PUBLIC = ("admin/", "i18n/")


def public_patterns(patterns=None, namespace="", prefix=""):
    """(view name, route, callback) of every URL pattern outside /admin/ and /i18n/."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        # The language prefix (/en/) is not part of a route: every page has one per language.
        own = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
        route = prefix + own
        if route.startswith(NOT_PUBLIC):
            continue
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from public_patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"the URL pattern {route!r} has no name"
            yield namespace + pattern.name, route, pattern.callback


def view_model(callback):
    view_class = getattr(callback, "view_class", None)
    model = getattr(view_class, "model", None)
    if model is None and getattr(view_class, "queryset", None) is not None:
        model = view_class.queryset.model
    return model


def concrete_url(name, route, callback):
    """The URL of the pattern; for one with arguments, that of a seed object it shows."""
    try:
        return reverse(name)
    except NoReverseMatch:
        pass
    model = view_model(callback)
    assert model is not None, (
        f"{name} ({route}) takes arguments and its view names no model: "
        "teach tests/portal/test_public_methods.py how to build its URL"
    )
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"the seed data holds no {model._meta.label} for {name}"
    url = obj.get_absolute_url()
    if resolve(url).view_name != name and route.rstrip("$").endswith(".csv"):
        # A file beside an object's page, e.g. /treaties/npt/map.csv.
        url += route.rstrip("$").rsplit("/", 1)[-1].replace("\\.", ".")
    assert resolve(url).view_name == name, (name, url)
    return url


@pytest.fixture
def site_urls(seeded):
    """{view name: concrete URL} of every page outside /admin/ and /i18n/."""
    return {name: concrete_url(name, route, cb) for name, route, cb in public_patterns()}


def sends_to_login(response):
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(login)


@pytest.fixture
def public_urls(client, site_urls):
    """The pages an anonymous visitor may read: all but those that send to the login page."""
    return {name: url for name, url in site_urls.items() if not sends_to_login(client.get(url))}


@pytest.fixture
def editors_only_urls(site_urls, public_urls):
    return {name: url for name, url in site_urls.items() if name not in public_urls}


def test_every_kind_of_public_page_is_covered(public_urls, editors_only_urls):
    names = set(public_urls)
    # Browse pages, detail pages, exports and the feed of every app are found.
    for expected in (
        "portal:home",
        "core:source-list",
        "portal:source-detail",
        "core:source-export",
        "treaties:treaty-detail",
        "treaties:country-detail",
        "treaties:participation-export",
        "people:person-detail",
        "people:session-detail",
        "recommendations:recommendation-detail",
        "recommendations:update-export",
    ):
        assert expected in names
    assert len([name for name in names if name.endswith("-export")]) >= 14
    assert len(names) >= 30
    # Pages outside the admin that only editors see: the review list at most.
    assert set(editors_only_urls) <= {"portal:review"}


def test_anonymous_visitors_can_read_every_public_page(client, public_urls):
    failures = []
    for name, url in public_urls.items():
        for method in ("get", "head"):
            status = getattr(client, method)(url).status_code
            if status != 200:
                failures.append(f"{method.upper()} {url} ({name}) answered {status}, not 200")
    assert not failures, "\n".join(failures)


def refused_writes(client, urls):
    """Descriptions of the writes to `urls` not answered 405 with Allow: GET, HEAD."""
    failures = []
    for name, url in urls.items():
        for method in WRITE_METHODS:
            response = getattr(client, method)(url, data={"title_en": "overwritten"})
            allowed = set(response.get("Allow", "").replace(" ", "").split(","))
            if response.status_code != 405 or allowed != {"GET", "HEAD"}:
                failures.append(
                    f"{method.upper()} {url} ({name}) answered {response.status_code} "
                    f"with Allow: {response.get('Allow')!r}, not 405 with Allow: GET, HEAD"
                )
    return failures


def test_every_public_page_answers_405_to_writes(client, public_urls):
    failures = refused_writes(client, public_urls)
    assert not failures, "\n".join(failures)


def test_pages_for_editors_only_send_anonymous_writes_to_the_login_page(
    client, admin_client, editors_only_urls
):
    for name, url in editors_only_urls.items():
        for method in WRITE_METHODS:
            assert sends_to_login(getattr(client, method)(url)), (method, name)
    # Signed in, they are read-only pages like the rest.
    failures = refused_writes(admin_client, editors_only_urls)
    assert not failures, "\n".join(failures)


def test_writes_refused_by_the_public_pages_change_nothing(client, site_urls):
    from portal.backup import table_counts

    before = table_counts()
    for url in site_urls.values():
        for method in WRITE_METHODS:
            getattr(client, method)(url, data={"slug": "x", "note_en": "overwritten"})
    assert table_counts() == before
