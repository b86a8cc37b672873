"""Reads for the schedule pages, scoped to what the viewer may see.

* Planners (leads, managers, admins) read every schedule, drafts included; they change only the
  teams they manage (``permissions.can_manage_team``).
* Agents read the *published* schedules of their own teams; a draft or another team's schedule
  is a 404 for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from frontline.people.models import STAFF_ROLES, Role, Team, User
from frontline.people.selectors import team_ids_of_member
from frontline.workforce.models import ForecastInterval, IntervalKind, StaffingPlan
from frontline.workforce.permissions import is_planner, managed_team_ids
from frontline.workforce.staffing import IntervalStaffing, Targets, plan_intervals, staff_intervals

from .coverage import Span, coverage, paid_hours, shift_breaks
from .models import Schedule, ScheduleStatus, Shift, TimeOff, TimeOffStatus

ROSTER_ROLES = (Role.AGENT,)
"""Who the optimiser rosters: the team's members with the agent role (leads are not on the phones)."""


# --- the week and who decides -----------------------------------------------------------------


def week_bounds(schedule_or_team: Schedule | Team, week_start: date | None = None) -> tuple[datetime, datetime]:
    """Midnight on the Monday and on the next Monday, in the team's zone (aware)."""
    if isinstance(schedule_or_team, Schedule):
        team, week_start = schedule_or_team.team, schedule_or_team.week_start
    else:
        team = schedule_or_team
    assert week_start is not None
    zone = ZoneInfo(team.time_zone or "UTC")
    start = timezone.make_aware(datetime.combine(week_start, time.min), zone)
    end = timezone.make_aware(datetime.combine(week_start + timedelta(days=7), time.min), zone)
    return start, end


def week_intervals(plan: StaffingPlan, *, start: datetime, end: datetime, targets: Targets | None = None) -> list[IntervalStaffing]:
    """The plan's staffing per interval in ``[start, end)``.

    Where the week began before the forecast does (a week already under way), the forecast's
    history (actual volumes) stands in for the days before its first forecast interval, so the
    current week can be scheduled and compared as a whole.
    """
    targets = targets or Targets.of(plan)
    rows = plan_intervals(plan, start=start, end=end, targets=targets)
    first = rows[0].starts_at if rows else end
    if first <= start:
        return rows
    history = list(ForecastInterval.objects.filter(run=plan.forecast_id, kind=IntervalKind.HISTORY, starts_at__gte=start,
                                                   starts_at__lt=first).order_by("starts_at"))
    return staff_intervals(targets, history, plan.forecast.interval_minutes) + rows


def can_decide_time_off(actor: User, time_off: TimeOff) -> bool:
    ids = managed_team_ids(actor)
    if ids is None:
        return True
    if actor.pk == time_off.agent_id:
        return False
    return bool(ids & set(time_off.agent.teams.values_list("id", flat=True)))


def schedule_list_for_viewer(*, viewer: User) -> QuerySet[Schedule]:
    qs = Schedule.objects.select_related("team", "staffing_plan").annotate(shift_count=Count("shifts"))
    if is_planner(viewer):
        return qs
    if viewer.role in STAFF_ROLES:
        return qs.filter(team_id__in=team_ids_of_member(user=viewer), state=ScheduleStatus.PUBLISHED)
    return qs.none()


def schedule_get_for_viewer(*, schedule_id: int, viewer: User) -> Schedule:
    try:
        return schedule_list_for_viewer(viewer=viewer).get(pk=schedule_id)
    except Schedule.DoesNotExist as exc:
        raise Http404("No such schedule.") from exc


def shift_get_for_schedule(*, schedule: Schedule, shift_id: int) -> Shift:
    try:
        return schedule.shifts.select_related("agent").get(pk=shift_id)
    except Shift.DoesNotExist as exc:
        raise Http404("No such shift in this schedule.") from exc


def schedule_agents(*, schedule: Schedule) -> QuerySet[User]:
    """The team's agents (who the optimiser rosters) and anyone else holding a shift this week."""
    return (User.objects.filter(Q(teams=schedule.team, role__in=ROSTER_ROLES, is_active=True) | Q(shifts__schedule=schedule))
            .distinct().select_related("agent_profile").order_by("first_name", "last_name", "username"))


def team_members(*, team: Team) -> QuerySet[User]:
    return team.members.filter(is_active=True, role__in=STAFF_ROLES).order_by("first_name", "last_name", "username")


