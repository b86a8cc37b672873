"""Reads for the workforce home page (``/workforce/``), scoped to the viewer. They set the
schedules against forecasts and plans, so they live on the schedules side (imports go budget ->
schedules -> workforce).

``workforce_home(viewer=..., now=...)`` gathers everything the page shows:

* the viewer's own published shifts from now to tomorrow's close (the next one when none falls
  in that window), and their adherence this week so far;
* the schedules of last, this and next week of the viewer's teams (planners: drafts too);
* for planners, per scope the staffing outlook to tomorrow's close (``outlook.outlook``) and the
  latest forecasts and plans of the teams they manage.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from frontline.people.models import User
from frontline.people.selectors import team_ids_for_viewer
from frontline.workforce.models import ForecastRun, StaffingPlan
from frontline.workforce.permissions import is_planner, managed_team_ids

from .adherence import Adherence, adherence_for_agents
from .models import Schedule, ScheduleStatus, Shift
from .outlook import ScopeOutlook, newest_plans, outlook, tomorrows_close


@dataclass(frozen=True)
class WorkforceHome:
    planner: bool
    week_start: date
    until: datetime
    schedules: list[Schedule]
    my_shifts: list[Shift]
    next_shift: Shift | None
    my_adherence: Adherence | None
    outlooks: list[ScopeOutlook]
    forecasts: list[ForecastRun]
    plans: list[StaffingPlan]


def home_schedules(*, viewer: User, week_start: date, planner: bool) -> list[Schedule]:
    """Last, this and next week's schedules of the viewer's teams (every team for managers);
    published ones only for agents."""
    qs = Schedule.objects.select_related("team").filter(week_start__gte=week_start - timedelta(days=7),
                                                        week_start__lte=week_start + timedelta(days=7))
    teams = team_ids_for_viewer(viewer=viewer)
    if teams is not None:
        qs = qs.filter(team_id__in=teams)
    if not planner:
        qs = qs.filter(state=ScheduleStatus.PUBLISHED)
    return list(qs.order_by("week_start", "team__name"))


def my_upcoming_shifts(*, viewer: User, now: datetime, until: datetime) -> list[Shift]:
    """The viewer's published shifts still to end, starting before ``until``."""
    return list(Shift.objects.filter(agent=viewer, ends_at__gt=now, starts_at__lt=until, schedule__state=ScheduleStatus.PUBLISHED)
                .select_related("schedule__team").order_by("starts_at"))


def my_next_shift(*, viewer: User, now: datetime) -> Shift | None:
    return (Shift.objects.filter(agent=viewer, ends_at__gt=now, schedule__state=ScheduleStatus.PUBLISHED)
            .select_related("schedule__team").order_by("starts_at").first())


def workforce_home(*, viewer: User, now: datetime | None = None) -> WorkforceHome:
    now = now or timezone.now()
    planner = is_planner(viewer)
    today = timezone.localdate(now)
    week_start = today - timedelta(days=today.weekday())
    until = tomorrows_close(now, timezone.get_current_timezone())  # type: ignore[arg-type]
    monday = timezone.make_aware(datetime.combine(week_start, time.min))
    [mine] = adherence_for_agents(agents=User.objects.filter(pk=viewer.pk), start=monday, end=monday + timedelta(days=7), now=now)
    upcoming = my_upcoming_shifts(viewer=viewer, now=now, until=until)
    outlooks: list[ScopeOutlook] = []
    forecasts: list[ForecastRun] = []
    plans: list[StaffingPlan] = []
    if planner:
        scope = managed_team_ids(viewer)
        forecast_qs = ForecastRun.objects.select_related("team", "queue")
        plan_qs = StaffingPlan.objects.select_related("forecast", "forecast__team")
        if scope is not None:
            forecast_qs = forecast_qs.filter(team_id__in=scope)
            plan_qs = plan_qs.filter(forecast__team_id__in=scope)
        outlooks = [outlook(plan, now=now) for plan in newest_plans(scope)]
        forecasts, plans = list(forecast_qs[:5]), list(plan_qs[:5])
    return WorkforceHome(
        planner=planner, week_start=week_start, until=until,
        schedules=home_schedules(viewer=viewer, week_start=week_start, planner=planner),
        my_shifts=upcoming, next_shift=upcoming[0] if upcoming else my_next_shift(viewer=viewer, now=now),
        my_adherence=mine.result if mine.result.is_measured else None,
        outlooks=outlooks, forecasts=forecasts, plans=plans,
    )
