"""Reads of the budget: totals, variance, burn, cost per contact, schedule cost, comparisons.

Definitions (the same words are in ``docs/workforce/budget.md``):

* **Variance** of a line, category or plan = actual - planned. Positive = over budget,
  negative = under budget. **Variance %** = variance ÷ planned x 100 (none when planned is 0).
* **Period days** = days from ``period_start`` to ``period_end``, both included.
* **Elapsed days** (on day ``today``) = days from ``period_start`` to ``today`` included, clamped
  to ``0 … period days``.
* **Planned to date** = planned x elapsed days ÷ period days (the plan spread evenly over days).
* **Burn** = actual to date ÷ planned to date. Actuals cannot be dated after the day they are
  entered, so "actual to date" is every actual of the plan. Per line, per category and for the plan.
* **Projected** (to period end) = actual to date ÷ elapsed fraction, where the elapsed fraction
  = elapsed days ÷ period days: the spending pace so far, continued evenly to the last day. None
  before the period starts (nothing elapsed); the actual itself once the period is over.
  **Projected variance** = projected - planned (positive = heading over budget); the pages colour
  a line, category and plan by it, not by the to-date variance (which mid-period is almost
  always "under").
* **Roll-up**: a department plan (no team) lists the team plans whose period lies inside its own
  and shows their sum (planned, actual, projected) beside its own lines.
* **Contacts** = tickets *created* in the period (from ``period_start`` 00:00 to ``period_end``
  24:00 in the plan's zone: its team's zone, or the site zone for the whole department), in the
  plan's scope: the team and its sub-teams, or every ticket for the whole department. Created,
  not solved: a contact costs handling time whether or not it is solved yet, and arrivals are
  what the forecasts predict.
* **Cost per contact** = actual total ÷ contacts (none while there are no contacts).
* **Planned cost per contact** = planned total / contacts expected in the period by the newest
  finished forecast of the same scope (team, no queue, every channel) whose history and horizon
  together cover the whole period: its history (actual) volume plus its forecast volume of the
  intervals starting in the period. None when no forecast covers the period.
* **Headcount from schedules** = paid hours x each agent's hourly cost of the *published* shifts
  starting in the period, in the plan's scope; weeks without a published schedule add nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from frontline.core import formats
from frontline.desk.models import Ticket
from frontline.people.models import Team
from frontline.schedules.coverage import scheduled_cost
from frontline.schedules.models import Schedule, ScheduleStatus
from frontline.workforce.models import ForecastRun, RunStatus

from .models import BudgetActual, BudgetCategory, BudgetLine, BudgetPlan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def period_days(plan: BudgetPlan) -> int:
    return (plan.period_end - plan.period_start).days + 1


def elapsed_days(plan: BudgetPlan, today: date) -> int:
    return max(0, min(period_days(plan), (today - plan.period_start).days + 1))


def variance_pct(actual: Decimal, planned: Decimal) -> Decimal | None:
    """(actual - planned) ÷ planned x 100, to one decimal; None when nothing was planned."""
    if planned == 0:
        return None
    return ((actual - planned) / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- scope: which teams, which zone -------------------------------------------------------------

def _descendants(team_id: int, children: dict[int | None, list[int]]) -> set[int]:
    result, frontier = {team_id}, [team_id]
    while frontier:
        frontier = [c for t in frontier for c in children.get(t, []) if c not in result]
        result.update(frontier)
    return result


def _team_tree() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Team.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    return children


def scope_team_ids(plan: BudgetPlan, tree: dict[int | None, list[int]] | None = None) -> set[int] | None:
    """The plan's team and its sub-teams; None for the whole department."""
    if plan.team_id is None:
        return None
    return _descendants(plan.team_id, tree if tree is not None else _team_tree())


def plan_zone(plan: BudgetPlan) -> ZoneInfo:
    return ZoneInfo(plan.team.time_zone if plan.team_id is not None and plan.team else settings.TIME_ZONE)


