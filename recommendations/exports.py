"""CSV columns of the recommendation list, its footnotes and its status history.

`source` is the slug of the publication a recommendation appeared in; together with
`number` it identifies the recommendation as printed, `recommendation_id` joins the files.
"""

from core.export import Column, CsvExport, attr, source_slug
from core.sorting import stable_order

from .models import Footnote, Recommendation, RecommendationUpdate


class RecommendationExport(CsvExport):
    filename = "recommendations.csv"
    # Recommendations of no recorded publication come last.
    ordering = stable_order(Recommendation, "source__published_on", "source__slug", "number", "pk")
    select_related = ("source",)
    prefetch_related = ("related_treaties", "related_sessions")
    columns = [
        Column("id", attr("pk")),
        Column("source", source_slug),
        Column("source_published", attr("source.published")),
        Column("number", attr("number")),
        Column("status", attr("status")),
        Column("title_ja", attr("title_ja")),
        Column("title_en", attr("title_en")),
        Column("summary_ja", attr("summary_ja")),
        Column("summary_en", attr("summary_en")),
        Column("body_ja", attr("body_ja")),
        Column("body_en", attr("body_en")),
        Column("addressee_ja", attr("addressee_ja")),
        Column("addressee_en", attr("addressee_en")),
        Column(
            "related_treaties",
            lambda r: " ".join(sorted(t.slug for t in r.related_treaties.all())),
        ),
        Column(
            "related_sessions",
            lambda r: " ".join(str(s.pk) for s in sorted(r.related_sessions.all(), key=_pk)),
        ),
        Column("locator", attr("locator")),
        Column("as_of", attr("as_of")),
    ]


def _pk(obj):
    return obj.pk


def recommendation_source(obj):
    return source_slug(obj.recommendation)


class FootnoteExport(CsvExport):
    filename = "recommendation-footnotes.csv"
    ordering = stable_order(
        Footnote,
        "recommendation__source__published_on",
        "recommendation__source__slug",
        "recommendation__number",
        "recommendation_id",
        "number",
        "pk",
    )
    select_related = ("recommendation", "recommendation__source")
    columns = [
        Column("id", attr("pk")),
        Column("recommendation_id", attr("recommendation_id")),
        Column("source", recommendation_source),
        Column("recommendation_number", attr("recommendation.number")),
        Column("number", attr("number")),
        Column("text_ja", attr("text_ja")),
        Column("text_en", attr("text_en")),
        Column("url", attr("url")),
    ]


class RecommendationUpdateExport(CsvExport):
    filename = "recommendation-updates.csv"
    ordering = stable_order(RecommendationUpdate, "date_on", "pk")
    select_related = ("recommendation", "recommendation__source", "evidence")
    columns = [
        Column("id", attr("pk")),
        Column("recommendation_id", attr("recommendation_id")),
        Column("source", recommendation_source),
        Column("recommendation_number", attr("recommendation.number")),
        Column("date", attr("date")),
        Column("status", attr("status")),
        Column("note_ja", attr("note_ja")),
        Column("note_en", attr("note_en")),
        Column("evidence", lambda u: u.evidence.slug if u.evidence_id else ""),
        Column("locator", attr("locator")),
        Column("recorded_at", attr("created_at")),
    ]