# --- the board ---------------------------------------------------------------------------------


@dataclass
class ShiftView:
    shift: Shift
    start: datetime
    end: datetime
    breaks: list[Span]
    hours: float
    left_pct: float = 0.0
    width_pct: float = 0.0
    tone: str = "none"
    break_blocks: list[tuple[float, float, bool]] = field(default_factory=list)


@dataclass
class Cell:
    day: date
    shifts: list[ShiftView] = field(default_factory=list)
    time_off: bool = False


@dataclass
class BoardRow:
    agent: User
    cells: list[Cell]
    hours: float
    contracted: float | None
    time_off: list[TimeOff]

    @property
    def over_contract(self) -> bool:
        return self.contracted is not None and self.hours > self.contracted + 1e-6


@dataclass
class StripCell:
    start: datetime
    required: int
    scheduled: float
    left_pct: float
    width_pct: float
    height_pct: float = 0.0
    required_pct: float = 0.0

    @property
    def gap(self) -> bool:
        return self.scheduled + 1e-6 < self.required

    @property
    def difference(self) -> float:
        """On shift minus to schedule, one decimal (negative = short)."""
        return round(self.scheduled - self.required, 1) + 0.0


@dataclass(frozen=True)
class DayCoverage:
    """One day's intervals with someone required or on shift, for the coverage table."""

    day: date
    cells: list[StripCell]
    totals: dict[str, float]


@dataclass
class Board:
    days: list[date]
    rows: list[BoardRow]
    strips: list[list[StripCell]]
    day_totals: list[dict[str, float]]
    required_hours: float
    staffed_hours: float
    interval_minutes: int | None

    @property
    def coverage_days(self) -> list[DayCoverage]:
        return [DayCoverage(day=d, cells=[c for c in strip if c.required or c.scheduled], totals=t)
                for d, strip, t in zip(self.days, self.strips, self.day_totals, strict=True)]


def _off_on(offs: list[TimeOff], day: date) -> bool:
    """Approved time off covers part of the day (on the viewer's clock)."""
    return any(timezone.localtime(o.starts_at).date() <= day and (timezone.localtime(o.ends_at) - timedelta(seconds=1)).date() >= day
               for o in offs)


def _pct(moment: datetime, day: date) -> float:
    local = timezone.localtime(moment)
    minutes = (local.date() - day).days * 1440 + local.hour * 60 + local.minute
    return max(0.0, min(100.0, minutes / 1440 * 100))


