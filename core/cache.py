"""The page cache: public pages served from a shared cache, never stale.

An anonymous reader's GET of a public page (a view built on `ReadOnlyMixin`) is stored in
the default cache (`CACHE_URL`: local memory by default, Redis in production, shared by
every app server) and served from it until any content changes. Exactness rests on one
value, the *content version*, kept in the same cache:

- Every statement that writes a content table (INSERT, UPDATE, DELETE, TRUNCATE), whatever
  issued it — an admin save, a bulk update, an import, a restore, a raw query — is seen by a
  wrapper installed on every database connection (`watch_writes`). Outside a transaction the
  version changes at once; inside one, when it commits (`transaction.on_commit`), so no other
  process can cache the old rows under the new version. Until then the writing connection
  bypasses the cache, so it reads its own writes.
- A stored page carries the version it was rendered under and the day (ages and "today's"
  statuses change at midnight); it is served only while both are current. So the first
  request after a change renders afresh, on every app server at once.

Responses carry an ETag and Last-Modified, and a conditional GET that matches is answered
304 without touching the database. Pages are sent `Cache-Control: no-cache`: a browser or a
shared cache may keep them but asks each time, and the answer is exact.

Readers with a session (editors) are never served from the cache and their pages are never
stored: their pages show editors' notices. Tables that hold no public content (sessions,
the login throttling, users, the admin's log) do not change the version.
"""

from __future__ import annotations

import logging
import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.http import http_date, parse_etags

from core.views_base import ReadOnlyMixin

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PAGE_KEY = "page:{language}:{digest}"

# Tables whose writes do not change any public page.
IGNORED_TABLE_PREFIXES = ("django_session", "django_admin_log", "axes_", "auth_")

WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM|TRUNCATE|REPLACE\s+INTO)\s+"
    r'(?:TABLE\s+)?(?:ONLY\s+)?"?(\w+)',
    re.IGNORECASE,
)


# --- The content version ------------------------------------------------------------------


def new_version() -> str:
    """Nanoseconds since the epoch (for Last-Modified) and a random part (two changes in the
    same nanosecond on two servers still differ)."""
    return f"{time.time_ns():x}-{secrets.token_hex(4)}"


def version_time(version: str) -> float:
    try:
        return int(version.split("-", 1)[0], 16) / 1e9
    except ValueError:
        return time.time()


def current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, new_version(), timeout=None)
        version = cache.get(VERSION_KEY) or new_version()
    return str(version)


def content_changed() -> None:
    """Every stored page is out of date from now on, on every server sharing the cache.

    If the cache cannot be reached, the change cannot be announced: the failure is logged
    (the change itself is saved). A Redis that was down comes back empty, as it keeps
    nothing on disk, so it holds no page from before the change either.
    """
    try:
        cache.set(VERSION_KEY, new_version(), timeout=None)
    except Exception:
        logger.exception("The page cache could not be told of a change to the content.")


# --- Seeing every write ---------------------------------------------------------------------


def writes_content(sql: Any) -> bool:
    if not isinstance(sql, str):
        sql = str(sql)
    match = WRITE.match(sql)
    if match is None:
        return False
    if sql.lstrip()[:8].upper().startswith("TRUNCATE"):
        return True
    return not match.group(1).lower().startswith(IGNORED_TABLE_PREFIXES)


def _after_commit() -> None:
    content_changed()


def pending(connection: BaseDatabaseWrapper) -> bool:
    """This connection's open transaction has written content (the change is announced when
    it commits; a rollback forgets it)."""
    return any(entry[1] is _after_commit for entry in connection.run_on_commit)


def note_write(connection: BaseDatabaseWrapper) -> None:
    if not connection.in_atomic_block:
        content_changed()
    elif not pending(connection):
        transaction.on_commit(_after_commit, using=connection.alias)


