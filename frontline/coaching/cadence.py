"""When the next one-on-one is due (pure: dates in, dates out).

- weekly: 7 days after the last one held; every two weeks: 14 days; monthly: the same day of the
  next month (the month's last day when it has no such day: 31 January → 28 or 29 February);
- nothing held yet: the plan's first day;
- overdue: the due day is before today (a session planned but not held does not clear it).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

INTERVAL_DAYS = {"weekly": 7, "biweekly": 14}


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def next_due(*, cadence: str, starts_on: date, last_held: date | None) -> date:
    """The day the next one-on-one is due.

    >>> next_due(cadence="biweekly", starts_on=date(2026, 1, 5), last_held=date(2026, 1, 7))
    datetime.date(2026, 1, 21)
    >>> next_due(cadence="monthly", starts_on=date(2026, 1, 5), last_held=date(2026, 1, 31))
    datetime.date(2026, 2, 28)
    """
    if cadence not in ("weekly", "biweekly", "monthly"):
        raise ValueError("cadence: must be weekly, biweekly or monthly")
    if last_held is None or last_held < starts_on:
        return starts_on
    if cadence == "monthly":
        return add_months(last_held, 1)
    return last_held + timedelta(days=INTERVAL_DAYS[cadence])


def days_overdue(*, due: date, today: date) -> int:
    """Days past the due day (0 when not overdue)."""
    return max(0, (today - due).days)