def schedule_board(*, schedule: Schedule) -> Board:
    """Agents by the 7 days on the viewer's clock, and per day the coverage strip (scheduled vs required)."""
    days = [schedule.week_start + timedelta(days=i) for i in range(7)]
    shifts = list(schedule.shifts.select_related("agent", "shift_type").order_by("starts_at"))
    agents = list(schedule_agents(schedule=schedule))
    week_start, week_end = week_bounds(schedule)
    offs: dict[int, list[TimeOff]] = {}
    for off in TimeOff.objects.filter(agent__in=agents, status=TimeOffStatus.APPROVED, starts_at__lt=week_end, ends_at__gt=week_start):
        offs.setdefault(off.agent_id, []).append(off)
    rows = {a.pk: BoardRow(agent=a, cells=[Cell(day=d, time_off=_off_on(offs.get(a.pk, []), d)) for d in days], hours=0.0, time_off=offs.get(a.pk, []),
                           contracted=float(a.agent_profile.contracted_hours_per_week) if hasattr(a, "agent_profile") else None)
            for a in agents}
    for s in shifts:
        start, end = timezone.localtime(s.starts_at), timezone.localtime(s.ends_at)
        col = min(6, max(0, (start.date() - days[0]).days))
        view = ShiftView(shift=s, start=start, end=end, breaks=shift_breaks(s), hours=paid_hours(s))
        view.tone = str(s.shift_type_id % 4) if s.shift_type_id else "none"
        view.left_pct = _pct(s.starts_at, days[col])
        view.width_pct = max(2.0, _pct(s.ends_at, days[col]) - view.left_pct)
        view.break_blocks = [(_pct(b.start, days[col]), max(0.6, _pct(b.end, days[col]) - _pct(b.start, days[col])), b.paid)
                             for b in view.breaks]
        row = rows[s.agent_id]
        row.cells[col].shifts.append(view)
        row.hours += view.hours

    strips: list[list[StripCell]] = [[] for _ in days]
    # per day, agent-hours: to schedule, on shift, short (where fewer are on shift than needed),
    # over (where more are); intervals short and with anyone needed
    totals = [{"required": 0.0, "scheduled": 0.0, "short": 0.0, "over": 0.0, "short_intervals": 0, "intervals": 0} for _ in days]
    required_hours, minutes = 0.0, None
    if schedule.staffing_plan_id:
        plan = schedule.staffing_plan
        minutes = plan.forecast.interval_minutes
        intervals = week_intervals(plan, start=week_start, end=week_end)
        scheduled = coverage(shifts, [r.starts_at for r in intervals], minutes)
        for r, on in zip(intervals, scheduled, strict=True):
            local = timezone.localtime(r.starts_at)
            col = (local.date() - days[0]).days
            if not 0 <= col < 7:
                continue
            left = _pct(r.starts_at, days[col])
            strips[col].append(StripCell(start=local, required=r.to_schedule, scheduled=round(on, 2), left_pct=left,
                                         width_pct=minutes / 1440 * 100))
            totals[col]["required"] += r.to_schedule * minutes / 60
            totals[col]["scheduled"] += on * minutes / 60
            totals[col]["short"] += max(0.0, r.to_schedule - on) * minutes / 60
            totals[col]["over"] += max(0.0, on - r.to_schedule) * minutes / 60
            totals[col]["short_intervals"] += int(strips[col][-1].gap)
            totals[col]["intervals"] += int(r.to_schedule > 0)
            required_hours += r.required_hours
    peak = max((max(c.required, c.scheduled) for strip in strips for c in strip), default=0) or 1
    for strip in strips:
        for c in strip:
            c.height_pct = round(min(c.scheduled, peak) / peak * 100, 1)
            c.required_pct = round(c.required / peak * 100, 1)
    for t in totals:
        for k in t:
            t[k] = round(t[k], 1)
    return Board(days=days, rows=list(rows.values()), strips=strips, day_totals=totals, required_hours=round(required_hours, 1),
                 staffed_hours=round(sum(r.hours for r in rows.values()), 1), interval_minutes=minutes)


def report_shortfalls(schedule: Schedule) -> list[dict[str, Any]]:
    """The solve report's shortfall rows with their times parsed (the page shows them on the viewer's clock)."""
    out = []
    for row in (schedule.report or {}).get("shortfalls", []):
        start, end = parse_datetime(row["starts_at"]), parse_datetime(row["ends_at"])
        out.append({**row, "start": start, "end": end})
    return out


# --- time off ----------------------------------------------------------------------------------


def time_off_for_decider(*, viewer: User) -> QuerySet[TimeOff]:
    """Requests the viewer may approve or decline: their led teams' agents; everyone for managers."""
    qs = TimeOff.objects.select_related("agent", "decided_by")
    ids = managed_team_ids(viewer)
    if ids is None:
        return qs
    if not ids:
        return qs.none()
    return qs.filter(agent__teams__id__in=ids).exclude(agent=viewer).distinct()


def time_off_get_for_decider(*, viewer: User, time_off_id: int) -> TimeOff:
    """The request, if the viewer may decide it or made it; a 404 otherwise (another team's
    request is not confirmed to exist, as on the desk)."""
    try:
        off = TimeOff.objects.select_related("agent").get(pk=time_off_id)
    except TimeOff.DoesNotExist as exc:
        raise Http404("No such time-off request.") from exc
    if off.agent_id != viewer.pk and not can_decide_time_off(viewer, off):
        raise Http404("No such time-off request.")
    return off


def my_shifts(*, viewer: User, start: datetime, end: datetime) -> QuerySet[Shift]:
    return (Shift.objects.filter(agent=viewer, schedule__state=ScheduleStatus.PUBLISHED, starts_at__lt=end, ends_at__gt=start)
            .select_related("schedule__team", "shift_type").order_by("starts_at"))


def published_week_exists(*, viewer: User, week_start: date) -> bool:
    """Whether one of the viewer's teams has published the week starting on ``week_start``."""
    return Schedule.objects.filter(team__members=viewer, week_start=week_start, state=ScheduleStatus.PUBLISHED).exists()


@dataclass(frozen=True, slots=True)
class MyShift:
    shift: Shift
    breaks: list[Span]
    hours: float  # paid


@dataclass(frozen=True, slots=True)
class MyDay:
    day: date
    today: bool
    shifts: list[MyShift]


