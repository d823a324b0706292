"""CSV columns of the treaty app's lists (public exports and admin actions)."""

import json

from django_countries import countries

from core.export import (
    PROVENANCE_COLUMNS,
    Column,
    CsvExport,
    attr,
    cell,
    field,
    partial_field,
)
from core.export_copy import Sql
from core.sorting import stable_order

from .models import (
    Country,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
    country_name,
)


def name_column(header: str, language: str, path: str) -> Column:
    """A country's name in one language, looked up once per code (not once per row)."""
    return Column(
        header,
        lambda obj: country_name(str(attr(path.replace("__", "."))(obj)), language),
        fields=(path,),
        compute=lambda code: country_name(code, language),
        sql=lambda code: _name_sql(code, language),
    )


def _name_sql(code: str, language: str) -> Sql:
    """The name's cell looked up by code in every name of the language, written as cells
    (`core.export.cell`) and passed once as a JSON object."""
    names = {str(c.code): cell(country_name(str(c.code), language)) for c in countries}
    return f"NULLIF(%s::jsonb ->> {code}, '')", [json.dumps(names)]


class TreatyExport(CsvExport):
    filename = "treaties.csv"
    ordering = stable_order(Treaty, "display_order", "slug")
    select_related = ("source",)
    columns = [
        Column("slug", attr("slug")),
        Column("short_name_en", attr("short_name_en")),
        Column("short_name_ja", attr("short_name_ja")),
        Column("name_en", attr("name_en")),
        Column("name_ja", attr("name_ja")),
        Column("kind", attr("kind")),
        Column("stored_status", attr("status")),
        Column("status", lambda t: t.effective_status().value),
        Column("adopted", attr("adopted")),
        Column("opened_for_signature", attr("opened")),
        Column("entered_into_force", attr("entered_into_force")),
        Column("expires", attr("expires")),
        Column("depositary_en", attr("depositary_en")),
        Column("entry_into_force_rule_en", attr("entry_into_force_rule_en")),
        *PROVENANCE_COLUMNS,
    ]


class CountryExport(CsvExport):
    filename = "countries.csv"
    ordering = stable_order(Country, "code")
    select_related = ("posture_source",)
    columns = [
        Column("iso2", lambda c: str(c.code)),
        Column("name_en", lambda c: c.name_in("en")),
        Column("name_ja", lambda c: c.name_in("ja")),
        Column("un_member", attr("un_member")),
        Column("region", attr("region")),
        Column("nuclear_posture", attr("nuclear_posture")),
        Column("posture_source", lambda c: c.posture_source.slug if c.posture_source_id else ""),
        Column("posture_locator", attr("posture_locator")),
    ]


class ParticipationExport(CsvExport):
    filename = "participations.csv"
    ordering = stable_order(
        Participation, "treaty__display_order", "treaty__slug", "country__code", "pk"
    )
    select_related = ("treaty", "country", "source")
    columns = [
        field("id", "pk"),
        field("treaty", "treaty__slug"),
        field("iso2", "country__code"),
        name_column("country_en", "en", "country__code"),
        name_column("country_ja", "ja", "country__code"),
        field("status"),
        field("required_for_entry_into_force"),
        field("note_en"),
        field("note_ja"),
        *PROVENANCE_COLUMNS,
    ]


class TreatyActionExport(CsvExport):
    filename = "treaty-actions.csv"
    ordering = stable_order(
        TreatyAction,
        "participation__treaty__display_order",
        "participation__treaty__slug",
        "participation__country__code",
        "date_on",
        "pk",
    )
    select_related = ("participation__treaty", "participation__country", "source")
    columns = [
        field("id", "pk"),
        field("participation_id"),
        field("treaty", "participation__treaty__slug"),
        field("iso2", "participation__country__code"),
        field("action", "action_type"),
        partial_field("date", "date"),
        field("effective", "effective_on"),
        field("depositary"),
        field("note_en"),
        field("note_ja"),
        *PROVENANCE_COLUMNS,
    ]


class ReportedFigureExport(CsvExport):
    filename = "reported-figures.csv"
    # Figures of no treaty come after the treaties', the undated after the dated.
    ordering = stable_order(
        ReportedFigure, "treaty__display_order", "treaty__slug", "metric", "-as_of_on", "pk"
    )
    select_related = ("treaty", "country", "source")
    columns = [
        Column("id", attr("pk")),
        Column("treaty", lambda f: f.treaty.slug if f.treaty_id else ""),
        Column("iso2", lambda f: str(f.country.code) if f.country_id else ""),
        Column("metric", attr("metric")),
        Column("label_en", attr("label_en")),
        Column("label_ja", attr("label_ja")),
        Column("value", attr("value")),
        Column("out_of", attr("out_of")),
        Column("unit", attr("unit")),
        *PROVENANCE_COLUMNS,
    ]


class TreatyEventExport(CsvExport):
    filename = "events.csv"
    ordering = stable_order(TreatyEvent, "date_on", "pk")
    select_related = ("treaty", "source")
    prefetch_related = ("countries",)
    columns = [
        Column("id", attr("pk")),
        Column("date", attr("date")),
        Column("until", attr("end")),
        Column("treaty", lambda e: e.treaty.slug if e.treaty_id else ""),
        Column("kind", attr("kind")),
        Column("countries", lambda e: " ".join(sorted(str(c.code) for c in e.countries.all()))),
        Column("title_en", attr("title_en")),
        Column("title_ja", attr("title_ja")),
        Column("description_en", attr("description_en")),
        Column("description_ja", attr("description_ja")),
        *PROVENANCE_COLUMNS,
    ]
