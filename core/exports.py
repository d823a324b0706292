"""CSV columns of the source list and the change log."""

from .export import Column, CsvExport, attr
from .filters import KIND_WORDS
from .models import Change, Source
from .sorting import stable_order


class SourceExport(CsvExport):
    filename = "sources.csv"
    ordering = stable_order(Source, "-published_on", "slug")
    columns = [
        Column("id", attr("pk")),
        Column("slug", attr("slug")),
        Column("title_en", attr("title_en")),
        Column("title_ja", attr("title_ja")),
        Column("publisher_en", attr("publisher_en")),
        Column("publisher_ja", attr("publisher_ja")),
        Column("kind", attr("kind")),
        Column("published", attr("published")),
        Column("language", attr("language")),
        Column("url", attr("url")),
    ]


class ChangeExport(CsvExport):
    """The public change log: which record changed when, and which fields; no user, no reason."""

    filename = "changes.csv"
    ordering = stable_order(Change, "-changed_at", "-pk")
    select_related = ("content_type",)
    columns = [
        Column("id", attr("pk")),
        Column("changed_at", attr("changed_at")),
        Column("kind", lambda change: KIND_WORDS[change.kind]),
        Column("model", lambda change: ".".join(change.content_type.natural_key())),
        Column("object_id", attr("object_id")),
        Column("object_repr", attr("object_repr")),
        Column("changed_fields", lambda change: " ".join(change.changed_fields or ())),
    ]
