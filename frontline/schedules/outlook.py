"""How the schedules cover the staffing plans: a plan's figures as scheduled (the staffing plan
page) and the workforce home page's staffing outlook, gaps from now to the end of tomorrow.

Staffing plans (``frontline.workforce``) know what is required; the schedules know who is on
shift. Reads that set one against the other live here, on the schedules side, so that data
flows one way: schedules read workforce, never the reverse.

A *gap* is an interval from now until tomorrow's close (midnight at the end of tomorrow, on the
forecast's clock: always at least 24 hours, so late in the day it still shows tomorrow whole)
where the published schedules put fewer agents to work than the newest staffing plan of that
scope asks to schedule (``to_schedule``). One plan per scope (team, or the whole department) is
used: the most recently updated one. Draft schedules are counted apart (*with drafts*), so a gap
that a draft already fills reads as "publish the draft", not as a hole.

Beside the gaps, the service level the published shifts deliver over the same window (each
interval's expected service level, weighted by its forecast contacts, as on the plan page): a
schedule solved to meet the service level cheaply leaves some intervals short on purpose, and
this says whether the window as a whole still meets the target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from frontline.workforce.models import RunStatus, StaffingPlan
from frontline.workforce.plans import PlanFigures, Rates, delivered_service_level, plan_figures
from frontline.workforce.plans import outlook as interval_outlook
from frontline.workforce.staffing import IntervalStaffing, Targets, plan_intervals

from .coverage import draft_schedules, scheduled_by_interval
from .models import Schedule


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
    until: datetime | None = None
    gaps_with_drafts: int | None = None  # None: no draft has shifts in the window
    drafts: list[Schedule] = field(default_factory=list)
    sl_scheduled: float | None = None  # the service level the published shifts deliver over the window

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


def tomorrows_close(now: datetime, zone: ZoneInfo) -> datetime:
    """Midnight at the end of tomorrow in ``zone``: the end of the overview's window."""
    day = timezone.localtime(now, zone).date() + timedelta(days=2)
    return datetime.combine(day, time.min, zone)


def outlook(plan: StaffingPlan, *, now: datetime | None = None, until: datetime | None = None) -> ScopeOutlook:
    """Gaps of ``plan`` from the interval in progress to ``until`` (default: tomorrow's close)."""
    now = now or timezone.now()
    until = until or tomorrows_close(now, ZoneInfo(plan.forecast.time_zone))
    minutes = plan.forecast.interval_minutes
    start = now - timedelta(minutes=minutes)  # the interval in progress counts
    targets = Targets.of(plan)
    rows: list[IntervalStaffing] = [r for r in plan_intervals(plan, start=start, end=until, targets=targets)
                                    if r.starts_at + timedelta(minutes=minutes) > now]
    starts = [r.starts_at for r in rows]
    team_id = plan.forecast.team_id
    scheduled = scheduled_by_interval(starts, minutes, team_id=team_id)
    gaps = [Gap(plan=plan, starts_at=r.starts_at, minutes=minutes, to_schedule=r.to_schedule, scheduled=s)
            for r, s in zip(rows, scheduled, strict=True) if r.to_schedule - s > 1e-9]
    gaps = [g for g in gaps if g.short > 0]
    drafts = draft_schedules(team_id=team_id, start=starts[0], end=starts[-1] + timedelta(minutes=minutes)) if starts else []
    with_drafts = None
    if drafts:
        every = scheduled_by_interval(starts, minutes, team_id=team_id, published_only=False)
        with_drafts = sum(1 for r, s in zip(rows, every, strict=True) if math.ceil(r.to_schedule - s - 1e-9) > 0)
    sl = delivered_service_level(interval_outlook(targets, rows, scheduled)) if rows else None
    return ScopeOutlook(plan=plan, intervals=len(rows), gaps=gaps, until=until, gaps_with_drafts=with_drafts, drafts=drafts,
                        sl_scheduled=sl)


def plan_figures_as_scheduled(*, plan: StaffingPlan, targets: Targets | None = None,
                              rates: Rates | None = None) -> PlanFigures:
    """The plan's figures (``workforce.plans.plan_figures``) with the coverage of the published
    schedules of the forecast's team (every team's for a department-wide forecast), and, where
    draft schedules have shifts in the horizon, the same figures with the drafts counted too."""
    targets = targets or Targets.of(plan)
    intervals = plan_intervals(plan, targets=targets)
    forecast = plan.forecast
    minutes, team_id = forecast.interval_minutes, forecast.team_id
    starts = [i.starts_at for i in intervals]
    scheduled = scheduled_by_interval(starts, minutes, team_id=team_id, published_only=True)
    drafts = draft_schedules(team_id=team_id, start=starts[0], end=starts[-1] + timedelta(minutes=minutes)) if starts else []
    with_drafts = scheduled_by_interval(starts, minutes, team_id=team_id, published_only=False) if drafts else None
    return plan_figures(plan=plan, targets=targets, rates=rates, intervals=intervals, scheduled=scheduled,
                        drafts=drafts, scheduled_with_drafts=with_drafts)
