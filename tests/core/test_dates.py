"""Partial dates: stored at the precision the source gives, shown and exported at it."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from core.dates import PartialDate, Precision
from tests.factories import TreatyActionFactory, TreatyEventFactory, TreatyFactory


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("1976-06-08", datetime.date(1976, 6, 8), Precision.DAY),
        ("1976-06", datetime.date(1976, 6, 1), Precision.MONTH),
        ("1997", datetime.date(1997, 1, 1), Precision.YEAR),
    ],
)
def test_it_parses_and_exports_each_precision(text, value, precision):
    partial = PartialDate.parse(text)
    assert partial.value == value
    assert partial.precision == precision
    assert partial.iso() == text


@pytest.mark.parametrize(
    "text", ["", "76", "1976-6", "1976-13", "1976-02-30", "June 1976", "1976/06"]
)
def test_it_rejects_text_that_is_not_a_date(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_it_displays_at_the_stated_precision_in_both_languages():
    month = PartialDate.parse("1976-06")
    assert month.display("en") == "June 1976"
    assert month.display("ja") == "1976年6月"
    assert PartialDate.parse("1997").display("en") == "1997"
    assert PartialDate.parse("1997").display("ja") == "1997年"
    assert PartialDate.parse("2021-03-31").display("en") == "31 March 2021"
    assert PartialDate.parse("2021-03-31").display("ja") == "2021年3月31日"


def test_it_never_keeps_a_day_the_precision_does_not_give():
    assert PartialDate(datetime.date(1976, 6, 8), Precision.MONTH).iso() == "1976-06"
    assert PartialDate(datetime.date(1976, 6, 8), Precision.YEAR).value == datetime.date(1976, 1, 1)


def test_period_end_is_the_last_day_the_date_could_mean():
    assert PartialDate.parse("2024-02").end == datetime.date(2024, 2, 29)
    assert PartialDate.parse("1997").end == datetime.date(1997, 12, 31)
    assert PartialDate.parse("1997-07-08").end == datetime.date(1997, 7, 8)


@pytest.mark.django_db
def test_the_database_rejects_a_month_precision_date_that_is_not_the_first():
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyEventFactory(date_on=datetime.date(2021, 2, 16), date_precision="month")


@pytest.mark.django_db
def test_the_database_rejects_a_year_precision_date_that_is_not_the_first_of_january():
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyFactory(adopted_on=datetime.date(1993, 3, 1), adopted_precision="year")


@pytest.mark.django_db
def test_the_database_rejects_an_unknown_precision():
    with pytest.raises(IntegrityError), transaction.atomic():
        TreatyActionFactory(date_precision="week")


@pytest.mark.django_db
def test_model_validation_truncates_a_date_to_its_precision():
    event = TreatyEventFactory.build(
        treaty=TreatyFactory(),
        source=None,
        date_on=datetime.date(2021, 2, 16),
        date_precision="month",
    )
    event.full_clean()
    assert event.date_on == datetime.date(2021, 2, 1)
    assert event.date.iso() == "2021-02"


@pytest.mark.django_db
def test_the_attribute_reads_and_writes_both_columns():
    treaty = TreatyFactory()
    treaty.expires = PartialDate.parse("2026-02-05")
    treaty.save()
    treaty.refresh_from_db()
    assert (treaty.expires_on, treaty.expires_precision) == (datetime.date(2026, 2, 5), "day")
    treaty.expires = None
    treaty.save()
    treaty.refresh_from_db()
    assert treaty.expires is None and treaty.expires_precision == ""
