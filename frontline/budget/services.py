"""Writes of the budget: plans, lines, actuals, scenarios. Each runs in one transaction and raises
``ValidationError`` (a dict naming the failing fields) on bad input.

Rules:

* A plan's period ends on or after its start; its currency is an ISO 4217 code (three letters,
  stored upper-case).
* Planned amounts are ≥ 0. Actual amounts may be negative (a refund or a credit note) but not
  zero, and are dated inside the plan's period and not after today: an actual is money already
  spent, so "actual to date" is every actual of the plan.
* Actuals belong to plans, not scenarios: a scenario is a variation of a plan's lines.
* A line with actuals cannot be deleted (delete its actuals first); a plan's period cannot be
  changed so that an actual falls outside it.
* A plan's scenarios share its period, team and currency; changing the plan changes them too.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from frontline.people.models import Team, User
from frontline.workforce.whatif import WhatIfResult, whatif_assumptions

from .models import BudgetActual, BudgetCategory, BudgetLine, BudgetPlan
from .selectors import CENT, ZERO, headcount_from_schedules, period_days, schedule_coverage

__all__ = [
    "actual_add", "actual_delete", "headcount_from_schedules", "headcount_set", "line_add", "line_delete",
    "line_update", "plan_create", "plan_delete", "plan_fill_headcount_from_schedules", "plan_update",
    "scenario_create", "scenario_from_whatif",
]

CURRENCY = re.compile(r"^[A-Z]{3}$")
# Periods are turned into datetimes in the team's zone; far-off dates would overflow (a 500).
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)
MAX_AMOUNT = Decimal("999999999999.99")  # what BudgetLine.planned_amount (14 digits, 2 decimals) holds


def _amount(value: object, field: str, errors: dict[str, list[str]], *, negative_ok: bool = False) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors.setdefault(field, []).append("Enter an amount, e.g. 1250.00.")
        return ZERO
    if not amount.is_finite():
        errors.setdefault(field, []).append("Enter an amount, e.g. 1250.00.")
        return ZERO
    if amount != amount.quantize(CENT):
        errors.setdefault(field, []).append("Use at most two decimals.")
    if abs(amount) > MAX_AMOUNT:
        errors.setdefault(field, []).append("That amount is too large.")
    if negative_ok and amount == 0:
        errors.setdefault(field, []).append("An actual cannot be zero; a refund or credit is a negative amount.")
    if not negative_ok and amount < 0:
        errors.setdefault(field, []).append("A planned amount cannot be negative.")
    return amount


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_plan(*, name: str, period_start: date, period_end: date, currency: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the plan a name, e.g. “Support Q1 2027”."]
    elif len(name) > 120:
        errors["name"] = ["At most 120 characters."]
    for field, day in (("period_start", period_start), ("period_end", period_end)):
        if day and not FIRST_DAY <= day <= LAST_DAY:
            errors[field] = [f"Use a date between {FIRST_DAY:%Y} and {LAST_DAY:%Y}."]
    if period_start and period_end and period_end < period_start and "period_end" not in errors:
        errors["period_end"] = ["The period must end on or after its start."]
    code = (currency or "").strip().upper()
    if not CURRENCY.match(code):
        errors["currency"] = ["Use a three-letter ISO 4217 code, e.g. EUR, USD, GBP."]
    _raise(errors)
    return name, code


def _touch(plan: BudgetPlan) -> None:
    plan.save(update_fields=["updated_at"])


# --- plans ----------------------------------------------------------------------------------------

def plan_create(*, name: str, team: Team | None, period_start: date, period_end: date, currency: str,
                notes: str = "", actor: User | None) -> BudgetPlan:
    name, code = _check_plan(name=name, period_start=period_start, period_end=period_end, currency=currency)
    with transaction.atomic():
        return BudgetPlan.objects.create(name=name, team=team, period_start=period_start, period_end=period_end,
                                         currency=code, notes=notes.strip(), created_by=actor)


def plan_update(*, plan: BudgetPlan, name: str, team: Team | None, period_start: date, period_end: date,
                currency: str, notes: str = "", actor: User | None) -> BudgetPlan:
    """Change a plan; for a base plan its scenarios follow its period, team and currency. A
    scenario's own period, team and currency are its base's: only its name and notes change."""
    if plan.is_scenario:
        base = plan.base
        assert base is not None
        team, period_start, period_end, currency = base.team, base.period_start, base.period_end, base.currency
    name, code = _check_plan(name=name, period_start=period_start, period_end=period_end, currency=currency)
    outside = BudgetActual.objects.filter(line__plan=plan).exclude(incurred_on__range=(period_start, period_end))
    if period_start <= period_end and outside.exists():
        first = outside.order_by("incurred_on").first()
        assert first is not None
        raise ValidationError({"period_start": [
            f"Actuals are dated outside this period (e.g. {first.incurred_on:%Y-%m-%d}); move or delete them first."]})
    with transaction.atomic():
        plan.name, plan.team, plan.period_start, plan.period_end = name, team, period_start, period_end
        plan.currency, plan.notes = code, notes.strip()
        plan.save(update_fields=["name", "team", "period_start", "period_end", "currency", "notes", "updated_at"])
        if not plan.is_scenario:
            plan.scenarios.update(team=team, period_start=period_start, period_end=period_end, currency=code,
                                  updated_at=timezone.now())
    return plan


def plan_delete(*, plan: BudgetPlan, actor: User | None) -> None:
    """Delete a plan with its lines, actuals and scenarios (or one scenario)."""
    with transaction.atomic():
        plan.delete()


# --- lines ----------------------------------------------------------------------------------------

def _check_line(*, category: str, description: str, planned_amount: object) -> tuple[str, Decimal]:
    errors: dict[str, list[str]] = {}
    if category not in BudgetCategory.values:
        errors["category"] = ["Choose a category."]
    description = (description or "").strip()
    if not description:
        errors["description"] = ["Say what the line pays for, e.g. “Help desk seats”."]
    elif len(description) > 200:
        errors["description"] = ["At most 200 characters."]
    amount = _amount(planned_amount, "planned_amount", errors)
    _raise(errors)
    return description, amount


def line_add(*, plan: BudgetPlan, category: str, description: str, planned_amount: Decimal,
             actor: User | None) -> BudgetLine:
    description, amount = _check_line(category=category, description=description, planned_amount=planned_amount)
    with transaction.atomic():
        position = (plan.lines.aggregate(m=Max("position"))["m"] or 0) + 1
        line = BudgetLine.objects.create(plan=plan, category=category, description=description,
                                         planned_amount=amount, position=position)
        _touch(plan)
    return line


def line_update(*, line: BudgetLine, category: str, description: str, planned_amount: Decimal,
                actor: User | None) -> BudgetLine:
    description, amount = _check_line(category=category, description=description, planned_amount=planned_amount)
    with transaction.atomic():
        line.category, line.description, line.planned_amount = category, description, amount
        line.save(update_fields=["category", "description", "planned_amount"])
        _touch(line.plan)
    return line


def line_delete(*, line: BudgetLine, actor: User | None) -> None:
    if line.actuals.exists():
        raise ValidationError({"line": [f"“{line.description}” has actuals; delete them first, or set its planned amount to 0."]})
    with transaction.atomic():
        plan = line.plan
        line.delete()
        _touch(plan)


# --- actuals --------------------------------------------------------------------------------------

def actual_add(*, line: BudgetLine, incurred_on: date, amount: Decimal, note: str = "", actor: User | None,
               today: date | None = None) -> BudgetActual:
    """Record money spent against a line. Negative = a refund or credit; never zero; dated in the
    plan's period and not after ``today`` (default: today in the current zone)."""
    today = today or timezone.localdate()
    plan = line.plan
    errors: dict[str, list[str]] = {}
    if plan.is_scenario:
        errors["line"] = ["A scenario has no actuals: record them on its plan."]
    value = _amount(amount, "amount", errors, negative_ok=True)
    if incurred_on is None:
        errors["incurred_on"] = ["Enter the date the money was spent."]
    elif not plan.period_start <= incurred_on <= plan.period_end:
        errors["incurred_on"] = [f"Enter a date in the plan's period, {plan.period_start:%Y-%m-%d} to {plan.period_end:%Y-%m-%d}."]
    elif incurred_on > today:
        errors["incurred_on"] = ["An actual is money already spent: it cannot be dated after today."]
    note = (note or "").strip()
    if len(note) > 200:
        errors["note"] = ["At most 200 characters."]
    _raise(errors)
    with transaction.atomic():
        actual = BudgetActual.objects.create(line=line, incurred_on=incurred_on, amount=value, note=note, created_by=actor)
        _touch(plan)
    return actual


