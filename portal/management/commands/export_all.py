"""Write every public CSV export, unfiltered, into one directory."""

import os
import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch
from django.utils import translation

from core.registry import site

EXPORT_NAME_SUFFIX = "-export"
# URL prefixes that are not public lists.
SKIPPED_NAMESPACES = {"admin"}
SKIPPED_PREFIXES = ("admin/", "i18n/")

FILENAME = re.compile(r'filename="?([^";]+)"?')


def export_url_names(patterns=None, namespace="", prefix=""):
    """`namespace:name` of every URL pattern whose name ends in "-export", in URLconf order."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES or route.startswith(SKIPPED_PREFIXES):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from export_url_names(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern) and (pattern.name or "").endswith(EXPORT_NAME_SUFFIX):
            yield namespace + pattern.name


def list_export_url_names():
    """The URL names of every export that takes no URL arguments (the lists), as routed.

    An export of one object needs an id in its URL and is not a list. The registry must
    name each of these; a test holds the two together.
    """
    names = []
    for name in export_url_names():
        try:
            reverse(name)
        except NoReverseMatch:
            continue
        names.append(name)
    return names


def public_exports():
    """[(url name, path)] of the list exports every app declares in its part of the site."""
    return [(name, reverse(name)) for name in site.exports()]


def file_name(response, path):
    """The file name the site gives the download, else one made from its URL."""
    match = FILENAME.search(response.get("Content-Disposition", ""))
    if match:
        return os.path.basename(match.group(1))
    stem = path.strip("/").removesuffix(".csv").removesuffix("export").strip("/")
    return stem.replace("/", "-") + ".csv"


class Command(BaseCommand):
    help = (
        "Write every public CSV export (each list's export, unfiltered, as an anonymous "
        "visitor downloads it) into DIR, one file each, named as the site names the download."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR", help="Created if missing.")
        parser.add_argument(
            "--language",
            default=settings.LANGUAGE_CODE,
            choices=[code for code, _ in settings.LANGUAGES],
            help="Language active while exporting (default: %(default)s).",
        )

    def handle(self, *args, **options):
        directory = Path(options["directory"])
        directory.mkdir(parents=True, exist_ok=True)
        factory = RequestFactory()
        written: dict[str, str] = {}  # file name: the path it came from
        with translation.override(options["language"]):
            for name, path in public_exports():
                request = factory.get(path)
                request.user = AnonymousUser()
                match = resolve(path)
                response = match.func(request, *match.args, **match.kwargs)
                if response.status_code != 200:
                    raise CommandError(f"{path} ({name}) answered {response.status_code}.")
                target = file_name(response, path)
                if target in written:
                    raise CommandError(
                        f"{path} and {written[target]} both export {target}; "
                        "give one of them another file name."
                    )
                written[target] = path
                size = self.write(response, directory / target)
                if options["verbosity"] >= 1:
                    self.stdout.write(f"{directory / target} ({size} bytes, from {path})")
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(written)} files to {directory}."))

    def write(self, response, target):
        size = 0
        temp = target.with_name(f".{target.name}.partial")
        try:
            with open(temp, "wb") as out:
                chunks = response.streaming_content if response.streaming else [response.content]
                for chunk in chunks:
                    out.write(chunk)
                    size += len(chunk)
            os.replace(temp, target)
        finally:
            # Not response.close(): it sends request_finished, whose handler closes the
            # database connection, which breaks a surrounding transaction (e.g. a test's).
            # The rows are read to the end, so the generator has nothing left to release.
            if temp.exists():
                temp.unlink()
        return size
