"""Staffing plans: the writes (create, update, delete), who may change a plan, and the figures a
planner acts on.

Definitions (written once here and in docs/workforce/staffing.md):

* **required** — the fewest agents *working* (on shift, not on a break, not lost to shrinkage)
  that meet every target of the plan in an interval (``frontline.workforce.staffing``).
* **to schedule** — heads to put on shift in the interval: ``ceil(required / (1 - shrinkage))``.
* **scheduled** — agents on shift and not on a break in the interval, from the *published*
  schedules of the forecast's team (every team for a department-wide forecast); fractional
  where a shift or break covers part of the interval.
* **gap** — scheduled - to schedule; an interval is **short** when the scheduled agents,
  rounded to one decimal as the page shows them, are fewer than the heads to schedule.
* **required hours / to-schedule hours / scheduled hours** — agents * interval length, summed.
* **FTE** — to-schedule hours per week / the average ``contracted_hours_per_week`` of the team's
  agents (40 when the team has none). A week is 7 days of the forecast's horizon.
* **cost** — to-schedule hours * the average ``hourly_cost`` of the team's agents with a cost.
* **expected service level** — per interval, what ``scheduled * (1 - shrinkage)`` working agents
  deliver (Erlang C, or A with a patience); over several intervals, weighted by their contacts.
  *At required* it is what the required agents deliver.
* **with drafts** — the same figures counting the shifts of *draft* schedules as well (what the
  horizon looks like once those drafts are published); shown beside the published figures
  whenever a draft schedule of the scope has shifts in the horizon.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg, QuerySet

from frontline.people.models import AgentProfile, Role, User
from frontline.people.selectors import team_descendant_ids

from .models import ForecastRun, RunStatus, StaffingPlan
from .permissions import is_planner, managed_team_ids
from .staffing import Expected, IntervalStaffing, Targets, expected, plan_intervals

DEFAULT_CONTRACTED_HOURS = 40.0
TARGET_FIELDS = ("target_sl", "target_asa_s", "max_occupancy", "max_abandon")


# --- writes ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanTargets:
    """The targets and assumptions a plan stores (fractions, not percentages; None = not applied)."""

    threshold_s: int = 20
    target_sl: float | None = 0.8
    target_asa_s: float | None = None
    max_occupancy: float | None = 0.85
    patience_s: float | None = None
    max_abandon: float | None = None
    shrinkage: float = 0.3
    concurrency: int = 1
    default_aht_s: float = 600

    @classmethod
    def of(cls, plan: StaffingPlan) -> PlanTargets:
        return cls(**{f.name: getattr(plan, f.name) for f in fields(cls)})


def _apply(plan: StaffingPlan, *, name: str, forecast: ForecastRun, targets: PlanTargets) -> None:
    plan.name = (name or "").strip()
    plan.forecast = forecast
    for f in fields(PlanTargets):
        setattr(plan, f.name, getattr(targets, f.name))


def _validate(plan: StaffingPlan) -> None:
    """Every failing field at once: ranges from the model, then the rules between fields."""
    errors: dict[str, list[str]] = {}
    try:
        plan.full_clean(exclude=["created_by"])
    except ValidationError as exc:
        errors = {k: list(v) for k, v in exc.message_dict.items()}
    forecast = plan.forecast
    if forecast.status != RunStatus.DONE:
        errors.setdefault("forecast", []).append(
            f"“{forecast.name}” is {forecast.get_status_display().lower()}; plans are made on finished forecasts.")
    if all(getattr(plan, f) is None for f in TARGET_FIELDS):
        errors.setdefault(NON_FIELD_ERRORS, []).append(
            "Give at least one target: service level, ASA, maximum occupancy or maximum abandonment.")
    if plan.max_abandon is not None and plan.patience_s is None:
        errors.setdefault("max_abandon", []).append("An abandonment cap needs a mean patience (Erlang A).")
    if errors:
        raise ValidationError(errors)


def staffing_plan_create(*, forecast: ForecastRun, name: str, targets: PlanTargets, actor: User | None) -> StaffingPlan:
    """A new plan on a finished forecast. Raises ValidationError naming each failing field."""
    plan = StaffingPlan(created_by=actor)
    _apply(plan, name=name, forecast=forecast, targets=targets)
    _validate(plan)
    with transaction.atomic():
        plan.save()
    return plan


def staffing_plan_update(
    *, plan: StaffingPlan, forecast: ForecastRun, name: str, targets: PlanTargets, actor: User
) -> StaffingPlan:
    """Change a plan's name, forecast or targets (the actor must be allowed to change it)."""
    if not plan_can_change(plan=plan, user=actor):
        raise PermissionDenied("Only its author, a lead of the forecast's team or a manager may change this plan.")
    _apply(plan, name=name, forecast=forecast, targets=targets)
    _validate(plan)
    with transaction.atomic():
        plan.save(update_fields=["name", "forecast", *[f.name for f in fields(PlanTargets)], "updated_at"])
    return plan


