"""The reader's language chosen by a link: `?lang=en` on any page.

The language switch in every page's header is a pair of plain links that keep the reader
on the same page with the same query, adding `lang=`. The chosen language is kept for
the rest of the visit in Django's language cookie, which `LocaleMiddleware` reads on the
next request. Because each language has its own address, the pages can name their
alternates (`hreflang`) for search engines. An unknown `lang` value is ignored: the page
is shown in the language the reader already had.

`PermissionsPolicyMiddleware`, beside it, sends the Permissions-Policy header.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

LANGUAGE_PARAMETER = "lang"
SameSite = Literal["Lax", "Strict", "None", False] | None


def requested_language(request: HttpRequest) -> str | None:
    code = request.GET.get(LANGUAGE_PARAMETER, "")
    return code if code in dict(settings.LANGUAGES) else None


class QueryLanguageMiddleware:
    """Runs after `LocaleMiddleware`, so a `lang=` in the query wins over the cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = requested_language(request)
        if language is None:
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=cast(SameSite, settings.LANGUAGE_COOKIE_SAMESITE),
            )
        return response


def permissions_policy(features: dict[str, list[str]]) -> str:
    """The header's value: `camera=()` denies a feature to every origin, `fullscreen=(self)`
    allows it to the site's own pages; an origin is written in quotes."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in features.items())


class PermissionsPolicyMiddleware:
    """Sends `settings.PERMISSIONS_POLICY` on every response, pages, files and errors alike."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = permissions_policy(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response
