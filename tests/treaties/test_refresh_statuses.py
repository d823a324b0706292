"""Stored statuses stay true as time passes: refreshed by a daily command, each a version."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import CountryFactory, ParticipationFactory, TreatyActionFactory, TreatyFactory
from treaties.models import ParticipationStatus, Treaty
from treaties.services import refresh_statuses, stale_statuses

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def awaiting():
    """A treaty that will enter into force on 22 January 2021, with one ratifier."""
    treaty = TreatyFactory(
        slug="tpnw",
        status=Treaty.Status.NOT_IN_FORCE,
        opened_on=D(2017, 9, 20),
        entered_into_force_on=D(2021, 1, 22),
    )
    at = ParticipationFactory(treaty=treaty, country=CountryFactory(code="AT"))
    TreatyActionFactory(participation=at, action_type="signature", date_on=D(2017, 9, 20))
    TreatyActionFactory(participation=at, action_type="ratification", date_on=D(2018, 5, 8))
    return treaty, at


def stored(obj):
    obj.refresh_from_db()
    return obj.status


def test_moving_past_an_expiry_stores_expired_and_former_party(bilateral):
    treaty, us = bilateral
    refresh_statuses(on=D(2026, 2, 5))
    assert (stored(treaty), stored(us)) == (Treaty.Status.IN_FORCE, ParticipationStatus.PARTY)

    result = refresh_statuses(on=D(2026, 2, 6))
    assert result.changed == 2
    assert stored(treaty) == Treaty.Status.EXPIRED
    assert stored(us) == ParticipationStatus.FORMER_PARTY
    # Stored, derived and the latest version in the history agree.
    assert treaty.derived_status(D(2026, 2, 6)) == treaty.status
    assert us.status_on(D(2026, 2, 6)) == us.status
    latest = us.history.first()
    assert latest.status == ParticipationStatus.FORMER_PARTY
    assert latest.history_change_reason == "status refreshed on 2026-02-06"
    assert treaty.history.first().status == Treaty.Status.EXPIRED
    assert not stale_statuses(on=D(2026, 2, 6)).changed


def test_moving_past_an_entry_into_force_stores_in_force_and_party(awaiting):
    treaty, at = awaiting
    refresh_statuses(on=D(2021, 1, 21))
    assert (stored(treaty), stored(at)) == (Treaty.Status.NOT_IN_FORCE, "consented")

    refresh_statuses(on=D(2021, 1, 22))
    assert (stored(treaty), stored(at)) == (Treaty.Status.IN_FORCE, ParticipationStatus.PARTY)
    assert at.history.first().status == ParticipationStatus.PARTY
    assert treaty.history.first().status == Treaty.Status.IN_FORCE


def test_a_second_run_on_the_same_day_writes_nothing(bilateral):
    treaty, us = bilateral
    refresh_statuses(on=D(2026, 3, 1))
    versions = us.history.count(), treaty.history.count()
    assert refresh_statuses(on=D(2026, 3, 1)).changed == 0
    assert (us.history.count(), treaty.history.count()) == versions


def test_changing_a_treaty_s_dates_refreshes_its_statuses_at_once(awaiting):
    treaty, at = awaiting
    refresh_statuses()  # today, long after 2021: in force, a party
    assert stored(at) == ParticipationStatus.PARTY
    treaty.refresh_from_db()
    treaty.entered_into_force_on = None
    treaty.entered_into_force_precision = ""
    treaty.save()
    assert stored(at) == ParticipationStatus.CONSENTED
    assert at.history.first().status == ParticipationStatus.CONSENTED


def test_the_command_reports_each_change(bilateral):
    refresh_statuses(on=D(2026, 2, 5))  # the day before: in force, a party
    out = StringIO()
    call_command("refresh_statuses", "--on", "2026-02-06", stdout=out)
    text = out.getvalue()
    assert "new-start: in_force → expired" in text
    assert "new-start US: party → former_party" in text
    assert "2 stored statuses changed." in text


def test_a_bad_day_is_refused():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="is not a day"):
        call_command("refresh_statuses", "--on", "2026-02-30")
