"""Hand-worked business-time values and argument checks (frontline/engine/businesstime/).

Every expected value below is worked out by hand in the comment next to it; the naive
minute-stepping reference and hypothesis properties are in test_businesstime_properties.py.
"""

from __future__ import annotations

import doctest
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

import frontline.engine.businesstime as businesstime
from frontline.engine.businesstime import (
    BusinessCalendar,
    Pause,
    WorkingInterval,
    arithmetic,
    business_due,
    business_due_many,
    business_minutes_between,
    calendar,
    calendar_from_dict,
    calendar_from_json,
    config,
    is_open,
    reference,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
NINE_TO_FIVE = {str(d): [["09:00", "17:00"]] for d in range(5)}


def cal(tz: str = "Europe/Berlin", hours: object = None, **extra: object) -> BusinessCalendar:
    return calendar_from_dict(
        {"tz": tz, "hours": NINE_TO_FIVE if hours is None else hours, **extra}
    )


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone)  # type: ignore[misc]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


def due(calendar: BusinessCalendar, start: datetime, minutes: float, *pauses: Pause) -> datetime:
    return business_due(start=start, minutes=minutes, calendar=calendar, pauses=pauses)


def between(calendar: BusinessCalendar, start: datetime, end: datetime, *pauses: Pause) -> float:
    return business_minutes_between(start=start, end=end, calendar=calendar, pauses=pauses)


# --- reference values ---------------------------------------------------------------------


def test_christmas_in_berlin_skips_the_holidays_and_the_weekend() -> None:
    # Thu 24 Dec 16:00 CET: 60 min to 17:00; Fri 25 and Sat 26 are German holidays, Sun 27
    # closed; Mon 28 09:00-10:00 CET gives the other 60 -> 10:00 CET = 09:00 UTC.
    german = cal(country="DE")
    assert due(german, local(BERLIN, 2026, 12, 24, 16), 120) == utc(2026, 12, 28, 9)


def test_a_custom_holiday_closes_its_whole_local_date() -> None:
    # With 24 Dec closed too the clock starts Mon 28 Dec 09:00 CET: due 11:00 CET = 10:00 UTC.
    closed_eve = cal(country="DE", holidays=["2026-12-24"])
    assert due(closed_eve, local(BERLIN, 2026, 12, 24, 16), 120) == utc(2026, 12, 28, 10)
    assert between(closed_eve, local(BERLIN, 2026, 12, 24), local(BERLIN, 2026, 12, 25)) == 0


def test_a_weekend_is_closed() -> None:
    # Fri 4 Dec 16:30 CET: 30 min to 17:00, Mon 7 Dec 09:00-09:30 CET -> 08:30 UTC.
    assert due(cal(), local(BERLIN, 2026, 12, 4, 16, 30), 60) == utc(2026, 12, 7, 8, 30)
    assert between(cal(), local(BERLIN, 2026, 12, 4, 17), local(BERLIN, 2026, 12, 7, 9)) == 0


SPLIT = {"0": [["09:00", "12:00"], ["13:00", "17:00"]]}


def test_a_split_shift_skips_the_lunch_break() -> None:
    # Mon 7 Dec 11:00: 11:00-12:00 (60) then 13:00-14:00 (60) -> 14:00 CET = 13:00 UTC.
    assert due(cal(hours=SPLIT), local(BERLIN, 2026, 12, 7, 11), 120) == utc(2026, 12, 7, 13)
    # 11:30 to 13:30: 30 + 30 minutes.
    assert (
        between(
            cal(hours=SPLIT), local(BERLIN, 2026, 12, 7, 11, 30), local(BERLIN, 2026, 12, 7, 13, 30)
        )
        == 60
    )


def test_a_target_ending_at_a_closing_time_is_due_at_the_closing_time() -> None:
    # Mon 11:00 + 60 min ends exactly at 12:00: due 12:00 CET, not 13:00.
    assert due(cal(hours=SPLIT), local(BERLIN, 2026, 12, 7, 11), 60) == local(
        BERLIN, 2026, 12, 7, 12
    )


def test_a_start_in_closed_time_starts_the_clock_at_the_next_opening() -> None:
    # Sun 6 Dec 20:00 -> Mon 09:00 + 30 min = 09:30 CET.
    assert due(cal(), local(BERLIN, 2026, 12, 6, 20), 30) == local(BERLIN, 2026, 12, 7, 9, 30)