@dataclass(frozen=True, slots=True)
class MyWeek:
    first: date  # the Monday
    days: list[MyDay]
    hours: float  # paid, rounded to 0.01
    published: bool  # one of the viewer's teams published this week


def my_schedule_weeks(*, viewer: User, today: date | None = None, weeks: int = 2) -> list[MyWeek]:
    """My schedule: the viewer's published shifts of this week and the next (``weeks``), day by day
    in the current (the viewer's) zone; a shift belongs to the day it starts on."""
    today = today or timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    out = []
    for w in range(weeks):
        first = monday + timedelta(days=7 * w)
        start = timezone.make_aware(datetime.combine(first, time.min))
        shifts = list(my_shifts(viewer=viewer, start=start, end=start + timedelta(days=7)))
        days = [MyDay(day=day, today=day == today,
                      shifts=[MyShift(shift=s, breaks=shift_breaks(s), hours=paid_hours(s)) for s in shifts
                              if timezone.localtime(s.starts_at).date() == day])
                for day in (first + timedelta(days=d) for d in range(7))]
        out.append(MyWeek(first=first, days=days, hours=round(sum(paid_hours(s) for s in shifts), 2),
                          published=published_week_exists(viewer=viewer, week_start=first)))
    return out


def time_off_of_agent(*, agent: User, limit: int = 50) -> QuerySet[TimeOff]:
    """The agent's own time-off requests, latest first (My schedule)."""
    return TimeOff.objects.filter(agent=agent).select_related("decided_by").order_by("-starts_at")[:limit]


# --- what an absence does to coverage ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverageEffect:
    """One schedule week touched by a time-off request: intervals and agent-hours short (fewer on
    shift than the plan's *to schedule*) as the shifts stand, and with the agent's working time
    inside the absence taken out."""

    schedule: Schedule
    intervals_short_before: int
    intervals_short_after: int
    hours_short_before: float
    hours_short_after: float
    hours_lost: float

    @property
    def changes(self) -> bool:
        return self.hours_lost > 0


def _short(required: list[int], on_shift: list[float], minutes: int) -> tuple[int, float]:
    gaps = [max(0.0, r - s) for r, s in zip(required, on_shift, strict=True) if s + 1e-6 < r]
    return len(gaps), round(sum(gaps) * minutes / 60, 1)


def time_off_coverage_effect(*, time_off: TimeOff) -> list[CoverageEffect]:
    """For each schedule (with a staffing plan) of the agent's teams whose week overlaps the
    absence: the shortfall of that week with and without the agent's shifts inside it.

    The agent's shifts are clipped to ``[starts_at, ends_at)`` of the request (breaks kept), and
    their coverage is taken off the week's. Weeks without a schedule or plan are left out.
    """
    first = timezone.localtime(time_off.starts_at).date() - timedelta(days=7)
    last = timezone.localtime(time_off.ends_at).date()
    schedules = (Schedule.objects.filter(team__members=time_off.agent_id, staffing_plan__isnull=False,
                                         week_start__gte=first, week_start__lte=last)
                 .select_related("team", "staffing_plan__forecast").order_by("week_start", "team__name").distinct())
    out = []
    for schedule in schedules[:12]:
        start, end = week_bounds(schedule)
        if not (start < time_off.ends_at and time_off.starts_at < end):
            continue
        plan = schedule.staffing_plan
        assert plan is not None
        minutes = plan.forecast.interval_minutes
        rows = week_intervals(plan, start=start, end=end)
        starts = [r.starts_at for r in rows]
        shifts = list(schedule.shifts.all())
        clipped = [Shift(starts_at=max(s.starts_at, time_off.starts_at), ends_at=min(s.ends_at, time_off.ends_at), breaks=s.breaks)
                   for s in shifts if s.agent_id == time_off.agent_id and s.starts_at < time_off.ends_at and time_off.starts_at < s.ends_at]
        before = coverage(shifts, starts, minutes)
        lost = coverage(clipped, starts, minutes)
        after = [b - x for b, x in zip(before, lost, strict=True)]
        required = [r.to_schedule for r in rows]
        n_before, h_before = _short(required, before, minutes)
        n_after, h_after = _short(required, after, minutes)
        out.append(CoverageEffect(schedule=schedule, intervals_short_before=n_before, intervals_short_after=n_after,
                                  hours_short_before=h_before, hours_short_after=h_after,
                                  hours_lost=round(sum(lost) * minutes / 60, 1)))
    return out