def staffing_plan_delete(*, plan: StaffingPlan, actor: User) -> None:
    """Delete a plan. Schedules built from it keep their shifts and lose the link."""
    if not plan_can_change(plan=plan, user=actor):
        raise PermissionDenied("Only its author, a lead of the forecast's team or a manager may delete this plan.")
    with transaction.atomic():
        plan.delete()


# --- reads and access --------------------------------------------------------------------------


def plan_can_change(*, plan: StaffingPlan, user: User) -> bool:
    """Planners read every plan; its author, managers/admins, and leads of the forecast's team
    (sub-teams included) change it. A department-wide forecast's plans: author and managers."""
    return plan.pk in plans_changeable(plans=[plan], user=user)


def plans_changeable(*, plans: Sequence[StaffingPlan], user: User) -> set[int]:
    """The ids of ``plans`` that ``user`` may change (:func:`plan_can_change`), the teams they
    manage read once for the lot (a list page)."""
    if not is_planner(user):
        return set()
    managed = managed_team_ids(user)  # None: every team
    return {plan.pk for plan in plans
            if managed is None or plan.created_by_id == user.pk
            or (plan.forecast.team_id is not None and plan.forecast.team_id in managed)}


def plan_queryset() -> QuerySet[StaffingPlan]:
    return StaffingPlan.objects.select_related("forecast__team", "forecast__queue", "created_by")


def plan_get(*, plan_id: int) -> StaffingPlan:
    """The plan (every planner may read every plan); StaffingPlan.DoesNotExist when missing."""
    return plan_queryset().get(pk=plan_id)


def plan_get_for_change(*, plan_id: int, user: User) -> StaffingPlan:
    plan = plan_get(plan_id=plan_id)
    if not plan_can_change(plan=plan, user=user):
        raise PermissionDenied("Only its author, a lead of the forecast's team or a manager may change this plan.")
    return plan


def finished_forecasts() -> QuerySet[ForecastRun]:
    return ForecastRun.objects.filter(status=RunStatus.DONE).select_related("team", "queue").order_by("-created_at", "-id")


# --- rates -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rates:
    """Hours and money per agent, averaged over the team's agents (see :func:`team_rates`)."""

    contracted_hours_per_week: float
    hourly_cost: Decimal | None
    agents: int
    costed_agents: int
    scope: str
    currency: str = "EUR"
    overridden: bool = False

    @property
    def source(self) -> str:
        """Where the numbers come from, in one sentence for the page."""
        if self.overridden:
            rate = f"Hourly cost {self.hourly_cost} {self.currency} entered for this scenario"
        elif self.hourly_cost is None:
            rate = f"No hourly cost: none of the {self.agents} agents of {self.scope} has one on their profile"
        else:
            rate = (f"Hourly cost {self.hourly_cost} {self.currency}: the average fully loaded cost on the profiles of "
                    f"{self.costed_agents} agent{'s' if self.costed_agents != 1 else ''} of {self.scope}")
        if self.agents:
            hours = f"contracted hours {self.contracted_hours_per_week:g} h/week: their average"
        else:
            hours = f"contracted hours {self.contracted_hours_per_week:g} h/week: the default (no agents)"
        return f"{rate}; {hours}."

    def with_hourly_cost(self, cost: Decimal) -> Rates:
        return replace(self, hourly_cost=cost, overridden=True)


