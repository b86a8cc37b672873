"""Interval counts -> a days x slots grid with fixed opening hours and a business-day calendar.

Assumptions:

* Counts come at one fixed interval (``interval_minutes`` divides 1440) and every timestamp is
  aligned to it (``07:30`` at 30 minutes, not ``07:10``).  Timestamps are local wall-clock
  times; an aware datetime is read in its own time zone.
* Opening hours are the same every open day: the slots run from ``opening`` (default: the
  earliest time of day in the data) to ``closing`` (exclusive; default: one interval after the
  latest).  Rows outside those hours are dropped; a slot of an open day with no row counts 0
  (closed hours may be missing or zero).
* The week has ``week_length`` open weekdays = the number of distinct weekdays in the data
  (5 for Monday-Friday).  Every calendar date between the first and the last date whose weekday
  is open gets a row, so "same slot, previous week" is ``week_length`` rows back.  A date of an
  open weekday with no rows at all (a holiday absent from the export) is a *closed* day.
* ``closed_dates``: days the centre was shut (forecast 0, never training data, never scored).
  ``excluded_dates``: holidays or special days that were open but are not representative
  (never training data, never scored).  Both become NaN rows in :attr:`SlotSeries.values`;
  models skip NaN days when they look back for the same weekday.

>>> from datetime import datetime, timedelta
>>> start = datetime(2024, 1, 1, 9)          # a Monday
>>> stamps = [start + timedelta(days=d, hours=h) for d in range(14) for h in range(3)
...           if (start + timedelta(days=d)).weekday() < 5]
>>> s = slot_series_from_counts(timestamps=stamps, counts=[10.0] * len(stamps), interval_minutes=60)
>>> s.values.shape, s.week_length, s.slot_starts[0].isoformat()
((10, 3), 5, '09:00:00')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from numpy.typing import NDArray

__all__ = ["SlotSeries", "slot_series_from_counts"]

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class SlotSeries:
    """A series on a fixed day x slot grid.

    ``values[d, s]`` is the count of ``dates[d]`` at ``slot_starts[s]``; a row is NaN where the
    day is closed or excluded (``usable[d]`` is False).  ``closed[d]`` marks closed days and
    ``excluded[d]`` excluded (special) days.
    """

    dates: tuple[date, ...]
    slot_starts: tuple[time, ...]
    interval_minutes: int
    week_length: int
    values: FloatArray
    closed: BoolArray
    excluded: BoolArray

    @property
    def usable(self) -> BoolArray:
        """Days that are training data and may be scored."""
        return ~(self.closed | self.excluded)

    @property
    def open_weekdays(self) -> tuple[int, ...]:
        """The weekdays (Monday = 0) that have rows in the grid."""
        return tuple(sorted({d.weekday() for d in self.dates}))

    def next_dates(self, *, count: int) -> tuple[date, ...]:
        """The ``count`` open-weekday dates after the last date of the grid."""
        if count < 1:
            raise ValueError(f"count must be >= 1, got {count}")
        weekdays = set(self.open_weekdays)
        out: list[date] = []
        day = self.dates[-1]
        while len(out) < count:
            day += timedelta(days=1)
            if day.weekday() in weekdays:
                out.append(day)
        return tuple(out)

    def truncated(self, *, days: int) -> SlotSeries:
        """The first ``days`` days of the grid (the history before an origin)."""
        if not 1 <= days <= len(self.dates):
            raise ValueError(f"days must be in [1, {len(self.dates)}], got {days}")
        return SlotSeries(
            dates=self.dates[:days],
            slot_starts=self.slot_starts,
            interval_minutes=self.interval_minutes,
            week_length=self.week_length,
            values=self.values[:days],
            closed=self.closed[:days],
            excluded=self.excluded[:days],
        )


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def slot_series_from_counts(
    *,
    timestamps: Sequence[datetime],
    counts: Sequence[float] | FloatArray,
    interval_minutes: int,
    opening: time | None = None,
    closing: time | None = None,
    closed_dates: Iterable[date] = (),
    excluded_dates: Iterable[date] = (),
) -> SlotSeries:
    """Build a :class:`SlotSeries` from (timestamp, count) pairs; see the module docstring."""
    if (
        isinstance(interval_minutes, bool)
        or not isinstance(interval_minutes, int)
        or interval_minutes < 1
        or 1440 % interval_minutes
    ):
        raise ValueError(
            f"interval_minutes must be a positive whole divisor of 1440, got {interval_minutes!r}"
        )
    stamps = list(timestamps)
    values = np.asarray(counts, dtype=float)
    if values.ndim != 1 or len(values) != len(stamps):
        raise ValueError(
            f"counts must be one number per timestamp ({len(stamps)}), got shape {values.shape}"
        )
    if not stamps:
        raise ValueError("timestamps must not be empty")
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError("counts must be finite and >= 0")
    for ts in stamps:
        if not isinstance(ts, datetime):
            raise ValueError(f"timestamps must be datetimes, got {type(ts).__name__}")
        if ts.second or ts.microsecond or _minutes(ts.time()) % interval_minutes:
            raise ValueError(
                f"timestamps must be aligned to {interval_minutes}-minute slots, got {ts.isoformat()}"
            )
    if len(set(stamps)) != len(stamps):
        raise ValueError("timestamps must not repeat")
    open_min = (
        _minutes(opening) if opening is not None else min(_minutes(ts.time()) for ts in stamps)
    )
    close_min = (
        _minutes(closing)
        if closing is not None
        else max(_minutes(ts.time()) for ts in stamps) + interval_minutes
    )
    if closing is not None and closing == time(0):
        close_min = 1440
    if open_min % interval_minutes or close_min % interval_minutes:
        raise ValueError("opening and closing must be aligned to the interval")
    if close_min <= open_min:
        raise ValueError(f"closing must be after opening, got {opening} and {closing}")
    keep = [i for i, ts in enumerate(stamps) if open_min <= _minutes(ts.time()) < close_min]
    if not keep:
        raise ValueError("timestamps: no row falls inside the opening hours")
    grid_step = math.gcd(*{_minutes(stamps[i].time()) - open_min for i in keep})
    if grid_step > interval_minutes:
        raise ValueError(
            f"interval_minutes is {interval_minutes} but every timestamp lies on a "
            f"{grid_step}-minute grid: the data looks coarser"
        )
    n_slots = (close_min - open_min) // interval_minutes
    days_with_rows = sorted({stamps[i].date() for i in keep})
    weekdays = {d.weekday() for d in days_with_rows}
    grid: list[date] = []
    day = days_with_rows[0]
    while day <= days_with_rows[-1]:
        if day.weekday() in weekdays:
            grid.append(day)
        day += timedelta(days=1)
    row_of = {d: r for r, d in enumerate(grid)}
    matrix = np.zeros((len(grid), n_slots))
    for i in keep:
        ts = stamps[i]
        matrix[row_of[ts.date()], (_minutes(ts.time()) - open_min) // interval_minutes] = values[i]
    present = set(days_with_rows)
    closed_set = set(closed_dates)
    closed = np.array([d not in present or d in closed_set for d in grid], dtype=bool)
    excluded_set = set(excluded_dates)
    excluded = np.array([d in excluded_set for d in grid], dtype=bool)
    matrix[closed | excluded] = np.nan
    if not np.any(~(closed | excluded)):
        raise ValueError("excluded_dates/closed_dates leave no usable day")
    return SlotSeries(
        dates=tuple(grid),
        slot_starts=tuple(
            time((open_min + s * interval_minutes) // 60, (open_min + s * interval_minutes) % 60)
            for s in range(n_slots)
        ),
        interval_minutes=interval_minutes,
        week_length=len(weekdays),
        values=matrix,
        closed=closed,
        excluded=excluded,
    )
