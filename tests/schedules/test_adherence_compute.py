"""Adherence and conformance on plain intervals, against hand-computed minutes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.schedules.adherence import (
    BREAK,
    OFF,
    WORK,
    Activity,
    Adherence,
    OutOfAdherence,
    StateChange,
    StateSpan,
    activities_for_shift,
    activity_timeline,
    adherence_compute,
    adherence_total,
    now_status,
    state_timeline,
)


def t(h: int, m: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 1, day, h, m, tzinfo=UTC)


NINE_TO_FIVE = activities_for_shift(starts_at=t(9), ends_at=t(17), breaks=[(t(12), t(12, 30))])
BRIEF_CHANGES = [
    StateChange(t(9, 5), "online", "offline"),
    StateChange(t(12, 10), "on_break", "online"),
    StateChange(t(12, 40), "online", "on_break"),
    StateChange(t(17), "offline", "online"),
]


def test_the_shift_splits_into_work_and_break() -> None:
    assert [Activity(t(9), t(12), WORK), Activity(t(12), t(12, 30), BREAK), Activity(t(12, 30), t(17), WORK)] == NINE_TO_FIVE


def test_the_worked_example_by_hand() -> None:
    # Scheduled: work 9-12 (180) + 12:30-17 (270) = 450 min; break 12-12:30 = 30 min; 480 in all.
    # In adherence: online in work 9:05-12:00 (175) + 12:40-17:00 (260); not online in the break 12:10-12:30 (20) = 455.
    # Out: 9:00-9:05 offline at work (5), 12:00-12:10 online in the break (10), 12:30-12:40 on break at work (10) = 25.
    # Worked (online): 9:05-12:10 (185) + 12:40-17:00 (260) = 445; conformance 445 / 450.
    states = state_timeline(start=t(0), end=t(0, day=6), changes=BRIEF_CHANGES, after="offline")
    r = adherence_compute(start=t(0), end=t(0, day=6), activities=NINE_TO_FIVE, states=states)
    assert (r.work_minutes, r.break_minutes, r.scheduled_minutes) == (450, 30, 480)
    assert r.in_adherence_minutes == 455
    assert r.out_minutes == 25
    assert r.adherence_pct == pytest.approx(100 * 455 / 480)  # 94.79 %
    assert r.worked_minutes == 445
    assert r.conformance_pct == pytest.approx(100 * 445 / 450)  # 98.89 %
    assert r.events == (
        OutOfAdherence(t(9), t(9, 5), WORK, "offline"),
        OutOfAdherence(t(12), t(12, 10), BREAK, "online"),
        OutOfAdherence(t(12, 30), t(12, 40), WORK, "on_break"),
    )


def test_any_state_but_online_is_in_adherence_on_a_break() -> None:
    for state in ("away", "on_break", "offline"):
        states = [StateSpan(t(12), t(12, 30), state)]
        r = adherence_compute(start=t(12), end=t(12, 30), activities=NINE_TO_FIVE, states=states)
        assert (r.break_minutes, r.in_adherence_minutes, r.worked_minutes) == (30, 30, 0)


def test_away_and_on_break_while_scheduled_to_work_are_out() -> None:
    states = [StateSpan(t(9), t(10), "away"), StateSpan(t(10), t(11), "on_break"), StateSpan(t(11), t(12), "online")]
    r = adherence_compute(start=t(9), end=t(12), activities=NINE_TO_FIVE, states=states)
    assert (r.in_adherence_minutes, r.out_minutes) == (60, 120)
    assert [(e.state, e.minutes) for e in r.events] == [("away", 60), ("on_break", 60)]


def test_the_state_before_the_window_is_the_first_changes_previous() -> None:
    # The first change in the window (12:10, online → on_break) says the agent was online before it.
    changes = [c for c in BRIEF_CHANGES if c.at >= t(12)]
    assert state_timeline(start=t(12), end=t(13), changes=changes, after="offline") == [
        StateSpan(t(12), t(12, 10), "online"), StateSpan(t(12, 10), t(12, 40), "on_break"), StateSpan(t(12, 40), t(13), "online"),
    ]


def test_without_a_change_in_the_window_the_fallback_state_holds() -> None:
    assert state_timeline(start=t(13), end=t(14), changes=[], after="online") == [StateSpan(t(13), t(14), "online")]


def test_a_change_before_the_window_wins_over_the_previous_of_the_next() -> None:
    changes = [StateChange(t(8), "away", "offline"), StateChange(t(10), "online", "offline")]
    assert state_timeline(start=t(9), end=t(11), changes=changes, after="offline") == [
        StateSpan(t(9), t(10), "away"), StateSpan(t(10), t(11), "online"),
    ]


def test_a_window_that_cuts_the_shift_counts_only_its_part() -> None:
    # 11:00-13:00 of the worked example: work 11-12 (60) and 12:30-13 (30), break 30.
    states = state_timeline(start=t(11), end=t(13), changes=[c for c in BRIEF_CHANGES if t(11) <= c.at < t(13)], after="offline")
    r = adherence_compute(start=t(11), end=t(13), activities=NINE_TO_FIVE, states=states)
    # In: 11-12 online (60), 12:10-12:30 on break (20), 12:40-13 online (20) = 100; out: 10 + 10.
    assert (r.work_minutes, r.break_minutes, r.in_adherence_minutes, r.out_minutes) == (90, 30, 100, 20)
    # Online 11:00-12:10 (70) + 12:40-13:00 (20).
    assert r.worked_minutes == 90


def test_an_overnight_shift_splits_across_days() -> None:
    night = activities_for_shift(starts_at=t(22), ends_at=t(6, day=6), breaks=[(t(2, day=6), t(2, 30, day=6))])
    states = [StateSpan(t(21), t(6, 10, day=6), "online")]
    first = adherence_compute(start=t(0), end=t(0, day=6), activities=night, states=states)
    second = adherence_compute(start=t(0, day=6), end=t(0, day=7), activities=night, states=states)
    assert (first.work_minutes, first.break_minutes, first.in_adherence_minutes) == (120, 0, 120)
    assert first.worked_minutes == 180  # online from 21:00: an hour before the shift counts as work done
    # Day two: work 0-2 and 2:30-6 (330), break 30 online (out); online until 6:10.
    assert (second.work_minutes, second.break_minutes, second.in_adherence_minutes, second.out_minutes) == (330, 30, 330, 30)
    assert second.worked_minutes == 370
    whole = adherence_total([first, second])
    assert whole.adherence_pct == pytest.approx(100 * 450 / 480)
    assert whole.conformance_pct == pytest.approx(100 * 550 / 450)  # above 100 %: worked longer than scheduled


def test_an_agent_without_shifts_has_no_percentages_but_worked_time() -> None:
    r = adherence_compute(start=t(9), end=t(17), activities=[], states=[StateSpan(t(9), t(17), "online")])
    assert (r.scheduled_minutes, r.adherence_pct, r.conformance_pct, r.worked_minutes) == (0, None, None, 480)
    assert r.is_measured and not Adherence().is_measured


def test_overlapping_shifts_count_each_minute_once_and_work_wins() -> None:
    second = activities_for_shift(starts_at=t(11), ends_at=t(13), breaks=[])
    merged = activity_timeline([*NINE_TO_FIVE, *second])
    assert merged == [Activity(t(9), t(17), WORK)]


def test_breaks_are_clipped_to_the_shift() -> None:
    assert activities_for_shift(starts_at=t(9), ends_at=t(10), breaks=[(t(9, 45), t(10, 15))]) == [
        Activity(t(9), t(9, 45), WORK), Activity(t(9, 45), t(10), BREAK)]
    with pytest.raises(ValueError, match="ends_at"):
        activities_for_shift(starts_at=t(10), ends_at=t(9), breaks=[])


def test_team_totals_weigh_minutes_not_agents() -> None:
    # 8 h at 50 % and 1 h at 100 %: the mean of the percentages would be 75 %, the minute-weighted total is 5.5 / 9.
    long = Adherence(work_minutes=480, in_adherence_minutes=240, worked_minutes=240)
    short = Adherence(work_minutes=60, in_adherence_minutes=60, worked_minutes=60)
    assert adherence_total([long, short]).adherence_pct == pytest.approx(100 * 300 / 540)


def test_now_respects_the_grace_but_counts_from_the_first_minute_out() -> None:
    # Online from 9:00, offline since 10:03; at 10:07 the agent is 4 minutes out: within a 5-minute grace.
    states = [StateSpan(t(8), t(9), "offline"), StateSpan(t(9), t(10, 3), "online"), StateSpan(t(10, 3), t(10, 7), "offline")]
    status = now_status(now=t(10, 7), activities=NINE_TO_FIVE, states=states, grace=5)
    assert (status.activity, status.out_since, status.out_minutes) == (WORK, t(10, 3), 4)
    assert status.in_grace and not status.alert
    later = [*states[:2], StateSpan(t(10, 3), t(10, 10), "offline")]
    late = now_status(now=t(10, 10), activities=NINE_TO_FIVE, states=later, grace=5)
    assert late.alert and late.minutes_beyond_grace == 2
    # The percentages ignore the grace: those 7 minutes are out of adherence.
    assert adherence_compute(start=t(10), end=t(10, 10), activities=NINE_TO_FIVE, states=later).out_minutes == 7


def test_now_joins_a_run_out_of_adherence_across_states() -> None:
    # Away from 9:50, then offline from 10:00: out since 9:50, 20 minutes at 10:10.
    states = [StateSpan(t(9), t(9, 50), "online"), StateSpan(t(9, 50), t(10), "away"), StateSpan(t(10), t(10, 10), "offline")]
    status = now_status(now=t(10, 10), activities=NINE_TO_FIVE, states=states, grace=5)
    assert (status.out_since, status.out_minutes, status.rank) == (t(9, 50), 20, 0)


def test_now_off_shift_is_not_measured() -> None:
    status = now_status(now=t(18), activities=NINE_TO_FIVE, states=[StateSpan(t(17), t(18), "online")], grace=5)
    assert (status.activity, status.measured, status.in_adherence, status.alert, status.rank) == (OFF, False, True, False, 3)


def test_an_empty_or_reversed_window_measures_nothing() -> None:
    assert adherence_compute(start=t(10), end=t(10), activities=NINE_TO_FIVE, states=[]) == Adherence()
    assert state_timeline(start=t(10), end=t(9), changes=BRIEF_CHANGES, after="online") == []
    # Time the states leave uncovered counts as offline: only the break is in adherence.
    assert adherence_compute(start=t(9), end=t(17), activities=NINE_TO_FIVE, states=[]).in_adherence_minutes == 30


def test_the_module_docstring_example_holds() -> None:
    import doctest

    import frontline.schedules.adherence as module

    result = doctest.testmod(module)
    assert (result.attempted > 0, result.failed) == (True, 0)
