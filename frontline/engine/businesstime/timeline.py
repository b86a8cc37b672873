"""Open time as sorted UTC spans with running totals, built per local date and memoised.

A :class:`Snapshot` holds the open spans (UTC microseconds since the epoch, half-open) of
every local date in ``[first_day, end_day)`` and ``cum``, the open time before each span.
``before(t)`` is the open time up to ``t`` (from an arbitrary origin) and ``instant(b)`` its
inverse, the earliest instant at which that running total reaches ``b``; both are a binary
search, so nothing ever steps through minutes.  Differences of ``before`` are exact between
``lo`` and ``hi``, the instants every one of whose open neighbours lies in the covered dates.

Local wall-clock intervals become UTC spans through the zone's UTC offset, which is constant
between transitions: the transitions are found by sampling the offset every 6 hours and
bisecting to the second where it changes (tzdata transitions fall on whole seconds and are
months apart).  On each stretch with offset ``o`` a local interval ``[s, e)`` of the date whose
local midnight is ``N`` is the UTC span ``[N + s - o, N + e - o)`` cut to the stretch; so a
spring-forward gap drops the wall-clock times that do not exist and a fall-back repeats the
ones that happen twice.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from .calendar import BusinessCalendar

US = 1_000_000
DAY_S = 86_400
EPOCH_DAY = date(1970, 1, 1).toordinal()
MIN_DAY = date(2, 1, 1).toordinal()
MAX_DAY = date(9998, 12, 31).toordinal()
MARGIN_S = 16 * 3600  # more than any UTC offset
SAMPLE_S = 6 * 3600


class OutOfRange(ValueError):
    """The instants asked about lie outside the years 2 to 9998."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    first_day: int
    end_day: int
    lo: int
    hi: int
    starts: list[int]
    ends: list[int]
    cum: list[int]
    cum_end: list[int]
    starts_np: NDArray[np.int64]
    ends_np: NDArray[np.int64]
    cum_np: NDArray[np.int64]
    cum_end_np: NDArray[np.int64]

    def covers(self, lo: int, hi: int) -> bool:
        return self.lo <= lo and hi <= self.hi

    def before(self, t: int) -> int:
        """Open microseconds before ``t`` (from this snapshot's origin)."""
        i = bisect_right(self.ends, t)
        if i == len(self.ends):
            return self.cum[-1]
        return self.cum[i] + max(0, t - self.starts[i])

    def instant(self, total: int) -> int:
        """The earliest instant with ``before(instant) == total`` (``total`` above ``cum[0]``):
        a total reached exactly at a closing time gives that closing time."""
        k = bisect_left(self.cum_end, total)
        return self.starts[k] + total - self.cum[k]

    def before_many(self, t: NDArray[np.int64]) -> NDArray[np.int64]:
        n = len(self.ends)
        i = np.searchsorted(self.ends_np, t, side="right")
        j = np.minimum(i, n - 1)
        inside = self.cum_np[j] + np.maximum(t - self.starts_np[j], 0)
        result: NDArray[np.int64] = np.where(i == n, self.cum_np[n], inside)
        return result

    def instant_many(self, total: NDArray[np.int64]) -> NDArray[np.int64]:
        k = np.searchsorted(self.cum_end_np, total, side="left")
        result: NDArray[np.int64] = self.starts_np[k] + total - self.cum_np[k]
        return result


def day_of(us: int) -> int:
    """The proleptic ordinal of the UTC date of ``us``."""
    return EPOCH_DAY + us // (DAY_S * US)


def snapshot(calendar: BusinessCalendar, lo: int, hi: int) -> Snapshot:
    """A snapshot whose exact range covers ``[lo, hi]`` (microseconds), built if needed.

    The memo keeps one snapshot per calendar; it grows geometrically so a run of queries
    moving forward rebuilds it a logarithmic number of times.  Replacing it is one reference
    assignment, so threads sharing a calendar at worst build the same snapshot twice.
    """
    current: Snapshot | None = calendar.cache.get("snapshot")
    if current is not None and current.covers(lo, hi):
        return current
    first, end = day_of(lo) - 1, day_of(hi) + 2
    if current is not None:
        width = current.end_day - current.first_day
        gap = max(current.first_day - end, first - current.end_day)
        if gap <= max(width, 366):
            if first < current.first_day:
                first = min(first, current.first_day - width)
            else:
                first = current.first_day
            end = max(end, current.end_day + width) if end > current.end_day else current.end_day
    if day_of(lo) - 1 < MIN_DAY or day_of(hi) + 2 > MAX_DAY:
        raise OutOfRange("instants must lie in the years 2 to 9998")
    built = _build(calendar, max(first, MIN_DAY), min(end, MAX_DAY))
    calendar.cache["snapshot"] = built
    return built


