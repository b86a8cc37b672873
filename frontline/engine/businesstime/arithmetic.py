"""Business-time arithmetic: due times, business minutes between instants, batches of clocks.

Instants are timezone-aware ``datetime`` values (any offset; results are in UTC) handled at
microsecond resolution.  A target in business minutes is rounded to the microsecond.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .calendar import BusinessCalendar, Pause
from .timeline import US, OutOfRange, advance, measure, snapshot

MAX_MINUTES = 10_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_US_PER_MINUTE = 60 * US


def business_due(
    *,
    start: datetime,
    minutes: float,
    calendar: BusinessCalendar,
    pauses: Iterable[Pause] = (),
) -> datetime:
    """The instant (UTC) at which ``minutes`` business minutes have run from ``start``.

    The clock runs only in the calendar's open time and outside ``pauses``.  It is the
    earliest instant at which the running total reaches the target, so a target that ends
    exactly at a closing time (or at the start of a pause) is due then, not at the next
    opening.  A start in closed time (or inside a pause) starts the clock at the next
    opening.  ``minutes`` must be in (0, 10,000,000].

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> from frontline.engine.businesstime import BusinessCalendar, WorkingInterval
    >>> cal = BusinessCalendar(tz="Europe/Berlin", intervals=tuple(
    ...     WorkingInterval(weekday=d, start=9 * 60, end=17 * 60) for d in range(5)))
    >>> friday_4pm = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    >>> business_due(start=friday_4pm, minutes=120, calendar=cal).isoformat()
    '2026-12-07T09:00:00+00:00'
    >>> business_due(start=friday_4pm, minutes=60, calendar=cal).isoformat()
    '2026-12-04T16:00:00+00:00'
    """
    calendar = _calendar(calendar)
    at = _instant("start", start)
    remaining = _target(minutes)
    current = at
    try:
        for pause_start, pause_end in _pauses(pauses, after=at):
            if pause_start > current:
                available = measure(calendar, current, pause_start)
                if available >= remaining:
                    return _datetime(advance(calendar, current, remaining))
                remaining -= available
            current = max(current, pause_end)
        return _datetime(advance(calendar, current, remaining))
    except OutOfRange:
        raise ValueError(
            "minutes: the due time would fall after the year 9998; give a smaller target"
        ) from None


def business_minutes_between(
    *,
    start: datetime,
    end: datetime,
    calendar: BusinessCalendar,
    pauses: Iterable[Pause] = (),
) -> float:
    """Business minutes (a float, microsecond resolution) in ``[start, end)``, not counting
    closed time or ``pauses``.  ``end`` must not be before ``start``.

    >>> from datetime import UTC, datetime
    >>> from frontline.engine.businesstime import BusinessCalendar, WorkingInterval
    >>> cal = BusinessCalendar(tz="Europe/Berlin", intervals=tuple(
    ...     WorkingInterval(weekday=d, start=9 * 60, end=17 * 60) for d in range(5)))
    >>> business_minutes_between(start=datetime(2026, 12, 4, 15, tzinfo=UTC),
    ...                          end=datetime(2026, 12, 7, 9, 30, tzinfo=UTC), calendar=cal)
    150.0
    """
    calendar = _calendar(calendar)
    low, high = _instant("start", start), _instant("end", end)
    if high < low:
        raise ValueError(f"end ({end.isoformat()}) must not be before start ({start.isoformat()})")
    try:
        total = measure(calendar, low, high)
        for pause_start, pause_end in _pauses(pauses, after=low):
            if pause_start >= high:
                break
            total -= measure(calendar, max(pause_start, low), min(pause_end, high))
    except OutOfRange as error:
        raise ValueError(f"start/end: {error}") from None
    return total / _US_PER_MINUTE


def is_open(*, at: datetime, calendar: BusinessCalendar) -> bool:
    """True when the business clock runs at the instant ``at`` (open intervals are half-open).

    >>> from datetime import UTC, date, datetime
    >>> from frontline.engine.businesstime import BusinessCalendar
    >>> cal = BusinessCalendar.always_open(tz="UTC", holidays=[date(2026, 12, 25)])
    >>> is_open(at=datetime(2026, 12, 25, 12, tzinfo=UTC), calendar=cal)
    False
    """
    calendar = _calendar(calendar)
    instant = _instant("at", at)
    try:
        return measure(calendar, instant, instant + 1) == 1
    except OutOfRange as error:
        raise ValueError(f"at: {error}") from None


def business_due_many(
    *,
    starts: ArrayLike,
    minutes: ArrayLike,
    calendar: BusinessCalendar,
) -> NDArray[np.datetime64]:
    """Due times of many clocks at once: ``datetime64[us]`` (UTC) for each start and target.

    ``starts`` are UTC instants as ``datetime64`` (any unit; no NaT); ``minutes`` a number or
    one per start, each in (0, 10,000,000].  The answers equal :func:`business_due` without
    pauses (a paused clock has no due time; resume it with its remaining minutes).

    >>> import numpy as np
    >>> from frontline.engine.businesstime import BusinessCalendar
    >>> cal = BusinessCalendar.always_open(tz="UTC")
    >>> business_due_many(starts=np.array(["2026-01-01T00:00"], dtype="datetime64[m]"),
    ...                   minutes=[90], calendar=cal)
    array(['2026-01-01T01:30:00.000000'], dtype='datetime64[us]')
    """
    calendar = _calendar(calendar)
    begin = np.asarray(starts)
    if begin.dtype.kind != "M":
        raise ValueError("starts must be datetime64 values (UTC)")
    if np.isnat(begin).any():
        raise ValueError("starts must not contain NaT")
    at = begin.astype("datetime64[us]").astype(np.int64)
    try:
        target = np.broadcast_to(np.asarray(minutes, dtype=np.float64), at.shape)
    except (TypeError, ValueError):
        raise ValueError("minutes must be numbers, one per start (or one for all)") from None
    if not np.isfinite(target).all() or (target <= 0).any() or (target > MAX_MINUTES).any():
        raise ValueError(f"minutes must be finite, > 0 and <= {MAX_MINUTES:,}")
    if at.size == 0:
        return at.astype("datetime64[us]")
    amount = np.rint(target * _US_PER_MINUTE).astype(np.int64)
    low, high = int(at.min()), int(at.max())
    per_week = calendar.weekly_seconds * US
    days = int(float(amount.max()) / per_week * 7 * 1.25) + 8
    try:
        while True:
            snap = snapshot(calendar, low, high + days * 86_400 * US)
            total = snap.before_many(at) + amount
            if int(total.max()) <= snap.before(snap.hi):
                return snap.instant_many(total).astype("datetime64[us]")
            days *= 2
    except OutOfRange:
        raise ValueError("starts/minutes: due times must fall in the years 2 to 9998") from None


def _calendar(calendar: object) -> BusinessCalendar:
    if not isinstance(calendar, BusinessCalendar):
        raise ValueError(f"calendar must be a BusinessCalendar, got {type(calendar).__name__}")
    return calendar


def _instant(name: str, value: object) -> int:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {value!r}")
    if value.utcoffset() is None:
        raise ValueError(
            f"{name} must be timezone-aware: give an offset (e.g. 2026-12-24T09:00:00+01:00 or Z)"
        )
    return (value - _EPOCH) // _ONE_US


def _datetime(us: int) -> datetime:
    return _EPOCH + timedelta(microseconds=us)


def _target(minutes: object) -> int:
    if isinstance(minutes, bool) or not isinstance(minutes, int | float):
        raise ValueError(f"minutes must be a number, got {minutes!r}")
    if not math.isfinite(minutes):
        raise ValueError(f"minutes must be finite, got {minutes!r}")
    if minutes <= 0:
        raise ValueError(
            f"minutes must be > 0 (a target of zero or less has no due time), got {minutes!r}"
        )
    if minutes > MAX_MINUTES:
        raise ValueError(f"minutes must be at most {MAX_MINUTES:,}, got {minutes!r}")
    amount = round(minutes * _US_PER_MINUTE)
    if amount <= 0:
        raise ValueError(f"minutes must be at least one microsecond, got {minutes!r}")
    return amount


def _pauses(pauses: Iterable[Pause], *, after: int) -> list[tuple[int, int]]:
    """Pauses as sorted, merged microsecond spans that end after ``after``."""
    spans: list[tuple[int, int]] = []
    for index, pause in enumerate(pauses):
        if not isinstance(pause, Pause):
            raise ValueError(f"pauses[{index}] must be a Pause, got {pause!r}")
        start, end = _instant("pause start", pause.start), _instant("pause end", pause.end)
        if end > after:
            spans.append((start, end))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
