"""Every kind of public page keeps its size and its queries when the records grow.

The seed is loaded and every page kind read in both languages; then generated records are
added beside it (`treaties.scale`, 250 treaties × 8 states, five pages of treaties for a
country) and every page read again. A page that listed every treaty, every act or every
choice of a filter grows with them; a page that summarises, caps or paginates does not.
"""

from dataclasses import dataclass

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Source
from tests.helpers import in_language
from treaties.scale import SOURCE_SLUG, generate_scale_data

pytestmark = pytest.mark.django_db

SCALE_TREATIES = 250
SCALE_COUNTRIES = 8  # the United States among them (`scale.FIRST_CODES`)

# A page may be at most this many times its size at seed scale...
RATIO = 3
# ...but a list the seed fills only in part grows until a page holds its 50 rows, and no
# further: 8 treaties at seed on the treaty list and on a country's page, and as the
# participations matrix's columns (it shows 10 at a time).
FILLING_RATIO = 5
FILLING = {"treaty list", "country page", "participations matrix"}
# Searches ask for a kind's total only once its best 20 are full: one query more, at most.
EXTRA_QUERIES = {"search": 1}


@dataclass
class Reading:
    status: int
    size: int
    queries: int


def read(client, path, language):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(in_language(language, path))
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return Reading(response.status_code, len(body), len(queries))


def source_page(slug):
    return Source.objects.get(slug=slug).get_absolute_url()


def seed_pages():
    """{page kind: path} at seed scale, each page kind once."""
    return {
        "dashboard": "/",
        "treaty list": "/treaties/",
        "treaty page": "/treaties/ctbt/",
        "country list": "/countries/",
        "country page": "/countries/us/",
        "participations": "/participations/",
        "participations, last page": "/participations/?page=last",
        "participations matrix": "/participations/?view=matrix",
        "participations matrix, last page": "/participations/?view=matrix&page=last",
        "events": "/events/",
        "source list": "/sources/",
        # The white paper: the source cited by the most kinds of fact.
        "source page": source_page("seed-004"),
        "search": "/search/?q=treaty",
        "changes": "/changes/",
        "people": "/people/",
        "recommendations": "/recommendations/",
    }


def scale_pages():
    """{page kind: path} at scale: the seed's pages, but the treaty and source pages of the
    generated records (those of the seed do not change)."""
    return {
        **seed_pages(),
        "treaty page": "/treaties/scale-00001/",
        "source page": source_page(SOURCE_SLUG),
    }


def test_no_public_page_grows_with_the_records(client, seeded):
    languages = ("ja", "en")
    at_seed = {
        (kind, language): read(client, path, language)
        for kind, path in seed_pages().items()
        for language in languages
    }
    generate_scale_data(
        treaties=SCALE_TREATIES, countries=SCALE_COUNTRIES, seed=1, alongside_real_data=True
    )

    grown = []
    for kind, path in scale_pages().items():
        for language in languages:
            seed, scale = at_seed[(kind, language)], read(client, path, language)
            assert seed.status == scale.status == 200, (kind, path, language)
            ratio = FILLING_RATIO if kind in FILLING else RATIO
            if scale.size > ratio * seed.size:
                grown.append(f"{path} ({language}): {seed.size} → {scale.size} bytes")
            if scale.queries > seed.queries + EXTRA_QUERIES.get(kind, 0):
                grown.append(f"{path} ({language}): {seed.queries} → {scale.queries} queries")
    assert grown == []
