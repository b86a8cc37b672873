"""Demo data for schedules: shift types, some approved time off, and per team two solved weeks.

``seed_schedules(plans=...)`` takes one staffing plan per team forecast and, for each team, makes
the weeks :func:`demo_weeks` lists, each solved right away (synchronously, a few seconds each)
through the same code the background task runs: last week and this week *published* (adherence
reads them), next week *published* too, so the plans' next seven days are always scheduled
whatever the weekday the demo starts on, and the week after as a *draft* when the plans' 14-day
horizon reaches into it (from Tuesday on) — the plan pages say a draft covers those days.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from frontline.people.models import Role, User
from frontline.workforce.models import RunStatus, StaffingPlan
from frontline.workforce.runs import tracked

from .models import Objective, Schedule, ShiftType, TimeOff, TimeOffStatus
from .services import schedule_create, schedule_publish
from .solve import schedule_solve_run

DEMO_TIME_LIMIT_S = 8
SOLVE_RETRIES = 2  # a week whose solve ran out of time is solved again with 16 s, then 32 s
LUNCH = {"minutes": 30, "earliest_offset": 210, "latest_offset": 270, "paid": False}
SHORT_BREAK = {"minutes": 15, "earliest_offset": 90, "latest_offset": 120, "paid": True}
SHIFT_TYPES = [
    # name, length (min), earliest start, latest start, days, breaks
    ("Early 8h", 480, time(7), time(8), [0, 1, 2, 3, 4, 5, 6], [SHORT_BREAK, LUNCH]),
    ("Day 8h", 480, time(9), time(10), [0, 1, 2, 3, 4, 5, 6], [SHORT_BREAK, LUNCH]),
    ("Late 8h", 480, time(11), time(13), [0, 1, 2, 3, 4, 5, 6], [SHORT_BREAK, LUNCH]),
    ("Part-time 6h", 360, time(8), time(14), [0, 1, 2, 3, 4], [SHORT_BREAK]),
]


def _shift_types() -> list[ShiftType]:
    out = []
    for name, length, early, late, days, breaks in SHIFT_TYPES:
        st, _ = ShiftType.objects.update_or_create(
            name=name, team=None,
            defaults={"length_minutes": length, "earliest_start": early, "latest_start": late, "start_step_minutes": 60,
                      "days": days, "breaks": breaks, "active": True})
        out.append(st)
    return out


def _time_off(plans: Sequence[StaffingPlan], next_monday: datetime, rng: random.Random) -> None:
    """One approved day off next week and one pending request per team."""
    for plan in plans:
        team = plan.forecast.team
        if team is None:
            continue
        agents = list(team.members.filter(role=Role.AGENT).order_by("pk"))
        if len(agents) < 2:
            continue
        approved, pending = rng.sample(agents, 2)
        zone = ZoneInfo(team.time_zone or "UTC")
        day = (next_monday.astimezone(zone) + timedelta(days=rng.randrange(0, 5))).date()
        start = timezone.make_aware(datetime.combine(day, time.min), zone)
        TimeOff.objects.get_or_create(agent=approved, starts_at=start, defaults={
            "ends_at": start + timedelta(days=1), "reason": "Family day", "status": TimeOffStatus.APPROVED,
            "decided_by": team.lead, "decided_at": timezone.now()})
        later = start + timedelta(days=14)
        TimeOff.objects.get_or_create(agent=pending, starts_at=later, defaults={
            "ends_at": later + timedelta(days=2), "reason": "Moving house"})


def demo_weeks(today: date, *, horizon_days: int = 14) -> list[tuple[date, bool]]:
    """(Monday, publish?) of each week the demo schedules around ``today``: last, this and next
    week published; the week after as a draft when ``today + horizon_days - 1`` falls in it."""
    monday = today - timedelta(days=today.weekday())
    weeks = [(monday - timedelta(days=7), True), (monday, True), (monday + timedelta(days=7), True)]
    later = monday + timedelta(days=14)
    if today + timedelta(days=horizon_days - 1) >= later:
        weeks.append((later, False))
    return weeks


def seed_schedules(*, plans: Sequence[StaffingPlan], time_limit_s: int = DEMO_TIME_LIMIT_S,
                   today: date | None = None) -> list[Schedule]:
    """Shift types, time off, and per team the weeks of :func:`demo_weeks`."""
    rng = random.Random("schedules-demo")
    _shift_types()
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    next_monday = timezone.make_aware(datetime.combine(monday + timedelta(days=7), time.min))
    with transaction.atomic():
        _time_off(plans, next_monday, rng)
    out: list[Schedule] = []
    for plan in plans:
        team = plan.forecast.team
        if team is None:
            continue
        actor = team.lead or User.objects.filter(role__in=[Role.MANAGER, Role.ADMIN]).order_by("pk").first()
        if actor is None:
            continue
        for week, publish in demo_weeks(today):
            existing = Schedule.objects.filter(team=team, week_start=week).first()
            if existing is not None:
                out.append(existing)
                continue
            schedule = schedule_create(actor=actor, team=team, week_start=week, staffing_plan=plan,
                                       time_limit_s=max(5, time_limit_s), objective=Objective.SERVICE_LEVEL, solve=False)
            _solve_now(schedule)
            schedule.refresh_from_db()
            for _ in range(SOLVE_RETRIES):
                if schedule.status == RunStatus.DONE:
                    break
                # No solution within the (deterministic) time, or the wall-clock safety limit hit: twice as long.
                schedule.time_limit_s *= 2
                schedule.save(update_fields=["time_limit_s"])
                _solve_now(schedule)
                schedule.refresh_from_db()
            if publish and schedule.status == RunStatus.DONE:
                schedule = schedule_publish(actor=actor, schedule=schedule)
            out.append(schedule)
    return out


def _solve_now(schedule: Schedule) -> None:
    with tracked(Schedule, schedule.pk) as tracker:
        schedule_solve_run(schedule_id=schedule.pk, step=tracker.step)