def actual_delete(*, actual: BudgetActual, actor: User | None) -> None:
    with transaction.atomic():
        plan = actual.line.plan
        actual.delete()
        _touch(plan)


# --- scenarios and headcount ----------------------------------------------------------------------

def _check_scenario(*, base: BudgetPlan, name: str) -> str:
    errors: dict[str, list[str]] = {}
    if base.is_scenario:
        errors["base"] = ["A scenario is made from a plan, not from another scenario."]
    name = (name or "").strip()
    if not name:
        errors["name"] = ["Give the scenario a name, e.g. “Volume +10%”."]
    elif len(name) > 120:
        errors["name"] = ["At most 120 characters."]
    _raise(errors)
    return name


def _copy(*, base: BudgetPlan, name: str, actor: User | None, assumptions: dict) -> BudgetPlan:
    scenario = BudgetPlan.objects.create(
        name=name, team=base.team, period_start=base.period_start, period_end=base.period_end,
        currency=base.currency, base=base, assumptions=assumptions, created_by=actor,
    )
    BudgetLine.objects.bulk_create([
        BudgetLine(plan=scenario, category=line.category, description=line.description,
                   planned_amount=line.planned_amount, position=line.position)
        for line in base.lines.all()
    ])
    return scenario


def scenario_create(*, base: BudgetPlan, name: str, actor: User | None) -> BudgetPlan:
    """A copy of the plan's lines (not its actuals) as a scenario to vary."""
    name = _check_scenario(base=base, name=name)
    with transaction.atomic():
        return _copy(base=base, name=name, actor=actor, assumptions={})


