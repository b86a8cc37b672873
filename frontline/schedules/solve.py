"""The optimiser behind a schedule: staffing plan + shift types + agents → named shifts and a report.

Steps (``docs/workforce/schedules.md``):

1. **Grid.** The week runs from Monday 00:00 to the next Monday 00:00 on the team's clock. The
   engine grid's slot is the forecast's interval, or a divisor of it when a shift type needs a
   finer step (a 15-minute break on a 30-minute forecast gives 15-minute slots; each forecast
   interval's requirement then applies to all its slots, its calls are split evenly).
2. **Requirement.** Per forecast interval the plan's ``to_schedule`` heads (``staffing.plan_intervals``);
   intervals without a forecast row (closed hours, past the forecast) require nobody.
3. **Shift counts.** Either *cover every interval* (``shift_plan_cover``) or *service level*
   (``shift_plan_service_level``) with the table ``SL(k) = expected(k * (1 - shrinkage))`` per
   interval, the plan's target (80% when the plan has none) and a per-interval floor of
   :data:`SL_FLOOR`. Each day at most as many shifts as the team has agents.
4. **Roster.** ``roster_assign`` gives the chosen shifts to the team's agents (role agent): paid
   hours at most their ``contracted_hours_per_week``, at most :data:`MAX_DAYS` shifts, 11 h rest,
   no shift over approved time off, weekend shifts spread fairly. When the agents cannot work
   every chosen shift, the floor comes first: the requirement is given twice, once as the plan's
   staffing and once as its floor (service level) or required heads (cover), so an agent-interval
   below the floor costs double and thin days (weekends) are not left empty.
5. **Write.** The schedule's shifts are replaced in one transaction, a ``generated`` change logged,
   and the report stored (:func:`build_report`).

The time limit covers the two solver calls (half each, the roster gets what the first leaves);
reading the data and building the models come on top.
"""

from __future__ import annotations

import math
import time as clock
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from frontline.engine.scheduling import (
    Agent,
    Break,
    ShiftTemplate,
    SkillRequirement,
    WeekGrid,
    roster_assign,
    shift_plan_cover,
    shift_plan_service_level,
)
from frontline.workforce.staffing import (
    IntervalStaffing,
    Targets,
    expected,
)

from .coverage import call_weighted_service_level, coverage, paid_hours, shortfall_rows
from .models import (
    Objective,
    Schedule,
    ScheduleStatus,
    Shift,
    ShiftChange,
    ShiftType,
    TimeOff,
    TimeOffStatus,
)
from .selectors import ROSTER_ROLES, week_bounds, week_intervals

SL_FLOOR = 0.6
"""No interval below 60% answered in the threshold (the target itself when it is lower)."""
DEFAULT_TARGET_SL = 0.8
MAX_DAYS = 5
"""Shifts per agent per week: two days off."""
MIN_REST_MINUTES = 11 * 60

Step = Callable[[int, str], None]


SOLVED = ("OPTIMAL", "FEASIBLE")
# The time limit is CP-SAT's deterministic time (work units, about seconds on an idle machine), half
# for choosing shifts and half for assigning them, so a week solves the same on an idle or a loaded
# machine. The wall clock only stops a solve that runs WALL_SAFETY times longer than that.
WALL_SAFETY = 5
SOLVER_WORKERS = 1  # fixed: CP-SAT is deterministic only for a fixed worker count (one: no interleaving)


class NothingToSchedule(Exception):
    """The week cannot be solved as set up (no shift types, no agents, no forecast): say what to fix."""


