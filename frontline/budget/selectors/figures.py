"""A plan's numbers: getters, the list, lines, categories and the plan summary with burn and projection, the roll-up of team plans."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from ..models import BudgetActual, BudgetCategory, BudgetLine, BudgetPlan
from ._common import MONEY, ZERO, cents, elapsed_days, period_days, variance_pct
from .contacts import (
    ExpectedContacts,
    contacts_for_plans,
    cost_per_contact,
    expected_contacts,
    planned_cost_per_contact,
)

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


