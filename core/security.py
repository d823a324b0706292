"""Login throttling's two hooks: who is asking, and what a locked-out login sees.

Behind a reverse proxy every request arrives from the proxy; the proxy appends the address
it received the request from to `X-Forwarded-For`. With TRUSTED_PROXY_COUNT proxies in
front of the site (1 in production mode by default, 0 otherwise), the reader's address is
the entry that many places from the right: entries further left were written by the client
itself and could be anything, so they are never believed.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Too Many Requests: the client may retry, later.
LOCKOUT_STATUS = 429


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote
    hops = [hop for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        return remote
    return _valid(hops[-proxies]) or remote


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The page a login refused by the throttling gets, in the reader's language."""
    minutes = settings.AXES_COOLOFF_MINUTES
    response = render(
        request,
        "admin/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes},
        status=LOCKOUT_STATUS,
    )
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response
