"""What the site search finds in the people app: people by name, sessions by title.

Each finder selects with the same `search()` as its list's `q` filter, so a "more" link to
the list shows the same records; `core.search` ranks them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.registry import Finder, Found, Hit
from core.search import find, list_url, reader_language

from .models import Person, Session
from .templatetags.people_tags import date_span


def person_hit(person: Person) -> Hit:
    return Hit(
        name_ja=person.name_ja,
        name_en=person.name_en,
        url=person.get_absolute_url(),
        # The name as typed without the printed space, and romanized family name first.
        also=(
            person.family_name + person.given_name,
            f"{person.family_name_romanized} {person.given_name_romanized}".strip(),
        ),
        pk=person.pk,
    )


def find_people(query: str, limit: int) -> Found:
    return find(
        Person.objects.search(query),
        query=query,
        limit=limit,
        hit=person_hit,
        name_fields=(
            "family_name",
            "given_name",
            "family_name_romanized",
            "given_name_romanized",
        ),
    )


def session_hit(session: Session) -> Hit:
    language = reader_language()
    return Hit(
        name_ja=session.title_ja,
        name_en=session.title_en,
        url=session.get_absolute_url(),
        detail=" · ".join(
            part
            for part in (date_span(session.start, session.end, language), session.group.loc("name"))
            if part
        ),
        pk=session.pk,
    )


def find_sessions(query: str, limit: int) -> Found:
    return find(
        Session.objects.search(query).select_related("group"),
        query=query,
        limit=limit,
        hit=session_hit,
        name_fields=("title_en", "title_ja"),
    )


FINDERS = [
    Finder(
        "people",
        _("People"),
        _("person"),
        find_people,
        more_url=lambda query: list_url("people:person-list", query),
    ),
    Finder(
        "sessions",
        _("Sessions"),
        _("session"),
        find_sessions,
        more_url=lambda query: list_url("people:session-list", query),
    ),
]
