"""What the site search finds in the recommendations app: recommendations by title.

The finder selects with the same `search()` as the list's `q` filter, so the "more" link
to the list shows the same records; `core.search` ranks them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.registry import Finder, Found, Hit
from core.search import find, list_url

from .models import Recommendation


def recommendation_hit(recommendation: Recommendation) -> Hit:
    number = _("No. %(number)s") % {"number": recommendation.number}
    source = recommendation.source.loc("title") if recommendation.source is not None else ""
    return Hit(
        name_ja=recommendation.title_ja,
        name_en=recommendation.title_en,
        url=recommendation.get_absolute_url(),
        detail=f"{number} · {source}" if source else number,
        pk=recommendation.pk,
    )


def find_recommendations(query: str, limit: int) -> Found:
    return find(
        Recommendation.objects.search(query).select_related("source"),
        query=query,
        limit=limit,
        hit=recommendation_hit,
        name_fields=("title_en", "title_ja"),
    )


FINDERS = [
    Finder(
        "recommendations",
        gettext_lazy("Recommendations"),
        gettext_lazy("recommendation"),
        find_recommendations,
        more_url=lambda query: list_url("recommendations:recommendation-list", query),
    ),
]
