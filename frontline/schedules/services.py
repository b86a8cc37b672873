"""Writes for schedules: shift types, schedules (create, publish), hand edits of shifts, time off.

Every service checks the actor's rights (``frontline.workforce.permissions``) and raises
``PermissionDenied``; bad input raises ``ValidationError`` with the failing fields. Each edit of
a schedule's shifts appends a :class:`ShiftChange` with the shift before and after.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core import background
from frontline.people.models import STAFF_ROLES, Availability, Role, Team, User
from frontline.people.services import availability_set
from frontline.workforce.models import RunStatus, StaffingPlan
from frontline.workforce.permissions import can_manage_team, is_planner, managed_team_ids

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
from .selectors import can_decide_time_off, week_bounds

MAX_SHIFT_HOURS = 16
DASH = "\u2013"

# --- shift types -------------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakRule:
    minutes: int
    earliest_offset: int
    latest_offset: int
    paid: bool

    def as_json(self) -> dict[str, Any]:
        return {"minutes": self.minutes, "earliest_offset": self.earliest_offset, "latest_offset": self.latest_offset,
                "paid": self.paid}


def _shift_type_check(*, length_minutes: int, earliest_start: time, latest_start: time, start_step_minutes: int,
                      days: list[int], breaks: list[BreakRule]) -> None:
    errors: dict[str, list[str]] = {}
    if length_minutes % 15 or not 60 <= length_minutes <= MAX_SHIFT_HOURS * 60:
        errors.setdefault("length_minutes", []).append(f"A shift lasts 60 to {MAX_SHIFT_HOURS * 60} minutes, in steps of 15.")
    if start_step_minutes % 15 or start_step_minutes < 15:
        errors.setdefault("start_step_minutes", []).append("The start step is a multiple of 15 minutes.")
    for name, value in (("earliest_start", earliest_start), ("latest_start", latest_start)):
        if value.minute % 15 or value.second:
            errors.setdefault(name, []).append("Start times fall on the quarter hour.")
    if not days or any(d not in range(7) for d in days):
        errors.setdefault("days", []).append("Pick at least one weekday.")
    spans: list[tuple[int, int]] = []
    for i, b in enumerate(breaks, start=1):
        if b.minutes % 15 or b.earliest_offset % 15 or b.latest_offset % 15 or b.minutes <= 0:
            errors.setdefault("breaks", []).append(f"Break {i}: lengths and offsets are multiples of 15 minutes.")
        elif not 0 < b.earliest_offset <= b.latest_offset:
            errors.setdefault("breaks", []).append(f"Break {i}: it starts after the shift does, earliest before latest.")
        elif b.latest_offset + b.minutes >= length_minutes:
            errors.setdefault("breaks", []).append(f"Break {i}: it must end before the shift does (latest start + length < shift length).")
        spans.append((b.earliest_offset, b.latest_offset + b.minutes))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shift_type_create(*, actor: User, name: str, team: Team | None, length_minutes: int, earliest_start: time,
                      latest_start: time, start_step_minutes: int, days: list[int], breaks: list[BreakRule],
                      active: bool = True) -> ShiftType:
    _shift_type_guard(actor=actor, team=team)
    _shift_type_check(length_minutes=length_minutes, earliest_start=earliest_start, latest_start=latest_start,
                      start_step_minutes=start_step_minutes, days=days, breaks=breaks)
    return ShiftType.objects.create(
        name=name, team=team, length_minutes=length_minutes, earliest_start=earliest_start, latest_start=latest_start,
        start_step_minutes=start_step_minutes, days=sorted(set(days)), breaks=[b.as_json() for b in breaks], active=active,
    )


@transaction.atomic
def shift_type_update(*, actor: User, shift_type: ShiftType, name: str, team: Team | None, length_minutes: int,
                      earliest_start: time, latest_start: time, start_step_minutes: int, days: list[int],
                      breaks: list[BreakRule], active: bool) -> ShiftType:
    _shift_type_guard(actor=actor, team=shift_type.team)
    _shift_type_guard(actor=actor, team=team)
    _shift_type_check(length_minutes=length_minutes, earliest_start=earliest_start, latest_start=latest_start,
                      start_step_minutes=start_step_minutes, days=days, breaks=breaks)
    shift_type.name, shift_type.team, shift_type.length_minutes = name, team, length_minutes
    shift_type.earliest_start, shift_type.latest_start, shift_type.start_step_minutes = earliest_start, latest_start, start_step_minutes
    shift_type.days, shift_type.breaks, shift_type.active = sorted(set(days)), [b.as_json() for b in breaks], active
    shift_type.save()
    return shift_type


def _shift_type_guard(*, actor: User, team: Team | None) -> None:
    """Planners manage their teams' shift types; shared (team-less) ones are for managers and admins."""
    if not is_planner(actor):
        raise PermissionDenied("Shift types are for team leads and managers.")
    if team is None and managed_team_ids(actor) is not None:
        raise PermissionDenied("Only managers change the shift types every team shares.")
    if team is not None and not can_manage_team(actor, team.pk):
        raise PermissionDenied("You do not lead this team.")


