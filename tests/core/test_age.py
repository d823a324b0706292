"""How old a fact is: the `age` and `ago` template filters, at the date's precision, in
both languages."""

import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import PartialDate
from core.templatetags import tracker

D = datetime.date

TODAY = D(2026, 11, 23)


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(tracker, "today", lambda: TODAY)
    return TODAY


def render_age(value, language="en"):
    with translation.override(language):
        return Template("{% load tracker %}{{ value|age }}").render(Context({"value": value}))


@pytest.mark.parametrize(
    ("value", "english", "japanese"),
    [
        (
            PartialDate(D(2021, 3, 31)),
            "as of 31 March 2021, 5 years ago",
            "2021年3月31日時点（5年前）",
        ),
        (
            PartialDate(D(2021, 3, 1), "month"),
            "as of March 2021, 5 years ago",
            "2021年3月時点（5年前）",
        ),
        # A year counts from its last day: "2021" may mean 31 December 2021.
        (PartialDate(D(2021, 1, 1), "year"), "as of 2021, 4 years ago", "2021年時点（4年前）"),
        (
            PartialDate(D(2025, 11, 23)),
            "as of 23 November 2025, 1 year ago",
            "2025年11月23日時点（1年前）",
        ),
        (
            PartialDate(D(2024, 11, 24)),
            "as of 24 November 2024, 1 year ago",
            "2024年11月24日時点（1年前）",
        ),
        (
            PartialDate(D(2024, 11, 23)),
            "as of 23 November 2024, 2 years ago",
            "2024年11月23日時点（2年前）",
        ),
        (
            PartialDate(D(2025, 11, 24)),
            "as of 24 November 2025, less than a year ago",
            "2025年11月24日時点（1年以内）",
        ),
        # November 2025 may mean its 30th, less than a year before 23 November 2026.
        (
            PartialDate(D(2025, 11, 1), "month"),
            "as of November 2025, less than a year ago",
            "2025年11月時点（1年以内）",
        ),
        (PartialDate(D(2026, 1, 5)), "as of 5 January 2026, this year", "2026年1月5日時点（今年）"),
        (PartialDate(D(2026, 1, 1), "year"), "as of 2026, this year", "2026年時点（今年）"),
        (
            PartialDate(D(2026, 11, 23)),
            "as of 23 November 2026, this year",
            "2026年11月23日時点（今年）",
        ),
        # A date still to come has no age.
        (PartialDate(D(2027, 1, 1)), "as of 1 January 2027", "2027年1月1日時点"),
        # A plain date counts as known to the day.
        (D(2021, 3, 31), "as of 31 March 2021, 5 years ago", "2021年3月31日時点（5年前）"),
        (None, "", ""),
        ("", "", ""),
    ],
)
def test_age_states_the_date_at_its_precision_and_how_long_ago(
    fixed_today, value, english, japanese
):
    assert render_age(value, "en") == english
    assert render_age(value, "ja") == japanese


def test_ago_gives_the_age_alone(fixed_today):
    with translation.override("en"):
        out = Template("{% load tracker %}{{ a|ago }} / {{ b|ago }}").render(
            Context({"a": PartialDate(D(2021, 3, 31)), "b": PartialDate(D(2025, 11, 23))})
        )
    assert out == "5 years ago / 1 year ago"


def test_age_counts_full_years_across_a_leap_day():
    assert tracker.age_text(PartialDate(D(2024, 2, 29)), on=D(2025, 2, 28)) == (
        "less than a year ago"
    )
    assert tracker.age_text(PartialDate(D(2024, 2, 29)), on=D(2025, 3, 1)) == "1 year ago"
