"""Tests for frontline.engine.forecasting.workload: the workload known at a cut-off (bounded by the
message's day, measured messages only, censoring corrected or excluded) and the backtest that
trains each origin on what was known then."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from frontline.engine.forecasting import (
    AgentWork,
    SlotSeries,
    WeekdayMean,
    backtest,
    slot_series_from_counts,
    workload,
    workload_estimate,
    workload_training,
)

MONDAY = date(2024, 1, 1)


def weekdays(count: int) -> list[date]:
    days, day = [], MONDAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def volume_of(days: list[date], hours: tuple[int, ...] = (9, 10)) -> SlotSeries:
    stamps = [datetime(d.year, d.month, d.day, h) for d in days for h in hours]
    return slot_series_from_counts(timestamps=stamps, counts=[1.0] * len(stamps), interval_minutes=60)


def work_of(entries: list[tuple[datetime, date, float, float, float]]) -> AgentWork:
    return AgentWork(
        intervals=tuple(e[0] for e in entries), written=tuple(e[1] for e in entries),
        seconds=np.array([e[2] for e in entries]), measured=np.array([e[3] for e in entries]),
        messages=np.array([e[4] for e in entries]),
    )


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour)


def steady(days: list[date], *, first: float, late: float, late_days: int) -> AgentWork:
    """Every slot of every day: ``first`` seconds the same day, ``late`` seconds ``late_days`` later."""
    entries = []
    for d in days:
        for h in (9, 10):
            entries.append((at(d, h), d, first, 1.0, 1.0))
            entries.append((at(d, h), d + timedelta(days=late_days), late, 1.0, 1.0))
    return work_of(entries)


def test_messages_written_on_or_after_the_cutoff_do_not_count() -> None:
    days = weekdays(5)
    volume = volume_of(days)
    work = work_of([(at(days[0], 9), days[0], 100.0, 1.0, 1.0), (at(days[0], 9), days[2], 50.0, 1.0, 1.0)])
    before = workload_estimate(volume=volume, work=work, cutoff=days[2])
    after = workload_estimate(volume=volume, work=work, cutoff=days[3])
    assert (before.series.values[0, 0], after.series.values[0, 0]) == (100.0, 150.0)
    assert bool(np.isnan(before.series.values[2:]).all()) and bool(before.series.excluded[2:].all())


def test_unmeasured_messages_scale_up_the_measured_ones_and_the_share_is_reported() -> None:
    days = weekdays(5)
    work = work_of([
        (at(days[0], 9), days[0], 300.0, 1.0, 2.0),   # one of two measured: 2 x 300
        (at(days[0], 10), days[0], 0.0, 0.0, 1.0),    # none measured: the mean measured message (300)
        (at(days[1], 9), days[1], 100.0, 1.0, 1.0),
    ])
    est = workload_estimate(volume=volume_of(days), work=work, cutoff=days[4])
    assert est.series.values[0].tolist() == [600.0, 200.0]
    assert est.series.values[1].tolist() == [100.0, 0.0]
    assert est.measured_share == pytest.approx(2 / 4)


def test_recent_days_are_corrected_for_the_work_still_to_come() -> None:
    days = weekdays(40)
    work = steady(days, first=100.0, late=50.0, late_days=2)
    cutoff = days[-1] + timedelta(days=1)  # Saturday after the last Friday: Fri age 1, Thu age 2, Wed age 3
    est = workload_estimate(volume=volume_of(days), work=work, cutoff=cutoff)
    assert est.corrected
    # Friday and Thursday have only their same-day 100 s (2/3 of the work) -> 150; Wednesday is whole.
    assert est.series.values[-3:].tolist() == [[150.0, 150.0]] * 3
    assert est.completeness[-3:] == pytest.approx([1.0, 2 / 3, 2 / 3])


def test_days_with_less_than_min_complete_of_their_work_are_left_out() -> None:
    days = weekdays(40)
    work = steady(days, first=50.0, late=100.0, late_days=2)  # a third the same day
    est = workload_estimate(volume=volume_of(days), work=work, cutoff=days[-1] + timedelta(days=1))
    assert est.series.excluded[-2:].tolist() == [True, True]
    assert bool(np.isnan(est.series.values[-2:]).all())
    assert est.series.values[-3].tolist() == [150.0, 150.0]


def test_late_evening_slots_are_corrected_more_than_morning_ones() -> None:
    days = weekdays(40)
    entries = []
    for d in days:
        entries += [(at(d, 9), d, 100.0, 1.0, 1.0)]                         # mornings: done the same day
        entries += [(at(d, 10), d, 50.0, 1.0, 1.0), (at(d, 10), d + timedelta(days=1), 50.0, 1.0, 1.0)]
    est = workload_estimate(volume=volume_of(days), work=work_of(entries), cutoff=days[-1] + timedelta(days=1))
    assert est.series.values[-1].tolist() == [100.0, 100.0]


def test_without_mature_days_nothing_is_corrected() -> None:
    days = weekdays(10)
    work = steady(days, first=100.0, late=50.0, late_days=2)
    est = workload_estimate(volume=volume_of(days), work=work, cutoff=days[-1] + timedelta(days=1))
    assert (est.corrected, est.series.values[-1].tolist()) == (False, [100.0, 100.0])


class Spy:
    """A weekday mean that records the history it was given at each origin."""

    def __init__(self) -> None:
        self.seen: list[np.ndarray] = []

    @property
    def name(self) -> str:
        return "spy"

    def predict(self, *, history: np.ndarray, week_length: int, horizon_days: int) -> np.ndarray:
        self.seen.append(np.array(history))
        return WeekdayMean(weeks=2).predict(history=history, week_length=week_length, horizon_days=horizon_days)


def test_the_backtest_trains_each_origin_on_the_work_known_then() -> None:
    """Late replies: a day's work is 100 s the same day and 1,000 s three days later. At an origin the
    last days' late replies are not written yet: the model must see the corrected estimate made from
    what was known then, never the final value (which holds the future)."""
    days = weekdays(50)
    volume = volume_of(days)
    work = steady(days, first=100.0, late=1000.0, late_days=3)
    final = workload_estimate(volume=volume, work=work, cutoff=days[-1] + timedelta(days=30))  # all written
    spy = Spy()
    backtest(series=final.series, models=(spy,), horizon_days=1, windows=5,
             training=workload_training(volume=volume, work=work))
    origins = range(len(days) - 5, len(days))
    expected = [workload_estimate(volume=volume, work=work, cutoff=days[o]).series.values[:o] for o in origins]
    assert len(spy.seen) == 5
    assert all(np.array_equal(s, e, equal_nan=True) for s, e in zip(spy.seen, expected, strict=True))
    # The day before each origin has only its same-day work (1/11 < 1/2): left out, not 100 s.
    assert all(bool(np.isnan(s[-1]).all()) for s in spy.seen)
    assert final.series.values[-6:].tolist() == [[1100.0, 1100.0]] * 6


def test_backtest_refuses_a_training_callable_of_the_wrong_shape() -> None:
    series = volume_of(weekdays(30))
    with pytest.raises(ValueError, match="training"):
        backtest(series=series, models=(WeekdayMean(weeks=2),), windows=2, training=lambda o: np.zeros((o, 5)))


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda v, w: workload_estimate(volume=v, work=w, cutoff=MONDAY, min_complete=0.0), "min_complete"),
        (lambda v, w: workload_estimate(volume=v, work=w, cutoff=MONDAY, mature_days=1), "mature_days"),
        (lambda v, w: workload_estimate(volume=v, work=w, cutoff="2024-01-01"), "cutoff"),
        (lambda v, w: workload_training(volume=w, work=w), "volume"),
    ],
)
def test_arguments_are_validated(call, match) -> None:  # type: ignore[no-untyped-def]
    days = weekdays(5)
    with pytest.raises(ValueError, match=match):
        call(volume_of(days), work_of([(at(days[0], 9), days[0], 1.0, 1.0, 1.0)]))


def test_agent_work_refuses_inconsistent_entries() -> None:
    with pytest.raises(ValueError, match="measured"):
        work_of([(at(MONDAY, 9), MONDAY, 1.0, 2.0, 1.0)])
    with pytest.raises(ValueError, match="entries"):
        AgentWork(intervals=(at(MONDAY, 9),), written=(), seconds=np.ones(1), measured=np.ones(1), messages=np.ones(1))


def test_measured_share_without_messages_is_nan() -> None:
    assert math.isnan(work_of([]).measured_share)


def test_constants_are_documented_choices() -> None:
    assert (workload.MATURE_DAYS, workload.MIN_COMPLETE, workload.MIN_SLOT_SHARE) == (28, 0.5, 0.2)
