"""A round trip to a database that stopped answering ends within the statement timeout and a
grace, whatever it was waiting for: a statement, a fetch from a server-side cursor, a
commit, or Django's health check of a kept connection (core.database).

The watchdog itself is tested on a pair of local sockets, on any database. The PostgreSQL
tests put a proxy between a connection and the server and freeze it: the server's own
statement timeout can then do nothing, as when a server stops or a network path drops
everything; the SQLite run has no connection to freeze and skips them.
"""

import os
import socket
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections

from core.database import WATCHDOG, AnswerBoundConnection, WatchedSocket, answer_within
from tests.serving import FreezableProxy

# The bound the tests give: a 1 s statement timeout and a 1 s grace.
BOUND = 2
# How long a bounded wait may take at most here (a shared machine may be slow to schedule).
ENDED_WITHIN = BOUND + 3


def watched(sock, seconds):
    stat = os.fstat(sock.fileno())
    return WatchedSocket(sock.fileno(), (stat.st_dev, stat.st_ino), seconds)


def test_a_wait_past_its_deadline_has_its_socket_shut_down_and_left_open():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        token = WATCHDOG.start_wait(watched(ours, 0.2))
        ours.settimeout(10)
        started = time.monotonic()
        assert ours.recv(1) == b""  # the blocked read ends: the connection is over
        assert time.monotonic() - started < 5
        assert WATCHDOG.end_wait(token) is True
        # Shut down, not closed: the descriptor is still the owner's to close.
        os.fstat(ours.fileno())
        assert theirs.recv(1) == b""  # the other end sees the connection end


def test_a_wait_that_ends_in_time_leaves_the_socket_alone():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        token = WATCHDOG.start_wait(watched(ours, 0.2))
        assert WATCHDOG.end_wait(token) is False
        # Another wait, past its deadline, is cut meanwhile: the watchdog was at work.
        other, other_peer = socket.socketpair()
        with other, other_peer:
            other_token = WATCHDOG.start_wait(watched(other, 0.4))
            other_peer.settimeout(10)
            assert other_peer.recv(1) == b""
            assert WATCHDOG.end_wait(other_token) is True
        theirs.sendall(b"x")
        ours.settimeout(5)
        assert ours.recv(1) == b"x"


def test_a_descriptor_that_now_names_another_socket_is_never_shut_down():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        stale = WatchedSocket(ours.fileno(), (0, 0), 0.1)
        token = WATCHDOG.start_wait(stale)
        time.sleep(0.5)
        WATCHDOG.end_wait(token)
        theirs.sendall(b"x")
        ours.settimeout(5)
        assert ours.recv(1) == b"x"


def test_the_bound_is_the_statement_timeout_and_the_grace(settings):
    settings.DATABASE_STATEMENT_TIMEOUT = 30
    settings.DATABASE_STATEMENT_GRACE = 5
    assert answer_within() == 35
    # No statement timeout (the operator's long commands): no bound either.
    settings.DATABASE_STATEMENT_TIMEOUT = 0
    assert answer_within() == 0


# --- PostgreSQL behind a proxy that falls silent --------------------------------------


@pytest.fixture
def silent_able(db, settings):
    """(proxy, a new connection to the test database through it), bounded at BOUND."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL connection to freeze; SQLite has no server to fall silent")
    settings.DATABASE_STATEMENT_TIMEOUT = 1
    settings.DATABASE_STATEMENT_GRACE = BOUND - 1
    host = connection.settings_dict["HOST"] or "127.0.0.1"
    port = int(connection.settings_dict["PORT"] or 5432)
    with FreezableProxy((host, port)) as proxy:
        wrapper = type(connections[DEFAULT_DB_ALIAS])(
            {**connection.settings_dict, "HOST": "127.0.0.1", "PORT": proxy.port}, alias="frozen"
        )
        try:
            yield proxy, wrapper
        finally:
            proxy.thaw()
            wrapper.close()


def bounded_failure(action):
    started = time.monotonic()
    with pytest.raises(OperationalError) as failure:
        action()
    seconds = time.monotonic() - started
    assert seconds < ENDED_WITHIN, f"ended after {seconds:.1f} s"
    assert f"no answer within {BOUND} seconds" in str(failure.value)


def test_the_connections_django_opens_are_bound(silent_able):
    _proxy, wrapper = silent_able
    wrapper.ensure_connection()
    assert isinstance(wrapper.connection, AnswerBoundConnection)
    assert wrapper.connection.watched.seconds == BOUND


def test_a_statement_to_a_silent_server_fails_within_the_bound(silent_able):
    proxy, wrapper = silent_able
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
        proxy.freeze()
        bounded_failure(lambda: cursor.execute("SELECT 2"))
    # The connection is lost, and Django drops it at the end of the request.
    assert not wrapper.is_usable()
    wrapper.close_if_unusable_or_obsolete()
    assert wrapper.connection is None
    # Once the server answers again, a new connection works.
    proxy.thaw()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 3")
        assert cursor.fetchone() == (3,)


def test_a_fetch_from_a_server_side_cursor_fails_within_the_bound(silent_able):
    """A streamed export reads its rows in chunks from a server-side cursor; a fetch does
    not pass through Django's execute wrappers, and is bounded all the same."""
    proxy, wrapper = silent_able
    cursor = wrapper.chunked_cursor()
    cursor.execute("SELECT n FROM generate_series(1, 100) AS n")
    assert cursor.fetchmany(10) == [(n,) for n in range(1, 11)]
    proxy.freeze()
    bounded_failure(lambda: cursor.fetchmany(10))


def test_a_commit_to_a_silent_server_fails_within_the_bound(silent_able):
    proxy, wrapper = silent_able
    wrapper.set_autocommit(False)
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    proxy.freeze()
    bounded_failure(wrapper.commit)


def test_the_health_check_of_a_kept_connection_ends_within_the_bound(silent_able):
    """Django checks a kept connection with a query of its own, through psycopg directly
    (no execute wrapper sees it); a silent server fails the check in time, and the
    connection is dropped."""
    proxy, wrapper = silent_able
    wrapper.ensure_connection()
    kept = wrapper.connection
    proxy.freeze()
    wrapper.health_check_done = False  # as at the start of each request
    started = time.monotonic()
    wrapper.close_if_health_check_failed()
    assert time.monotonic() - started < ENDED_WITHIN
    assert wrapper.connection is None
    proxy.thaw()
    with wrapper.cursor() as cursor:
        cursor.execute("SELECT 1")
    assert wrapper.connection is not kept


def test_without_a_statement_timeout_nothing_is_bound(silent_able, settings):
    _proxy, wrapper = silent_able
    settings.DATABASE_STATEMENT_TIMEOUT = 0
    wrapper.ensure_connection()
    assert not isinstance(wrapper.connection, AnswerBoundConnection)
