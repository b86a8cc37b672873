"""The business-time rules executed minute by minute: slow on purpose, an independent check.

Used by the tests (on hypothesis-generated calendars) and ``bench/bench_sla.py`` to confirm
the fast engine.  It shares nothing with it but the calendar's fields: for each UTC minute it
converts the minute's start to local time with ``zoneinfo`` and asks whether that local date is
closed and whether its wall-clock time falls in one of the weekday's intervals.

Exact for whole-minute inputs (starts, ends and pauses on whole UTC minutes, whole-minute
targets) in zones whose UTC offsets are whole minutes (every zone since the 1970s); the fast
engine works to the microsecond.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import holidays as holidays_package

from .calendar import BusinessCalendar, Pause

MINUTE = timedelta(minutes=1)
_LIMIT_MINUTES = 60 * 24 * 366 * 3


def naive_due(
    *, start: datetime, minutes: int, calendar: BusinessCalendar, pauses: Iterable[Pause] = ()
) -> datetime:
    """Step minute by minute from ``start`` until ``minutes`` open, unpaused minutes have run."""
    rules = _Rules(calendar, pauses)
    at, counted = _whole_minute(start), 0
    for _ in range(_LIMIT_MINUTES):
        if rules.counts(at):
            counted += 1
            if counted == minutes:
                return at + MINUTE
        at += MINUTE
    raise ValueError("no due time within three years (naive reference limit)")


def naive_minutes_between(
    *, start: datetime, end: datetime, calendar: BusinessCalendar, pauses: Iterable[Pause] = ()
) -> int:
    """Count the open, unpaused minutes from ``start`` up to ``end``."""
    rules = _Rules(calendar, pauses)
    at, stop, counted = _whole_minute(start), _whole_minute(end), 0
    while at < stop:
        counted += rules.counts(at)
        at += MINUTE
    return counted


def naive_is_open(*, at: datetime, calendar: BusinessCalendar) -> bool:
    """Whether the minute starting at ``at`` is open."""
    return _Rules(calendar, ()).counts(_whole_minute(at))


def _whole_minute(value: datetime) -> datetime:
    utc = value.astimezone(UTC)
    if utc.second or utc.microsecond:
        raise ValueError(f"the reference works on whole minutes, got {value.isoformat()}")
    return utc


class _Rules:
    def __init__(self, calendar: BusinessCalendar, pauses: Iterable[Pause]) -> None:
        self.zone = calendar.zone
        self.calendar = calendar
        self.hours: list[list[tuple[int, int]]] = [[] for _ in range(7)]
        for interval in calendar.intervals:
            end = 1440 if interval.end == 0 else interval.end
            if end > interval.start:
                self.hours[interval.weekday].append((interval.start, end))
            else:  # crosses midnight: the rest of the day, then the next day up to the end
                self.hours[interval.weekday].append((interval.start, 1440))
                self.hours[(interval.weekday + 1) % 7].append((0, end))
        self.pauses = [(p.start.astimezone(UTC), p.end.astimezone(UTC)) for p in pauses]
        self.closed: dict[int, frozenset[date]] = {}

    def counts(self, at: datetime) -> bool:
        if any(start <= at < end for start, end in self.pauses):
            return False
        local = at.astimezone(self.zone)
        day = local.date()
        if day in self.calendar.holidays or day in self._country_holidays(day.year):
            return False
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.hours[day.weekday()])

    def _country_holidays(self, year: int) -> frozenset[date]:
        if self.calendar.holiday_country is None:
            return frozenset()
        if year not in self.closed:
            self.closed[year] = frozenset(
                holidays_package.country_holidays(
                    self.calendar.holiday_country,
                    subdiv=self.calendar.holiday_subdivision,
                    years=year,
                )
            )
        return self.closed[year]