@pytest.mark.parametrize(
    "hours",
    [
        {"4": [["22:00", "06:00"]]},  # crosses midnight, written once
        {"4": [["22:00", "24:00"]], "5": [["00:00", "06:00"]]},  # the same night, split
    ],
)
def test_a_night_shift_runs_through_midnight(hours: dict[str, object]) -> None:
    night = cal(hours=hours)
    # Fri 4 Dec 21:00: closed until 22:00; 22:00-24:00 (120) + Sat 00:00-01:00 (60).
    assert due(night, local(BERLIN, 2026, 12, 4, 21), 180) == local(BERLIN, 2026, 12, 5, 1)
    # A whole night is 8 hours.
    assert between(night, local(BERLIN, 2026, 12, 4), local(BERLIN, 2026, 12, 6)) == 480


def test_a_holiday_closes_the_after_midnight_part_of_a_night_shift() -> None:
    # Night Thu 24 Dec 22:00 -> Fri 06:00 with 25 Dec closed: only 22:00-24:00 counts (120).
    night = cal(hours={"3": [["22:00", "06:00"]]}, holidays=["2026-12-25"])
    assert between(night, local(BERLIN, 2026, 12, 24), local(BERLIN, 2026, 12, 27)) == 120


def test_a_night_shift_from_sunday_wraps_into_monday() -> None:
    night = cal(hours={"6": [["23:00", "01:00"]]})
    # Sun 6 Dec 23:00 + 90 min = Mon 7 Dec 00:30 CET.
    assert due(night, local(BERLIN, 2026, 12, 6, 12), 90) == local(BERLIN, 2026, 12, 7, 0, 30)


ALL_DAY = "24x7"


@pytest.mark.parametrize(
    ("zone", "day", "minutes"),
    [
        (BERLIN, date(2026, 3, 29), 23 * 60),  # 02:00 CET -> 03:00 CEST: a 23-hour day
        (BERLIN, date(2026, 10, 25), 25 * 60),  # 03:00 CEST -> 02:00 CET: a 25-hour day
        (NEW_YORK, date(2026, 3, 8), 23 * 60),  # 02:00 EST -> 03:00 EDT
        (NEW_YORK, date(2026, 11, 1), 25 * 60),  # 02:00 EDT -> 01:00 EST
        (LORD_HOWE, date(2026, 4, 5), 24 * 60 + 30),  # 02:00 +11 -> 01:30 +10:30
        (LORD_HOWE, date(2026, 10, 4), 24 * 60 - 30),  # 02:00 +10:30 -> 02:30 +11
        (BERLIN, date(2026, 6, 1), 24 * 60),
    ],
)
def test_a_whole_local_day_follows_dst(zone: ZoneInfo, day: date, minutes: int) -> None:
    always = cal(tz=str(zone), hours=ALL_DAY)
    start = datetime.combine(day, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=zone)
    assert between(always, start, end) == minutes
    assert due(always, start, minutes) == end.astimezone(UTC)


@pytest.mark.parametrize(
    ("day", "minutes"),
    [
        (date(2026, 3, 28), 2 * 60 + 5 * 60),  # Sat 22-24, Sun 00-06 without 02:00-03:00
        (date(2026, 10, 24), 2 * 60 + 7 * 60),  # Sat 22-24, Sun 00-06 with 02:00-03:00 twice
    ],
)
def test_a_night_shift_across_a_berlin_dst_change(day: date, minutes: int) -> None:
    night = cal(hours={"5": [["22:00", "06:00"]]})
    start = datetime.combine(day, datetime.min.time(), tzinfo=BERLIN)
    assert between(night, start, start + timedelta(days=2)) == minutes


@pytest.mark.parametrize(
    ("day", "minutes"),
    [
        (date(2026, 3, 29), 120),  # 02:30 does not exist: open 03:00-05:00 CEST
        (date(2026, 10, 25), 180),  # 02:30-03:00 CEST, then the wall clock repeats: 02:30-05:00 CET
    ],
)
def test_an_interval_starting_in_a_dst_gap_or_fold(day: date, minutes: int) -> None:
    sunday = cal(hours={"6": [["02:30", "05:00"]]})
    start = datetime.combine(day, datetime.min.time(), tzinfo=BERLIN)
    assert between(sunday, start, start + timedelta(days=1)) == minutes


