"""The counts over time, kept running from day to day, are those of each day counted afresh."""

import datetime

import pytest

from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction
from treaties.records import acts_by_participation, counts_on_days
from treaties.status import derive_status, no_counts, tally

pytestmark = pytest.mark.django_db


def counted_afresh(treaty, participations, acts, day):
    counts = no_counts()
    for participation in participations:
        mine = acts.get(participation.pk, [])
        signed = any(a.action_type == "signature" and a.takes_effect <= day for a in mine)
        status = derive_status(treaty, mine, day)
        tally(counts, status, participation.required_for_entry_into_force, signed)
    return counts


def test_every_treaty_on_every_day_an_act_or_the_treaty_changes_something(seeded):
    compared = 0
    for treaty in Treaty.objects.all():
        participations = list(Participation.objects.for_treaty(treaty))
        acts = acts_by_participation(TreatyAction.objects.for_treaty(treaty))
        turning = [a.takes_effect for actions in acts.values() for a in actions]
        turning += [d.start for d in (treaty.entered_into_force, treaty.expires) if d]
        one_day = datetime.timedelta(days=1)
        days = sorted({d + shift for d in turning for shift in (-one_day, 0 * one_day, one_day)})
        days += [datetime.date(year, 12, 31) for year in range(1960, 2031)]
        running = counts_on_days(treaty, participations, acts, days)
        for day in days:
            assert running[day] == counted_afresh(treaty, participations, acts, day), (
                treaty.slug,
                day,
            )
            compared += 1
    # The seed holds treaties in force, expired and suspended, with withdrawals among them.
    assert compared > 1000


def test_days_in_any_order_and_repeated_give_the_same_counts(seeded):
    treaty = Treaty.objects.get(slug="npt")
    participations = list(Participation.objects.for_treaty(treaty))
    acts = acts_by_participation(TreatyAction.objects.for_treaty(treaty))
    days = [datetime.date(2010, 1, 1), datetime.date(1970, 3, 5), datetime.date(2003, 1, 10)]
    forwards = counts_on_days(treaty, participations, acts, sorted(days))
    shuffled = counts_on_days(treaty, participations, acts, [*days, days[0]])
    assert forwards == shuffled
    assert forwards[datetime.date(1970, 3, 5)]["party"] > 0


def test_records_counted_from_the_records_in_hand_are_those_the_query_counts(seeded):
    from treaties.pictures import held_records, treaty_records
    from treaties.records import records_held_in, records_held_on

    checked = 0
    days = [datetime.date(1975, 6, 30), datetime.date(2000, 1, 1), datetime.date(2021, 3, 31)]
    for treaty in Treaty.objects.all():
        counted = Participation.objects.for_treaty(treaty).records_held()
        on_days = records_held_on(treaty, days)
        # The page's plain rows and the models give the counts the queries give.
        for held in (held_records(treaty), treaty_records(treaty)):
            assert records_held_in(held) == counted
            assert records_held_on(treaty, days, held) == on_days
        checked += bool(counted["total"])
    assert checked >= 5


def test_the_plain_rows_a_page_draws_from_are_the_records(seeded):
    """Every seed treaty's map and counts over time, drawn from the plain rows the treaty
    page reads, are those drawn from the model instances, act for act."""
    from treaties.pictures import counts_over_time, held_records, status_map, treaty_records

    def drawn(rows):
        return [
            (
                row.country.code_text,
                row.country.name,
                row.country.get_absolute_url(),
                row.status,
                row.act.pk if row.act else None,
                row.act.takes_effect if row.act else None,
                row.on_map,
            )
            for row in rows
        ]

    checked = charted = 0
    for treaty in Treaty.objects.all():
        held, records = held_records(treaty), treaty_records(treaty)
        assert [(r.pk, r.status, r.required_for_entry_into_force) for r in held] == [
            (r.pk, r.status, r.required_for_entry_into_force) for r in records
        ]
        for plain, model in zip(held, records, strict=True):
            assert [
                (a.pk, a.action_type, a.date_on, a.takes_effect) for a in plain.actions.all()
            ] == [(a.pk, a.action_type, a.date_on, a.takes_effect) for a in model.actions.all()]
        for day in (
            datetime.date(1980, 1, 1),
            datetime.date(2021, 1, 22),
            datetime.date(2026, 6, 30),
        ):
            assert drawn(status_map(treaty, day, held).rows) == drawn(status_map(treaty, day).rows)
        on = datetime.date(2026, 6, 30)
        read = counts_over_time(treaty, on=on)
        # The figures the page has read already (every one of the treaty's) give the same.
        every_figure = list(ReportedFigure.objects.for_treaty(treaty).select_related("source"))
        in_hand = counts_over_time(treaty, held, on=on, figures=every_figure)
        assert (in_hand.years, in_hand.figures) == (read.years, read.figures)
        checked += sum(len(r.actions.all()) for r in held)
        charted += len(read.figures)
    assert checked > 100
    assert charted >= 3