def period_bounds(plan: BudgetPlan, *, until: date | None = None) -> tuple[datetime, datetime]:
    """``[start, end)`` of the period as aware datetimes in the plan's zone (``until`` cuts it short)."""
    zone = plan_zone(plan)
    last = min(plan.period_end, until) if until is not None else plan.period_end
    start = datetime.combine(plan.period_start, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, max(start, end)


# --- contacts -------------------------------------------------------------------------------------

def _contacts_filter(plan: BudgetPlan, tree: dict[int | None, list[int]]) -> Q:
    start, end = period_bounds(plan)
    q = Q(created_at__gte=start, created_at__lt=end)
    team_ids = scope_team_ids(plan, tree)
    if team_ids is not None:
        q &= Q(team_id__in=team_ids)
    return q


def contacts_for_plans(plans: Iterable[BudgetPlan]) -> dict[int, int]:
    """Contacts (tickets created in the period, in scope — see the module docstring) per plan, in one query."""
    plans = list(plans)
    if not plans:
        return {}
    tree = _team_tree()
    counts = Ticket.objects.aggregate(**{f"p{p.pk}": Count("pk", filter=_contacts_filter(p, tree)) for p in plans})
    return {p.pk: counts[f"p{p.pk}"] for p in plans}


def cost_per_contact(actual: Decimal, contacts: int) -> Decimal | None:
    """Actual total ÷ contacts, in cents; None without contacts."""
    return cents(actual / contacts) if contacts else None


@dataclass(frozen=True)
class ExpectedContacts:
    run: ForecastRun
    contacts: float


def expected_contacts(plan: BudgetPlan) -> ExpectedContacts | None:
    """Contacts the newest finished forecast of the plan's scope expects in the period (history
    volume where it has happened, forecast volume after); None unless one covers the whole period."""
    run = (ForecastRun.objects.filter(status=RunStatus.DONE, team_id=plan.team_id, queue__isnull=True, channel="",
                                      history_start__lte=plan.period_start, last_date__gte=plan.period_end)
           .order_by("-created_at", "-pk").first())
    if run is None:
        return None
    start, end = period_bounds(plan)
    total = run.intervals.filter(starts_at__gte=start, starts_at__lt=end).aggregate(v=Sum("volume"))["v"]
    return ExpectedContacts(run=run, contacts=float(total or 0.0))


def planned_cost_per_contact(planned: Decimal, expected: ExpectedContacts | None) -> Decimal | None:
    if expected is None or expected.contacts <= 0:
        return None
    return cents(planned / Decimal(str(expected.contacts)))


# --- schedules ------------------------------------------------------------------------------------

def _schedule_scope(plan: BudgetPlan) -> QuerySet[Schedule]:
    qs = Schedule.objects.filter(state=ScheduleStatus.PUBLISHED)
    team_ids = scope_team_ids(plan)
    return qs.filter(team_id__in=team_ids) if team_ids is not None else qs


def headcount_from_schedules(plan: BudgetPlan) -> Decimal:
    """Paid hours x hourly cost of the published shifts starting in the plan's period and scope.

    Weeks after the last published schedule (or without one) add nothing: the result is what
    the published schedules commit, not an estimate of the whole period.
    """
    start, end = period_bounds(plan)
    team_ids = scope_team_ids(plan)
    if team_ids is None:
        return cents(scheduled_cost(start, end)[1])
    return cents(sum((scheduled_cost(start, end, team_id=t)[1] for t in sorted(team_ids)), ZERO))


@dataclass(frozen=True)
class ScheduleCoverage:
    weeks: list[date]  # Mondays with at least one published schedule in scope, in order
    teams_per_week: dict[date, int]
    amount: Decimal

    @property
    def ranges(self) -> list[tuple[date, date]]:
        """Consecutive weeks joined: (first Monday, last Sunday)."""
        out: list[tuple[date, date]] = []
        for week in self.weeks:
            if out and out[-1][1] + timedelta(days=1) == week:
                out[-1] = (out[-1][0], week + timedelta(days=6))
            else:
                out.append((week, week + timedelta(days=6)))
        return out

    @property
    def last_day(self) -> date | None:
        return self.weeks[-1] + timedelta(days=6) if self.weeks else None


def schedule_coverage(plan: BudgetPlan) -> ScheduleCoverage:
    """Which weeks of the period published schedules cover, and what their shifts cost."""
    rows = (_schedule_scope(plan)
            .filter(week_start__gt=plan.period_start - timedelta(days=7), week_start__lte=plan.period_end)
            .values("week_start").annotate(teams=Count("team", distinct=True)).order_by("week_start"))
    per_week = {r["week_start"]: r["teams"] for r in rows}
    return ScheduleCoverage(weeks=sorted(per_week), teams_per_week=per_week, amount=headcount_from_schedules(plan))


# --- plans and their numbers ----------------------------------------------------------------------

def plan_get(*, plan_id: int) -> BudgetPlan:
    """A plan or scenario by id, 404 when there is none. Every budget viewer (managers, admins)
    sees every plan, so there is nothing more to filter."""
    plan = BudgetPlan.objects.select_related("team", "base", "created_by").filter(pk=plan_id).first()
    if plan is None:
        raise Http404("No such budget plan.")
    return plan


def scenario_get(*, base: BudgetPlan, scenario_id: int) -> BudgetPlan:
    scenario = base.scenarios.select_related("team", "created_by").filter(pk=scenario_id).first()
    if scenario is None:
        raise Http404("No such scenario of this plan.")
    return scenario


def _with_totals(qs: QuerySet[BudgetPlan]) -> QuerySet[BudgetPlan]:
    planned = (BudgetLine.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
               .annotate(s=Sum("planned_amount")).values("s"))
    actual = (BudgetActual.objects.filter(line__plan=OuterRef("pk")).order_by().values("line__plan")
              .annotate(s=Sum("amount")).values("s"))
    return qs.annotate(
        planned_total=Coalesce(Subquery(planned, output_field=MONEY), Value(ZERO), output_field=MONEY),
        actual_total=Coalesce(Subquery(actual, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


PLAN_SORTS = {
    "period": ("period_start", "name"),
    "name": ("name", "period_start"),
    "planned": ("planned_total", "period_start"),
    "actual": ("actual_total", "period_start"),
}


def plan_list(*, sort: str = "-period") -> QuerySet[BudgetPlan]:
    """Plans (not scenarios) with ``planned_total`` and ``actual_total``; ``sort`` is a key of
    PLAN_SORTS, "-" for descending."""
    key = sort.lstrip("-")
    if key not in PLAN_SORTS:
        key, sort = "period", "-period"
    order = [f"-{f}" if sort.startswith("-") else f for f in PLAN_SORTS[key]]
    return _with_totals(BudgetPlan.objects.filter(base__isnull=True).select_related("team")).order_by(*order, "pk")


def scenarios_of(plans: Iterable[BudgetPlan]) -> dict[int, list[BudgetPlan]]:
    out: dict[int, list[BudgetPlan]] = defaultdict(list)
    for s in _with_totals(BudgetPlan.objects.filter(base__in=list(plans))).order_by("created_at", "pk"):
        out[s.base_id].append(s)  # type: ignore[index]
    return out


def elapsed_fraction(plan: BudgetPlan, today: date) -> Decimal:
    return Decimal(elapsed_days(plan, today)) / period_days(plan)


def projected(actual: Decimal, fraction: Decimal) -> Decimal | None:
    """Actual to date ÷ elapsed fraction, to the cent; None while nothing has elapsed."""
    if fraction <= 0:
        return None
    return cents(actual / fraction)


def burn_pct(actual: Decimal, planned: Decimal, fraction: Decimal) -> Decimal | None:
    """Actual ÷ planned to date x 100, one decimal; None while nothing is planned to date."""
    to_date = cents(planned * fraction)
    if to_date == 0:
        return None
    return (actual / to_date * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


class _Variance:
    """Variance of anything with ``planned`` and ``actual`` amounts (actual - planned; + is over budget),
    and, given the ``fraction`` of the period elapsed, its burn and projection to the period's end."""

    planned: Decimal
    actual: Decimal
    fraction: Decimal = Decimal(1)

    @property
    def variance(self) -> Decimal:
        return self.actual - self.planned

    @property
    def variance_pct(self) -> Decimal | None:
        return variance_pct(self.actual, self.planned)

    @property
    def line_burn(self) -> Decimal | None:
        return burn_pct(self.actual, self.planned, self.fraction)

    @property
    def projected(self) -> Decimal | None:
        return projected(self.actual, self.fraction)

    @property
    def projected_variance(self) -> Decimal | None:
        return None if self.projected is None else self.projected - self.planned

    @property
    def projected_variance_pct(self) -> Decimal | None:
        return None if self.projected is None else variance_pct(self.projected, self.planned)


@dataclass
class LineRow(_Variance):
    line: BudgetLine
    actuals: list[BudgetActual]
    planned: Decimal
    actual: Decimal
    fraction: Decimal = Decimal(1)


@dataclass
class CategoryRow(_Variance):
    category: str
    label: str
    lines: list[LineRow] = field(default_factory=list)
    fraction: Decimal = Decimal(1)

    @property
    def planned(self) -> Decimal:
        return sum((r.planned for r in self.lines), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((r.actual for r in self.lines), ZERO)


@dataclass
class PlanSummary(_Variance):
    plan: BudgetPlan
    categories: list[CategoryRow]
    contacts: int
    today: date
    expected: ExpectedContacts | None = None
    fraction: Decimal = Decimal(1)

    @property
    def lines(self) -> list[LineRow]:
        return [r for c in self.categories for r in c.lines]

    @property
    def planned(self) -> Decimal:
        return sum((c.planned for c in self.categories), ZERO)

    @property
    def actual(self) -> Decimal:
        return sum((c.actual for c in self.categories), ZERO)

    @property
    def remaining(self) -> Decimal:
        """Planned - actual: what is left to spend (negative once over budget)."""
        return self.planned - self.actual

    @property
    def period_days(self) -> int:
        return period_days(self.plan)

    @property
    def elapsed_days(self) -> int:
        return elapsed_days(self.plan, self.today)

    @property
    def time_elapsed_pct(self) -> Decimal:
        return (Decimal(self.elapsed_days) / self.period_days * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def spent_pct(self) -> Decimal | None:
        """Share of the whole period's plan spent so far, in %."""
        if self.planned == 0:
            return None
        return (self.actual / self.planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def planned_to_date(self) -> Decimal:
        return cents(self.planned * self.elapsed_days / self.period_days)

    @property
    def burn(self) -> Decimal | None:
        """Actual to date ÷ planned to date, in % (100 = spending exactly at the planned pace)."""
        if self.planned_to_date == 0:
            return None
        return (self.actual / self.planned_to_date * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @property
    def burn_variance(self) -> Decimal:
        return self.actual - self.planned_to_date

    @property
    def cost_per_contact(self) -> Decimal | None:
        return cost_per_contact(self.actual, self.contacts)

    @property
    def planned_cost_per_contact(self) -> Decimal | None:
        return planned_cost_per_contact(self.planned, self.expected)


def plan_summary(*, plan: BudgetPlan, today: date | None = None) -> PlanSummary:
    """Every line with its actuals, grouped by category in the categories' order (empty ones left out)."""
    today = today or timezone.localdate()
    fraction = elapsed_fraction(plan, today)
    lines = list(plan.lines.prefetch_related("actuals"))
    by_category: dict[str, CategoryRow] = {}
    for value, label in BudgetCategory.choices:
        by_category[value] = CategoryRow(category=value, label=str(label), fraction=fraction)
    for line in lines:
        actuals = list(line.actuals.all())
        by_category[line.category].lines.append(LineRow(
            line=line, actuals=actuals, planned=line.planned_amount, actual=sum((a.amount for a in actuals), ZERO),
            fraction=fraction))
    categories = [c for c in by_category.values() if c.lines]
    contacts = 0 if plan.is_scenario else contacts_for_plans([plan])[plan.pk]
    return PlanSummary(plan=plan, categories=categories, contacts=contacts, today=today, expected=expected_contacts(plan),
                       fraction=fraction)


# --- roll-up: the team plans inside a department plan ------------------------------------------


@dataclass
class RollUpRow(_Variance):
    plan: BudgetPlan
    planned: Decimal
    actual: Decimal
    fraction: Decimal = Decimal(1)


@dataclass
class RollUp(_Variance):
    rows: list[RollUpRow]
    fraction: Decimal = Decimal(1)

    @property
    def planned(self) -> Decimal:  # type: ignore[override]
        return sum((r.planned for r in self.rows), ZERO)

    @property
    def actual(self) -> Decimal:  # type: ignore[override]
        return sum((r.actual for r in self.rows), ZERO)

    @property
    def projected(self) -> Decimal | None:
        """The sum of the team plans' projections (each on its own period); None while any has not started."""
        each = [r.projected for r in self.rows]
        return None if not each or any(p is None for p in each) else sum((p for p in each if p is not None), ZERO)


def plan_rollup(*, plan: BudgetPlan, today: date | None = None) -> RollUp | None:
    """For a department plan (no team, not a scenario): the team plans whose period lies inside
    its own, each with its totals and projection (on its own period), and their sum. None for a
    team plan or a scenario."""
    if plan.team_id is not None or plan.is_scenario:
        return None
    today = today or timezone.localdate()
    teams = _with_totals(BudgetPlan.objects.filter(base__isnull=True, team__isnull=False, period_start__gte=plan.period_start,
                                                   period_end__lte=plan.period_end).select_related("team"))
    rows = [RollUpRow(plan=p, planned=p.planned_total, actual=p.actual_total, fraction=elapsed_fraction(p, today))
            for p in teams.order_by("team__name", "period_start", "pk")]
    return RollUp(rows=rows, fraction=elapsed_fraction(plan, today))


# --- scenarios ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CompareRow:
    category: str
    description: str
    base: Decimal | None  # None: the line is only in one of the two
    scenario: Decimal | None

    @property
    def difference(self) -> Decimal:
        return (self.scenario or ZERO) - (self.base or ZERO)

    @property
    def difference_pct(self) -> Decimal | None:
        return variance_pct(self.scenario or ZERO, self.base or ZERO)


def plan_compare(*, base: BudgetPlan, scenario: BudgetPlan) -> list[CompareRow]:
    """Line by line: lines are matched by category and description (in order when repeated)."""
    labels = dict(BudgetCategory.choices)
    pending: dict[tuple[str, str], list[BudgetLine]] = defaultdict(list)
    for line in scenario.lines.all():
        pending[(line.category, line.description)].append(line)
    rows = []
    for line in base.lines.all():
        match = pending[(line.category, line.description)]
        other = match.pop(0) if match else None
        rows.append(CompareRow(str(labels[line.category]), line.description, line.planned_amount,
                               other.planned_amount if other else None))
    for line in scenario.lines.all():
        if line in pending[(line.category, line.description)]:
            rows.append(CompareRow(str(labels[line.category]), line.description, None, line.planned_amount))
    order = list(labels.values())
    return sorted(rows, key=lambda r: order.index(r.category))


def _pct_words(label: str, value: float) -> str:
    sign = "+" if value > 0 else "\u2212" if value < 0 else "±"
    return f"{label} {sign}{abs(value):g} %"


def describe_assumptions(assumptions: dict, currency: str = "") -> list[str]:
    """The what-if's inputs in words, e.g. ``["volume +10 %", "AHT -5 %", "horizon 14 days"]``.

    Changes are read from ``volume_change_pct``, ``aht_change_pct``, ``shrinkage_change_pct``
    (percent, signed); levels from ``target_sl`` / ``max_occupancy`` / ``shrinkage`` (0 to 1),
    ``threshold_s``, ``horizon_days`` and ``headcount_amount``; any other key is shown as
    "key: value". Known keys come first, in that order; the others follow alphabetically.
    """
    if not isinstance(assumptions, dict):
        return [str(assumptions)] if assumptions else []
    words: list[str] = []
    known = {
        "volume_change_pct": lambda v: _pct_words("volume", float(v)),
        "aht_change_pct": lambda v: _pct_words("AHT", float(v)),
        "shrinkage_change_pct": lambda v: _pct_words("shrinkage", float(v)),
        "target_sl": lambda v: f"service level target {float(v) * 100:g} %",
        "threshold_s": lambda v: f"answered within {formats.duration(float(v))}",
        "max_occupancy": lambda v: f"occupancy at most {float(v) * 100:g} %",
        "shrinkage": lambda v: f"shrinkage {float(v) * 100:g} %",
        "horizon_days": lambda v: f"horizon {int(v)} days",
        "headcount_amount": lambda v: f"headcount cost over the horizon {currency} {Decimal(str(v)):,.2f}".replace("  ", " "),
    }
    # The known keys in this order, then the others alphabetically: PostgreSQL's jsonb does not
    # keep the order the keys were written in.
    keys = [k for k in known if k in assumptions] + sorted(k for k in assumptions if k not in known)
    for key in keys:
        value = assumptions[key]
        if value is None or value == "":
            continue
        describe = known.get(key)
        try:
            words.append(describe(value) if describe else f"{key.replace('_', ' ')}: {value}")
        except (TypeError, ValueError, ArithmeticError):
            words.append(f"{key.replace('_', ' ')}: {value}")
    return words
