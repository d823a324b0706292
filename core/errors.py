"""The server-error handler: the standalone 500 page, or the 503 page when the database is
down, silent or stuck; each with its one <style> allowed by nonce.

Django calls the handler while handling the exception, so the exception is at hand. Django's
own handler renders `500.html` with no request, so the page could not name the nonce the
Content-Security-Policy allows, and its style would be blocked. This one passes the
request's nonce and the address of the dashboard in the page's language, and nothing else:
still no context processor, no database, no URL reversed.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import TemplateDoesNotExist, loader
from django.utils.translation import get_language

from core.languages import language_prefix

# What the 503 page asks a client to wait before trying again.
RETRY_AFTER_SECONDS = 30


def request_nonce(request: HttpRequest) -> str:
    """The nonce django-csp made for this request; reading it adds it to the header. Empty
    where the error came before the CSP middleware saw the request."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def database_unavailable(error: BaseException | None) -> bool:
    """A database that cannot be reached, does not answer in time or dropped the connection
    (Django raises these for refused connections, timeouts, a locked SQLite file)."""
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    unavailable = database_unavailable(sys.exc_info()[1])
    name = "503.html" if unavailable else "500.html"
    try:
        template = loader.get_template(name)
    except TemplateDoesNotExist:
        return HttpResponseServerError(b"<h1>Server Error (500)</h1>", content_type="text/html")
    home = language_prefix(get_language() or settings.LANGUAGE_CODE) + "/"
    body = template.render({"csp_nonce": request_nonce(request), "home": home})
    if not unavailable:
        return HttpResponseServerError(body)
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
