"""A public page only reads, so no transaction is opened for it: no BEGIN, SAVEPOINT or
COMMIT around its queries. ATOMIC_REQUESTS stays on for the views that write (the admin,
with the import and the history's restore), each request of which is one transaction.

Which views Django wraps is read the way Django decides it for each request
(`BaseHandler.make_view_atomic`), for every URL pattern, so a page added later is covered.
The requests themselves are then watched in tests that run outside the test's own
transaction (`transaction=True`), where `connection.in_atomic_block` shows whether a query
runs in a transaction.
"""

import contextlib
from unittest import mock

import psycopg
import pytest
from django.core.handlers.base import BaseHandler
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import CountryFactory, ParticipationFactory, TreatyFactory
from tests.helpers import admin_url
from tests.portal.test_public_methods import public_patterns
from treaties.models import Treaty


def opens_a_transaction(callback):
    return BaseHandler().make_view_atomic(callback) is not callback


def admin_patterns(patterns=None, prefix="", inside_admin=False):
    """(route, view) of every address under the admin, wherever it is included (within
    the language prefix, `i18n_patterns`, too)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            admin = inside_admin or getattr(pattern, "app_name", None) == "admin"
            yield from admin_patterns(pattern.url_patterns, route, admin)
        elif isinstance(pattern, URLPattern) and inside_admin:
            yield route, pattern.callback


def test_no_public_address_opens_a_transaction():
    public = list(public_patterns())
    assert len(public) >= 30
    wrapped = [name for name, _route, callback in public if opens_a_transaction(callback)]
    assert not wrapped, f"public views run in a transaction: {wrapped}"


def test_every_admin_address_still_runs_in_one_transaction():
    admin = list(admin_patterns())
    assert len(admin) >= 50
    unwrapped = [route for route, callback in admin if not opens_a_transaction(callback)]
    assert not unwrapped, f"admin views outside a transaction: {unwrapped}"


@contextlib.contextmanager
def transaction_states():
    """[(in a transaction?, SQL)] of every query run meanwhile on this thread's connection,
    COPY included (the exports on PostgreSQL, which psycopg runs outside Django's cursor)."""
    states = []

    def record(execute, sql, params, many, context):
        states.append((connection.in_atomic_block, sql))
        return execute(sql, params, many, context)

    copy = psycopg.Cursor.copy

    def recorded_copy(cursor, statement, *args, **kwargs):
        states.append((connection.in_atomic_block, str(statement)))
        return copy(cursor, statement, *args, **kwargs)

    with (
        connection.execute_wrapper(record),
        mock.patch.object(psycopg.Cursor, "copy", recorded_copy),
    ):
        yield states


def read(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.django_db(transaction=True)
def test_public_pages_files_and_the_feed_run_each_query_on_its_own(client, settings):
    settings.PAGE_CACHE = False  # every page rendered, none answered from the cache
    ParticipationFactory(treaty=TreatyFactory(slug="npt"), country=CountryFactory(code="JP"))
    for url in (
        "/",
        "/treaties/",
        "/treaties/npt/",
        "/countries/jp/",
        "/participations/export.csv",
        "/treaties/npt/map.csv",
        "/search/?q=npt",
        "/changes/feed/",
    ):
        with transaction_states() as states:
            response = client.get(url)
            read(response)
        assert response.status_code == 200, url
        assert states, f"{url} ran no query"
        in_transaction = [sql for inside, sql in states if inside]
        assert not in_transaction, f"{url} ran in a transaction: {in_transaction[:3]}"


@pytest.mark.django_db(transaction=True)
def test_an_admin_page_runs_in_a_transaction(admin_client):
    TreatyFactory(slug="npt")
    with transaction_states() as states:
        response = admin_client.get(admin_url(Treaty, "changelist"))
    assert response.status_code == 200
    assert any(inside for inside, _sql in states)
    # Its rows are read inside it.
    assert all(inside for inside, sql in states if "treaties_treaty" in sql)