def test_a_due_time_jumps_the_spring_forward_gap() -> None:
    # Sun 29 Mar 01:30 CET (00:30 UTC) + 60 min: 30 min to 02:00 CET, then 03:00 CEST + 30.
    always = cal(hours=ALL_DAY)
    assert due(always, local(BERLIN, 2026, 3, 29, 1, 30), 60) == utc(2026, 3, 29, 1, 30)


def test_new_york_office_hours_keep_their_local_time_across_dst() -> None:
    # Fri 6 Mar 16:00 EST + 120: 60 min Friday, Mon 9 Mar 09:00-10:00 EDT -> 14:00 UTC.
    office = cal(tz="America/New_York")
    assert due(office, local(NEW_YORK, 2026, 3, 6, 16), 120) == utc(2026, 3, 9, 14)


def test_the_repeated_hour_of_a_fall_back_counts_twice() -> None:
    # Sun 1 Nov 01:00-02:00 is lived twice in New York: 120 minutes of business time.
    night = cal(tz="America/New_York", hours={"6": [["01:00", "02:00"]]})
    start = local(NEW_YORK, 2026, 11, 1)
    assert between(night, start, start + timedelta(days=1)) == 120


# --- pauses ------------------------------------------------------------------------------


def pause(zone: ZoneInfo, start: tuple[int, ...], end: tuple[int, ...]) -> Pause:
    return Pause(start=local(zone, *start), end=local(zone, *end))


def test_a_pause_covering_the_start_starts_the_clock_when_it_ends() -> None:
    # Mon 7 Dec 10:00, paused 09:00-11:00: 11:00 + 60 = 12:00 CET.
    paused = pause(BERLIN, (2026, 12, 7, 9), (2026, 12, 7, 11))
    assert due(cal(), local(BERLIN, 2026, 12, 7, 10), 60, paused) == local(BERLIN, 2026, 12, 7, 12)


def test_pauses_may_overlap_each_other_and_closed_time() -> None:
    # Mon 15:00: 60 min to 16:00, paused 16:00-Tue 10:00 (two overlapping pauses through the
    # night), 60 min more -> Tue 11:00 CET.
    first = pause(BERLIN, (2026, 12, 7, 16), (2026, 12, 7, 18))
    second = pause(BERLIN, (2026, 12, 7, 17, 30), (2026, 12, 8, 10))
    start = local(BERLIN, 2026, 12, 7, 15)
    assert due(cal(), start, 120, second, first) == local(BERLIN, 2026, 12, 8, 11)
    assert between(cal(), start, local(BERLIN, 2026, 12, 8, 11), first, second) == 120


def test_a_target_reached_as_a_pause_begins_is_due_then() -> None:
    paused = pause(BERLIN, (2026, 12, 7, 10), (2026, 12, 7, 11))
    assert due(cal(), local(BERLIN, 2026, 12, 7, 9), 60, paused) == local(BERLIN, 2026, 12, 7, 10)


def test_pauses_before_the_start_or_after_the_end_do_not_count() -> None:
    early = pause(BERLIN, (2026, 12, 1, 9), (2026, 12, 1, 17))
    late = pause(BERLIN, (2026, 12, 9, 9), (2026, 12, 9, 17))
    start, end = local(BERLIN, 2026, 12, 7, 9), local(BERLIN, 2026, 12, 7, 17)
    assert between(cal(), start, end, early, late) == 480
    assert between(cal(), start, end, pause(BERLIN, (2026, 12, 7, 10), (2026, 12, 7, 11))) == 420


def test_fractional_minutes_work_to_the_microsecond() -> None:
    start = local(BERLIN, 2026, 12, 7, 9)
    assert due(cal(), start, 1.5) == start + timedelta(seconds=90)
    assert between(cal(), start, start + timedelta(seconds=1, microseconds=500)) == pytest.approx(
        1.0005 / 60, abs=1e-12
    )