def schedule_solve_run(*, schedule_id: int, step: Step) -> Schedule:
    began = clock.monotonic()
    schedule = Schedule.objects.select_related("team", "staffing_plan__forecast").get(pk=schedule_id)
    team, plan = schedule.team, schedule.staffing_plan
    if schedule.state == ScheduleStatus.PUBLISHED:
        raise NothingToSchedule("The schedule is published: unpublish it before solving it again.")
    if plan is None:
        raise NothingToSchedule("The schedule has no staffing plan: create the week again with a plan.")
    step(5, "Reading the staffing plan")
    zone = ZoneInfo(team.time_zone or "UTC")
    week_start, week_end = week_bounds(schedule)
    targets = Targets.of(plan)
    minutes = plan.forecast.interval_minutes
    rows = week_intervals(plan, start=week_start, end=week_end, targets=targets)
    if not rows:
        raise NothingToSchedule(
            f"The forecast behind “{plan.name}” has no intervals in the week of {schedule.week_start:%d %b %Y}: "
            "run a forecast that reaches this week, or pick another staffing plan.")
    shift_types = list(ShiftType.objects.filter(Q(team=team) | Q(team__isnull=True), active=True).order_by("pk"))
    if not shift_types:
        raise NothingToSchedule(f"{team.name} has no active shift types: add one on the Shift types page.")
    users = list(team.members.filter(role__in=ROSTER_ROLES, is_active=True).select_related("agent_profile").order_by("pk"))
    if not users:
        raise NothingToSchedule(f"{team.name} has no agents to schedule: add agents to the team on the People page.")

    step(15, "Building the week")
    slot = math.gcd(minutes, *(v for st in shift_types for v in _minute_values(st)))
    grid = WeekGrid(days=7, slot_minutes=slot, cyclic=False)
    per = minutes // slot
    required = np.zeros(grid.shape, dtype=int)
    calls = np.zeros(grid.shape)
    placed: list[tuple[IntervalStaffing, int, int]] = []
    for row in rows:
        local = row.starts_at.astimezone(zone)
        day = (local.date() - schedule.week_start).days
        first = (local.hour * 60 + local.minute) // slot
        if not 0 <= day < 7:
            continue
        placed.append((row, day, first))
        for j in range(per):
            required[day, first + j] = max(required[day, first + j], row.to_schedule)
            calls[day, first + j] += row.volume / per
    templates = [t for st in shift_types for t in _templates(st)]
    day_caps = len(users)
    deadline = began + WALL_SAFETY * schedule.time_limit_s
    budget = schedule.time_limit_s / 2

    if schedule.objective == Objective.COVER:
        step(30, "Choosing shifts to cover every interval")
        shift_plan = shift_plan_cover(grid=grid, required=required, templates=templates, max_shifts_per_day=day_caps,
                                      time_limit_seconds=_share(deadline, 0.5), deterministic_time=budget,
                                      num_workers=SOLVER_WORKERS)
    else:
        step(20, "Computing service levels per interval")
        table = _service_table(targets, placed, grid, per, minutes)
        target = targets.target_sl or DEFAULT_TARGET_SL
        step(30, "Choosing shifts to meet the service level")
        shift_plan = shift_plan_service_level(grid=grid, calls=calls, service_level=table, templates=templates,
                                              target=target, floor=min(SL_FLOOR, target), max_shifts_per_day=day_caps,
                                              time_limit_seconds=_share(deadline, 0.5), deterministic_time=budget,
                                              num_workers=SOLVER_WORKERS)

    step(60, "Assigning shifts to agents")
    agents = [_agent(u, schedule.week_start, zone) for u in users]
    roster = None
    if shift_plan.shifts:
        roster = roster_assign(
            grid=grid, agents=agents, patterns=[s.pattern for s in shift_plan.shifts],
            pattern_caps=[s.count for s in shift_plan.shifts],
            requirements=[SkillRequirement(skill=None, required=shift_plan.staffed),
                          SkillRequirement(skill=None, required=np.minimum(shift_plan.required, shift_plan.staffed))],
            min_rest_minutes=MIN_REST_MINUTES, weekend_days=(5, 6), time_limit_seconds=_share(deadline, 1.0),
            deterministic_time=budget, num_workers=SOLVER_WORKERS,
        )

    # A stage that ran out of time (or was proved infeasible) without any solution leaves nothing to
    # write: replacing the week's shifts with none and calling it done would empty a week that may
    # have had hand edits (and the demo would publish it). The shifts stay as they were.
    for stage, result in (("choosing shifts", shift_plan), ("assigning them to agents", roster)):
        if result is not None and result.solve.status not in SOLVED:
            raise NothingToSchedule(
                f"The optimiser found no solution {stage} ({result.solve.status.lower()}) within the time limit "
                f"of {schedule.time_limit_s} s, so the week's shifts are unchanged. Solve again with a longer time "
                "limit, or with fewer shift types.")

    step(85, "Writing the shifts")
    by_name = {str(u.pk): u for u in users}
    type_of = {t.name: (st, t) for st in shift_types for t in _templates(st)}
    new_shifts = []
    for rs in roster.shifts if roster is not None else ():
        st, tpl = type_of[rs.pattern.template]
        starts_at = timezone.make_aware(
            datetime.combine(schedule.week_start + timedelta(days=rs.pattern.day), time.min) + timedelta(minutes=rs.pattern.start_minute), zone)
        breaks = [
            {"start": (starts_at + timedelta(minutes=off)).isoformat(),
             "end": (starts_at + timedelta(minutes=off + b.length_minutes)).isoformat(), "paid": b.paid}
            for b, off in zip(tpl.breaks, rs.pattern.break_offsets_minutes, strict=True)
        ]
        new_shifts.append(Shift(schedule=schedule, agent=by_name[rs.agent], shift_type=st, starts_at=starts_at,
                                ends_at=starts_at + timedelta(minutes=rs.pattern.length_minutes), breaks=breaks))
    with transaction.atomic():
        replaced = schedule.shifts.count()
        schedule.shifts.all().delete()
        Shift.objects.bulk_create(new_shifts)
        report = build_report(
            schedule=schedule, rows=rows, minutes=minutes, targets=targets, shifts=new_shifts, zone=zone,
            solves=[("shifts", shift_plan.solve)] + ([("roster", roster.solve)] if roster is not None else []),
            wall_seconds=clock.monotonic() - began, slot_minutes=slot,
            unassigned=[by_name[n].display_name for n in (roster.unassigned_agents if roster is not None else ())],
        )
        schedule.report = report
        schedule.save(update_fields=["report", "updated_at"])
        ShiftChange.objects.create(schedule=schedule, actor=None, kind="generated",
                                   payload={"shifts": len(new_shifts), "replaced": replaced, "objective": schedule.objective})
    step(95, "Done")
    return schedule