def measure(calendar: BusinessCalendar, start: int, end: int) -> int:
    """Open microseconds in ``[start, end)`` (``start <= end``)."""
    snap = snapshot(calendar, start, end)
    return snap.before(end) - snap.before(start)


def advance(calendar: BusinessCalendar, start: int, amount: int) -> int:
    """The earliest instant ``u`` with ``measure(start, u) == amount`` (``amount > 0``)."""
    per_week = calendar.weekly_seconds * US
    days = int(amount / per_week * 7 * 1.25) + 8
    while True:
        snap = snapshot(calendar, start, start + days * DAY_S * US)
        total = snap.before(start) + amount
        if total <= snap.before(snap.hi):
            return snap.instant(total)
        days *= 2


def _build(calendar: BusinessCalendar, first: int, end: int) -> Snapshot:
    zone = calendar.zone
    pieces = _offset_pieces(
        zone, (first - EPOCH_DAY) * DAY_S - MARGIN_S, (end - EPOCH_DAY) * DAY_S + MARGIN_S
    )
    spans: list[tuple[int, int]] = []
    p = 0
    for day in range(first, end):
        segments = calendar.segments[(day - 1) % 7]
        if not segments or calendar.is_holiday(date.fromordinal(day)):
            continue
        midnight = (day - EPOCH_DAY) * DAY_S
        while pieces[p][1] <= midnight - MARGIN_S:
            p += 1
        q = p
        while q < len(pieces) and pieces[q][0] < midnight + DAY_S + MARGIN_S:
            low, high, offset = pieces[q]
            for start, stop in segments:
                a, b = max(midnight + start - offset, low), min(midnight + stop - offset, high)
                if a < b:
                    spans.append((a, b))
            q += 1
    spans.sort()
    starts: list[int] = []
    ends: list[int] = []
    for a, b in spans:
        if ends and a <= ends[-1]:
            ends[-1] = max(ends[-1], b)
            continue
        starts.append(a)
        ends.append(b)
    starts, ends = [a * US for a in starts], [b * US for b in ends]
    if not starts:  # a stretch of holidays: one empty span keeps the searches well defined
        starts, ends = [(first - EPOCH_DAY) * DAY_S * US], [(first - EPOCH_DAY) * DAY_S * US]
    cum = [0]
    for a, b in zip(starts, ends, strict=True):
        cum.append(cum[-1] + b - a)
    return Snapshot(
        first_day=first,
        end_day=end,
        lo=((first - EPOCH_DAY) * DAY_S + MARGIN_S) * US,
        hi=((end - EPOCH_DAY) * DAY_S - MARGIN_S) * US,
        starts=starts,
        ends=ends,
        cum=cum,
        cum_end=cum[1:],
        starts_np=np.asarray(starts, dtype=np.int64),
        ends_np=np.asarray(ends, dtype=np.int64),
        cum_np=np.asarray(cum, dtype=np.int64),
        cum_end_np=np.asarray(cum[1:], dtype=np.int64),
    )


def _offset(zone: ZoneInfo, t: int) -> int:
    offset = datetime.fromtimestamp(t, UTC).astimezone(zone).utcoffset()
    assert offset is not None
    return offset.days * DAY_S + offset.seconds


def _offset_pieces(zone: ZoneInfo, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """``(start, end, offset)`` in seconds: stretches of constant UTC offset covering [lo, hi)."""
    points = [*range(lo, hi, SAMPLE_S), hi]
    offsets = [_offset(zone, t) for t in points]
    pieces: list[tuple[int, int, int]] = []
    start, current = lo, offsets[0]
    for i in range(1, len(points)):
        while offsets[i] != current:
            low, high = (
                max(start, points[i - 1]),
                points[i],
            )  # offset(low) == current != offset(high)
            while high - low > 1:
                mid = (low + high) // 2
                if _offset(zone, mid) == current:
                    low = mid
                else:
                    high = mid
            pieces.append((start, high, current))
            start, current = high, _offset(zone, high)
    pieces.append((start, hi, current))
    return pieces
