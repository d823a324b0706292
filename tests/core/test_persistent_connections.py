"""The production server keeps its database connections between requests (CONN_MAX_AGE),
checks a kept one before use (CONN_HEALTH_CHECKS), and never hangs on one whose server
fell silent: the request gets the 503 page within the statement timeout and its grace, and
once the database answers again the next request is served on a new connection.

These run gunicorn in production mode against the PostgreSQL test database, one worker of
one thread, so every request uses the same kept connection; its server process is found in
pg_stat_activity by an application_name of the test's own. The SQLite run has no server
process to find, end or cut off (a locked SQLite file is tested in
test_unavailable_database.py) and skips them.
"""

import uuid

import psycopg
import pytest
from django.db import connection

from tests.serving import FreezableProxy, collect_static, fetch, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

# The served site's timeouts, and how long a page may take at most against a silent server:
# the statement timeout and grace (3 s), then a new connection's timeout (2 s).
STATEMENT_TIMEOUT = 2
GRACE = 1
CONNECT_TIMEOUT = 2
ANSWERED_WITHIN = 10


@pytest.fixture
def database():
    """(host, port, name, user) of the PostgreSQL test database."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's server processes; the SQLite run tests a locked file instead")
    settings_dict = connection.settings_dict
    return (
        settings_dict["HOST"] or "127.0.0.1",
        int(settings_dict["PORT"] or 5432),
        settings_dict["NAME"],
        settings_dict["USER"],
    )


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """The static files as `make serve` collects them: production pages name them by their
    hashed names."""
    return collect_static(tmp_path_factory.mktemp("static"))


def serve(database, static_root, port=None, **env):
    """gunicorn, one worker of one thread, on the test database (through `port` if given);
    gives (the server's context manager, its application_name)."""
    host, real_port, name, user = database
    application = f"treaty-tracker-test-{uuid.uuid4().hex[:12]}"
    url = f"postgres://{user}@{host}:{port or real_port}/{name}?application_name={application}"
    settings = {
        "DATABASE_URL": url,
        "DATABASE_STATEMENT_TIMEOUT": str(STATEMENT_TIMEOUT),
        "DATABASE_STATEMENT_GRACE": str(GRACE),
        "DATABASE_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
        "SECURE_SSL_REDIRECT": "False",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "1",
        "STATIC_ROOT": static_root,
        # Every request reaches the database: none is answered from stored pages.
        "PAGE_CACHE": "False",
        **env,
    }
    return gunicorn(**settings), application


def server_processes(database, application):
    """The pids of the PostgreSQL server processes serving the site's connections."""
    host, port, name, user = database
    with psycopg.connect(host=host, port=port, dbname=name, user=user, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", [application]
        ).fetchall()
    return {pid for (pid,) in rows}


def terminate(database, pid):
    """End a server process, as an administrator or a restart would, and wait until it is
    gone."""
    host, port, name, user = database
    with psycopg.connect(host=host, port=port, dbname=name, user=user, autocommit=True) as admin:
        assert admin.execute("SELECT pg_terminate_backend(%s, 5000)", [pid]).fetchone() == (True,)


def page(base, path="/en/treaties/"):
    status, _headers, body, seconds = fetch(base + path)
    return status, body, seconds


def test_one_connection_serves_request_after_request(database, static_root):
    server, application = serve(database, static_root)
    with server as base:
        seen = []
        for path in ("/en/treaties/", "/", "/en/treaties/export.csv", "/readyz", "/treaties/"):
            status, body, _seconds = page(base, path)
            assert status == 200, body[:300]
            seen.append(server_processes(database, application))
    # The same server process throughout: the connection was kept, not made anew.
    assert len(seen[0]) == 1
    assert all(pids == seen[0] for pids in seen), seen


@pytest.mark.parametrize("health_checks", [True, False])
def test_a_connection_the_server_ended_is_replaced_before_a_request_uses_it(
    database, static_root, health_checks
):
    server, application = serve(database, static_root, CONN_HEALTH_CHECKS=str(health_checks))
    with server as base:
        assert page(base)[0] == 200
        (kept,) = server_processes(database, application)
        terminate(database, kept)
        status, body, _seconds = page(base)
        if health_checks:
            assert status == 200, body[:300]
            assert server_processes(database, application) - {kept}
        else:
            # Without the check, the request finds out the hard way: the page the
            # failed query gives is what the check spares the reader.
            assert status == 503
            assert page(base)[0] == 200  # Django dropped the broken connection after it


def test_a_database_that_falls_silent_gives_503_within_the_bound_then_recovers(
    database, static_root
):
    host, port, _name, _user = database
    with FreezableProxy((host, port)) as proxy:
        server, application = serve(database, static_root, port=proxy.port)
        with server as base:
            assert page(base)[0] == 200
            (before,) = server_processes(database, application)

            # The kept connection stays open, and nothing comes back on it.
            proxy.freeze()
            for path in ("/en/treaties/", "/readyz", "/"):
                status, body, seconds = page(base, path)
                assert status == 503, (path, status, body[:300])
                assert seconds < ANSWERED_WITHIN, f"{path} answered after {seconds:.1f} s"
            assert "Temporarily unavailable" in page(base)[1]

            proxy.thaw()
            status, body, _seconds = page(base)
            assert status == 200, body[:300]
            after = server_processes(database, application)
    # The cut connection was given up; the page came over a new one.
    assert after - {before}
