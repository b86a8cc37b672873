"""The optimiser end to end on small weeks: shifts written, rules kept, report numbers checked by hand."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from frontline.schedules.coverage import paid_hours
from frontline.schedules.models import (
    Objective,
    ScheduleStatus,
    ShiftChange,
    TimeOff,
    TimeOffStatus,
)
from frontline.schedules.tasks import schedule_solve
from frontline.workforce.models import ForecastInterval, RunStatus
from frontline.workforce.staffing import plan_intervals
from tests import factories as f

from .factories import eight_hour, next_monday, plan_for, schedule, with_hours

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _team():  # type: ignore[no-untyped-def]
    team = f.team()
    team.time_zone = "Europe/Berlin"
    team.save(update_fields=["time_zone"])
    return team


def _solve(s):  # type: ignore[no-untyped-def]
    schedule_solve.call(s.pk)
    s.refresh_from_db()
    return s


def test_solve_covers_a_small_week_with_named_shifts_and_writes_the_report():
    team = _team()
    agents = [with_hours(f.agent(teams=[team]), 40) for _ in range(3)]
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=1, days=5)  # 09-17, 1 head per interval
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))

    assert (s.status, s.error) == (RunStatus.DONE, "")
    shifts = list(s.shifts.order_by("starts_at"))
    assert len(shifts) == 5
    assert {timezone.localtime(x.starts_at, BERLIN).time() for x in shifts} == {time(9)}
    assert [timezone.localtime(x.starts_at, BERLIN).date() for x in shifts] == [week + timedelta(days=d) for d in range(5)]
    assert {x.agent_id for x in shifts} <= {a.pk for a in agents}
    assert s.report["staffed_hours"] == 40.0
    assert s.report["required_hours"] == 5 * 8 * 1.0
    assert s.report["shortfalls"] == []
    assert s.report["status"] == "OPTIMAL"
    assert ShiftChange.objects.filter(schedule=s, kind="generated").count() == 1


def test_call_weighted_service_level_matches_a_hand_computed_erlang_c():
    team = _team()
    with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=3, days=1, open_hours=(9, 10))
    first = ForecastInterval.objects.filter(run=plan.forecast).order_by("starts_at").first()
    first.volume, first.handle_seconds = 1, 300  # 1 call in 09:00, 3 calls in 09:30, AHT 300 s
    first.save(update_fields=["volume", "handle_seconds"])
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))

    # one agent on shift in both intervals. Erlang C with N = 1: P(wait) = A, SL = 1 - A * exp(-(1 - A) * 20 / 300)
    def sl(calls: float) -> float:
        a = calls * 300 / 1800
        return 1 - a * math.exp(-(1 - a) * 20 / 300)

    assert s.shifts.count() == 1
    assert s.report["service_level"] == pytest.approx((1 * sl(1) + 3 * sl(3)) / 4, abs=1e-4)


def test_max_hours_are_kept_and_the_rest_is_reported_short_not_failed():
    team = _team()
    agent = with_hours(f.agent(teams=[team]), 16)  # two 8 h shifts at most
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=1, days=5)
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))

    assert s.status == RunStatus.DONE
    assert sum(paid_hours(x) for x in s.shifts.filter(agent=agent)) == 16
    short_days = {row["day"] for row in s.report["shortfalls"]}
    assert len(short_days) == 3
    assert {row["short"] for row in s.report["shortfalls"]} == {1.0}
    assert all(row["label"].endswith("09:00\u201317:00") for row in s.report["shortfalls"])


def test_too_few_agents_for_the_requirement_reports_how_many_short():
    team = _team()
    with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=30, days=1)  # needs several heads
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))

    rows = plan_intervals(plan)
    assert s.status == RunStatus.DONE
    assert s.shifts.count() == 1
    assert s.report["shortfalls"][0]["short"] == rows[0].to_schedule - 1
    assert s.report["shortfalls"][0]["required"] == rows[0].to_schedule


def test_approved_time_off_is_respected_and_requested_time_off_is_not():
    team = _team()
    ana = with_hours(f.agent(teams=[team]), 40)
    bo = with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=1, days=2)
    eight_hour(earliest_start=time(9), latest_start=time(9))
    monday = timezone.make_aware(datetime.combine(week, time.min), BERLIN)
    TimeOff.objects.create(agent=ana, starts_at=monday, ends_at=monday + timedelta(days=2), status=TimeOffStatus.APPROVED)
    TimeOff.objects.create(agent=bo, starts_at=monday, ends_at=monday + timedelta(days=1), status=TimeOffStatus.REQUESTED)
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))

    assert s.shifts.filter(agent=ana).count() == 0
    assert s.shifts.filter(agent=bo).count() == 2
    assert s.report["shortfalls"] == []


def test_service_level_objective_meets_the_week_target_with_enough_agents():
    team = _team()
    for _ in range(4):
        with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=10, days=1)
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.SERVICE_LEVEL, time_limit_s=5))

    assert s.status == RunStatus.DONE
    assert s.report["service_level"] >= 0.8
    assert s.report["wall_seconds"] < 5 + 4  # the limit plus model building


def test_solving_again_replaces_the_shifts():
    team = _team()
    with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=3, days=1)
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan, objective=Objective.COVER, time_limit_s=5))
    s = _solve(s)
    assert s.shifts.count() == 1
    assert ShiftChange.objects.filter(schedule=s, kind="generated").last().payload["replaced"] == 1


def test_no_shift_types_fails_with_a_clear_message():
    team = _team()
    f.agent(teams=[team])
    week = next_monday()
    s = _solve(schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week)))
    assert s.status == RunStatus.FAILED
    assert "no active shift types" in s.error


def test_no_agents_fails_with_a_clear_message():
    team = _team()
    week = next_monday()
    eight_hour()
    s = _solve(schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week)))
    assert s.status == RunStatus.FAILED
    assert "no agents" in s.error


def test_a_published_schedule_is_not_solved_over():
    team = _team()
    f.agent(teams=[team])
    week = next_monday()
    eight_hour()
    s = _solve(schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week), state=ScheduleStatus.PUBLISHED))
    assert s.status == RunStatus.FAILED
    assert "unpublish" in s.error


def test_a_stage_without_a_solution_still_gives_a_report_json_can_hold():
    """Under load the roster stage can run out of time with no solution: its gap is NaN, which the
    report's JSON column refused (the demo's schedule failed with an integrity error)."""
    import json
    from types import SimpleNamespace

    from frontline.schedules.solve import build_report
    from frontline.workforce.staffing import Targets

    team = _team()
    s = schedule(team=team, plan=plan_for(team=team, week_start=next_monday()))
    stage = SimpleNamespace(status="UNKNOWN", gap=math.nan, wall_seconds=1.0)
    report = build_report(schedule=s, rows=[], minutes=30, targets=Targets.of(s.staffing_plan), shifts=[], zone=BERLIN,
                          solves=[("roster", stage)], wall_seconds=1.0, slot_minutes=30, unassigned=[])
    assert report["gap"] is None and report["stages"][0]["gap"] is None
    assert json.loads(json.dumps(report, allow_nan=False))["status"] == "UNKNOWN"


def test_a_roster_that_runs_out_of_time_leaves_the_shifts_as_they_were(monkeypatch):
    """Under load the roster stage found no solution in its time: the run replaced the week's
    shifts with none, said Done, and the demo published the empty week."""
    from types import SimpleNamespace

    from frontline.schedules import solve

    team = _team()
    with_hours(f.agent(teams=[team]), 40)
    week = next_monday()
    eight_hour(earliest_start=time(9), latest_start=time(9))
    s = _solve(schedule(team=team, week_start=week, plan=plan_for(team=team, week_start=week, volume=1, days=2),
                        objective=Objective.COVER, time_limit_s=5))
    assert s.shifts.count() == 2
    timed_out = SimpleNamespace(shifts=(), unassigned_agents=(), solve=SimpleNamespace(status="UNKNOWN", gap=math.nan, wall_seconds=1.0))
    monkeypatch.setattr(solve, "roster_assign", lambda **_kw: timed_out)
    s = _solve(s)
    assert s.status == RunStatus.FAILED
    assert "no solution assigning them to agents (unknown) within the time limit of 5 s" in s.error
    assert "Solve again with a longer time limit" in s.error
    assert s.shifts.count() == 2
    assert ShiftChange.objects.filter(schedule=s, kind="generated").count() == 1
