"""Arrival seasonality and working-time arithmetic of the demo (no database)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontline.demo.timing import Shift, arrivals, poisson

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 1, 5, tzinfo=UTC)  # a Monday, winter time (London = UTC)


def test_poisson_has_the_requested_mean() -> None:
    rng = random.Random(1)
    small = [poisson(rng, 3.5) for _ in range(20_000)]
    large = [poisson(rng, 80) for _ in range(5_000)]

    assert sum(small) / len(small) == pytest.approx(3.5, rel=0.03)
    assert sum(large) / len(large) == pytest.approx(80, rel=0.02)


def test_poisson_rejects_a_negative_rate() -> None:
    with pytest.raises(ValueError, match="lam"):
        poisson(random.Random(1), -1)


def test_arrivals_peak_in_office_hours_and_on_weekdays() -> None:
    times = arrivals(random.Random(2), start=START, end=START + timedelta(days=28), daily_mean=300, tz=LONDON)
    hours = Counter(t.astimezone(LONDON).hour for t in times)
    days = Counter(t.astimezone(LONDON).weekday() for t in times)

    assert len(times) == pytest.approx(28 * 300, rel=0.05)
    assert hours[10] > 10 * hours[3] and hours[14] > 10 * hours[3]
    assert hours[10] > hours[12] < hours[14]
    assert min(days[d] for d in range(5)) > 2 * max(days[5], days[6])
    assert times == sorted(times) and all(START <= t < START + timedelta(days=28) for t in times)


def test_arrivals_grow_with_the_trend() -> None:
    times = arrivals(random.Random(3), start=START, end=START + timedelta(days=56), daily_mean=300, tz=LONDON, growth=0.3)
    half = START + timedelta(days=28)

    assert sum(t >= half for t in times) > 1.1 * sum(t < half for t in times)


def test_shift_moves_work_outside_hours_to_the_next_shift_start() -> None:
    shift = Shift(tz=LONDON, start_hour=9, hours=8, weekdays=frozenset(range(5)))
    friday_evening = datetime(2026, 1, 9, 18, tzinfo=UTC)

    assert shift.next_working(friday_evening) == datetime(2026, 1, 12, 9, tzinfo=UTC)
    assert shift.next_working(datetime(2026, 1, 12, 11, tzinfo=UTC)) == datetime(2026, 1, 12, 11, tzinfo=UTC)


def test_shift_adds_working_minutes_across_nights_weekends_and_days_off() -> None:
    shift = Shift(tz=LONDON, start_hour=9, hours=8, weekdays=frozenset(range(5)),
                  days_off=frozenset({datetime(2026, 1, 12).date()}))
    friday_afternoon = datetime(2026, 1, 9, 16, tzinfo=UTC)

    assert shift.add(friday_afternoon, 30) == datetime(2026, 1, 9, 16, 30, tzinfo=UTC)
    assert shift.add(friday_afternoon, 90) == datetime(2026, 1, 13, 9, 30, tzinfo=UTC)
