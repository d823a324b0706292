"""The language from the address alone, and the Permissions-Policy header.

`UrlLanguageMiddleware` takes the place of Django's `LocaleMiddleware`. The language is the
one the path starts with (`/en/…`), or else the site's default (`LANGUAGE_CODE`, Japanese):
never a cookie or the browser's Accept-Language, so no response varies on them, and no page
sets a cookie to remember a choice. Old links that chose the language with `?lang=en`
(and bookmarks of them) are sent on, permanently, to the page in that language without
`lang=`; an unknown `lang` value is ignored. A path that names the default language
(`/ja/…`) is sent to the same page without it, its one address.

`PermissionsPolicyMiddleware`, beside it, sends the Permissions-Policy header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.utils import translation

from core.languages import (
    LANGUAGE_PARAMETER,
    language_codes,
    split_language,
    url_in_language,
)

# Only a read is redirected: a form sent with `?lang=` in its address keeps its answer.
REDIRECTED_METHODS = ("GET", "HEAD")


def requested_language(request: HttpRequest) -> str | None:
    """The known language an old `?lang=` link asks for, if any."""
    code = request.GET.get(LANGUAGE_PARAMETER, "")
    return code if code in language_codes() else None


class UrlLanguageMiddleware:
    """Activates the address's language; redirects `?lang=` links and `/<default>/` paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from_path, _rest = split_language(request.path_info)
        language = from_path or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        if request.method in REDIRECTED_METHODS:
            wanted = requested_language(request)
            if wanted is not None or from_path == settings.LANGUAGE_CODE:
                return HttpResponsePermanentRedirect(url_in_language(request, wanted or language))
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
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