# --- schedules ---------------------------------------------------------------------------------


def _require_manager(actor: User, team_id: int) -> None:
    if not can_manage_team(actor, team_id):
        raise PermissionDenied("You may change the schedules of the teams you lead only.")


FIRST_WEEK, LAST_WEEK = date(1970, 1, 1), date(2999, 12, 24)


def schedule_create(*, actor: User, team: Team, week_start: date, staffing_plan: StaffingPlan | None,
                    time_limit_s: int = 30, objective: str = Objective.SERVICE_LEVEL, solve: bool = True) -> Schedule:
    """A draft schedule for one team's week, queued for the optimiser when ``solve`` (and a plan is given)."""
    _require_manager(actor, team.pk)
    errors: dict[str, list[str]] = {}
    if not FIRST_WEEK <= week_start <= LAST_WEEK:  # far-off weeks overflow the date arithmetic (a 500)
        errors["week_start"] = [f"Pick a week between {FIRST_WEEK:%Y} and {LAST_WEEK:%Y}."]
    elif week_start.weekday() != 0:
        errors["week_start"] = ["A schedule week starts on a Monday."]
    elif Schedule.objects.filter(team=team, week_start=week_start).exists():
        errors["week_start"] = [f"{team.name} already has a schedule for the week of {week_start:%d %b %Y}."]
    if not 5 <= time_limit_s <= 600:
        errors["time_limit_s"] = ["The time limit is 5 to 600 seconds."]
    if objective not in Objective.values:
        errors["objective"] = ["Pick an objective."]
    if solve and staffing_plan is None:
        errors["staffing_plan"] = ["Pick a staffing plan: the optimiser needs the required agents per interval."]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        schedule = Schedule.objects.create(
            team=team, week_start=week_start, staffing_plan=staffing_plan, time_limit_s=time_limit_s, objective=objective,
            created_by=actor, status=RunStatus.QUEUED if solve else RunStatus.DONE,
            progress_note="Queued" if solve else NOT_SOLVED,
        )
        if solve:
            _enqueue(schedule.pk)
    return schedule


NOT_SOLVED = "Not solved"


def _enqueue(schedule_id: int) -> None:
    background.enqueue_on_commit("schedules.solve", schedule_id)


def schedule_solve_enqueue(*, actor: User, schedule: Schedule) -> Schedule:
    """Queue the optimiser for a draft; it replaces the draft's shifts when it finishes."""
    _require_manager(actor, schedule.team_id)
    errors = []
    if schedule.state == ScheduleStatus.PUBLISHED:
        errors.append("Unpublish the schedule before solving it again: solving replaces every shift.")
    if schedule.is_active:
        errors.append("The optimiser is already working on this schedule.")
    if schedule.staffing_plan_id is None:
        errors.append("The schedule has no staffing plan (it was deleted): create the week again with a plan.")
    if errors:
        raise ValidationError({"__all__": errors})
    with transaction.atomic():
        Schedule.objects.filter(pk=schedule.pk).update(status=RunStatus.QUEUED, progress=0, progress_note="Queued", error="")
        _enqueue(schedule.pk)
    schedule.refresh_from_db()
    return schedule


@transaction.atomic
def schedule_publish(*, actor: User, schedule: Schedule) -> Schedule:
    _require_manager(actor, schedule.team_id)
    if schedule.is_active:
        raise ValidationError({"__all__": ["Wait for the optimiser to finish before publishing."]})
    if schedule.state == ScheduleStatus.PUBLISHED:
        return schedule
    schedule.state, schedule.published_at, schedule.published_by = ScheduleStatus.PUBLISHED, timezone.now(), actor
    schedule.save(update_fields=["state", "published_at", "published_by", "updated_at"])
    ShiftChange.objects.create(schedule=schedule, actor=actor, kind="published", payload={"shifts": schedule.shifts.count()})
    return schedule


