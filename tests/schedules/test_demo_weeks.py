"""The demo's schedules (#7): whatever the weekday the demo starts on, the plans' next seven days
are covered by published weeks, so the plan page never opens on "0 scheduled" for a day the plan
staffs (a Sunday start showed 385 of 392 intervals short and 2.3 % expected service)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from frontline.schedules import solve
from frontline.schedules.demo import demo_weeks, seed_schedules
from frontline.schedules.models import Schedule, ScheduleStatus
from frontline.schedules.outlook import plan_figures_as_scheduled
from frontline.workforce.models import (
    ForecastInterval,
    ForecastRun,
    IntervalKind,
    RunStatus,
    StaffingPlan,
)
from tests import factories as f

from .factories import next_monday, with_hours

pytestmark = pytest.mark.slow  # a demo build or schedule solves: started first (tests/conftest.py)

WEEKDAYS = [next_monday() + timedelta(days=7 + d) for d in range(7)]  # Monday to Sunday, a week ahead

_SHIFT_PLANS: dict[bytes, Any] = {}


@pytest.fixture(autouse=True)
def _one_solve_per_distinct_week(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The shift-choosing solve (3 s of CP-SAT's deterministic time per week, most of this module's time)
    runs once per distinct input in the module; a week asking again with the same input gets the same
    answer. The schedules solve by deterministic time on one worker, so a second solve of the same input
    returns exactly the first one's plan (tests/engine/test_scheduling.py
    ::test_deterministic_time_gives_the_same_plan_and_roster_each_time); the input here is mostly the
    same, as every week of these plans has the same demand. Everything after the engine (the roster, the
    shifts written, publishing, the plan's figures) runs for every week of every test. The key leaves out
    only ``time_limit_seconds``, the wall-clock safety limit, which depends on when the solve starts."""
    real = solve.shift_plan_service_level

    def shared(**kwargs: Any) -> Any:
        key = pickle.dumps(sorted((k, v) for k, v in kwargs.items() if k != "time_limit_seconds"))
        if key not in _SHIFT_PLANS:
            _SHIFT_PLANS[key] = real(**kwargs)
        return _SHIFT_PLANS[key]

    monkeypatch.setattr(solve, "shift_plan_service_level", shared)
    yield


@pytest.mark.parametrize("today", WEEKDAYS, ids=[d.strftime("%a") for d in WEEKDAYS])
def test_the_next_seven_days_and_the_whole_horizon_are_in_the_demo_weeks(today: date) -> None:
    weeks = demo_weeks(today)
    published = {w + timedelta(days=i) for w, p in weeks if p for i in range(7)}
    listed = {w + timedelta(days=i) for w, _ in weeks for i in range(7)}
    assert {today + timedelta(days=i) for i in range(7)} <= published
    assert {today + timedelta(days=i) for i in range(14)} <= listed
    assert [p for _, p in weeks][:3] == [True, True, True]


def _plan(team, today: date) -> StaffingPlan:  # type: ignore[no-untyped-def]
    """As the demo's: two weeks of history, then a 14-day forecast from ``today``; 3 contacts of
    10 min per 30 min, 9:00-17:00 every day."""
    zone = ZoneInfo(team.time_zone)
    run = ForecastRun.objects.create(name="Demo-like", team=team, time_zone=team.time_zone, interval_minutes=30,
                                     status=RunStatus.DONE, first_date=today, last_date=today + timedelta(days=13))
    rows = []
    for d in range(-14, 14):
        t = timezone.make_aware(datetime.combine(today + timedelta(days=d), time(9)), zone)
        kind = IntervalKind.HISTORY if d < 0 else IntervalKind.FORECAST
        for k in range(16):
            rows.append(ForecastInterval(run=run, kind=kind, starts_at=t + timedelta(minutes=30 * k),
                                         volume=3.0, handle_seconds=1800.0))
    ForecastInterval.objects.bulk_create(rows)
    return StaffingPlan.objects.create(name="Demo-like plan", forecast=run, threshold_s=600, target_sl=0.8,
                                       max_occupancy=0.85, shrinkage=0.2)


@pytest.mark.django_db
@pytest.mark.parametrize("today", WEEKDAYS, ids=[d.strftime("%a") for d in WEEKDAYS])
def test_a_demo_started_on_any_weekday_schedules_every_day_its_plan_staffs(today: date) -> None:
    team = f.team(name="Support")
    f.lead(leads=[team])
    for _ in range(6):
        with_hours(f.agent(teams=[team]), 40)
    plan = _plan(team, today)

    seed_schedules(plans=[plan], time_limit_s=5, today=today)

    assert Schedule.objects.filter(team=team, state=ScheduleStatus.PUBLISHED).count() == 3
    figures = plan_figures_as_scheduled(plan=plan)
    week = [d for d in figures.days if today <= d.day < today + timedelta(days=7)]
    assert len(week) == 7
    unscheduled = [d.day for d in week if d.summary.to_schedule_hours > 0 and not d.summary.scheduled_hours]
    assert unscheduled == []
    assert all(d.summary.sl_scheduled is not None and d.summary.sl_scheduled > 0.5 for d in week)


@pytest.mark.django_db
def test_a_week_whose_solve_ran_out_of_time_is_solved_again_with_longer_and_then_published(monkeypatch) -> None:
    """The demo published an empty Orders & Billing week: its roster had run out of time on a busy machine."""
    from frontline.schedules import demo

    today = WEEKDAYS[0]
    team = f.team(name="Support")
    f.lead(leads=[team])
    with_hours(f.agent(teams=[team]), 40)
    plan = _plan(team, today)
    limits: list[int] = []
    real = demo._solve_now

    def slow_first(schedule: Schedule) -> None:
        limits.append(schedule.time_limit_s)
        real(schedule)
        Schedule.objects.filter(pk=schedule.pk, time_limit_s=5).update(status=RunStatus.FAILED, error="ran out of time")

    monkeypatch.setattr(demo, "_solve_now", slow_first)
    seed_schedules(plans=[plan], time_limit_s=5, today=today)

    assert limits == [5, 10, 5, 10, 5, 10]  # last, this and next week: each solved again with twice the time
    assert Schedule.objects.filter(team=team, state=ScheduleStatus.PUBLISHED, status=RunStatus.DONE).count() == 3