def headcount_set(*, plan: BudgetPlan, amount: Decimal) -> list[BudgetLine]:
    """Set the planned total of the plan's headcount lines to ``amount``.

    Several headcount lines are scaled in proportion to their planned amounts (equally when they
    are all 0), rounded to cents with the last line taking the rounding remainder so that the
    total is exact; with none, a "Headcount" line is added. Call inside a transaction.
    """
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    lines = list(plan.lines.filter(category=BudgetCategory.HEADCOUNT).order_by("position", "pk"))
    if not lines:
        position = (plan.lines.aggregate(m=Max("position"))["m"] or 0) + 1
        return [BudgetLine.objects.create(plan=plan, category=BudgetCategory.HEADCOUNT, description="Headcount",
                                          planned_amount=amount, position=position)]
    total = sum((line.planned_amount for line in lines), ZERO)
    weights = [line.planned_amount for line in lines] if total > 0 else [Decimal(1)] * len(lines)
    weight_total = sum(weights, ZERO)
    assigned = ZERO
    for i, (line, weight) in enumerate(zip(lines, weights, strict=True)):
        share = amount - assigned if i == len(lines) - 1 else (amount * weight / weight_total).quantize(CENT, rounding=ROUND_HALF_UP)
        line.planned_amount = share
        assigned += share
    BudgetLine.objects.bulk_update(lines, ["planned_amount"])
    return lines


def scenario_from_whatif(*, base: BudgetPlan, name: str, actor: User | None, assumptions: dict,
                         headcount_amount: Decimal) -> BudgetPlan:
    """A scenario of ``base`` whose headcount costs what the what-if says.

    The what-if's ``headcount_amount`` is its cost over ``assumptions["horizon_days"]`` days; the
    scenario's headcount total is that prorated to the budget period by days:
    ``headcount_amount x period_days ÷ horizon_days`` (e.g. 7,000 over 14 days → 45,500 over a
    91-day quarter), spread over the headcount lines by :func:`headcount_set`. The assumptions
    are stored with ``headcount_amount`` added when missing.
    """
    name = _check_scenario(base=base, name=name)
    errors: dict[str, list[str]] = {}
    amount = _amount(headcount_amount, "headcount_amount", errors)
    horizon = assumptions.get("horizon_days") if isinstance(assumptions, dict) else None
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon <= 0:
        errors["assumptions"] = ["assumptions['horizon_days'] must be a whole number of days > 0."]
    _raise(errors)
    assert isinstance(horizon, int)
    prorated = (amount * period_days(base) / horizon).quantize(CENT, rounding=ROUND_HALF_UP)
    stored = {**assumptions}
    stored.setdefault("headcount_amount", str(amount))
    with transaction.atomic():
        scenario = _copy(base=base, name=name, actor=actor, assumptions=stored)
        headcount_set(plan=scenario, amount=prorated)
    return scenario


def scenario_from_whatif_result(*, result: WhatIfResult, base: BudgetPlan, name: str, actor: User) -> BudgetPlan:
    """Save the scenario as a budget scenario of ``base``: its headcount is the scenario's cost over
    the forecast's horizon, which the budget prorates to its period by days. Raises ValueError
    without an hourly cost."""
    if result.scenario.cost is None:
        raise ValueError("The scenario has no cost: enter an hourly cost or set it on the agents' profiles.")
    return scenario_from_whatif(base=base, name=name, actor=actor, assumptions=whatif_assumptions(result),
                                headcount_amount=result.scenario.cost)


def plan_fill_headcount_from_schedules(*, plan: BudgetPlan, actor: User | None) -> Decimal:
    """Set the headcount lines' planned total to the cost of the published schedules in the period
    (:func:`frontline.budget.selectors.headcount_from_schedules`); returns that amount. Refused
    when no published schedule falls in the period: there would be nothing to fill from."""
    if not schedule_coverage(plan).weeks:
        raise ValidationError({"schedules": ["No published schedule falls in this period yet: publish schedules first."]})
    with transaction.atomic():
        amount = headcount_from_schedules(plan)
        headcount_set(plan=plan, amount=amount)
        _touch(plan)
    return amount