def build_report(*, schedule: Schedule, rows: Sequence[IntervalStaffing], minutes: int, targets: Targets,
                 shifts: Sequence[Shift], zone: ZoneInfo, solves: Sequence[tuple[str, Any]], wall_seconds: float,
                 slot_minutes: int, unassigned: Sequence[str]) -> dict[str, Any]:
    """The JSON the board shows. Hours are paid hours; SL is call-weighted over the week."""
    starts = [r.starts_at for r in rows]
    scheduled = coverage(shifts, starts, minutes)
    statuses = [s.status for _, s in solves]
    status = "OPTIMAL" if all(s == "OPTIMAL" for s in statuses) else next((s for s in statuses if s != "OPTIMAL"), "UNKNOWN")
    return {
        "status": status,
        "gap": _finite(max((s.gap for _, s in solves), default=0.0)),
        "wall_seconds": round(wall_seconds, 2),
        "stages": [{"name": name, "status": s.status, "gap": _finite(s.gap), "seconds": round(s.wall_seconds, 2)} for name, s in solves],
        "objective": schedule.objective,
        "time_limit_s": schedule.time_limit_s,
        "staffed_hours": round(sum(paid_hours(s) for s in shifts), 2),
        "required_hours": round(sum(r.required_hours for r in rows), 2),
        "service_level": call_weighted_service_level(targets, rows, scheduled),
        "target_sl": targets.target_sl,
        "threshold_s": targets.threshold_s,
        "shifts": len(shifts),
        "interval_minutes": minutes,
        "slot_minutes": slot_minutes,
        "shortfalls": shortfall_rows(rows, scheduled, zone),
        "unassigned_agents": list(unassigned),
    }


