"""A participation's status follows from its dated actions, on any day."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    CountryFactory,
    ParticipationFactory,
    TreatyActionFactory,
    TreatyFactory,
)
from treaties.models import ActionType, Participation, ParticipationStatus, Treaty
from treaties.records import statuses_on

pytestmark = pytest.mark.django_db
D = datetime.date


def act(participation, action_type, on, precision="day", **kwargs):
    return TreatyActionFactory(
        participation=participation,
        action_type=action_type,
        date_on=on,
        date_precision=precision,
        **kwargs,
    )


@pytest.fixture
def npt():
    return TreatyFactory(slug="npt", entered_into_force_on=D(1970, 3, 5))


@pytest.fixture
def ctbt():
    return TreatyFactory(
        slug="ctbt",
        status=Treaty.Status.NOT_IN_FORCE,
        adopted_on=D(1996, 9, 10),
        opened_on=D(1996, 9, 24),
        entered_into_force_on=None,
        entered_into_force_precision="",
    )


def test_a_month_precision_ratification_counts_only_once_its_month_is_over(npt):
    japan = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    act(japan, ActionType.SIGNATURE, D(1970, 2, 3))
    act(japan, ActionType.RATIFICATION, D(1976, 6, 1), "month")
    assert japan.status_on(D(1970, 2, 2)) == ParticipationStatus.NOT_SIGNED
    assert japan.status_on(D(1976, 6, 15)) == ParticipationStatus.SIGNATORY
    assert japan.status_on(D(1976, 7, 1)) == ParticipationStatus.PARTY
    japan.refresh_from_db()
    assert japan.status == ParticipationStatus.PARTY


def test_a_ratification_before_entry_into_force_is_consent_not_party(npt, ctbt):
    us = ParticipationFactory(treaty=npt, country=CountryFactory(code="US"))
    act(us, ActionType.SIGNATURE, D(1968, 7, 1))
    act(us, ActionType.RATIFICATION, D(1970, 3, 5))
    assert us.status_on(D(1970, 3, 4)) == ParticipationStatus.SIGNATORY
    assert us.status_on(D(1970, 3, 5)) == ParticipationStatus.PARTY

    japan = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="JP"))
    act(japan, ActionType.SIGNATURE, D(1996, 9, 24))
    act(japan, ActionType.RATIFICATION, D(1997, 1, 1), "year")
    japan.refresh_from_db()
    assert japan.status == ParticipationStatus.CONSENTED


def test_revoking_a_ratification_leaves_a_signatory_not_a_withdrawn_state(ctbt):
    russia = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="RU"))
    act(russia, ActionType.SIGNATURE, D(1996, 9, 24))
    act(russia, ActionType.RATIFICATION, D(2000, 6, 30))
    act(russia, ActionType.REVOCATION, D(2023, 11, 2))
    assert russia.status_on(D(2021, 3, 31)) == ParticipationStatus.CONSENTED
    russia.refresh_from_db()
    assert russia.status == ParticipationStatus.SIGNATORY


def test_a_withdrawal_counts_from_the_day_it_takes_effect(npt):
    state = ParticipationFactory(treaty=npt, country=CountryFactory(code="KP"))
    act(state, ActionType.ACCESSION, D(1985, 12, 12))
    act(state, ActionType.WITHDRAWAL, D(2003, 1, 10), effective_on=D(2003, 4, 10))
    assert state.status_on(D(2003, 2, 1)) == ParticipationStatus.PARTY
    assert state.status_on(D(2003, 4, 10)) == ParticipationStatus.WITHDRAWN


def test_joining_a_regime_makes_a_participating_government():
    nsg = TreatyFactory(
        slug="nsg",
        kind=Treaty.Kind.REGIME,
        status=Treaty.Status.OPERATING,
        adopted_on=None,
        adopted_precision="",
        opened_on=None,
        opened_precision="",
        entered_into_force_on=None,
        entered_into_force_precision="",
    )
    japan = ParticipationFactory(treaty=nsg, country=CountryFactory(code="JP"))
    act(japan, ActionType.ADMISSION, D(1975, 1, 1), "year")
    japan.refresh_from_db()
    assert japan.status == ParticipationStatus.PARTICIPATING


def test_a_suspension_shows_as_suspended(npt):
    state = ParticipationFactory(treaty=npt, country=CountryFactory(code="RU"))
    act(state, ActionType.SIGNATURE, D(1968, 7, 1))
    act(state, ActionType.RATIFICATION, D(1970, 3, 5))
    act(state, ActionType.SUSPENSION, D(2023, 2, 1), "month")
    state.refresh_from_db()
    assert state.status == ParticipationStatus.SUSPENDED


def test_deleting_an_action_recomputes_the_stored_status(npt):
    japan = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    act(japan, ActionType.SIGNATURE, D(1970, 2, 3))
    ratification = act(japan, ActionType.RATIFICATION, D(1976, 6, 8))
    ratification.delete()
    japan.refresh_from_db()
    assert japan.status == ParticipationStatus.SIGNATORY


def test_statuses_on_a_day_for_a_whole_treaty_take_two_queries(npt, django_assert_num_queries):
    for n, code in enumerate(["JP", "US", "GB", "FR", "CN"]):
        p = ParticipationFactory(treaty=npt, country=CountryFactory(code=code))
        act(p, ActionType.ACCESSION, D(1971 + n, 1, 1))
    with django_assert_num_queries(2):
        result = statuses_on(npt, D(1973, 6, 1))
    by_code = {
        str(p.country.code): result[p.pk] for p in Participation.objects.select_related("country")
    }
    assert by_code == {
        "JP": "party",
        "US": "party",
        "GB": "party",
        "FR": "not_signed",
        "CN": "not_signed",
    }


class TestSequenceValidation:
    def test_it_rejects_a_ratification_without_a_signature(self, npt):
        japan = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
        action = TreatyActionFactory.build(
            participation=japan,
            action_type=ActionType.RATIFICATION,
            date_on=D(1976, 6, 8),
            source=None,
        )
        with pytest.raises(ValidationError, match="no earlier signature"):
            action.full_clean()

    def test_it_rejects_a_withdrawal_before_consent(self, npt):
        japan = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
        act(japan, ActionType.SIGNATURE, D(1970, 2, 3))
        action = TreatyActionFactory.build(
            participation=japan,
            action_type=ActionType.WITHDRAWAL,
            date_on=D(1971, 1, 1),
            source=None,
        )
        with pytest.raises(ValidationError, match="before any consent"):
            action.full_clean()

    def test_it_rejects_a_revocation_without_a_ratification(self, ctbt):
        state = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="RU"))
        act(state, ActionType.SIGNATURE, D(1996, 9, 24))
        action = TreatyActionFactory.build(
            participation=state,
            action_type=ActionType.REVOCATION,
            date_on=D(2023, 11, 2),
            source=None,
        )
        with pytest.raises(ValidationError, match="no earlier ratification"):
            action.full_clean()

    def test_it_rejects_an_action_before_the_treaty_opened(self, ctbt):
        state = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="US"))
        action = TreatyActionFactory.build(
            participation=state,
            action_type=ActionType.SIGNATURE,
            date_on=D(1995, 1, 1),
            source=None,
        )
        with pytest.raises(ValidationError, match="before the treaty opened"):
            action.full_clean()

    def test_a_year_precision_ratification_may_follow_a_signature_in_the_same_year(self, ctbt):
        state = ParticipationFactory(treaty=ctbt, country=CountryFactory(code="JP"))
        act(state, ActionType.SIGNATURE, D(1997, 3, 5))
        action = TreatyActionFactory.build(
            participation=state,
            action_type=ActionType.RATIFICATION,
            date_on=D(1997, 1, 1),
            date_precision="year",
            source=None,
        )
        action.full_clean()


def test_the_database_keeps_one_participation_per_treaty_and_country(npt):
    japan = CountryFactory(code="JP")
    ParticipationFactory(treaty=npt, country=japan)
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(treaty=npt, country=japan)


def test_the_database_rejects_an_effective_date_before_the_action(npt):
    p = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    with pytest.raises(IntegrityError), transaction.atomic():
        act(p, ActionType.SIGNATURE, D(1970, 2, 3), effective_on=D(1970, 1, 1))


def test_the_database_rejects_an_unknown_action_type(npt):
    p = ParticipationFactory(treaty=npt, country=CountryFactory(code="JP"))
    with pytest.raises(IntegrityError), transaction.atomic():
        act(p, "annexation", D(1970, 2, 3))


def test_a_treaty_past_its_expiry_shows_as_expired_and_needs_review():
    treaty = TreatyFactory(
        slug="new-start",
        kind=Treaty.Kind.BILATERAL,
        entered_into_force_on=D(2011, 2, 5),
        expires_on=D(2026, 2, 5),
        expires_precision="day",
    )
    assert treaty.effective_status(D(2026, 2, 5)) == Treaty.Status.IN_FORCE
    assert treaty.effective_status(D(2026, 2, 6)) == Treaty.Status.EXPIRED
    assert not treaty.in_force_on(D(2026, 2, 6))
    assert list(Treaty.objects.expired_but_not_marked(D(2026, 2, 6))) == [treaty]
    assert list(Treaty.objects.in_force(D(2026, 2, 6))) == []


def test_parties_to_a_treaty_past_its_expiry_become_former_parties():
    treaty = TreatyFactory(
        slug="new-start",
        kind=Treaty.Kind.BILATERAL,
        adopted_on=D(2010, 4, 8),
        opened_on=D(2010, 4, 8),
        entered_into_force_on=D(2011, 2, 5),
        expires_on=D(2026, 2, 5),
        expires_precision="day",
    )
    us = ParticipationFactory(treaty=treaty, country=CountryFactory(code="US"))
    act(us, ActionType.SIGNATURE, D(2010, 4, 8))
    act(us, ActionType.RATIFICATION, D(2011, 2, 5))
    russia = ParticipationFactory(treaty=treaty, country=CountryFactory(code="RU"))
    act(russia, ActionType.SIGNATURE, D(2010, 4, 8))
    act(russia, ActionType.RATIFICATION, D(2011, 2, 5))
    act(russia, ActionType.SUSPENSION, D(2023, 2, 1), "month")
    assert us.status_on(D(2026, 2, 5)) == ParticipationStatus.PARTY
    assert russia.status_on(D(2026, 2, 5)) == ParticipationStatus.SUSPENDED
    assert us.status_on(D(2026, 2, 6)) == ParticipationStatus.FORMER_PARTY
    assert russia.status_on(D(2026, 2, 6)) == ParticipationStatus.FORMER_PARTY


def test_a_figure_is_stale_once_the_whole_of_its_as_of_period_is_three_years_old():
    from tests.factories import ReportedFigureFactory
    from treaties.models import ReportedFigure

    on = D(2026, 11, 23)
    day_old = ReportedFigureFactory(as_of_on=D(2023, 11, 22), as_of_precision="day")
    day_recent = ReportedFigureFactory(as_of_on=D(2023, 11, 23), as_of_precision="day")
    month_old = ReportedFigureFactory(as_of_on=D(2023, 10, 1), as_of_precision="month")
    month_recent = ReportedFigureFactory(as_of_on=D(2023, 11, 1), as_of_precision="month")
    year_old = ReportedFigureFactory(as_of_on=D(2022, 1, 1), as_of_precision="year")
    year_recent = ReportedFigureFactory(as_of_on=D(2023, 1, 1), as_of_precision="year")
    stale = set(ReportedFigure.objects.stale(on=on))
    assert stale == {day_old, month_old, year_old}
    assert not stale & {day_recent, month_recent, year_recent}
