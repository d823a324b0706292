"""Hostile query strings on every public page and CSV export: never a 500, no payload
reflected as markup, no CSV cell a spreadsheet would run as a formula.

Every address of the site outside the admin is fuzzed (found from the URL configuration),
with the parameters its FilterSet reads and those every page may be sent (`lang`, `page`,
`sort`, `q`, `as_of`, and unknown ones), each given a payload, arbitrary Unicode, a huge
or negative number, a day that does not exist, a long string, broken percent-escapes, or
a good value beside a bad one; a parameter may come twice.
"""

import re
from urllib.parse import quote, unquote, urlencode

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .routes import COMMON_VALUES, accepted_values, public_routes
from .strategies import (
    assert_csv_neutralized,
    assert_not_reflected,
    csv_cells,
    fuzz_settings,
    hostile,
    raw_escapes,
    rolled_back,
)

pytestmark = pytest.mark.django_db

ROUTES = public_routes()
# Examples per address: bounded so that the whole fuzz stays well within CI's time.
QUERY_EXAMPLES = 20
PATH_EXAMPLES = 8


def path_kwargs(route, world):
    """The address of a record that exists, for the parts the route names."""
    kwargs = {}
    for name in route.kwargs:
        if name == "slug":
            kwargs[name] = world["treaty"].slug
        elif name == "iso2":
            kwargs[name] = world["country"].iso2
        else:
            record = next(obj for obj in world.values() if isinstance(obj, route.model))
            kwargs[name] = record.pk
    return kwargs


def check_answer(response):
    assert response.status_code < 500
    assert_not_reflected(response)
    content_type = response.get("Content-Type", "")
    if response.status_code == 200 and content_type.startswith("text/csv"):
        assert_csv_neutralized(csv_cells(response))
    elif response.streaming:
        b"".join(response.streaming_content)  # a streamed body fails while it is read


def test_every_public_route_is_fuzzed():
    names = {route.name for route in ROUTES}
    # The lists, their exports, the record pages and the search: the fuzz finds them all.
    for expected in (
        "treaties:participation-list",
        "treaties:participation-export",
        "treaties:treaty-detail",
        "treaties:country-matrix-export",
        "people:session-item-export",
        "recommendations:update-export",
        "core:source-export",
        "portal:search",
        "portal:change-feed",
    ):
        assert expected in names
    assert not any(name.startswith("admin:") for name in names)
    participations = next(r for r in ROUTES if r.name == "treaties:participation-list")
    assert {"treaty", "as_of", "ratified", "sort", "lang", "page"} <= set(participations.params)


def test_the_exports_of_the_fuzzed_world_hold_formulas_to_neutralize(world):
    """The CSV check has something to find: the world's texts begin with = + - @ and tab,
    and come out of the exports quoted."""
    cells = {
        cell
        for name in ("core:source-export", "treaties:event-export", "people:session-item-export")
        for row in csv_cells(Client().get(reverse(name)))
        for cell in row
    }
    assert '\'=HYPERLINK("http://x.invalid","y")' in cells
    assert "'+SUM(1,2)" in cells
    assert "'\t=talk" in cells
    assert_csv_neutralized([list(cells)])


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
@fuzz_settings(max_examples=QUERY_EXAMPLES)
@given(data=st.data())
def test_hostile_query_strings_never_break_a_page(route, world, data):
    url = reverse(route.name, kwargs=path_kwargs(route, world))
    good = dict(COMMON_VALUES)
    if route.filterset_class is not None:
        good.update(
            {name: v for name, v in accepted_values(route.filterset_class, world).items() if v}
        )
    names = data.draw(st.lists(st.sampled_from(route.params), min_size=1, max_size=4))
    pairs = [(name, data.draw(hostile(also=good.get(name)), label=name)) for name in names]
    query = urlencode(pairs)
    if data.draw(st.booleans(), label="raw escapes"):
        query += f"&{quote(names[0])}={data.draw(raw_escapes, label='raw')}"
    with rolled_back():
        check_answer(Client().get(f"{url}?{query}"))


DETAIL_ROUTES = [route for route in ROUTES if route.kwargs]


def record_exists(route, segment):
    """Whether a path segment names a record of the route's model (an id, slug or ISO code
    that happens to exist), whose page is then found."""
    name = route.kwargs[0]
    if name == "iso2":
        lookup = {"code": segment.upper()} if re.fullmatch(r"[A-Za-z]{2}", segment) else None
    elif name == "pk":
        numeric = re.fullmatch(r"[0-9]{1,18}", segment)
        lookup = {"pk": int(segment)} if numeric else None
    else:
        lookup = {name: segment} if re.fullmatch(r"[-a-zA-Z0-9_]+", segment) else None
    return lookup is not None and route.model._default_manager.filter(**lookup).exists()


segments = st.one_of(
    hostile(also=["0", "-1", "jp", "JP", "zz", "eu", "npt", "NPT", "9" * 30]).map(
        lambda text: quote(text, safe="")
    ),
    raw_escapes,  # already percent-encoded
)


@pytest.mark.parametrize("route", DETAIL_ROUTES, ids=[route.name for route in DETAIL_ROUTES])
@fuzz_settings(max_examples=PATH_EXAMPLES)
@given(encoded=segments)
def test_unknown_records_in_the_address_are_not_found(route, world, encoded):
    """A slug, ISO code or id that names no record is a 404 (a code in capitals redirects
    to its lower-case address first), never a 500."""
    kwargs = path_kwargs(route, world)
    known = str(kwargs[route.kwargs[0]])
    url = reverse(route.name, kwargs=kwargs).replace(f"/{known}/", f"/{encoded}/", 1)
    with rolled_back():
        # A code in capitals is redirected to its lower-case address, then looked up.
        response = Client().get(url, follow=True)
        assert response.status_code == (200 if record_exists(route, unquote(encoded)) else 404)