def test_is_open_is_half_open_at_the_edges() -> None:
    office = cal()
    assert [
        is_open(at=local(BERLIN, 2026, 12, 7, 9), calendar=office),
        is_open(at=local(BERLIN, 2026, 12, 7, 8, 59, 59), calendar=office),
        is_open(at=local(BERLIN, 2026, 12, 7, 17), calendar=office),
    ] == [True, False, False]


def test_the_batch_gives_the_scalar_answers() -> None:
    office = cal(hours=SPLIT | {"4": [["22:00", "06:00"]]}, country="DE")
    rng = np.random.default_rng(7)
    starts = np.datetime64("2026-01-01T00:00:00", "s") + rng.integers(0, 365 * 86400, 500).astype(
        "timedelta64[s]"
    )
    minutes = rng.uniform(0.01, 5000, 500)
    batch = business_due_many(starts=starts, minutes=minutes, calendar=office)
    one_by_one = [
        business_due(
            start=datetime.fromtimestamp(int(s.astype(np.int64)), UTC),
            minutes=float(m),
            calendar=office,
        )
        for s, m in zip(starts, minutes, strict=True)
    ]
    assert [np.datetime64(d.replace(tzinfo=None), "us") for d in one_by_one] == list(batch)


def test_an_empty_batch_is_empty() -> None:
    empty = business_due_many(
        starts=np.array([], dtype="datetime64[s]"), minutes=[], calendar=cal()
    )
    assert (empty.dtype, empty.size) == (np.dtype("datetime64[us]"), 0)


def test_equal_calendars_are_equal_whatever_their_memo() -> None:
    warm = cal()
    due(warm, utc(2026, 1, 1), 600)
    assert (warm == cal(), hash(warm) == hash(cal())) == (True, True)


def test_answers_do_not_depend_on_what_the_calendar_was_asked_before() -> None:
    # One calendar asked in an order that grows its memo forward, backward and far away
    # (rebuilt from scratch) gives the answers of a fresh calendar for every question.
    starts = [utc(2026, 6, 1), utc(2026, 1, 1), utc(2027, 3, 1), utc(1990, 5, 5), utc(2026, 6, 1)]
    shared = cal(hours=SPLIT, country="DE")
    asked = [due(shared, start, 900) for start in starts]
    assert asked == [due(cal(hours=SPLIT, country="DE"), start, 900) for start in starts]


def test_a_subdivision_adds_its_regional_holidays() -> None:
    # 8 March (International Women's Day) is a public holiday in Berlin only; in 2027 a Monday.
    monday = local(BERLIN, 2027, 3, 8, 9)
    assert (
        due(cal(country="DE"), monday, 60),
        due(cal(country="DE", subdivision="BE"), monday, 60),
    ) == (local(BERLIN, 2027, 3, 8, 10), local(BERLIN, 2027, 3, 9, 10))


