"""Rows for the staffing and what-if tests: finished forecasts, plans, schedules and shifts,
written directly (the forecast and schedule builders are other packages' work)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from frontline.people.models import Team, User
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from frontline.workforce.models import (
    ForecastInterval,
    ForecastRun,
    IntervalKind,
    RunStatus,
    StaffingPlan,
)
from frontline.workforce.plans import PlanTargets, staffing_plan_create

DAY = date(2026, 3, 2)  # a Monday
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def forecast(*, rows: Sequence[tuple[datetime, float, float | None]] = (), team: Team | None = None,
             status: str = RunStatus.DONE, minutes: int = 30, first_date: date | None = DAY,
             last_date: date | None = DAY, time_zone: str = "UTC", name: str = "Forecast",
             **extra: Any) -> ForecastRun:
    """A forecast run with ``rows`` of (starts_at, volume, handle_seconds) as forecast intervals."""
    run = ForecastRun.objects.create(name=name, team=team, status=status, interval_minutes=minutes,
                                     first_date=first_date, last_date=last_date, time_zone=time_zone, **extra)
    ForecastInterval.objects.bulk_create([
        ForecastInterval(run=run, kind=IntervalKind.FORECAST, starts_at=t, volume=v, handle_seconds=h,
                         lower=v * 0.8, upper=v * 1.2)
        for t, v, h in rows
    ])
    return run


def day_rows(day: date = DAY, *, minutes: int = 30, volume: float = 100, aht_s: float = 180,
             open_hour: int = 9, close_hour: int = 17) -> list[tuple[datetime, float, float | None]]:
    """A whole day of intervals: ``volume`` contacts with ``aht_s`` while open, zero otherwise."""
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    rows = []
    for i in range(24 * 60 // minutes):
        t = start + timedelta(minutes=i * minutes)
        is_open = open_hour <= t.hour < close_hour
        rows.append((t, volume if is_open else 0.0, volume * aht_s if is_open else 0.0))
    return rows


def plan(run: ForecastRun, *, actor: User | None = None, name: str = "Plan", **targets: Any) -> StaffingPlan:
    defaults = {"threshold_s": 20, "target_sl": 0.8, "max_occupancy": None, "shrinkage": 0.3}
    return staffing_plan_create(forecast=run, name=name, targets=PlanTargets(**{**defaults, **targets}), actor=actor)


def schedule(team: Team, *, state: str = ScheduleStatus.PUBLISHED, week_start: date = DAY) -> Schedule:
    return Schedule.objects.create(team=team, week_start=week_start, state=state, status=RunStatus.DONE)


def shift(sched: Schedule, agent: User, start: datetime, end: datetime, *,
          breaks: Sequence[tuple[datetime, datetime, bool]] = ()) -> Shift:
    return Shift.objects.create(
        schedule=sched, agent=agent, starts_at=start, ends_at=end,
        breaks=[{"start": b.isoformat(), "end": e.isoformat(), "paid": paid} for b, e, paid in breaks],
    )


def set_profile(user: User, *, hours: float | None = None, cost: float | None = None) -> User:
    profile = user.agent_profile
    if hours is not None:
        profile.contracted_hours_per_week = Decimal(str(hours))
    if cost is not None:
        profile.hourly_cost = Decimal(str(cost))
    profile.save()
    return user