def watch_writes(
    execute: Callable[..., Any], sql: Any, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    result = execute(sql, params, many, context)
    if writes_content(sql):
        note_write(context["connection"])
    return result


def install(
    sender: Any = None, connection: BaseDatabaseWrapper | None = None, **kwargs: Any
) -> None:
    """`connection_created` receiver: the default database's connection watches its writes."""
    if connection is None or connection.alias != DEFAULT_DB_ALIAS:
        return
    if watch_writes not in connection.execute_wrappers:
        # First, so that a wrapper pushed and popped around it (`execute_wrapper`) stays last.
        connection.execute_wrappers.insert(0, watch_writes)


def reading_own_writes() -> bool:
    """The default connection holds uncommitted content writes: it must not use the cache."""
    return pending(connections[DEFAULT_DB_ALIAS])


# --- The middleware -------------------------------------------------------------------------


def is_public_view(view_func: Any) -> bool:
    """Views built on ReadOnlyMixin are public, unless they opt out (`page_cache = False`)."""
    view_class = getattr(view_func, "view_class", None)
    return (
        isinstance(view_class, type)
        and issubclass(view_class, ReadOnlyMixin)
        and getattr(view_class, "page_cache", True)
    )


class LocalPages:
    """The pages this process served last, kept in its memory up to `max_bytes` (least
    recently served out first), beside the shared cache.

    A page kept here is served only under the content version and day it was stored with,
    and the current version is still read from the shared cache on every request: a change
    made through any server or command is seen at once. What it saves is fetching and
    unpickling the page itself from the shared cache, most of the cost of serving a long page.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.pages: OrderedDict[str, tuple[Any, ...]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, version: str, day: str) -> tuple[Any, ...] | None:
        with self.lock:
            stored = self.pages.get(key)
            if stored is None:
                return None
            if stored[0] != version or stored[1] != day:
                self._drop(key)
                return None
            self.pages.move_to_end(key)
            return stored

    def put(self, key: str, stored: tuple[Any, ...]) -> None:
        size = len(stored[-1])
        if size > self.max_bytes:
            return
        with self.lock:
            if key in self.pages:
                self._drop(key)
            self.pages[key] = stored
            self.size += size
            while self.size > self.max_bytes:
                self._drop(next(iter(self.pages)))

    def _drop(self, key: str) -> None:
        self.size -= len(self.pages.pop(key)[-1])


class PageCacheMiddleware:
    """Serves and stores anonymous public pages; see the module's docstring.

    It sits after LocaleMiddleware (the language is part of the key) and before the
    middleware that a stored page does not need (CSRF, authentication, messages, history):
    what they add to a response is stored with it; the security headers are added outside.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.enabled = getattr(settings, "PAGE_CACHE", True)
        self.timeout = getattr(settings, "PAGE_CACHE_SECONDS", 24 * 60 * 60)
        self.max_bytes = getattr(settings, "PAGE_CACHE_MAX_BYTES", 2 * 1024 * 1024)
        self.local = LocalPages(getattr(settings, "PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024))

    def eligible(self, request: HttpRequest) -> bool:
        if not (
            self.enabled
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not reading_own_writes()
        ):
            return False
        try:
            match = resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return is_public_view(match.func)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not self.eligible(request):
            return self.get_response(request)
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        path = request.get_full_path()
        digest = salted_hmac("page-cache", f"{language}\n{path}").hexdigest()
        key = PAGE_KEY.format(language=language, digest=digest)
        day = timezone.localdate().isoformat()
        try:
            # The version, always from the shared cache; the page from this process's
            # memory when it holds it under that version, else from the shared cache.
            version = cache.get(VERSION_KEY) or current_version()
            stored = self.local.get(key, version, day)
            if stored is None:
                stored = cache.get(key)
                if stored is not None and stored[0] == version and stored[1] == day:
                    self.local.put(key, stored)
        except Exception:
            # The cache is down or silent: the page is rendered as if there were none.
            logger.warning("The page cache cannot be reached.", exc_info=True)
            return self.get_response(request)
        etag = '"' + salted_hmac("page-etag", f"{version}\n{day}\n{digest}").hexdigest()[:32] + '"'
        last_modified = self.last_modified(version)

        if stored is not None and stored[0] == version and stored[1] == day:
            status, headers, content = stored[2:]
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response.headers[name] = value
            return self.conditional(request, response, etag, last_modified)

        # Only a public page was given this ETag, and only under this version and day: the
        # reader's copy is current without asking the view (or the database).
        if etag in parse_etags(request.headers.get("If-None-Match", "")):
            not_modified = HttpResponseNotModified()
            self.mark(not_modified, etag, last_modified)
            return not_modified

        rendered = self.get_response(request)
        if rendered.status_code != 200:
            return rendered
        if rendered.cookies or reading_own_writes():
            return rendered
        self.mark(rendered, etag, last_modified)
        if request.method == "GET" and isinstance(rendered, HttpResponse):
            if len(rendered.content) <= self.max_bytes:
                headers = list(rendered.headers.items())
                page = (version, day, 200, headers, rendered.content)
                try:
                    cache.set(key, page, self.timeout)
                except Exception:
                    logger.warning("The page cache cannot be reached.", exc_info=True)
                else:
                    self.local.put(key, page)
        return self.conditional(request, rendered, etag, last_modified)

    @staticmethod
    def last_modified(version: str) -> float:
        """The later of the last change and the start of today (ages change at midnight)."""
        today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        return max(version_time(version), today.timestamp())

    @staticmethod
    def mark(response: HttpResponseBase, etag: str, last_modified: float) -> None:
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
        patch_cache_control(response, no_cache=True)

    def conditional(
        self, request: HttpRequest, response: HttpResponseBase, etag: str, last_modified: float
    ) -> HttpResponseBase:
        self.mark(response, etag, last_modified)
        result = get_conditional_response(
            request,
            etag=etag,
            last_modified=int(last_modified),
            response=response,  # type: ignore[arg-type]  # any response, as its code reads
        )
        return result if result is not None else response


# --- The deployment check -------------------------------------------------------------------


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """In production, pages stored in one process's memory would outlive a change made
    through another app server or by a command."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if getattr(settings, "PAGE_CACHE", True) and backend.endswith("LocMemCache"):
        return [
            checks.Error(
                "The page cache is on but the cache is this process's memory.",
                hint="Set CACHE_URL=redis://… (shared by every app server and command), "
                "or PAGE_CACHE=False.",
                id="core.E010",
            )
        ]
    return []
