"""Business calendars: a time zone, weekly working intervals in local wall-clock time, closed
dates (custom ones and a country's public holidays from the ``holidays`` package), and pauses.

All values are frozen dataclasses validated on construction (``ValueError`` naming the field).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_package

MINUTES_PER_DAY = 1440
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True, slots=True)
class WorkingInterval:
    """Open from ``start`` to ``end`` local wall-clock time on ``weekday`` (0 = Monday).

    ``start`` and ``end`` are minutes after local midnight: ``start`` in 0..1439, ``end`` in
    1..1440 (1440 is "24:00").  An ``end`` before ``start`` crosses midnight: the interval runs
    on into the next day (``WorkingInterval(weekday=4, start=1320, end=360)`` is Friday 22:00 to
    Saturday 06:00); an ``end`` of 0 is the same as 1440.  ``start == end`` is refused.

    >>> WorkingInterval(weekday=0, start=9 * 60, end=17 * 60).minutes
    480
    """

    weekday: int
    start: int
    end: int

    def __post_init__(self) -> None:
        for name, low, high in (("weekday", 0, 6), ("start", 0, 1439), ("end", 0, 1440)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be a whole number, got {value!r}")
            if not low <= value <= high:
                raise ValueError(f"{name} must be in {low}..{high}, got {value}")
        if self.start == self.end:
            raise ValueError(
                f"interval {self.label()} on {WEEKDAYS[self.weekday]} is empty: start equals end"
            )

    @property
    def crosses_midnight(self) -> bool:
        """True when the interval runs on into the next day (``end`` before ``start``)."""
        return 0 < self.end < self.start

    @property
    def minutes(self) -> int:
        """Nominal length in minutes (a DST change on the day can shorten or lengthen it)."""
        end = MINUTES_PER_DAY if self.end == 0 else self.end
        return end - self.start if end > self.start else MINUTES_PER_DAY - self.start + end

    def label(self) -> str:
        return f"{_hhmm(self.start)}-{'24:00' if self.end == MINUTES_PER_DAY else _hhmm(self.end)}"

    def pieces(self) -> tuple[tuple[int, int, int], ...]:
        """``(weekday, start, end)`` minutes, split at midnight, each with start < end <= 1440."""
        end = MINUTES_PER_DAY if self.end == 0 else self.end
        if end > self.start:
            return ((self.weekday, self.start, end),)
        return ((self.weekday, self.start, MINUTES_PER_DAY), ((self.weekday + 1) % 7, 0, end))


@dataclass(frozen=True, slots=True)
class Pause:
    """An instant pair ``[start, end)`` during which an SLA clock does not run.

    Both must be timezone-aware and ``end`` after ``start``.  Pauses may overlap each other,
    closed time and the clock's start.
    """

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, datetime):
                raise ValueError(f"pause {name} must be a datetime, got {value!r}")
            if value.utcoffset() is None:
                raise ValueError(f"pause {name} must be timezone-aware (give an offset): {value}")
        if self.end <= self.start:
            raise ValueError(
                f"pause end ({self.end.isoformat()}) must be after its start "
                f"({self.start.isoformat()})"
            )


@functools.lru_cache(maxsize=4096)
def country_holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    """The public holidays of ``country`` (ISO 3166 code) / ``subdivision`` in ``year``,
    from the ``holidays`` package (observed days included where the package lists them)."""
    try:
        found = holidays_package.country_holidays(country, subdiv=subdivision, years=year)
    except NotImplementedError as error:
        raise ValueError(str(error)) from None
    return frozenset(found.keys())


@dataclass(frozen=True)
class BusinessCalendar:
    """When the business clock runs: weekly local intervals in ``tz``, minus closed dates.

    An instant is *open* when its local date (in ``tz``) is not a holiday and its local
    wall-clock time lies in one of the working intervals of that date (intervals are half-open,
    ``[start, end)``; the part after midnight of an interval that crosses midnight belongs to
    the next date).  ``holidays`` are local dates closed all day; with ``holiday_country`` (and
    optionally ``holiday_subdivision``) that country's public holidays are closed too.

    >>> from frontline.engine.businesstime import BusinessCalendar, WorkingInterval
    >>> cal = BusinessCalendar(tz="Europe/Berlin", intervals=(
    ...     WorkingInterval(weekday=0, start=540, end=1020),))
    >>> cal.weekly_minutes
    480
    >>> BusinessCalendar.always_open(tz="UTC").weekly_minutes
    10080
    """

    tz: str
    intervals: tuple[WorkingInterval, ...]
    holidays: frozenset[date] = frozenset()
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    # Derived on construction: local segments per weekday, in seconds after local midnight.
    segments: tuple[tuple[tuple[int, int], ...], ...] = field(init=False, repr=False, compare=False)
    weekly_seconds: int = field(init=False, repr=False, compare=False)
    zone: ZoneInfo = field(init=False, repr=False, compare=False)
    # Memo of open UTC spans (see timeline.py); mutable by design, not part of the value.
    cache: dict[str, Any] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        if not isinstance(self.tz, str) or not self.tz:
            raise ValueError(f"tz must be an IANA time zone name, got {self.tz!r}")
        try:
            zone = ZoneInfo(self.tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"tz: unknown time zone {self.tz!r} (use an IANA name such as 'Europe/Berlin')"
            ) from None
        intervals = tuple(self.intervals)
        if not intervals:
            raise ValueError("intervals: the calendar has no working time; give at least one")
        for interval in intervals:
            if not isinstance(interval, WorkingInterval):
                raise ValueError(f"intervals must be WorkingInterval values, got {interval!r}")
        closed = frozenset(self.holidays)
        for day in closed:
            if not isinstance(day, date) or isinstance(day, datetime):
                raise ValueError(f"holidays must be dates, got {day!r}")
        if self.holiday_subdivision is not None and self.holiday_country is None:
            raise ValueError("holiday_subdivision needs holiday_country")
        if self.holiday_country is not None:
            try:
                country_holiday_dates(self.holiday_country, self.holiday_subdivision, 2026)
            except ValueError as error:
                raise ValueError(f"holiday_country/holiday_subdivision: {error}") from None
        object.__setattr__(self, "intervals", intervals)
        object.__setattr__(self, "holidays", closed)
        object.__setattr__(self, "zone", zone)
        segments = _segments(intervals)
        object.__setattr__(self, "segments", segments)
        object.__setattr__(
            self, "weekly_seconds", sum(end - start for day in segments for start, end in day)
        )
        object.__setattr__(self, "cache", {})

    @classmethod
    def always_open(
        cls,
        *,
        tz: str,
        holidays: Iterable[date] = (),
        holiday_country: str | None = None,
        holiday_subdivision: str | None = None,
    ) -> BusinessCalendar:
        """A 24x7 calendar (every local day 00:00-24:00), holidays still closed."""
        return cls(
            tz=tz,
            intervals=tuple(WorkingInterval(weekday=d, start=0, end=1440) for d in range(7)),
            holidays=frozenset(holidays),
            holiday_country=holiday_country,
            holiday_subdivision=holiday_subdivision,
        )

    @property
    def weekly_minutes(self) -> int:
        """Nominal open minutes in a week without holidays or DST changes."""
        return self.weekly_seconds // 60

    def is_holiday(self, day: date) -> bool:
        """True when the local date ``day`` is closed all day."""
        if day in self.holidays:
            return True
        if self.holiday_country is None:
            return False
        return day in country_holiday_dates(
            self.holiday_country, self.holiday_subdivision, day.year
        )


def _segments(intervals: tuple[WorkingInterval, ...]) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Split intervals at midnight, refuse overlaps, merge touching pieces; seconds per weekday."""
    by_day: list[list[tuple[int, int, WorkingInterval]]] = [[] for _ in range(7)]
    for interval in intervals:
        for weekday, start, end in interval.pieces():
            by_day[weekday].append((start, end, interval))
    days: list[tuple[tuple[int, int], ...]] = []
    for weekday, pieces in enumerate(by_day):
        pieces.sort(key=lambda piece: (piece[0], piece[1]))
        merged: list[tuple[int, int]] = []
        for index, (start, end, interval) in enumerate(pieces):
            if index and start < pieces[index - 1][1]:
                raise ValueError(
                    f"intervals: {_describe(interval)} overlaps {_describe(pieces[index - 1][2])} "
                    f"on {WEEKDAYS[weekday]}"
                )
            if merged and merged[-1][1] == start * 60:
                merged[-1] = (merged[-1][0], end * 60)
            else:
                merged.append((start * 60, end * 60))
        days.append(tuple(merged))
    return tuple(days)


def _describe(interval: WorkingInterval) -> str:
    return f"{WEEKDAYS[interval.weekday]} {interval.label()}"