@transaction.atomic
def schedule_unpublish(*, actor: User, schedule: Schedule) -> Schedule:
    _require_manager(actor, schedule.team_id)
    if schedule.state == ScheduleStatus.DRAFT:
        return schedule
    schedule.state = ScheduleStatus.DRAFT
    schedule.save(update_fields=["state", "updated_at"])
    ShiftChange.objects.create(schedule=schedule, actor=actor, kind="unpublished", payload={})
    return schedule


# --- hand edits of shifts ----------------------------------------------------------------------


@dataclass(frozen=True)
class BreakSpan:
    start: datetime
    end: datetime
    paid: bool


def shift_snapshot(shift: Shift) -> dict[str, Any]:
    return {"id": shift.pk, "agent": shift.agent_id, "starts_at": shift.starts_at.isoformat(),
            "ends_at": shift.ends_at.isoformat(), "breaks": shift.breaks, "note": shift.note}


def _shift_check(*, schedule: Schedule, agent: User, starts_at: datetime, ends_at: datetime, breaks: list[BreakSpan],
                 exclude_id: int | None) -> None:
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["The shift must end after it starts."]
    elif ends_at - starts_at > timedelta(hours=MAX_SHIFT_HOURS):
        errors["ends_at"] = [f"A shift lasts at most {MAX_SHIFT_HOURS} hours."]
    week_start, week_end = week_bounds(schedule)
    if starts_at < week_start - timedelta(days=1) or ends_at > week_end + timedelta(days=1):
        errors.setdefault("starts_at", []).append("The shift must lie within the schedule's week (a day either side at most).")
    if not schedule.team.members.filter(pk=agent.pk).exists():
        errors["agent"] = [f"{agent.display_name} is not a member of {schedule.team.name}."]
    for i, b in enumerate(breaks, start=1):
        if not (starts_at < b.start < b.end < ends_at):
            errors.setdefault("breaks", []).append(f"Break {i} must start and end inside the shift.")
    ordered = sorted(breaks, key=lambda b: b.start)
    if any(a.end > b.start for a, b in itertools.pairwise(ordered)):
        errors.setdefault("breaks", []).append("Breaks must not overlap.")
    if errors:
        raise ValidationError(errors)
    clash = Shift.objects.filter(agent=agent, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(pk=exclude_id).first()
    if clash is not None:
        local = timezone.localtime(clash.starts_at)
        raise ValidationError({"starts_at": [f"{agent.display_name} already works {local:%a %d %b %H:%M}{DASH}{timezone.localtime(clash.ends_at):%H:%M}."]})
    off = TimeOff.objects.filter(agent=agent, status=TimeOffStatus.APPROVED, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
    if off is not None:
        raise ValidationError({"starts_at": [f"{agent.display_name} has approved time off from "
                                             f"{timezone.localtime(off.starts_at):%a %d %b %H:%M} to {timezone.localtime(off.ends_at):%a %d %b %H:%M}."]})


def _breaks_json(breaks: list[BreakSpan]) -> list[dict[str, Any]]:
    return [{"start": b.start.isoformat(), "end": b.end.isoformat(), "paid": b.paid} for b in sorted(breaks, key=lambda b: b.start)]


@transaction.atomic
def shift_add(*, actor: User, schedule: Schedule, agent: User, starts_at: datetime, ends_at: datetime,
              breaks: list[BreakSpan], note: str = "") -> Shift:
    _require_manager(actor, schedule.team_id)
    _shift_check(schedule=schedule, agent=agent, starts_at=starts_at, ends_at=ends_at, breaks=breaks, exclude_id=None)
    shift = Shift.objects.create(schedule=schedule, agent=agent, starts_at=starts_at, ends_at=ends_at,
                                 breaks=_breaks_json(breaks), note=note)
    ShiftChange.objects.create(schedule=schedule, actor=actor, kind="added", payload={"before": None, "after": shift_snapshot(shift)})
    return shift


@transaction.atomic
def shift_update(*, actor: User, shift: Shift, agent: User, starts_at: datetime, ends_at: datetime,
                 breaks: list[BreakSpan], note: str = "") -> Shift:
    """Move (new start, same length), resize (new start or end) or reassign a shift."""
    _require_manager(actor, shift.schedule.team_id)
    _shift_check(schedule=shift.schedule, agent=agent, starts_at=starts_at, ends_at=ends_at, breaks=breaks, exclude_id=shift.pk)
    before = shift_snapshot(shift)
    shift.agent, shift.starts_at, shift.ends_at, shift.breaks, shift.note = agent, starts_at, ends_at, _breaks_json(breaks), note
    shift.save(update_fields=["agent", "starts_at", "ends_at", "breaks", "note"])
    ShiftChange.objects.create(schedule=shift.schedule, actor=actor, kind="changed", payload={"before": before, "after": shift_snapshot(shift)})
    return shift


@transaction.atomic
def shift_delete(*, actor: User, shift: Shift) -> None:
    _require_manager(actor, shift.schedule.team_id)
    ShiftChange.objects.create(schedule=shift.schedule, actor=actor, kind="removed", payload={"before": shift_snapshot(shift), "after": None})
    shift.delete()


# --- time off ----------------------------------------------------------------------------------


@transaction.atomic
def time_off_request(*, agent: User, starts_at: datetime, ends_at: datetime, reason: str = "") -> TimeOff:
    """An agent asks for time off for themselves; a lead or manager of one of their teams decides."""
    if agent.role not in (Role.AGENT, Role.TEAM_LEAD):
        raise PermissionDenied("Time off is requested by agents and team leads for themselves.")
    errors: dict[str, list[str]] = {}
    if ends_at <= starts_at:
        errors["ends_at"] = ["The time off must end after it starts."]
    elif ends_at - starts_at > timedelta(days=62):
        errors["ends_at"] = ["Ask for at most 62 days at once."]
    if ends_at <= timezone.now():
        errors.setdefault("starts_at", []).append("That time is already past.")
    if TimeOff.objects.filter(agent=agent, starts_at__lt=ends_at, ends_at__gt=starts_at).exclude(status=TimeOffStatus.DECLINED).exists():
        errors.setdefault("starts_at", []).append("You already asked for time off that overlaps this.")
    if errors:
        raise ValidationError(errors)
    return TimeOff.objects.create(agent=agent, starts_at=starts_at, ends_at=ends_at, reason=reason)


@transaction.atomic
def time_off_decide(*, actor: User, time_off: TimeOff, approve: bool, note: str = "") -> TimeOff:
    """Approve or decline a request, with an optional note the requester reads on My schedule."""
    if not can_decide_time_off(actor, time_off):
        raise PermissionDenied("Time off is decided by the lead or a manager of the agent's team.")
    note = (note or "").strip()
    limit = TimeOff._meta.get_field("decision_note").max_length or 300
    if len(note) > limit:
        raise ValidationError({"note": [f"Keep the reason to {limit} characters (this one has {len(note)})."]})
    time_off.status = TimeOffStatus.APPROVED if approve else TimeOffStatus.DECLINED
    time_off.decided_by, time_off.decided_at, time_off.decision_note = actor, timezone.now(), note
    time_off.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return time_off


@transaction.atomic
def time_off_withdraw(*, agent: User, time_off: TimeOff) -> None:
    if time_off.agent_id != agent.pk:
        raise PermissionDenied("You may withdraw your own requests only.")
    if time_off.status != TimeOffStatus.REQUESTED:
        raise ValidationError({"__all__": ["Only a request not yet decided can be withdrawn."]})
    time_off.delete()


# --- status at sign-in ---------------------------------------------------------------------------

SIGN_IN_EARLY = timedelta(minutes=15)


@dataclass(frozen=True, slots=True)
class SignInStatus:
    """What signing in did to the status: ``set_online`` (a shift is on now: ``shift``), ``ask``
    (an agent, offline, with no shift now: the page asks), or ``keep`` (nothing to do)."""

    outcome: str
    shift: Shift | None = None


def availability_at_sign_in(*, user: User, now: datetime | None = None) -> SignInStatus:
    """Adherence is measured from the status, so a sign-in must not leave it silently Offline.

    * Someone on staff with a *published* shift that is on now (or starts within 15 minutes)
      is set **Online** through ``people.services.availability_set`` (logged, as any change).
    * An agent with no such shift who is Offline is **asked** (the page shows the question);
      they may be in for overtime, training or nothing planned, which only they know.
    * Anyone else keeps their status (leads and managers without a shift are not asked).
    """
    if user.role not in STAFF_ROLES:
        return SignInStatus("keep")
    now = now or timezone.now()
    shift = (Shift.objects.filter(agent=user, schedule__state=ScheduleStatus.PUBLISHED, starts_at__lte=now + SIGN_IN_EARLY,
                                  ends_at__gt=now).select_related("schedule__team").order_by("starts_at").first())
    current = getattr(getattr(user, "agent_profile", None), "availability", Availability.OFFLINE)
    if shift is not None:
        if current == Availability.ONLINE:
            return SignInStatus("keep", shift)
        availability_set(user=user, availability=Availability.ONLINE, at=now)
        return SignInStatus("set_online", shift)
    if user.role == Role.AGENT and current == Availability.OFFLINE:
        return SignInStatus("ask")
    return SignInStatus("keep")
