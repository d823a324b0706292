"""Template helpers of the recommendation pages, and blocks other pages embed.

{% load recommendation_tags %}
{% recommendations_for_treaty treaty %}   on the treaty page: its recommendations
{% recommendation_dashboard %}            on the home page: counts by status, latest sessions
"""

import re
from urllib.parse import urlencode

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core.dates import PartialDate
from people.models import Session

from ..models import Recommendation, RecommendationStatus

register = template.Library()

LATEST_SESSIONS = 5


def bilingual(obj, field, language=None):
    """The text of `<field>_ja` / `<field>_en` to show first, and the other one if it exists.

    The Japanese text is the original as published; an English reader sees the English
    text where one was written, with the original alongside, or else the original alone.
    """
    language = (language or get_language() or "ja")[:2]
    texts = {lang: getattr(obj, f"{field}_{lang}", "") for lang in ("ja", "en")}
    order = ("en", "ja") if language == "en" else ("ja", "en")
    shown = next((lang for lang in order if texts[lang]), None)
    if shown is None:
        return None
    other = "ja" if shown == "en" else "en"
    return {
        "text": texts[shown],
        "lang": shown,
        "is_original": shown == "ja",
        # A footnote citing an English title has the same text in both languages.
        "other_text": texts[other] if texts[other] != texts[shown] else "",
        "other_lang": other,
        # Shown in the other language than the reader's because no translation exists.
        "untranslated": shown != language,
    }


@register.inclusion_tag("recommendations/includes/for_treaty.html")
def recommendations_for_treaty(treaty):
    """The recommendations whose related treaties include `treaty` (one query)."""
    recommendations = list(Recommendation.objects.for_treaty(treaty).select_related("source"))
    list_url = reverse("recommendations:recommendation-list")
    return {
        "treaty": treaty,
        "recommendations": recommendations,
        "list_url": f"{list_url}?{urlencode({'treaty': treaty.slug})}",
    }


@register.inclusion_tag("recommendations/includes/dashboard.html")
def recommendation_dashboard():
    """Recommendations counted by current status, and the latest sessions (two queries)."""
    counts = Recommendation.objects.status_counts()
    list_url = reverse("recommendations:recommendation-list")
    statuses = [
        {
            "value": status.value,
            "label": status.label,
            "count": counts.get(status.value, 0),
            "url": f"{list_url}?{urlencode({'status': status.value})}",
        }
        for status in RecommendationStatus
    ]
    return {
        "statuses": statuses,
        "total": sum(counts.values()),
        "list_url": list_url,
        "sessions": list(Session.objects.latest_first()[:LATEST_SESSIONS]),
        "session_list_url": reverse("people:session-list"),
    }


@register.filter
def last_update(recommendation):
    """The date of the latest status update, at its precision (needs with_last_update_date)."""
    on = getattr(recommendation, "last_update_on", None)
    if on is None:
        return None
    return PartialDate(on, getattr(recommendation, "last_update_precision", None) or "day")


SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")


@register.filter(needs_autoescape=True)
def footnote_refs(text, numbers, autoescape=True):
    """Link superscript footnote marks in published text ("核の傘国¹") to the footnote (#fn1).

    `numbers` are the footnote numbers the recommendation has; other marks stay plain.
    The text is escaped first, so the result is safe to pass on to `linebreaks`.
    """
    text = conditional_escape(text) if autoescape else text
    numbers = {int(n) for n in numbers or ()}

    def link(match):
        mark = match.group(0)
        number = int("".join(str(SUPERSCRIPT_DIGITS.index(ch)) for ch in mark))
        if number not in numbers:
            return mark
        return f'<a class="fnref" href="#fn{number}" aria-label="{number}">{mark}</a>'

    return mark_safe(SUPERSCRIPT_RUN.sub(link, str(text)))  # the text was escaped above


@register.filter
def bilingual_text(obj, field):
    """{{ footnote|bilingual_text:"text" }}: the text to show first and the other language's."""
    return bilingual(obj, field)
