"""The language is part of the address: Japanese, the site's default, at `/…`, English at
`/en/…` (`i18n_patterns` with `prefix_default_language=False`, in config/urls.py).

Nothing else chooses it: no cookie, no Accept-Language, so a page's address alone says what
it shows, and a shared cache may keep it. These helpers give a page's address in another
language, for the switch in the header, the `hreflang` alternates and the redirects of old
`?lang=` links (core.middleware).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import NoReverseMatch, Resolver404, ResolverMatch, resolve, reverse
from django.utils import translation
from django.utils.encoding import escape_uri_path

# The query parameter older links chose the language with (`?lang=en`); now only redirected.
LANGUAGE_PARAMETER = "lang"


def language_codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def language_prefix(language: str) -> str:
    """What comes before a page's path in `language`: "" for the default, "/en" for English."""
    return "" if language == settings.LANGUAGE_CODE else f"/{language}"


def split_language(path: str) -> tuple[str | None, str]:
    """(the language a path starts with, the rest of the path): ("en", "/treaties/") for
    "/en/treaties/", (None, "/treaties/") for a path without a language."""
    first, _slash, rest = path.lstrip("/").partition("/")
    if first in language_codes():
        return first, "/" + rest
    return None, path


def _resolver_match(request: HttpRequest) -> ResolverMatch | None:
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match
    try:
        return resolve(request.path_info, getattr(request, "urlconf", None))
    except Resolver404:
        return None


def path_in_language(request: HttpRequest, language: str) -> str:
    """This request's path in `language`.

    A page that a URL pattern names is reversed with the same arguments, in that language;
    any other path (a page not found) has its language prefix swapped.
    """
    match = _resolver_match(request)
    if match is not None and match.url_name:
        with translation.override(language):
            try:
                return reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                pass
    script_prefix = request.path.removesuffix(request.path_info)
    _current, rest = split_language(request.path_info)
    return escape_uri_path(script_prefix + language_prefix(language) + rest)


def query_without_language(query: QueryDict) -> str:
    """The query string without `lang=`, with its `?`; "" when nothing is left."""
    rest = query.copy()
    rest.pop(LANGUAGE_PARAMETER, None)
    return f"?{rest.urlencode()}" if rest else ""


def url_in_language(request: HttpRequest, language: str) -> str:
    """This page in `language`: its path there and the same query, without `lang=`."""
    return path_in_language(request, language) + query_without_language(request.GET)
