"""The counts over time, kept running from day to day, are those of each day counted afresh."""

import datetime

import pytest

from treaties.models import Participation, Treaty, TreatyAction
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
    from treaties.pictures import treaty_records
    from treaties.records import records_held_in, records_held_on

    checked = 0
    for treaty in Treaty.objects.all():
        held = treaty_records(treaty, provenance=False)
        assert records_held_in(held) == Participation.objects.for_treaty(treaty).records_held()
        days = [datetime.date(1975, 6, 30), datetime.date(2000, 1, 1), datetime.date(2021, 3, 31)]
        assert records_held_on(treaty, days, held) == records_held_on(treaty, days)
        checked += bool(held)
    assert checked >= 5
