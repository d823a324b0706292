"""Reported figures set beside the records held: "191 parties reported, 53 recorded here".

A figure stated as of a day is compared with the records on that same day, so the gap
between what a source reports and what this database holds is seen for what it is.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterable, Mapping
from typing import TYPE_CHECKING

from django.utils.translation import ngettext_lazy

from .models import Metric, Participation, ReportedFigure, Treaty
from .records import records_held_in, records_held_on
from .status import Record

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# Reported figures that a count of participation records can be set against:
# metric -> (key of ParticipationQuerySet.records_held(), the sentence saying the count).
FIGURE_COMPARISONS: dict[str, tuple[str, _StrPromise]] = {
    Metric.PARTIES: (
        "party",
        ngettext_lazy(
            "%(count)d participation recorded as party here",
            "%(count)d participations recorded as party here",
            "count",
        ),
    ),
    Metric.RATIFICATIONS: (
        "consented_or_party",
        ngettext_lazy(
            "%(count)d participation recorded as ratified (party, or ratified awaiting "
            "entry into force) here",
            "%(count)d participations recorded as ratified (party, or ratified awaiting "
            "entry into force) here",
            "count",
        ),
    ),
    Metric.SIGNATORIES: (
        "signed",
        ngettext_lazy(
            "%(count)d state recorded here as having signed",
            "%(count)d states recorded here as having signed",
            "count",
        ),
    ),
    Metric.PARTICIPANTS: (
        "participating",
        ngettext_lazy(
            "%(count)d participation recorded as participating here",
            "%(count)d participations recorded as participating here",
            "count",
        ),
    ),
    Metric.REQUIRED_RATIFICATIONS: (
        "required_consented",
        ngettext_lazy(
            "%(count)d state required for entry into force recorded as ratified here",
            "%(count)d states required for entry into force recorded as ratified here",
            "count",
        ),
    ),
}


def compare_with_records(
    figure: ReportedFigure,
    records: Mapping[str, int],
    records_on: Mapping[datetime.date, Mapping[str, int]] | None = None,
) -> ReportedFigure:
    """Attach `records_held` (a count or None) and its sentence to a treaty-wide figure.

    A figure stated as of a day is set beside the records on that same day (`records_on`,
    {day: counts}; a month or a year counts at its last day); one without a date beside
    the statuses stored today.
    """
    figure.records_held = None
    figure.records_text = ""
    figure.records_on = None
    comparison = FIGURE_COMPARISONS.get(figure.metric)
    if comparison is None or figure.country_id:
        return figure
    key, sentence = comparison
    if figure.as_of is not None and records_on is not None:
        figure.records_on = figure.as_of.end
        records = records_on[figure.records_on]
    figure.records_held = records[key]
    figure.records_text = sentence % {"count": records[key]}
    return figure


def figures_beside_records(
    treaty: Treaty, held: Collection[Record] | None = None
) -> tuple[list[ReportedFigure], dict[str, int]]:
    """The treaty's figures, each treaty-wide count with the records held on its own date,
    and the records held today. `held`: every participation of the treaty with its acts,
    where the caller has read them already."""
    figures = list(ReportedFigure.objects.for_treaty(treaty).select_related("country", "source"))
    records = (
        Participation.objects.for_treaty(treaty).records_held()
        if held is None
        else records_held_in(held)
    )
    records_on = records_held_on(
        treaty,
        [f.as_of.end for f in figures if f.as_of and f.metric in FIGURE_COMPARISONS],
        held,
    )
    for figure in figures:
        compare_with_records(figure, records, records_on)
    return figures, records


def key_figures_by_treaty(
    figures: Iterable[ReportedFigure],
) -> dict[int | None, list[ReportedFigure]]:
    """{treaty pk: [figure, ...]} keeping the latest figure of each metric and label.

    `figures` must come newest first within a metric, so the first one seen is kept.
    """
    by_treaty: dict[int | None, list[ReportedFigure]] = {}
    seen: set[tuple[int | None, int | None, str, str, str]] = set()
    for figure in figures:
        key = (figure.treaty_id, figure.country_id, figure.metric, figure.label_en, figure.label_ja)
        if key in seen:
            continue
        seen.add(key)
        by_treaty.setdefault(figure.treaty_id, []).append(figure)
    return by_treaty