def team_rates(*, team_id: int | None, team_name: str = "") -> Rates:
    """Average contracted hours and hourly cost of the agents (role *agent*) of a team and its
    sub-teams, or of every agent for ``team_id=None``. Agents without a cost (0) do not pull the
    average cost down; without any the cost is None (unknown)."""
    profiles = AgentProfile.objects.filter(user__role=Role.AGENT, user__is_active=True)
    if team_id is not None:
        profiles = profiles.filter(user__teams__in=team_descendant_ids(team_ids={team_id})).distinct()
    hours = profiles.filter(contracted_hours_per_week__gt=0).aggregate(n=Avg("contracted_hours_per_week"))["n"]
    agents = profiles.count()
    costed = profiles.filter(hourly_cost__gt=0)
    cost = costed.aggregate(c=Avg("hourly_cost"))["c"]
    return Rates(
        contracted_hours_per_week=float(hours) if hours else DEFAULT_CONTRACTED_HOURS,
        hourly_cost=None if cost is None else Decimal(cost).quantize(Decimal("0.01"), ROUND_HALF_UP),
        agents=agents, costed_agents=costed.count(),
        scope=f"team {team_name}" if team_id is not None else "every team",
        currency=settings.CURRENCY,
    )


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntervalOutlook:
    """One interval: what the plan requires, what is scheduled, and what the scheduled deliver."""

    staffing: IntervalStaffing
    scheduled: float | None
    delivered: Expected | None

    @property
    def open(self) -> bool:
        return self.staffing.volume > 0 or self.staffing.to_schedule > 0

    @property
    def gap(self) -> float | None:
        return None if self.scheduled is None else self.scheduled - self.staffing.to_schedule

    @property
    def short(self) -> bool:
        return self.scheduled is not None and round(self.scheduled, 1) < self.staffing.to_schedule


def outlook(targets: Targets, intervals: Sequence[IntervalStaffing], scheduled: Sequence[float] | None = None) -> list[IntervalOutlook]:
    """Pair each interval with its scheduled agents and the service ``scheduled * (1 - shrinkage)``
    working agents deliver."""
    if scheduled is None:
        return [IntervalOutlook(i, None, None) for i in intervals]
    if len(scheduled) != len(intervals):
        raise ValueError("scheduled must have one value per interval")
    cache: dict[tuple[float, float, float], Expected] = {}
    out = []
    for i, heads in zip(intervals, scheduled, strict=True):
        working = heads * (1 - targets.shrinkage)
        key = (round(i.volume, 6), round(i.aht_s, 6), round(working, 6))
        if key not in cache:
            cache[key] = expected(targets, volume=i.volume, aht_s=i.aht_s, minutes=i.minutes, agents=working)
        out.append(IntervalOutlook(i, heads, cache[key]))
    return out


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """Totals over some intervals (a day, the horizon). Hours are agent-hours; money in the rates' currency."""

    contacts: float
    required_hours: float
    to_schedule_hours: float
    scheduled_hours: float | None
    open_intervals: int
    intervals_short: int | None
    days: float
    fte: float
    cost: Decimal | None
    cost_per_week: Decimal | None
    sl_at_required: float | None
    sl_scheduled: float | None
    peak_required: int
    peak_to_schedule: int

    @property
    def sl_at_required_pct(self) -> float | None:
        return None if self.sl_at_required is None else self.sl_at_required * 100

    @property
    def sl_scheduled_pct(self) -> float | None:
        return None if self.sl_scheduled is None else self.sl_scheduled * 100

    @property
    def to_schedule_hours_per_week(self) -> float:
        return self.to_schedule_hours * 7 / self.days if self.days else 0.0


def delivered_service_level(rows: Sequence[IntervalOutlook]) -> float | None:
    """The service level the scheduled agents deliver over ``rows``: each interval's, weighted by its
    forecast contacts (None without a schedule or without contacts)."""
    return _weighted([(r.delivered.service_level, r.staffing.volume) for r in rows if r.delivered is not None])


def _weighted(values: Sequence[tuple[float, float]]) -> float | None:
    weight = sum(w for _, w in values)
    return sum(v * w for v, w in values) / weight if weight > 0 else None


