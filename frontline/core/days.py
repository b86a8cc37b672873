"""Days in a viewer's time zone: the window a per-day report reads, and its days."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo


def local_window(first: date, last: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end): from the start of ``first`` to the start of the day after ``last``, in ``tz``
    (a day across a clock change is 23 or 25 hours long)."""
    if last < first:
        raise ValueError("last: must not be before first")
    return datetime.combine(first, time.min, tzinfo=tz), datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)


def last_days(raw: str | None, *, choices: tuple[int, ...], default: int, tz: tzinfo) -> tuple[int, date, date]:
    """A report's period from its ``?days=`` value: ``(days, first, last)``, the last ``days`` days up to
    today in ``tz``; a value that is not one of ``choices`` (or not a number) gives ``default``."""
    raw = raw or ""
    days = int(raw) if raw.isascii() and raw.isdecimal() and int(raw) in choices else default
    last = datetime.now(tz).date()
    return days, last - timedelta(days=days - 1), last


def days_from(first: date, last: date) -> list[date]:
    """``first`` to ``last``, each day once, oldest first."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]
