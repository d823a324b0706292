"""What a worker would otherwise build on its first requests, built once in gunicorn's master
before it forks the workers (config/gunicorn.conf.py, `preload_app`).

Every worker, and every worker that replaces another (after `max_requests`), then starts
warm: the first treaty page it serves costs what the next ones do, not several times more.
The workers share what is built here with the master, page by page, until they change it.
Nothing here touches the database or the cache: a connection opened before the fork would
be shared by every worker.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver, reverse
from django.utils import translation

from treaties.models import country_name
from treaties.worldmap import ShapesUnavailable, world_shapes


def warm() -> list[str]:
    """Build the URL patterns, the translations, the site's templates and the world map's
    shapes; the names of the templates compiled."""
    resolver = get_resolver()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # Each language has its own patterns (the address starts /en/ or not) and its
            # own reverse lookup, both built on first use.
            resolver.resolve(reverse("portal:home"))
            for code in ("JP", "US"):
                country_name(code, language)
    compiled = []
    root = Path(settings.BASE_DIR) / "templates"
    for path in sorted(root.rglob("*.html")):
        name = path.relative_to(root).as_posix()
        get_template(name)
        compiled.append(name)
    try:
        world_shapes()
    except ShapesUnavailable:
        pass  # the pages say the map cannot be drawn; nothing to build ahead
    return compiled