def _finite(value: float) -> float | None:
    """A stage that found no solution in its time has no gap (NaN), which JSON cannot hold: None."""
    return value if math.isfinite(value) else None


def _share(deadline: float, fraction: float) -> float:
    return max(1.0, (deadline - clock.monotonic()) * fraction)


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _minute_values(st: ShiftType) -> list[int]:
    values = [st.length_minutes, st.start_step_minutes, _minutes(st.earliest_start), _minutes(st.latest_start)]
    for b in st.breaks or []:
        values += [int(b["minutes"]), int(b["earliest_offset"]), int(b["latest_offset"])]
    return [v for v in values if v]


def _templates(st: ShiftType) -> list[ShiftTemplate]:
    """One engine template per shift type; two when its start window runs past midnight."""
    breaks = tuple(Break(length_minutes=int(b["minutes"]), earliest_offset_minutes=int(b["earliest_offset"]),
                         latest_offset_minutes=int(b["latest_offset"]), paid=bool(b.get("paid", False))) for b in st.breaks or [])
    early, late, step = _minutes(st.earliest_start), _minutes(st.latest_start), st.start_step_minutes
    days = tuple(sorted(st.days))
    common = {"length_minutes": st.length_minutes, "start_step_minutes": step, "breaks": breaks}
    if early <= late:
        return [ShiftTemplate(name=f"st{st.pk}", earliest_start_minute=early, latest_start_minute=late, days=days, **common)]
    last_before_midnight = early + ((1439 - early) // step) * step
    after = (last_before_midnight + step) % 1440
    out = [ShiftTemplate(name=f"st{st.pk}", earliest_start_minute=early, latest_start_minute=last_before_midnight, days=days, **common)]
    next_days = tuple(d + 1 for d in days if d + 1 < 7)
    if after <= late and next_days:
        out.append(ShiftTemplate(name=f"st{st.pk}n", earliest_start_minute=after, latest_start_minute=late, days=next_days, **common))
    return out


def _service_table(targets: Targets, placed: Sequence[tuple[IntervalStaffing, int, int]], grid: WeekGrid, per: int,
                   minutes: int) -> np.ndarray:
    """``table[d, s, k]``: service level with ``k`` agents on shift (``k * (1 - shrinkage)`` working)."""
    top = max((row.to_schedule for row, _, _ in placed), default=0) + 2
    table = np.ones((*grid.shape, top + 1))
    cache: dict[tuple[float, float], list[float]] = {}
    for row, day, first in placed:
        key = (round(row.volume, 6), round(row.aht_s, 6))
        if key not in cache:
            cache[key] = [expected(targets, volume=row.volume, aht_s=row.aht_s, minutes=minutes,
                                   agents=k * (1 - targets.shrinkage)).service_level for k in range(top + 1)]
        curve = np.maximum.accumulate(np.clip(cache[key], 0.0, 1.0))
        for j in range(per):
            table[day, first + j, :] = curve
    return table


def _agent(user: Any, week_start: date, zone: ZoneInfo) -> Agent:
    profile = getattr(user, "agent_profile", None)
    hours = float(profile.contracted_hours_per_week) if profile is not None else 0.0
    skills = frozenset(str(s) for s in (profile.skills if profile is not None else []) or [])
    origin = datetime.combine(week_start, time.min)
    horizon = 7 * 1440
    offs = []
    window_start = timezone.make_aware(origin, zone) - timedelta(days=1)
    window_end = timezone.make_aware(origin + timedelta(days=8), zone)
    for off in TimeOff.objects.filter(agent=user, status=TimeOffStatus.APPROVED, starts_at__lt=window_end, ends_at__gt=window_start):
        a = (off.starts_at.astimezone(zone).replace(tzinfo=None) - origin).total_seconds() // 60
        b = math.ceil((off.ends_at.astimezone(zone).replace(tzinfo=None) - origin).total_seconds() / 60)
        a, b = int(max(0, a)), int(min(horizon, b))
        if b > a:
            offs.append((a, b))
    return Agent(name=str(user.pk), skills=skills, max_hours=hours, max_days=MAX_DAYS, time_off=tuple(offs))
