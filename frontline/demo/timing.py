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


# --- handle time: agent working time spent on one message --------------------------------------

# Median seconds of a first public reply by channel (a phone ticket's first message is the call).
HANDLE_FIRST_REPLY = {"email": 480.0, "web": 450.0, "chat": 150.0, "phone": 300.0, "social": 240.0, "api": 420.0}
HANDLE_CALL = 420.0  # median length of the phone call an agent files a ticket from, with wrap-up
HANDLE_NOTE = 75.0  # median internal note
HANDLE_FOLLOW_UP = 0.6  # a later reply, relative to the first: the agent already knows the case
HANDLE_TYPE = {"question": 0.85, "incident": 1.1, "problem": 1.35, "task": 1.0, "complaint": 1.25}
HANDLE_PRIORITY = {"low": 0.9, "normal": 1.0, "high": 1.1, "urgent": 1.2}
HANDLE_SIGMA = 0.55  # log-normal spread of one message around its median
HANDLE_MIN, HANDLE_MAX = 10, 7200


def agent_pace(*, speed: float, skill: float) -> float:
    """How long an agent takes over a message relative to the median agent (1.0).

    Slower responders (``speed``: median working minutes to a first reply, about 55) also write
    more slowly; more skilled agents (``skill`` around 1) less so. Between about 0.6 and 1.7.
    """
    if speed <= 0 or skill <= 0:
        raise ValueError("speed, skill: must be positive")
    return (speed / 55) ** 0.35 / skill ** 0.5


def handle_seconds(rng: random.Random, *, kind: str, channel: str, ticket_type: str, priority: str,
                   pace: float) -> int:
    """Seconds an agent spends on one message: log-normal around a median set by what it is.

    ``kind`` is ``call`` (the phone call a ticket is filed from), ``first_reply``, ``follow_up``
    (a later public reply) or ``note``. Replies depend on channel, ticket type and priority;
    notes only on the agent. Whole seconds in [HANDLE_MIN, HANDLE_MAX]::

        >>> import random
        >>> s = handle_seconds(random.Random(3), kind="first_reply", channel="email", ticket_type="problem",
        ...                    priority="high", pace=1.0)
        >>> 10 <= s <= 7200
        True
    """
    if kind == "note":
        median = HANDLE_NOTE
    elif kind == "call":
        median = HANDLE_CALL * HANDLE_TYPE[ticket_type] * HANDLE_PRIORITY[priority]
    elif kind in ("first_reply", "follow_up"):
        median = HANDLE_FIRST_REPLY[channel] * HANDLE_TYPE[ticket_type] * HANDLE_PRIORITY[priority]
        median *= HANDLE_FOLLOW_UP if kind == "follow_up" else 1.0
    else:
        raise ValueError(f"kind: unknown message kind {kind!r}")
    seconds = rng.lognormvariate(math.log(median * pace), HANDLE_SIGMA)
    return min(max(round(seconds), HANDLE_MIN), HANDLE_MAX)
