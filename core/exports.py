"""CSV columns of the source list."""

from .export import Column, CsvExport, attr


class SourceExport(CsvExport):
    filename = "sources.csv"
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