def _money(amount: float, rate: Decimal | None) -> Decimal | None:
    if rate is None:
        return None
    return (Decimal(str(round(amount, 6))) * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)


def plan_summary(rows: Sequence[IntervalOutlook], *, rates: Rates, days: float) -> PlanSummary:
    """Totals of :func:`outlook` rows over ``days`` days (see the module docstring for each figure).

    ``days`` is the calendar length the rows cover; it turns hours into hours per week for FTE
    and cost per week.
    """
    hours = [r.staffing.minutes / 60 for r in rows]
    required_hours = sum(r.staffing.required * h for r, h in zip(rows, hours, strict=True))
    to_schedule_hours = sum(r.staffing.to_schedule * h for r, h in zip(rows, hours, strict=True))
    has_schedule = any(r.scheduled is not None for r in rows)
    scheduled_hours = sum((r.scheduled or 0.0) * h for r, h in zip(rows, hours, strict=True)) if has_schedule else None
    weeks = days / 7 if days > 0 else 0.0
    fte = to_schedule_hours / weeks / rates.contracted_hours_per_week if weeks else 0.0
    cost = _money(to_schedule_hours, rates.hourly_cost)
    cost_per_week = _money(to_schedule_hours / weeks, rates.hourly_cost) if weeks else None
    return PlanSummary(
        contacts=sum(r.staffing.volume for r in rows),
        required_hours=required_hours,
        to_schedule_hours=to_schedule_hours,
        scheduled_hours=scheduled_hours,
        open_intervals=sum(1 for r in rows if r.open),
        intervals_short=sum(1 for r in rows if r.short) if has_schedule else None,
        days=days,
        fte=fte,
        cost=cost,
        cost_per_week=cost_per_week,
        sl_at_required=_weighted([(r.staffing.at_required.service_level, r.staffing.volume) for r in rows]),
        sl_scheduled=delivered_service_level(rows) if has_schedule else None,
        peak_required=max((r.staffing.required for r in rows), default=0),
        peak_to_schedule=max((r.staffing.to_schedule for r in rows), default=0),
    )


@dataclass(frozen=True, slots=True)
class PlanDay:
    day: date
    rows: list[IntervalOutlook]
    summary: PlanSummary
    draft_summary: PlanSummary | None = None  # with the drafts' shifts too; None without drafts


@dataclass(frozen=True, slots=True)
class PlanFigures:
    """A plan's whole horizon, interval by interval and day by day (days in the forecast's zone)."""

    plan: StaffingPlan
    targets: Targets
    rates: Rates
    rows: list[IntervalOutlook]
    days: list[PlanDay]
    summary: PlanSummary
    drafts: list[Any] = field(default_factory=list)  # schedules.Schedule drafts with shifts in the horizon
    draft_summary: PlanSummary | None = None

    def day(self, day: date | None) -> PlanDay | None:
        return next((d for d in self.days if d.day == day), self.days[0] if self.days else None)


def horizon_days(forecast: ForecastRun, starts: Sequence[datetime]) -> int:
    """Calendar days of the forecast: first to last forecast day, or the days its intervals touch."""
    if forecast.first_date and forecast.last_date:
        return (forecast.last_date - forecast.first_date).days + 1
    zone = ZoneInfo(forecast.time_zone)
    return len({t.astimezone(zone).date() for t in starts})


@dataclass(frozen=True, slots=True)
class ClosedRun:
    """Consecutive intervals with nothing forecast and nobody to schedule, shown as one row."""

    starts_at: datetime
    ends_at: datetime
    count: int
    scheduled_hours: float | None


def table_rows(rows: list[IntervalOutlook]) -> list[IntervalOutlook | ClosedRun]:
    """A day's intervals for the plan page's table, each run of closed ones (:class:`ClosedRun`)
    folded into one row with its scheduled agent-hours (None when the schedules were not read)."""
    out: list[IntervalOutlook | ClosedRun] = []
    run: list[IntervalOutlook] = []

    def flush() -> None:
        if not run:
            return
        has = any(r.scheduled is not None for r in run)
        hours = sum((r.scheduled or 0.0) * r.staffing.minutes / 60 for r in run) if has else None
        last = run[-1].staffing
        out.append(ClosedRun(run[0].staffing.starts_at, last.starts_at + timedelta(minutes=last.minutes), len(run), hours))
        run.clear()

    for r in rows:
        if r.open:
            flush()
            out.append(r)
        else:
            run.append(r)
    flush()
    return out


