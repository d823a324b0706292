"""An anonymous reader's pages set no cookie, in either language, so a shared cache may keep
them: the language is in the address, not in a cookie, and no public page has a form that
needs a CSRF token.

Every URL pattern outside the admin (the pages, the exports, the feed, the search, the
review page that sends an anonymous reader to the login) is fetched in Japanese and in
English, in the site's own layout, with the states only a query string reaches (a refused
filter, the 404 page). A page varies on Cookie only where it read the session (to show an
editor's notes): never on Accept-Language, which chooses nothing.
"""

import pytest
from django.utils import translation

from tests.e2e.pages import state_pages
from tests.portal.test_public_methods import concrete_url, public_patterns

pytestmark = pytest.mark.django_db

LANGUAGES = ("ja", "en")


def public_addresses(language):
    """Each public URL pattern's address in `language`, and the states of the e2e list."""
    with translation.override(language):
        patterns = [
            concrete_url(name, route, callback) for name, route, callback in public_patterns()
        ]
        return list(dict.fromkeys([*patterns, *state_pages()]))


def vary(response):
    return {value.strip().lower() for value in response.get("Vary", "").split(",") if value.strip()}


def test_no_public_address_sets_a_cookie_for_an_anonymous_reader(seeded, client, japanese_default):
    fetched, problems = 0, []
    for language in LANGUAGES:
        addresses = public_addresses(language)
        assert len(addresses) > 40
        for address in addresses:
            response = client.get(address)
            fetched += 1
            where = f"{address} ({response.status_code})"
            if response.status_code >= 500:
                problems.append(f"{where}: server error")
            if response.cookies or response.has_header("Set-Cookie"):
                problems.append(f"{where} sets {sorted(response.cookies)}")
            varies = vary(response)
            if "accept-language" in varies:
                problems.append(f"{where} varies on Accept-Language")
            session = getattr(response.wsgi_request, "session", None)
            read_session = session is not None and session.accessed
            if ("cookie" in varies) != read_session:
                problems.append(f"{where}: Vary {sorted(varies)}, session read: {read_session}")
    assert fetched > 80
    assert not client.cookies, "the client was given a cookie"
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_cookie_where_one_is_set(client, db, japanese_default):
    """The admin's login form needs a CSRF cookie: the same reading finds it."""
    for address in ("/admin/login/", "/en/admin/login/"):
        response = client.get(address)
        assert response.status_code == 200
        assert "csrftoken" in response.cookies
        assert "cookie" in vary(response)
