"""The workforce home page's reads: staffing gaps in the hours ahead, and what each section holds.

A *gap* is an interval in the next ``hours`` where the published schedules put fewer agents to
work than the newest staffing plan of that scope asks to schedule (``to_schedule``). One plan per
scope (team, or the whole department) is used: the most recently updated one whose forecast
covers the interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from frontline.schedules.coverage import scheduled_by_interval

from .models import RunStatus, StaffingPlan
from .staffing import IntervalStaffing, plan_intervals


@dataclass(frozen=True, slots=True)
class Gap:
    plan: StaffingPlan
    starts_at: datetime
    minutes: int
    to_schedule: int
    scheduled: float

    @property
    def short(self) -> int:
        return max(0, math.ceil(self.to_schedule - self.scheduled - 1e-9))


@dataclass(frozen=True, slots=True)
class ScopeOutlook:
    plan: StaffingPlan
    intervals: int
    gaps: list[Gap]

    @property
    def short_agent_hours(self) -> float:
        return sum(g.short * g.minutes for g in self.gaps) / 60

    @property
    def first_gap(self) -> Gap | None:
        return self.gaps[0] if self.gaps else None


def newest_plans(team_ids: set[int] | None) -> list[StaffingPlan]:
    """The newest plan per scope whose forecast has finished (department-wide scope: team None)."""
    plans = (StaffingPlan.objects.filter(forecast__status=RunStatus.DONE)
             .select_related("forecast", "forecast__team").order_by("-updated_at", "-id"))
    if team_ids is not None:
        plans = plans.filter(forecast__team_id__in=team_ids)
    seen: set[int | None] = set()
    out = []
    for plan in plans[:200]:
        scope = plan.forecast.team_id
        if scope not in seen:
            seen.add(scope)
            out.append(plan)
    return out


def outlook(plan: StaffingPlan, *, now: datetime | None = None, hours: int = 24) -> ScopeOutlook:
    now = now or timezone.now()
    minutes = plan.forecast.interval_minutes
    start = now - timedelta(minutes=minutes)  # the interval in progress counts
    rows: list[IntervalStaffing] = [r for r in plan_intervals(plan, start=start, end=now + timedelta(hours=hours))
                                    if r.starts_at + timedelta(minutes=minutes) > now]
    scheduled = scheduled_by_interval([r.starts_at for r in rows], minutes, team_id=plan.forecast.team_id)
    gaps = [Gap(plan=plan, starts_at=r.starts_at, minutes=minutes, to_schedule=r.to_schedule, scheduled=s)
            for r, s in zip(rows, scheduled, strict=True) if r.to_schedule - s > 1e-9]
    return ScopeOutlook(plan=plan, intervals=len(rows), gaps=[g for g in gaps if g.short > 0])
