"""When things happen in the demo: ticket arrivals and agents' working time.

Plain datetimes and numbers only (no Django), driven by a seeded ``random.Random``.

Arrivals are a Poisson process whose hourly rate is a base rate times an intraday profile
(peaks around 10:00 and 14:00 local time, quiet at night), a weekly profile (weekends at about
a third of a weekday) and a mild linear trend::

    >>> import random; from datetime import datetime, UTC; from zoneinfo import ZoneInfo
    >>> times = arrivals(random.Random(1), start=datetime(2026, 1, 5, tzinfo=UTC),
    ...                  end=datetime(2026, 1, 12, tzinfo=UTC), daily_mean=50, tz=ZoneInfo("Europe/London"))
    >>> 250 < len(times) < 450
    True
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# Relative arrival rate by local hour: quiet at night, peaks around 10:00 and 14:00.
INTRADAY = (
    0.12, 0.08, 0.06, 0.05, 0.06, 0.12, 0.3, 0.65, 1.2, 1.75, 2.05, 1.9,
    1.5, 1.8, 2.0, 1.75, 1.4, 1.1, 0.85, 0.7, 0.6, 0.48, 0.32, 0.2,
)
# Relative rate by weekday (Monday first): Mondays busiest, weekends about a third.
WEEKLY = (1.18, 1.07, 1.02, 1.0, 0.92, 0.38, 0.33)
_INTRADAY_SUM = sum(INTRADAY)
_WEEKLY_MEAN = sum(WEEKLY) / 7


def poisson(rng: random.Random, lam: float) -> int:
    """A Poisson-distributed count with mean ``lam`` (Knuth below 30, normal approximation above)."""
    if lam < 0:
        raise ValueError("lam: must not be negative")
    if lam >= 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def hourly_rate(*, local: datetime, daily_mean: float, trend: float) -> float:
    """Expected arrivals in the hour starting at ``local`` (a local time)."""
    return daily_mean * INTRADAY[local.hour] / _INTRADAY_SUM * WEEKLY[local.weekday()] / _WEEKLY_MEAN * trend


def arrivals(rng: random.Random, *, start: datetime, end: datetime, daily_mean: float, tz: ZoneInfo,
             growth: float = 0.15) -> list[datetime]:
    """Arrival times in [start, end), whole seconds, UTC; the rate grows by ``growth`` over the span."""
    if end <= start:
        return []
    span = (end - start).total_seconds()
    times: list[datetime] = []
    hour = start.replace(minute=0, second=0, microsecond=0)
    while hour < end:
        progress = (hour - start).total_seconds() / span
        trend = 1 - growth / 2 + growth * progress
        lam = hourly_rate(local=hour.astimezone(tz), daily_mean=daily_mean, trend=trend)
        for _ in range(poisson(rng, lam)):
            t = hour + timedelta(seconds=rng.randrange(3600))
            if start <= t < end:
                times.append(t)
        hour += timedelta(hours=1)
    times.sort()
    return times


@dataclass(frozen=True)
class Shift:
    """An agent's working pattern: ``hours`` from ``start_hour`` local time on ``weekdays``."""

    tz: ZoneInfo
    start_hour: int
    hours: float
    weekdays: frozenset[int]
    days_off: frozenset[date] = frozenset()

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day.weekday() not in self.weekdays or day in self.days_off:
            return None
        begin = datetime(day.year, day.month, day.day, self.start_hour, tzinfo=self.tz).astimezone(UTC)
        return begin, begin + timedelta(hours=self.hours)

    def next_working(self, t: datetime) -> datetime:
        """``t`` if it falls in a shift, else the start of the next shift."""
        day = t.astimezone(self.tz).date() - timedelta(days=1)
        for offset in range(30):
            window = self._window(day + timedelta(days=offset))
            if window is not None and t < window[1]:
                return max(t, window[0])
        raise ValueError("shift: no working day within 30 days")

    def is_working(self, t: datetime) -> bool:
        return self.next_working(t) == t

    def add(self, t: datetime, minutes: float) -> datetime:
        """The time after ``minutes`` of working time from ``t``, whole seconds."""
        remaining = timedelta(minutes=minutes)
        t = self.next_working(t)
        while True:
            end = self._end_of_shift(t)
            if t + remaining <= end:
                return (t + remaining).replace(microsecond=0)
            remaining -= end - t
            t = self.next_working(end)

    def _end_of_shift(self, t: datetime) -> datetime:
        local_day = t.astimezone(self.tz).date()
        for day in (local_day, local_day - timedelta(days=1)):
            window = self._window(day)
            if window is not None and window[0] <= t < window[1]:
                return window[1]
        raise ValueError("t: not inside a shift")
