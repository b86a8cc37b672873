"""Periods of the metrics pages: an hour, day, week (Monday first), month, quarter or custom range of
local days, in a time zone, with the period before it and the same period a year earlier."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

KINDS = ("hour", "day", "week", "month", "quarter", "custom")
LABELS = {"hour": "Hour", "day": "Day", "week": "Week", "month": "Month", "quarter": "Quarter", "custom": "Custom"}
MAX_CUSTOM_DAYS = 732


@dataclass(frozen=True)
class Period:
    """Local days ``first`` .. ``last`` (both included) of ``zone``; for ``hour``, the hour ``hour`` of ``first``."""

    kind: str
    first: date
    last: date
    zone: tzinfo
    hour: int | None = None

    @property
    def start(self) -> datetime:
        """The instant the period starts, in UTC (so that differences are real elapsed time across DST)."""
        if self.kind == "hour":
            return datetime.combine(self.first, time(self.hour or 0), tzinfo=self.zone).astimezone(UTC)
        return datetime.combine(self.first, time.min, tzinfo=self.zone).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The instant the period ends (excluded), in UTC."""
        if self.kind == "hour":
            return self.start + timedelta(hours=1)
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=self.zone).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def label(self) -> str:
        if self.kind == "hour":
            return f"{self.first:%-d %b %Y}, {self.hour:02d}:00\u2013{(self.hour or 0) + 1:02d}:00"
        if self.kind == "day":
            return f"{self.first:%-d %b %Y}"
        if self.kind == "month":
            return f"{self.first:%B %Y}"
        if self.kind == "quarter":
            return f"Q{(self.first.month - 1) // 3 + 1} {self.first.year}"
        return f"{self.first:%-d %b %Y} \u2013 {self.last:%-d %b %Y}"

    def previous(self) -> Period:
        """The period just before: the previous hour, day, week, month or quarter, or as many days before."""
        if self.kind == "hour":
            start = (self.start - timedelta(hours=1)).astimezone(self.zone)
            return Period("hour", start.date(), start.date(), self.zone, start.hour)
        if self.kind in ("month", "quarter"):
            months = 1 if self.kind == "month" else 3
            return period_of(self.kind, _add_months(self.first, -months), self.zone)
        return Period(self.kind, self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.zone)

    def year_before(self) -> Period:
        """The same period a year earlier (a week: the week 52 weeks earlier, so weekdays match)."""
        if self.kind == "week":
            return Period("week", self.first - timedelta(weeks=52), self.last - timedelta(weeks=52), self.zone)
        first, last = _year_back(self.first), _year_back(self.last)
        return Period(self.kind, first, last, self.zone, self.hour)

    def elapsed_share(self, now: datetime) -> float:
        """How much of the period has passed at ``now`` (0 before it, 1 after it)."""
        total = (self.end - self.start).total_seconds()
        done = (min(max(now, self.start), self.end) - self.start).total_seconds()
        return done / total


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def period_of(kind: str, anchor: date, zone: tzinfo, *, last: date | None = None, hour: int = 0) -> Period:
    """The ``kind`` period containing local day ``anchor`` (custom: ``anchor`` .. ``last``)."""
    if kind == "hour":
        if not 0 <= hour <= 23:
            raise ValueError("hour: must be 0-23")
        return Period("hour", anchor, anchor, zone, hour)
    if kind == "day":
        return Period("day", anchor, anchor, zone)
    if kind == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return Period("week", first, first + timedelta(days=6), zone)
    if kind == "month":
        first = anchor.replace(day=1)
        return Period("month", first, _add_months(first, 1) - timedelta(days=1), zone)
    if kind == "quarter":
        first = date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
        return Period("quarter", first, _add_months(first, 3) - timedelta(days=1), zone)
    if kind == "custom":
        if last is None:
            raise ValueError("end: a custom period needs an end day")
        if last < anchor:
            raise ValueError("end: must not be before the start")
        if (last - anchor).days + 1 > MAX_CUSTOM_DAYS:
            raise ValueError(f"end: a custom period is at most {MAX_CUSTOM_DAYS} days")
        return Period("custom", anchor, last, zone)
    raise ValueError(f"period: must be one of {', '.join(KINDS)}")
