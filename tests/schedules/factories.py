"""Test data for schedules: a one-team forecast with a staffing plan, shift types, schedules."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from frontline.people.models import Team, User
from frontline.schedules.models import Schedule, ShiftType
from frontline.workforce.models import (
    ForecastInterval,
    ForecastRun,
    IntervalKind,
    RunStatus,
    StaffingPlan,
)


def next_monday(today: date | None = None) -> date:
    today = today or timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def plan_for(*, team: Team, week_start: date, volume: float = 20.0, open_hours: tuple[int, int] = (9, 17),
             days: int = 5, minutes: int = 30, shrinkage: float = 0.0, aht_s: float = 300.0) -> StaffingPlan:
    """A forecast of ``volume`` calls per interval during ``open_hours`` on the first ``days`` days."""
    zone = ZoneInfo(team.time_zone)
    run = ForecastRun.objects.create(name=f"{team.name} forecast", team=team, time_zone=team.time_zone,
                                     interval_minutes=minutes, status=RunStatus.DONE,
                                     first_date=week_start, last_date=week_start + timedelta(days=6))
    rows = []
    for d in range(days):
        t = timezone.make_aware(datetime.combine(week_start + timedelta(days=d), time(open_hours[0])), zone)
        end = timezone.make_aware(datetime.combine(week_start + timedelta(days=d), time(open_hours[1])), zone)
        while t < end:
            rows.append(ForecastInterval(run=run, kind=IntervalKind.FORECAST, starts_at=t, volume=volume,
                                         handle_seconds=volume * aht_s))
            t += timedelta(minutes=minutes)
    ForecastInterval.objects.bulk_create(rows)
    return StaffingPlan.objects.create(name=f"{team.name} 80/20", forecast=run, threshold_s=20, target_sl=0.8,
                                       max_occupancy=None, shrinkage=shrinkage)


def eight_hour(*, team: Team | None = None, breaks: list | None = None, **kw) -> ShiftType:  # type: ignore[no-untyped-def]
    return ShiftType.objects.create(name=kw.pop("name", "Day 8h"), team=team, length_minutes=kw.pop("length_minutes", 480),
                                    earliest_start=kw.pop("earliest_start", time(9)), latest_start=kw.pop("latest_start", time(9)),
                                    start_step_minutes=30, breaks=breaks or [], **kw)


def with_hours(user: User, hours: float) -> User:
    user.agent_profile.contracted_hours_per_week = Decimal(str(hours))
    user.agent_profile.save(update_fields=["contracted_hours_per_week"])
    return user


def schedule(*, team: Team, week_start: date | None = None, plan: StaffingPlan | None = None, **kw) -> Schedule:  # type: ignore[no-untyped-def]
    return Schedule.objects.create(team=team, week_start=week_start or next_monday(), staffing_plan=plan,
                                   status=RunStatus.DONE, progress_note="Not solved", **kw)
