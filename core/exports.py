"""CSV columns of the source list and the change log."""

from .export import Column, CsvExport, attr, field
from .export_copy import text
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
        field("id", "pk"),
        field("changed_at"),
        Column(
            "kind",
            lambda change: KIND_WORDS[change.kind],
            fields=("kind",),
            compute=KIND_WORDS.__getitem__,
            sql=lambda kind: (text(_kind_words(kind)), []),
        ),
        Column(
            "model",
            lambda change: ".".join(change.content_type.natural_key()),
            fields=("content_type__app_label", "content_type__model"),
            compute=lambda app_label, model: f"{app_label}.{model}",
            sql=lambda app_label, model: (text(f"({app_label} || '.' || {model})"), []),
        ),
        field("object_id"),
        field("object_repr"),
        Column(
            "changed_fields",
            lambda change: " ".join(change.changed_fields or ()),
            fields=("changed_fields",),
            compute=lambda names: " ".join(names or ()),
            sql=lambda names: (text(_joined(names)), []),
        ),
    ]


def _kind_words(kind: str) -> str:
    whens = " ".join(f"WHEN '{key}' THEN '{word}'" for key, word in KIND_WORDS.items())
    return f"(CASE {kind} {whens} END)"


def _joined(names: str) -> str:
    """The JSON list of field names, space-separated, as `" ".join` writes it."""
    return (
        f"(CASE WHEN jsonb_typeof({names}) = 'array' THEN (SELECT string_agg(name, ' ' "
        f"ORDER BY place) FROM jsonb_array_elements_text({names}) WITH ORDINALITY "
        "AS e(name, place)) END)"
    )
