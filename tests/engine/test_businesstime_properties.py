"""Properties of business-time arithmetic on hypothesis-generated calendars, checked against
the naive minute-stepping reference (frontline/engine/businesstime/reference.py).

Calendars: random weekly intervals (split shifts, nights crossing midnight, Sunday into
Monday, 24x7), custom holidays near the start, optionally a country's public holidays, in
zones with DST of an hour, of 30 minutes (Lord Howe), at midnight (Santiago, Havana), several
changes a year (Casablanca) or none.  Starts are whole minutes, half of them in the days just
before the zone changes its clock.
"""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.engine.businesstime import (
    BusinessCalendar,
    Pause,
    WorkingInterval,
    business_due,
    business_due_many,
    business_minutes_between,
    is_open,
)
from frontline.engine.businesstime.reference import (
    naive_due,
    naive_is_open,
    naive_minutes_between,
)

ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Africa/Casablanca",
    "Pacific/Chatham",
    "Asia/Kathmandu",
    "America/St_Johns",
]
WEEK = 7 * 1440
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _pieces(start: int, length: int, crossing: bool) -> list[WorkingInterval]:
    """A week-minute interval as working intervals (a night written once when ``crossing``)."""
    pieces = []
    while length > 0:
        weekday, minute = (start // 1440) % 7, start % 1440
        room = 1440 - minute
        spill = length - room
        if crossing and 0 < spill < minute:
            pieces.append(WorkingInterval(weekday=weekday, start=minute, end=spill))
            return pieces
        take = min(room, length)
        pieces.append(WorkingInterval(weekday=weekday, start=minute, end=minute + take))
        start, length = start + take, length - take
    return pieces


@st.composite
def calendars(draw: st.DrawFn) -> BusinessCalendar:
    tz = draw(st.sampled_from(ZONES))
    country = draw(st.sampled_from([None, None, "DE", "US"]))
    if draw(st.integers(0, 9)) == 0:
        return BusinessCalendar.always_open(tz=tz, holiday_country=country)
    bounds = draw(
        st.lists(
            st.integers(0, WEEK // 15).map(lambda q: q * 15), min_size=2, max_size=10, unique=True
        )
    )
    bounds = sorted(bounds)[: len(bounds) // 2 * 2]
    shift = draw(st.integers(0, WEEK - 1))
    crossing = draw(st.booleans())
    intervals = [
        piece
        for a, b in zip(bounds[::2], bounds[1::2], strict=True)
        for piece in _pieces((a + shift) % WEEK, b - a, crossing)
    ]
    return BusinessCalendar(tz=tz, intervals=tuple(intervals), holiday_country=country)


@functools.cache
def transitions(tz: str) -> list[datetime]:
    """The hours (UTC) in 2000-2035 at which ``tz`` changes its UTC offset, found by scanning
    daily then hourly with zoneinfo (independent of the engine's own search)."""
    zone = ZoneInfo(tz)
    found = []
    day = datetime(2000, 1, 1, tzinfo=UTC)
    while day.year < 2036:
        if (
            day.astimezone(zone).utcoffset()
            != (day + timedelta(days=1)).astimezone(zone).utcoffset()
        ):
            hour = day
            while hour.astimezone(zone).utcoffset() == day.astimezone(zone).utcoffset():
                hour += timedelta(hours=1)
            found.append(hour)
        day += timedelta(days=1)
    return found


@st.composite
def starts(draw: st.DrawFn, tz: str) -> datetime:
    """A whole minute in 2000-2035; half of them in the four days before a change of the
    zone's UTC offset (where there are any)."""
    changes = transitions(tz)
    if changes and draw(st.booleans()):
        return draw(st.sampled_from(changes)) - timedelta(minutes=draw(st.integers(0, 4 * 1440)))
    minute = draw(st.integers(0, 36 * 365 * 1440))
    return datetime(2000, 1, 1, tzinfo=UTC) + timedelta(minutes=minute)


@st.composite
def cases(draw: st.DrawFn) -> tuple[BusinessCalendar, datetime, int]:
    """A calendar with a few custom holidays near the start, the start, and a target small
    enough for minute stepping (at most two nominal weeks of open time, 3,000 minutes)."""
    calendar = draw(calendars())
    start = draw(starts(calendar.tz))
    offsets = draw(st.lists(st.integers(-2, 12), max_size=3))
    calendar = BusinessCalendar(
        tz=calendar.tz,
        intervals=calendar.intervals,
        holidays=frozenset(start.date() + timedelta(days=d) for d in offsets),
        holiday_country=calendar.holiday_country,
    )
    minutes = draw(st.integers(1, max(1, min(3000, 2 * calendar.weekly_minutes))))
    return calendar, start, minutes


@st.composite
def pause_lists(draw: st.DrawFn, start: datetime) -> list[Pause]:
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + timedelta(minutes=draw(st.integers(-600, 6000)))
        pauses.append(Pause(start=begin, end=begin + timedelta(minutes=draw(st.integers(1, 3000)))))
    return pauses


@SETTINGS
@given(case=cases(), data=st.data())
def test_due_equals_minute_stepping(
    case: tuple[BusinessCalendar, datetime, int], data: st.DataObject
) -> None:
    calendar, start, minutes = case
    pauses = data.draw(pause_lists(start))
    assert business_due(
        start=start, minutes=minutes, calendar=calendar, pauses=pauses
    ) == naive_due(start=start, minutes=minutes, calendar=calendar, pauses=pauses)


@SETTINGS
@given(case=cases(), length=st.integers(0, 6 * 1440), data=st.data())
def test_business_minutes_equal_minute_stepping(
    case: tuple[BusinessCalendar, datetime, int], length: int, data: st.DataObject
) -> None:
    """Never counts closed (or paused) time, never misses open time."""
    calendar, start, _ = case
    end = start + timedelta(minutes=length)
    pauses = data.draw(pause_lists(start))
    assert business_minutes_between(
        start=start, end=end, calendar=calendar, pauses=pauses
    ) == naive_minutes_between(start=start, end=end, calendar=calendar, pauses=pauses)


@SETTINGS
@given(case=cases(), probes=st.lists(st.integers(0, 14 * 1440), min_size=1, max_size=20))
def test_is_open_equals_minute_stepping(
    case: tuple[BusinessCalendar, datetime, int], probes: list[int]
) -> None:
    calendar, start, _ = case
    instants = [start + timedelta(minutes=p) for p in probes]
    assert [is_open(at=t, calendar=calendar) for t in instants] == [
        naive_is_open(at=t, calendar=calendar) for t in instants
    ]


@SETTINGS
@given(
    case=cases(),
    fraction=st.floats(min_value=1e-6, max_value=1.0),
    offset_us=st.integers(0, 60_000_000),
    data=st.data(),
)
def test_adding_then_measuring_round_trips(
    case: tuple[BusinessCalendar, datetime, int],
    fraction: float,
    offset_us: int,
    data: st.DataObject,
) -> None:
    calendar, start, minutes = case
    start += timedelta(microseconds=offset_us)
    target = minutes * fraction
    pauses = data.draw(pause_lists(start))
    due = business_due(start=start, minutes=target, calendar=calendar, pauses=pauses)
    measured = business_minutes_between(start=start, end=due, calendar=calendar, pauses=pauses)
    assert measured == round(target * 60_000_000) / 60_000_000
    # No business time is left unused just before the due time: it ends open and unpaused.
    just_before = due - timedelta(microseconds=1)
    assert (
        business_minutes_between(start=just_before, end=due, calendar=calendar, pauses=pauses)
        == 1 / 60_000_000
    )


@SETTINGS
@given(case=cases(), length=st.integers(1, 6 * 1440))
def test_measuring_then_adding_lands_at_the_end_or_the_last_closing_before_it(
    case: tuple[BusinessCalendar, datetime, int], length: int
) -> None:
    calendar, start, _ = case
    end = start + timedelta(minutes=length)
    measured = business_minutes_between(start=start, end=end, calendar=calendar)
    due = business_due(start=start, minutes=max(measured, 1e-6), calendar=calendar)
    assert (due <= end or measured == 0) and (
        business_minutes_between(start=min(due, end), end=end, calendar=calendar) == 0
    )


@SETTINGS
@given(case=cases(), cuts=st.lists(st.integers(0, 8 * 1440), min_size=2, max_size=2))
def test_business_time_adds_up_over_consecutive_windows(
    case: tuple[BusinessCalendar, datetime, int], cuts: list[int]
) -> None:
    calendar, start, _ = case
    middle, end = (start + timedelta(minutes=c) for c in sorted(cuts))
    whole = business_minutes_between(start=start, end=end, calendar=calendar)
    parts = business_minutes_between(
        start=start, end=middle, calendar=calendar
    ) + business_minutes_between(start=middle, end=end, calendar=calendar)
    assert abs(whole - parts) < 1e-9
    assert 0 <= whole <= (end - start).total_seconds() / 60


@SETTINGS
@given(case=cases(), day=st.integers(-2, 12))
def test_a_holiday_date_counts_nothing(
    case: tuple[BusinessCalendar, datetime, int], day: int
) -> None:
    calendar, start, _ = case
    closed = start.astimezone(calendar.zone).date() + timedelta(days=day)
    holiday = BusinessCalendar(
        tz=calendar.tz, intervals=calendar.intervals, holidays=calendar.holidays | {closed}
    )
    midnight = datetime.combine(closed, datetime.min.time(), tzinfo=calendar.zone)
    next_midnight = datetime.combine(
        closed + timedelta(days=1), datetime.min.time(), tzinfo=calendar.zone
    )
    assert business_minutes_between(start=midnight, end=next_midnight, calendar=holiday) == 0


@settings(max_examples=25, deadline=None)
@given(case=cases(), offsets=st.lists(st.integers(0, 400 * 86400), min_size=1, max_size=50))
def test_the_batch_equals_one_at_a_time(
    case: tuple[BusinessCalendar, datetime, int], offsets: list[int]
) -> None:
    calendar, start, minutes = case
    instants = [start + timedelta(seconds=s) for s in offsets]
    batch = business_due_many(
        starts=np.array([t.replace(tzinfo=None) for t in instants], dtype="datetime64[us]"),
        minutes=minutes,
        calendar=calendar,
    )
    scalar = [business_due(start=t, minutes=minutes, calendar=calendar) for t in instants]
    assert list(batch) == [np.datetime64(d.replace(tzinfo=None), "us") for d in scalar]
