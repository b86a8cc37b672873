"""Periods of the metrics pages (frontline/metrics/periods.py), in a time zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontline.metrics.periods import period_of

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_week_starts_on_monday_and_the_previous_one_is_seven_days_earlier():
    week = period_of("week", date(2026, 12, 6), BERLIN)  # a Sunday
    assert (week.first, week.last) == (date(2026, 11, 30), date(2026, 12, 6))
    assert (week.previous().first, week.previous().last) == (date(2026, 11, 23), date(2026, 11, 29))
    assert week.year_before().first == date(2025, 12, 1)  # 52 weeks earlier: a Monday too


def test_months_and_quarters_roll_over_the_year():
    january = period_of("month", date(2026, 1, 15), BERLIN)
    assert (january.previous().first, january.previous().last) == (date(2025, 12, 1), date(2025, 12, 31))
    q1 = period_of("quarter", date(2026, 2, 1), BERLIN)
    assert (q1.first, q1.last, q1.label()) == (date(2026, 1, 1), date(2026, 3, 31), "Q1 2026")
    assert (q1.previous().first, q1.previous().last) == (date(2025, 10, 1), date(2025, 12, 31))


def test_the_day_the_clocks_go_forward_has_23_hours_in_berlin():
    day = period_of("day", date(2026, 3, 29), BERLIN)
    assert day.end - day.start == timedelta(hours=23)
    assert day.start == datetime(2026, 3, 28, 23, tzinfo=ZoneInfo("UTC"))


def test_an_hour_and_the_hour_before_midnight():
    hour = period_of("hour", date(2026, 3, 2), BERLIN, hour=0)
    assert (hour.previous().first, hour.previous().hour) == (date(2026, 3, 1), 23)
    assert hour.end - hour.start == timedelta(hours=1)


def test_29_february_a_year_earlier_is_28_february():
    assert period_of("day", date(2028, 2, 29), BERLIN).year_before().first == date(2027, 2, 28)


def test_a_custom_range_and_its_errors():
    custom = period_of("custom", date(2026, 3, 1), BERLIN, last=date(2026, 3, 10))
    assert (custom.previous().first, custom.previous().last) == (date(2026, 2, 19), date(2026, 2, 28))
    with pytest.raises(ValueError, match=r"^end: must not be before"):
        period_of("custom", date(2026, 3, 10), BERLIN, last=date(2026, 3, 1))
    with pytest.raises(ValueError, match=r"^end: a custom period is at most"):
        period_of("custom", date(2020, 1, 1), BERLIN, last=date(2026, 1, 1))
    with pytest.raises(ValueError, match=r"^end: a custom period needs"):
        period_of("custom", date(2026, 3, 1), BERLIN)


def test_elapsed_share():
    week = period_of("week", date(2026, 3, 2), ZoneInfo("UTC"))
    assert week.elapsed_share(datetime(2026, 3, 5, 12, tzinfo=ZoneInfo("UTC"))) == 0.5
    assert week.elapsed_share(datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC"))) == 1
