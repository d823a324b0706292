"""Probes for a load balancer or an orchestrator: cheap, never cached, no page around them.

`/healthz` says only that the process answers; it touches nothing else, so a slow database
never makes a healthy process look dead. `/readyz` says whether this process can serve
pages: the database answers a query within the connect and statement timeouts, and every
migration the code knows is recorded as applied (the migration files are read once per
process; the recorded list is read on every probe). Both answer in plain text, 200 or 503.
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@functools.cache
def known_migrations() -> frozenset[tuple[str, str]]:
    """Every migration of the code this process runs (read from the files, once)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def _text(body: str, status: int) -> HttpResponse:
    return HttpResponse(body + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
@transaction.non_atomic_requests
def healthz(request: HttpRequest) -> HttpResponse:
    return _text("ok", 200)


@require_safe
@never_cache
@transaction.non_atomic_requests
def readyz(request: HttpRequest) -> HttpResponse:
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            applied = set(cursor.fetchall())
    except DatabaseError as error:
        # A probe has no reader to show a page to; the cause is for the operator's log.
        return _text(f"database unavailable: {type(error).__name__}", 503)
    missing = known_migrations() - applied
    if missing:
        return _text(f"{len(missing)} migrations not applied", 503)
    return _text("ok", 200)