def split_days(rows: Sequence[IntervalOutlook], *, zone: ZoneInfo, rates: Rates,
               draft_rows: Sequence[IntervalOutlook] | None = None) -> list[PlanDay]:
    by_day: dict[date, list[int]] = {}
    for i, r in enumerate(rows):
        by_day.setdefault(r.staffing.starts_at.astimezone(zone).date(), []).append(i)
    return [PlanDay(d, [rows[i] for i in ix], plan_summary([rows[i] for i in ix], rates=rates, days=1),
                    plan_summary([draft_rows[i] for i in ix], rates=rates, days=1) if draft_rows else None)
            for d, ix in sorted(by_day.items())]



def plan_figures(*, plan: StaffingPlan, targets: Targets | None = None, rates: Rates | None = None,
                 intervals: Sequence[IntervalStaffing] | None = None, scheduled: Sequence[float] | None = None,
                 drafts: Sequence[Any] = (), scheduled_with_drafts: Sequence[float] | None = None) -> PlanFigures:
    """Everything the plan page shows: each interval's staffing and the totals.

    The schedules' side comes from the caller (``schedules.outlook.plan_figures_as_scheduled``):
    ``scheduled``, agents on shift per interval in published schedules; ``drafts``, the draft
    schedules with shifts in the horizon, and ``scheduled_with_drafts``, the coverage counting
    them too. ``intervals`` are the plan's (``plan_intervals``) when given.
    """
    forecast = plan.forecast
    targets = targets or Targets.of(plan)
    intervals = list(intervals) if intervals is not None else plan_intervals(plan, targets=targets)
    starts = [i.starts_at for i in intervals]
    draft_rows = outlook(targets, intervals, scheduled_with_drafts) if scheduled_with_drafts is not None else None
    rows = outlook(targets, intervals, scheduled)
    rates = rates or team_rates(team_id=forecast.team_id, team_name=forecast.team.name if forecast.team else "")
    zone = ZoneInfo(forecast.time_zone)
    n_days = horizon_days(forecast, starts)
    return PlanFigures(plan=plan, targets=targets, rates=rates, rows=rows,
                       days=split_days(rows, zone=zone, rates=rates, draft_rows=draft_rows),
                       summary=plan_summary(rows, rates=rates, days=n_days), drafts=list(drafts),
                       draft_summary=plan_summary(draft_rows, rates=rates, days=n_days) if draft_rows else None)


def suggested_targets(channel: str) -> PlanTargets:
    """Starting targets for a forecast of one channel (blank = every channel); see the doc page.

    Phone: 80 % answered in 20 s, callers hang up (mean patience 3 min, at most 5 % abandon).
    Chat: 80 % in 60 s with two chats per agent. Written channels (email, web form, social, API)
    wait in a queue, so the answer is in the hour and occupancy (90 %) sets the staffing. Every
    channel together (mostly written in this department, a third chat and phone): 80 % in 10 min.
    Shrinkage 20 %: absence, meetings and training; breaks and lunches are in the shifts.
    """
    if channel == "phone":
        return PlanTargets(threshold_s=20, target_sl=0.8, max_occupancy=0.85, patience_s=180, max_abandon=0.05,
                           shrinkage=0.2, default_aht_s=360)
    if channel == "chat":
        return PlanTargets(threshold_s=60, target_sl=0.8, max_occupancy=0.85, concurrency=2, shrinkage=0.2,
                           default_aht_s=600)
    if channel in ("email", "web", "social", "api"):
        return PlanTargets(threshold_s=3600, target_sl=0.8, max_occupancy=0.9, shrinkage=0.2, default_aht_s=600)
    return PlanTargets(threshold_s=600, target_sl=0.8, max_occupancy=0.85, shrinkage=0.2, default_aht_s=600)
