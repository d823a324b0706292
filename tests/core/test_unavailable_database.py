"""A database that is down, silent or locked: every page answers 503 within seconds, in
the reader's language, and the health checks tell the process from its database."""

import concurrent.futures
import sqlite3
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.helpers import in_language
from tests.serving import fetch, gunicorn, silent_server

# The connect timeout the served site is given, and how long a page may take at most.
CONNECT_TIMEOUT = 2
ANSWERED_WITHIN = 8


def refusing_connection(*args, **kwargs):
    raise OperationalError("connection to server failed: Connection refused")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"),
    [("ja", "一時的にご利用いただけません"), ("en", "Temporarily unavailable")],
)
def test_a_page_whose_database_is_down_gets_the_503_page_in_the_readers_language(language, heading):
    client = Client(raise_request_exception=False)
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refusing_connection):
        response = client.get(in_language(language, reverse("treaties:treaty-list")))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert heading in html
    assert f'lang="{language}"' in html


@pytest.mark.django_db
def test_another_failure_still_gets_the_500_page():
    client = Client(raise_request_exception=False)
    with mock.patch("core.views.SourceListView.get_queryset", side_effect=ValueError("bug")):
        response = client.get(reverse("core:source-list"))
    assert response.status_code == 500
    assert "Server error" in response.content.decode()


@pytest.mark.django_db
def test_health_checks_answer_and_are_never_cached(client):
    for name in ("healthz", "readyz"):
        # One address in every language: a probe needs no language.
        with translation.override("ja"):
            assert reverse(name) == f"/{name}"
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert response.content == b"ok\n"
        assert "no-store" in response["Cache-Control"]
        assert "Set-Cookie" not in response


@pytest.mark.django_db
def test_readyz_reports_a_migration_that_is_not_applied(client):
    from django.db.migrations.recorder import MigrationRecorder

    MigrationRecorder.Migration.objects.filter(app="treaties").order_by("-id")[:1].get().delete()
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.content == b"1 migrations not applied\n"


@pytest.mark.django_db
def test_readyz_reports_a_database_that_is_down(client):
    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refusing_connection):
        response = client.get(reverse("readyz"))
        healthz = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert healthz.status_code == 200


# --- The real server against a real silent or locked database --------------------------


def read_pages_at_once(base, paths):
    with concurrent.futures.ThreadPoolExecutor(len(paths)) as pool:
        return list(pool.map(lambda path: fetch(base + path), paths))


def test_a_silent_postgresql_gives_503_pages_within_seconds_not_a_hang():
    with (
        silent_server() as port,
        gunicorn(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/treaty_tracker",
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            SECURE_SSL_REDIRECT="False",
        ) as base,
    ):
        # Two readers at once on the two workers: neither stalls the other for long.
        answers = read_pages_at_once(base, ["/", "/treaties/"])
        for status, headers, body, seconds in answers:
            assert status == 503
            assert seconds < ANSWERED_WITHIN, f"answered after {seconds:.1f} s"
            assert "一時的にご利用いただけません" in body
            assert headers["Retry-After"] == "30"
        status, _headers, _body, seconds = fetch(f"{base}/readyz")
        assert status == 503 and seconds < ANSWERED_WITHIN
        status, _headers, body, seconds = fetch(f"{base}/healthz")
        assert (status, body) == (200, "ok\n") and seconds < 2


def test_a_locked_sqlite_file_gives_503_pages_within_seconds(tmp_path):
    path = tmp_path / "locked.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # no one else may read until it ends
    try:
        with gunicorn(
            DATABASE_URL=f"sqlite:///{path}",
            DATABASE_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
            SECURE_SSL_REDIRECT="False",
        ) as base:
            # The server runs as the site does: English under /en/.
            for status, _headers, body, seconds in read_pages_at_once(
                base, ["/en/", "/en/sources/"]
            ):
                assert status == 503
                assert seconds < ANSWERED_WITHIN, f"answered after {seconds:.1f} s"
                assert "Temporarily unavailable" in body
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_statement_stuck_behind_a_lock_gives_the_503_page():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement timeouts are PostgreSQL's; the SQLite run tests a locked file")
    import psycopg

    settings_dict = connection.settings_dict
    url = (
        f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        f"/{settings_dict['NAME']}"
    )
    with psycopg.connect(url) as holder:
        # Until this transaction ends, no one can read the treaties.
        holder.execute("LOCK TABLE treaties_treaty IN ACCESS EXCLUSIVE MODE")
        with gunicorn(
            DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT="2", SECURE_SSL_REDIRECT="False"
        ) as base:
            # English at its own address, as the site serves it.
            status, _headers, body, seconds = fetch(f"{base}/en/treaties/")
            ready = fetch(f"{base}/readyz")
        holder.rollback()
    assert status == 503, body[:300]
    assert seconds < ANSWERED_WITHIN
    assert "Temporarily unavailable" in body
    # The table lock does not stop the probe: the database itself answers.
    assert ready[0] == 200