def test_a_calendar_of_holidays_only_for_a_while_still_finds_its_due_time() -> None:
    closed = [f"2026-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)]
    sparse = cal(hours=ALL_DAY, holidays=closed)
    # The first open day in 2026 is 29 January.
    assert due(sparse, utc(2026, 1, 1), 60) == local(BERLIN, 2026, 1, 29, 1)


def test_far_future_targets_are_refused_by_name() -> None:
    with pytest.raises(ValueError, match="minutes: the due time would fall after the year 9998"):
        due(cal(hours={"0": [["09:00", "09:01"]]}), utc(9990, 1, 1), 10_000_000)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (0, "minutes must be > 0"),
        (-5, "minutes must be > 0"),
        (float("nan"), "minutes must be finite"),
        (float("inf"), "minutes must be finite"),
        (True, "minutes must be a number"),
        ("60", "minutes must be a number"),
        (10_000_001, "minutes must be at most 10,000,000"),
        (1e-9, "minutes must be at least one microsecond"),
    ],
)
def test_bad_targets_are_refused_by_name(minutes: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        due(cal(), utc(2026, 1, 1), minutes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: due(cal(), datetime(2026, 1, 1), 5),
            "start must be timezone-aware: give an offset",
        ),
        (lambda: due(cal(), "2026-01-01", 5), "start must be a datetime"),  # type: ignore[arg-type]
        (lambda: business_due(start=utc(2026, 1, 1), minutes=5, calendar="c"), "calendar must be"),  # type: ignore[arg-type]
        (lambda: due(cal(), utc(2026, 1, 1), 5, "x"), r"pauses\[0\] must be a Pause"),  # type: ignore[arg-type]
        (
            lambda: between(cal(), utc(2026, 1, 2), utc(2026, 1, 1)),
            "end .* must not be before start",
        ),
        (
            lambda: between(cal(), utc(2026, 1, 1), datetime(2026, 1, 2)),
            "end must be timezone-aware",
        ),
        (lambda: is_open(at=datetime(2026, 1, 1), calendar=cal()), "at must be timezone-aware"),
        (
            lambda: is_open(at=datetime(1, 1, 1, tzinfo=UTC), calendar=cal()),
            "at: instants must lie in the years 2 to 9998",
        ),
        (
            lambda: Pause(start=utc(2026, 1, 1), end=utc(2026, 1, 1)),
            "pause end .* must be after its start",
        ),
        (
            lambda: Pause(start=datetime(2026, 1, 1), end=utc(2026, 1, 2)),
            "pause start must be timezone-aware",
        ),
        (lambda: Pause(start=utc(2026, 1, 1), end="later"), "pause end must be a datetime"),  # type: ignore[arg-type]
        (lambda: WorkingInterval(weekday=7, start=0, end=60), "weekday must be in 0..6"),
        (lambda: WorkingInterval(weekday=0, start=1440, end=60), "start must be in 0..1439"),
        (lambda: WorkingInterval(weekday=0, start=60, end=60), "empty: start equals end"),
        (lambda: WorkingInterval(weekday=0, start=1.5, end=60), "start must be a whole number"),  # type: ignore[arg-type]
        (
            lambda: BusinessCalendar(tz="Europe/Berlin", intervals=()),
            "intervals: the calendar has no working time",
        ),
        (
            lambda: BusinessCalendar(
                tz="Mars/Olympus", intervals=(WorkingInterval(weekday=0, start=0, end=1),)
            ),
            "tz: unknown time zone",
        ),
        (
            lambda: BusinessCalendar(
                tz="", intervals=(WorkingInterval(weekday=0, start=0, end=1),)
            ),
            "tz must be an IANA",
        ),
        (
            lambda: BusinessCalendar(tz="UTC", intervals=((0, 1, 2),)),
            "intervals must be WorkingInterval",
        ),  # type: ignore[arg-type]
        (
            lambda: BusinessCalendar.always_open(tz="UTC", holidays=["2026-12-25"]),
            "holidays must be dates",
        ),  # type: ignore[list-item]
        (lambda: BusinessCalendar.always_open(tz="UTC", holiday_country="XX"), "holiday_country"),
        (
            lambda: BusinessCalendar.always_open(
                tz="UTC", holiday_country="DE", holiday_subdivision="ZZ"
            ),
            "holiday_country/holiday_subdivision",
        ),
        (
            lambda: BusinessCalendar.always_open(tz="UTC", holiday_subdivision="BE"),
            "holiday_subdivision needs holiday_country",
        ),
        (
            lambda: business_due_many(starts=[1, 2], minutes=5, calendar=cal()),
            "starts must be datetime64",
        ),
        (
            lambda: business_due_many(
                starts=np.array(["NaT"], dtype="datetime64[s]"), minutes=5, calendar=cal()
            ),
            "starts must not contain NaT",
        ),
        (
            lambda: business_due_many(
                starts=np.array(["2026-01-01"], dtype="datetime64[s]"), minutes=0, calendar=cal()
            ),
            "minutes must be finite, > 0",
        ),
        (
            lambda: business_due_many(
                starts=np.array(["2026-01-01"] * 2, dtype="datetime64[s]"),
                minutes=[1, 2, 3],
                calendar=cal(),
            ),
            "minutes must be numbers, one per start",
        ),
        (
            lambda: business_due_many(
                starts=np.array(["9998-12-01"], dtype="datetime64[s]"),
                minutes=10_000_000,
                calendar=cal(),
            ),
            "due times must fall in the years 2 to 9998",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (
            {"0": [["09:00", "12:00"], ["11:00", "13:00"]]},
            "Monday 11:00-13:00 overlaps Monday 09:00-12:00 on Monday",
        ),
        ({"0": [["09:00", "12:00"], ["09:00", "12:00"]]}, "overlaps"),
        (
            {"4": [["22:00", "06:00"]], "5": [["05:00", "07:00"]]},
            "Saturday 05:00-07:00 overlaps Friday 22:00-06:00 on Saturday",
        ),
        (
            {"6": [["22:00", "02:00"]], "0": [["01:00", "03:00"]]},
            "overlaps Sunday 22:00-02:00 on Monday",
        ),
        ({"0": [["09:00", "09:00"]]}, "start equals end"),
        ({"0": [["24:00", "09:00"]]}, "24:00 is only allowed as an end"),
        ({"0": [["9:00", "17:00"]]}, r"hours\['0'\]\[0\] start must be a local time \"HH:MM\""),
        ({"0": [["09:00", "24:30"]]}, "end must be a local time"),
        ({"0": [["09:00"]]}, r"must be a \[\"HH:MM\", \"HH:MM\"\] pair"),
        ({"0": "09:00-17:00"}, "must be a list of"),
        ({"7": [["09:00", "17:00"]]}, "weekday key '7' must be 0"),
        ({}, "hours: the calendar has no working time"),
        ({"0": []}, "hours: the calendar has no working time"),
        ("9to5", "hours must be an object"),
    ],
)
def test_bad_calendar_hours_are_refused(hours: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calendar_from_dict({"tz": "Europe/Berlin", "hours": hours})


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "must be a JSON object"),
        ('{"hours": "24x7"}', "missing 'tz'"),
        ('{"tz": "UTC"}', "missing 'hours'"),
        ('{"tz": "UTC", "hours": "24x7", "timezone": "UTC"}', "unknown key.*'timezone'"),
        ('{"tz": 1, "hours": "24x7"}', "tz must be a time zone name"),
        ('{"tz": "UTC", "hours": "24x7", "holidays": "2026-12-25"}', "holidays must be a list"),
        (
            '{"tz": "UTC", "hours": "24x7", "holidays": ["25.12.2026"]}',
            r"holidays\[0\] must be a date",
        ),
        (
            '{"tz": "UTC", "hours": "24x7", "holidays": ["2026-02-30"]}',
            r"holidays\[0\] must be a date",
        ),
        ('{"tz": "UTC", "hours": "24x7", "country": 49}', "country must be a string"),
        ('{"tz": "UTC", "hours": "24x7", "country": "XX"}', "holiday_country"),
    ],
)
def test_bad_calendar_documents_are_refused(document: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        calendar_from_json(document)


def test_a_calendar_document_reads_every_field() -> None:
    parsed = calendar_from_json(
        '{"tz": "Europe/Berlin", "hours": {"0": [["09:00", "12:00"], ["13:00", "17:00"]],'
        ' "4": [["22:00", "06:00"]]}, "holidays": ["2026-12-24"], "country": "DE",'
        ' "subdivision": "BE"}'
    )
    assert parsed == BusinessCalendar(
        tz="Europe/Berlin",
        intervals=(
            WorkingInterval(weekday=0, start=540, end=720),
            WorkingInterval(weekday=0, start=780, end=1020),
            WorkingInterval(weekday=4, start=1320, end=360),
        ),
        holidays=frozenset({date(2026, 12, 24)}),
        holiday_country="DE",
        holiday_subdivision="BE",
    )
    assert (parsed.weekly_minutes, parsed.intervals[2].crosses_midnight) == (420 + 480, True)


def test_an_end_of_midnight_is_the_end_of_the_day() -> None:
    assert (
        cal(hours={"0": [["22:00", "00:00"]]}).segments
        == cal(hours={"0": [["22:00", "24:00"]]}).segments
    )


# --- module hygiene -------------------------------------------------------------------------


@pytest.mark.parametrize("module", [businesstime, arithmetic, calendar, config])
def test_docstring_examples_run(module: object) -> None:
    assert doctest.testmod(module).failed == 0  # type: ignore[arg-type]


def test_the_engine_does_not_import_django() -> None:
    code = (
        "import sys, frontline.engine.businesstime, frontline.engine.businesstime.reference; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_the_reference_refuses_instants_off_the_minute() -> None:
    with pytest.raises(ValueError, match="whole minutes"):
        reference.naive_due(start=utc(2026, 1, 1, 0, 0, 30), minutes=5, calendar=cal())
