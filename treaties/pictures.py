"""The numbers behind the pictures of the treaty and country pages, and the CSV files of them.

Every status comes from the project's own derivation (`status.derive_status` on the dated
acts, `status.shown_status` for what a reader is told), so the map, the counts over time
and the country's matrix say what the participations tables say. Each picture's CSV is
built from the very rows the picture is drawn from.

Queries: a treaty's records are read once (participations, then their acts: as plain rows
for the treaty page, `held_records`; as models with their sources for the CSV files,
`treaty_records`), the states with no record once, the reported figures once; the pictures
are computed from those in Python, however many states and years there are.
"""

from __future__ import annotations

import datetime
import functools
import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.db.models import Prefetch, QuerySet
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext, gettext_lazy
from django_countries.fields import Country as CountryCode

from core.dates import PartialDate
from core.export import Column, CsvExport, cell
from core.queries import hand_children
from core.sorting import stable_order

from . import charts, worldmap
from .choices import ParticipationStatus
from .figures import FIGURE_COMPARISONS
from .models import (
    Country,
    Metric,
    Participation,
    ReportedFigure,
    Treaty,
    TreatyAction,
    country_name,
    country_url,
    country_urls,
    today,
)
from .records import counts_on_days
from .status import (
    NO_ACT_RECORDED,
    Act,
    Record,
    ShownStatus,
    derive_status,
    effect_day,
    shown_status,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise
    from django.utils.safestring import SafeString

AnyAct = TypeVar("AnyAct", bound=Act)

# A state that can join the treaty and of which the records hold nothing at all.
NO_RECORD = ShownStatus("no_record", gettext_lazy("no record held"))

# The order of the map's legend: from the closest tie to none.
LEGEND_ORDER = [
    ParticipationStatus.PARTY.value,
    ParticipationStatus.PARTICIPATING.value,
    ParticipationStatus.CONSENTED.value,
    ParticipationStatus.SIGNATORY.value,
    ParticipationStatus.SUSPENDED.value,
    ParticipationStatus.WITHDRAWN.value,
    ParticipationStatus.FORMER_PARTY.value,
    ParticipationStatus.NOT_SIGNED.value,
    NO_ACT_RECORDED.value,
    NO_RECORD.value,
]

# Beside a state the map cannot draw, in the list of states by status.
NOT_DRAWN_MARK = mark_safe("<sup>*</sup>")

# Areas on the map that django-countries does not name.
EXTRA_AREA_NAMES = {"XK": gettext_lazy("Kosovo")}


def records_by_country(treaty: Treaty) -> QuerySet[Participation]:
    """The participations of `treaty` in the pictures' order, by country code. Through the
    treaty's own manager, each record knows its treaty without a join."""
    return treaty.participations.order_by(*stable_order(Participation, "country__code", "pk"))


def treaty_records(treaty: Treaty) -> list[Participation]:
    """Every participation of `treaty` with its country, source and acts in order: 2 queries
    (for the pictures' CSV files, which give each record's provenance)."""
    participations = list(records_by_country(treaty).select_related("country", "source"))
    hand_children(
        participations, "actions", TreatyAction.objects.for_treaty(treaty).chronological()
    )
    return participations


# -- the records as a page draws them -------------------------------------------------------
# A treaty page draws every state: 200 participations, their countries and their acts. Made
# into model instances they cost several times what reading them does, and the pictures and
# the counts beside the figures read a few fields of each: they take these plain rows, which
# the derivation reads as it reads the models (`status.Record`, `status.Act`).


class State:
    """A state as a picture names and links it, from its ISO code alone (as a `Country`)."""

    __slots__ = ("code_text",)

    def __init__(self, code: str) -> None:
        self.code_text = code

    @property
    def name(self) -> str:
        return country_name(self.code_text, get_language())

    def get_absolute_url(self) -> str:
        return country_url(self.code_text)


class HeldAct:
    """An act as the derivation reads it (`TreatyAction`'s fields of the same names)."""

    __slots__ = ("pk", "action_type", "date_on", "date_precision", "effective_on", "takes_effect")

    def __init__(
        self,
        pk: int,
        action_type: str,
        date_on: datetime.date,
        date_precision: str,
        effective_on: datetime.date | None,
    ) -> None:
        self.pk = pk
        self.action_type = action_type
        self.date_on = date_on
        self.date_precision = date_precision
        self.effective_on = effective_on
        self.takes_effect = effect_day(effective_on, date_on, date_precision)


class HeldActs(list[HeldAct]):
    """A record's acts in order, read as a related manager reads them (`.all()`)."""

    def all(self) -> HeldActs:
        return self


class HeldRecord:
    """A participation as the pictures and the counts read it."""

    __slots__ = ("pk", "treaty", "country", "status", "required_for_entry_into_force", "actions")

    def __init__(self, pk: int, treaty: Treaty, code: str, status: str, required: bool) -> None:
        self.pk = pk
        self.treaty = treaty
        self.country = State(code)
        self.status = status
        self.required_for_entry_into_force = required
        self.actions = HeldActs()


class DrawnRecord(Record, Protocol):
    """A record as the map draws it: a `Participation` or a `HeldRecord`."""

    @property
    def country(self) -> Country | State: ...


def held_records(treaty: Treaty) -> list[HeldRecord]:
    """Every participation of `treaty` with its acts in order, as plain rows: 2 queries."""
    records = {
        pk: HeldRecord(pk, treaty, str(code), status, required)
        for pk, code, status, required in records_by_country(treaty).values_list(
            "pk", "country__code", "status", "required_for_entry_into_force"
        )
    }
    acts = TreatyAction.objects.for_treaty(treaty).chronological()
    for pk, participation, *fields in acts.values_list(
        "pk", "participation", "action_type", "date_on", "date_precision", "effective_on"
    ):
        records[participation].actions.append(HeldAct(pk, *fields))
    return list(records.values())


def country_participations(country: Country) -> QuerySet[Participation]:
    """The participations of `country` in the order of its page (treaties by display order),
    each with its treaty, source and acts in order: 2 queries for any slice of them."""
    return (
        Participation.objects.for_country(country)
        .select_related("treaty", "source")
        .prefetch_related(Prefetch("actions", queryset=TreatyAction.objects.chronological()))
        .order_by(*stable_order(Participation, "treaty__display_order", "treaty__slug", "pk"))
    )


def country_records(country: Country) -> list[Participation]:
    """Every participation of `country` with its treaty, source and acts in order: 2 queries."""
    return list(country_participations(country))


def decisive_act(actions: Iterable[AnyAct], day: datetime.date) -> AnyAct | None:
    """The act the status on `day` follows from: the last one in effect on that day."""
    in_effect = [action for action in actions if action.takes_effect <= day]
    if not in_effect:
        return None
    return max(in_effect, key=lambda a: (a.takes_effect, a.date_on, a.pk or 0))


def area_name(code: str) -> str:
    return country_name(code, get_language()) or str(EXTRA_AREA_NAMES.get(code, code))


# -- the map --------------------------------------------------------------------------------


@dataclass
class StatusRow:
    """A state's status towards a treaty on a day, with the act it follows from."""

    country: Country | State
    status: ShownStatus
    day: datetime.date
    participation: Record | None = None
    act: Act | None = None
    on_map: bool = False

    @functools.cached_property
    def name(self) -> str:
        return str(self.country.name)


@dataclass
class LegendEntry:
    status: ShownStatus
    rows: list[StatusRow]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def css_class(self) -> str:
        return f"map-status-{self.status.value}"

    def state_links(self) -> SafeString:
        """The states, each a link to its page, starred where the map cannot draw it."""
        # Escaped here as format_html would, at a fraction of its cost for 200 states.
        url = country_urls()
        return mark_safe(
            ", ".join(
                f'<a href="{html.escape(url(row.country.code_text))}">'
                f"{html.escape(row.name)}</a>{'' if row.on_map else NOT_DRAWN_MARK}"
                for row in self.rows
            )
        )


@dataclass
class StatusMap:
    treaty: Treaty
    day: datetime.date
    rows: list[StatusRow]
    legend: list[LegendEntry]
    svg: SafeString
    # States counted in the legend that the map cannot show (too small, or not a state).
    not_drawn: list[StatusRow] = field(default_factory=list)


def status_rows(
    treaty: Treaty,
    day: datetime.date,
    participations: Sequence[DrawnRecord] | None = None,
    no_record: Iterable[Country] | None = None,
) -> list[StatusRow]:
    """Each state's status on `day`: every participation, then every state with no record
    (`no_record`: `Country.objects.without_participation_in(treaty)`, when already read)."""
    if participations is None:
        participations = treaty_records(treaty)
    shapes = worldmap.world_shapes().codes
    rows = []
    for participation in participations:
        actions = list(participation.actions.all())
        status = derive_status(treaty, actions, day)
        rows.append(
            StatusRow(
                country=participation.country,
                status=shown_status(participation, status),
                day=day,
                participation=participation,
                act=decisive_act(actions, day),
            )
        )
    # Where the records are a depositary's complete list, a state absent from it had not
    # signed on that list's day (nor before); elsewhere its absence says nothing.
    complete_on = treaty.record_complete_on
    absent = NO_RECORD
    if complete_on is not None and day <= complete_on:
        absent = ShownStatus(
            ParticipationStatus.NOT_SIGNED.value, ParticipationStatus.NOT_SIGNED.label
        )
    if no_record is None:
        no_record = Country.objects.without_participation_in(treaty)
    for country in no_record:
        rows.append(StatusRow(country=country, status=absent, day=day))
    for row in rows:
        row.on_map = row.country.code_text in shapes
    return sorted(rows, key=lambda row: row.country.code_text)


def legend_of(rows: Iterable[StatusRow]) -> list[LegendEntry]:
    """The statuses that occur, in legend order, each with its states sorted by name;
    "no record held" always, as the map draws areas in it."""
    by_status: dict[str, LegendEntry] = {}
    for row in rows:
        entry = by_status.setdefault(row.status.value, LegendEntry(row.status, []))
        entry.rows.append(row)
    by_status.setdefault(NO_RECORD.value, LegendEntry(NO_RECORD, []))
    for entry in by_status.values():
        entry.rows.sort(key=lambda row: row.name)
    order = {value: n for n, value in enumerate(LEGEND_ORDER)}
    return sorted(by_status.values(), key=lambda e: order.get(e.status.value, len(order)))


def status_map(
    treaty: Treaty,
    day: datetime.date,
    participations: Sequence[DrawnRecord] | None = None,
    no_record: Iterable[Country] | None = None,
    id_prefix: str = "world-map",
) -> StatusMap:
    """The world map of `treaty` on `day`, with its legend and the rows it is drawn from."""
    rows = status_rows(treaty, day, participations, no_record)
    by_code = {row.country.code_text: row for row in rows}
    areas = {}
    title = gettext("%(country)s: %(status)s")
    labels: dict[str, str] = {}
    for code in worldmap.world_shapes().codes:
        row = by_code.get(code)
        status = row.status if row is not None else NO_RECORD
        name = row.name if row is not None else area_name(code)
        if status.value not in labels:
            labels[status.value] = str(status.label)
        areas[code] = worldmap.Area(
            css_class=f"map-status-{status.value}",
            title=title % {"country": name, "status": labels[status.value]},
        )
    day_text = PartialDate(day).display()
    svg = worldmap.draw(
        areas,
        id_prefix=id_prefix,
        title=gettext("%(treaty)s: each state’s status on %(day)s")
        % {"treaty": treaty, "day": day_text},
        desc=gettext(
            "A world map. Each state is coloured by its status on %(day)s, derived from the "
            "dated acts recorded here; areas with no record held (territories that are not "
            "states among them) are grey. The legend gives the number of states in each "
            "status, and the list below names them."
        )
        % {"day": day_text},
    )
    return StatusMap(
        treaty=treaty,
        day=day,
        rows=rows,
        legend=legend_of(rows),
        svg=svg,
        not_drawn=[row for row in rows if not row.on_map],
    )


def _provenance_columns(fact: Any) -> list[Column]:
    """The source, locator and as-of columns, read from the fact `fact(row)` gives."""

    def source(row: Any) -> str:
        obj = fact(row)
        return obj.source.slug if obj is not None and obj.source_id else ""

    return [
        Column("source", source),
        Column("locator", lambda row: getattr(fact(row), "locator", "")),
        Column("as_of", lambda row: getattr(fact(row), "as_of", None)),
    ]


def _act_columns() -> list[Column]:
    return [
        Column("act", lambda row: row.act.action_type if row.act else ""),
        Column("act_date", lambda row: row.act.date if row.act else None),
        Column("act_takes_effect", lambda row: row.act.effective_on if row.act else None),
    ]


class StatusMapExport(CsvExport):
    """The map's rows: every state the legend counts, with the status its area is drawn in."""

    filename = "map.csv"
    columns = [
        Column("iso2", lambda row: row.country.code_text),
        Column("country_en", lambda row: row.country.name_in("en")),
        Column("country_ja", lambda row: row.country.name_in("ja")),
        Column("status", lambda row: row.status.value),
        Column("status_on", lambda row: row.day),
        Column("on_map", lambda row: row.on_map),
        *_act_columns(),
        # The provenance of the participation record (none for a state without one).
        *_provenance_columns(lambda row: row.participation),
    ]


# -- counts over time ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """A count drawn over time: a key of `records.counts_on_days`, and the figures set beside it."""

    key: str
    header: str
    label: _StrOrPromise
    metric: str


TREATY_SERIES = [
    Series(
        "signed",
        "signatories",
        gettext_lazy("signatories (states that have signed)"),
        Metric.SIGNATORIES,
    ),
    Series(
        "consented_or_party",
        "ratified",
        gettext_lazy("ratified or acceded (in force or not)"),
        Metric.RATIFICATIONS,
    ),
    Series("party", "parties", gettext_lazy("parties"), Metric.PARTIES),
]
REGIME_SERIES = [
    Series(
        "participating",
        "participating",
        gettext_lazy("participating governments"),
        Metric.PARTICIPANTS,
    ),
]
for _series in TREATY_SERIES + REGIME_SERIES:
    # Each series is the count the treaty page already sets beside that metric's figures.
    assert FIGURE_COMPARISONS[_series.metric][0] == _series.key


def series_of(treaty: Treaty) -> list[Series]:
    return REGIME_SERIES if treaty.is_regime else TREATY_SERIES


@dataclass
class YearCount:
    year: int
    counted_on: datetime.date
    # {series key: count}, in the order of the series.
    counts: dict[str, int]
    figures: list[ReportedFigure] = field(default_factory=list)


@dataclass
class CountsOverTime:
    treaty: Treaty
    series: list[Series]
    years: list[YearCount]
    figures: list[ReportedFigure]
    svg: SafeString | None

    def rows(self) -> list[CountsRow]:
        """The CSV's rows: each year's counts, then each figure reported in that year."""
        out = []
        for year in self.years:
            out.append(CountsRow(year.year, year, None))
            out.extend(CountsRow(year.year, None, figure) for figure in year.figures)
        return out


@dataclass
class CountsRow:
    year: int
    year_count: YearCount | None
    figure: ReportedFigure | None


def charted_figures(
    treaty: Treaty, series: Sequence[Series], figures: Iterable[ReportedFigure] | None = None
) -> list[ReportedFigure]:
    """The treaty-wide figures with a date whose metric is one of the series', by date, from
    `figures` (every figure of the treaty with its source) where the caller has read them,
    else from one query for them."""
    if figures is None:
        figures = ReportedFigure.objects.for_treaty(treaty).select_related("source")
    metrics = {s.metric for s in series}
    return sorted(
        (
            f
            for f in figures
            if f.treaty_id == treaty.pk
            and f.country_id is None
            and f.as_of_on is not None
            and f.metric in metrics
        ),
        # Code points, as `stable_order` compares them in the database.
        key=lambda f: (f.as_of_on, f.metric, f.pk),
    )


def counts_over_time(
    treaty: Treaty,
    participations: Sequence[Record] | None = None,
    on: datetime.date | None = None,
    id_prefix: str = "counts-chart",
    draw: bool = True,
    figures: Iterable[ReportedFigure] | None = None,
) -> CountsOverTime:
    """The counts of each series at the end of every year since the first act, up to `on`
    (today), with the reported figures of those series at their dates (`figures`: every
    figure of the treaty with its source, where the caller has read them)."""
    on = on or today()
    if participations is None:
        participations = treaty_records(treaty)
    series = series_of(treaty)
    charted = [f for f in charted_figures(treaty, series, figures) if figure_day(f) <= on]
    acts = {p.pk: list(p.actions.all()) for p in participations}
    starts = [a.date_on.year for actions in acts.values() for a in actions]
    starts += [figure_day(f).year for f in charted]
    if not starts:
        return CountsOverTime(treaty, series, [], [], None)
    first = min(starts)
    days = [min(datetime.date(year, 12, 31), on) for year in range(first, on.year + 1)]
    counts = counts_on_days(treaty, participations, acts, days)
    years = [YearCount(day.year, day, {s.key: counts[day][s.key] for s in series}) for day in days]
    by_year = {year.year: year for year in years}
    for figure in charted:
        by_year[figure_day(figure).year].figures.append(figure)
    svg = draw_counts(treaty, series, years, charted, id_prefix) if draw else None
    return CountsOverTime(treaty, series, years, charted, svg)


def figure_day(figure: ReportedFigure) -> datetime.date:
    """The first day of a charted figure's as-of date (charted figures all have one)."""
    assert figure.as_of_on is not None
    return figure.as_of_on


def figure_text(figure: ReportedFigure) -> str:
    assert figure.as_of is not None
    return gettext("%(value)s %(metric)s reported as of %(day)s (%(source)s)") % {
        "value": figure.display_value,
        "metric": figure.label or figure.get_metric_display(),
        "day": figure.as_of.display(),
        "source": figure.source.loc("title") if figure.source is not None else gettext("no source"),
    }


def draw_counts(
    treaty: Treaty,
    series: Sequence[Series],
    years: Sequence[YearCount],
    figures: Sequence[ReportedFigure],
    id_prefix: str,
) -> SafeString:
    key_of = {s.metric: s.key for s in series}
    lines = [
        charts.Line(
            key=s.key,
            title=gettext("%(series)s, records held") % {"series": s.label},
            # Each year's count is the standing at its end (today for the current year).
            points=[
                (charts.fractional_year(y.counted_on + datetime.timedelta(days=1)), y.counts[s.key])
                for y in years
            ],
        )
        for s in series
    ]
    markers = []
    for figure in figures:
        assert figure.as_of is not None
        markers.append(
            charts.Marker(
                key=key_of[figure.metric],
                title=figure_text(figure),
                x=charts.fractional_year(figure.as_of.end),
                value=float(figure.value),
                label=cell(figure.value),
            )
        )
    last = years[-1].counted_on + datetime.timedelta(days=1)
    return charts.line_chart(
        first_year=years[0].year,
        last_x=charts.fractional_year(last),
        lines=lines,
        markers=markers,
        id_prefix=id_prefix,
        title=gettext("%(treaty)s: states by year, records held and figures reported")
        % {"treaty": treaty},
        desc=gettext(
            "A line for each count derived from the dated acts recorded here, taken at the "
            "end of each year; a point for each figure a source reports, at its date. The "
            "table below gives the same numbers."
        ),
        x_label=gettext("Year"),
        y_label=gettext("Number of states"),
    )


def _count_of(key: str) -> Callable[[CountsRow], int | None]:
    def count(row: CountsRow) -> int | None:
        return row.year_count.counts[key] if row.year_count else None

    return count


class CountsExport(CsvExport):
    """The chart's numbers: one row a year (its counts), one row a reported figure."""

    filename = "counts.csv"

    def __init__(self, series: Sequence[Series]) -> None:
        self.columns = [
            Column("year", lambda row: row.year),
            Column("counted_on", lambda row: row.year_count.counted_on if row.year_count else None),
            *[Column(s.header, _count_of(s.key)) for s in series],
            Column("reported_metric", lambda row: row.figure.metric if row.figure else ""),
            Column("reported_value", lambda row: row.figure.value if row.figure else None),
            Column("reported_label_en", lambda row: row.figure.label_en if row.figure else ""),
            *_provenance_columns(lambda row: row.figure),
        ]


# -- a country across treaties --------------------------------------------------------------


@dataclass
class MatrixRow:
    """One treaty on a country's page: the status on the day and the act it follows from."""

    treaty: Treaty
    participation: Participation
    status: ShownStatus
    day: datetime.date
    act: TreatyAction | None


def country_matrix(participations: Iterable[Participation], day: datetime.date) -> list[MatrixRow]:
    """Each participation's status on `day`, from its prefetched acts (no query)."""
    rows = []
    for participation in participations:
        actions = list(participation.actions.all())
        status = derive_status(participation.treaty, actions, day)
        rows.append(
            MatrixRow(
                treaty=participation.treaty,
                participation=participation,
                status=shown_status(participation, status),
                day=day,
                act=decisive_act(actions, day),
            )
        )
    return rows


class CountryMatrixExport(CsvExport):
    """A country's matrix: each treaty, its status on the day and the act it follows from."""

    filename = "matrix.csv"
    columns = [
        Column("treaty", lambda row: row.treaty.slug),
        Column("treaty_en", lambda row: row.treaty.short_name_en),
        Column("treaty_ja", lambda row: row.treaty.short_name_ja),
        Column("status", lambda row: row.status.value),
        Column("status_on", lambda row: row.day),
        *_act_columns(),
        Column(
            "required_for_entry_into_force",
            lambda row: row.participation.required_for_entry_into_force,
        ),
        *_provenance_columns(lambda row: row.participation),
    ]


# -- the participations matrix ----------------------------------------------------------


class ParticipationMatrixExport(CsvExport):
    """The participations page's matrix: a row per country, a column per treaty."""

    filename = "participation-matrix.csv"

    def __init__(self, treaties: Sequence[Treaty] = ()) -> None:
        self.columns = [
            Column("iso2", lambda row: str(row["country"])),
            Column("country_en", lambda row: _name_in(row["country"], "en")),
            Column("country_ja", lambda row: _name_in(row["country"], "ja")),
            *[Column(treaty.slug, _cell_of(n)) for n, treaty in enumerate(treaties)],
        ]


def _cell_of(n: int) -> Callable[[dict[str, Any]], str]:
    def status(row: dict[str, Any]) -> str:
        shown = row["cells"][n]
        return shown.value if shown else ""

    return status


def _name_in(code: CountryCode, language: str) -> str:
    return country_name(str(code), language)
