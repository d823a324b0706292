"""A web process never waits without end for a PostgreSQL server that stopped answering.

PostgreSQL's statement_timeout is enforced by the server, so it cannot end a wait for an
answer that will never come: a server process stopped mid-query, or a network path that
drops everything after the connection was made (a proxy or the kernel still acknowledges,
so TCP's own timeouts never fire). With persistent connections (CONN_MAX_AGE) such a
connection is kept and reused, and every request on it would hang.

Every round trip a psycopg connection makes waits in `psycopg.Connection.wait`: a
statement, a fetch from a server-side cursor (the streamed exports), COPY data, a commit,
and Django's health check, which bypasses Django's cursors and so any `execute_wrapper`.
Each PostgreSQL connection Django opens is therefore made an `AnswerBoundConnection`,
whose `wait` tells the process's one watchdog thread when it starts and ends. A wait still
going DATABASE_STATEMENT_TIMEOUT + DATABASE_STATEMENT_GRACE seconds after it began has its
socket shut down (the descriptor stays open and libpq's own), so libpq's blocked read ends
at once: the query fails with OperationalError, the reader gets the 503 page, and Django
discards the connection at the end of the request (or at once, in its health check).

psycopg offers nothing public for this: `cancel_safe()` asks the server, which is the part
that stopped answering, and its `timeout` bounds only that request. Without a statement
timeout (the operator's commands, see manage.py) nothing is bounded here either.
"""

from __future__ import annotations

import itertools
import logging
import math
import os
import socket
import threading
import time
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import psycopg
from django.conf import settings

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from psycopg.abc import RV as ResultT
    from psycopg.abc import PQGen

logger = logging.getLogger(__name__)


class WatchedSocket(NamedTuple):
    """A connection's socket, as the watchdog needs it; made once per connection."""

    fd: int
    # The socket's (device, inode): a descriptor number libpq closed and the process reused
    # for something else (a reader's HTTP connection) is never shut down.
    identity: tuple[int, int]
    # How long one round trip may wait for an answer.
    seconds: float


class Watchdog:
    """One daemon thread per process that shuts down the socket of every wait past its
    deadline. It sleeps until the earliest deadline of the waits in progress (not at all
    while there are none); a new wait wakes it only when it ends sooner than that."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._waits: dict[int, tuple[float, WatchedSocket]] = {}
        self._tokens = itertools.count()
        self._next_check = math.inf
        self._thread: threading.Thread | None = None

    def start_wait(self, watched: WatchedSocket) -> int:
        """Register a wait for an answer on a socket; returns the token `end_wait` takes."""
        deadline = time.monotonic() + watched.seconds
        with self._lock:
            token = next(self._tokens)
            self._waits[token] = (deadline, watched)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="database-watchdog", daemon=True
                )
                self._thread.start()
            elif deadline < self._next_check:
                self._changed.notify()
        return token

    def end_wait(self, token: int) -> bool:
        """Unregister a wait; True if it ran past its deadline and its socket was shut."""
        with self._lock:
            return self._waits.pop(token, None) is None

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for token, (deadline, watched) in list(self._waits.items()):
                    if deadline <= now:
                        # Under the lock: the waiting thread cannot end its wait, close the
                        # connection and free the descriptor while it is being shut down.
                        del self._waits[token]
                        _shut_down(watched)
                self._next_check = min(
                    (deadline for deadline, _ in self._waits.values()), default=math.inf
                )
                self._changed.wait(None if self._next_check == math.inf else self._next_check - now)

    def forget_after_fork(self) -> None:
        # gunicorn forks its workers: the thread does not survive into the child, and the
        # lock may have been held by a thread that no longer exists there.
        self._reset()


def _shut_down(watched: WatchedSocket) -> None:
    try:
        stat = os.fstat(watched.fd)
        if (stat.st_dev, stat.st_ino) != watched.identity:
            return
        # A duplicate descriptor of the same socket: shutting it down ends the connection
        # for libpq too, and closing the duplicate leaves libpq's descriptor open.
        duplicate = socket.socket(fileno=os.dup(watched.fd))
    except OSError:
        return  # libpq closed it already: the wait is over
    with duplicate:
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        except OSError:
            return
    logger.warning(
        "The database gave no answer within %s seconds; its connection was shut down.",
        watched.seconds,
    )


WATCHDOG = Watchdog()
os.register_at_fork(after_in_child=WATCHDOG.forget_after_fork)


class AnswerBoundConnection(psycopg.Connection[Any]):
    """A psycopg connection none of whose round trips waits longer than `watched.seconds`."""

    watched: WatchedSocket

    def wait(self, gen: PQGen[ResultT], *args: Any, **kwargs: Any) -> ResultT:
        token = WATCHDOG.start_wait(self.watched)
        try:
            return super().wait(gen, *args, **kwargs)
        except psycopg.Error as error:
            if WATCHDOG.end_wait(token):
                raise psycopg.OperationalError(
                    f"the database gave no answer within {self.watched.seconds} seconds"
                ) from error
            raise
        finally:
            WATCHDOG.end_wait(token)


def answer_within() -> float:
    """Seconds a round trip may wait for the database: the statement timeout and a grace
    (the server's own cancellation comes first whenever the server still answers); 0, no
    bound, where statements have no timeout."""
    statement = getattr(settings, "DATABASE_STATEMENT_TIMEOUT", 0)
    if not statement:
        return 0
    return statement + getattr(settings, "DATABASE_STATEMENT_GRACE", 0)


def bound_answers(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created`: make a new PostgreSQL connection an AnswerBoundConnection."""
    seconds = answer_within()
    raw = connection.connection
    # Only the plain connection Django makes; a pool or another driver is left alone.
    if not seconds or connection.vendor != "postgresql" or type(raw) is not psycopg.Connection:
        return
    fd = raw.pgconn.socket
    stat = os.fstat(fd)
    # psycopg takes no connection class of one's own in connect(), which is how Django
    # connects; the subclass only overrides `wait` and needs nothing from __init__.
    raw.__class__ = AnswerBoundConnection
    cast(AnswerBoundConnection, raw).watched = WatchedSocket(
        fd, (stat.st_dev, stat.st_ino), seconds
    )
