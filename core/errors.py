"""The server-error handler: the standalone 500 page, with its one <style> allowed by nonce.

Django's own handler renders `500.html` with no request, so the page could not name the
nonce the Content-Security-Policy allows, and its style would be blocked. This one passes
the request's nonce and nothing else: still no context processor, no database, no URL.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import TemplateDoesNotExist, loader


def request_nonce(request: HttpRequest) -> str:
    """The nonce django-csp made for this request; reading it adds it to the header. Empty
    where the error came before the CSP middleware saw the request."""
    nonce = getattr(request, "csp_nonce", None)
    return str(nonce) if nonce is not None else ""


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        template = loader.get_template("500.html")
    except TemplateDoesNotExist:
        return HttpResponseServerError(b"<h1>Server Error (500)</h1>", content_type="text/html")
    return HttpResponseServerError(template.render({"csp_nonce": request_nonce(request)}))
