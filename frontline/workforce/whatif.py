"""What-if: a staffing plan against the same plan with changed volume, handle time, targets,
shrinkage or hourly cost, computed in the request (the Erlang engine is fast enough; see
docs/workforce/staffing.md for the measurement) and, for managers, saved as a budget scenario.

Every figure is a :class:`~frontline.workforce.plans.PlanSummary` of the plan's horizon (and of
each day), so the plan column here equals the plan page's horizon totals.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from .models import StaffingPlan
from .plans import PlanSummary, Rates, plan_figures
from .staffing import Targets


@dataclass(frozen=True, slots=True)
class WhatIfChanges:
    """Changes to a plan. Percent changes multiply the forecast; None keeps the plan's value."""

    volume_change_pct: float = 0.0
    aht_change_pct: float = 0.0
    target_sl: float | None = None
    threshold_s: int | None = None
    shrinkage: float | None = None
    hourly_cost: Decimal | None = None

    def apply(self, targets: Targets) -> Targets:
        changes: dict[str, Any] = {
            "volume_factor": targets.volume_factor * (1 + self.volume_change_pct / 100),
            "aht_factor": targets.aht_factor * (1 + self.aht_change_pct / 100),
        }
        if self.target_sl is not None:
            changes["target_sl"] = self.target_sl
        if self.threshold_s is not None:
            changes["threshold_s"] = self.threshold_s
        if self.shrinkage is not None:
            changes["shrinkage"] = self.shrinkage
        return targets.adjusted(**changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "volume_change_pct": self.volume_change_pct, "aht_change_pct": self.aht_change_pct,
            "target_sl": self.target_sl, "threshold_s": self.threshold_s, "shrinkage": self.shrinkage,
            "hourly_cost": None if self.hourly_cost is None else str(self.hourly_cost),
        }


@dataclass(frozen=True, slots=True)
class DayDiff:
    day: date
    plan: PlanSummary
    scenario: PlanSummary

    @property
    def contacts(self) -> float:
        return self.scenario.contacts - self.plan.contacts

    @property
    def to_schedule_hours(self) -> float:
        return self.scenario.to_schedule_hours - self.plan.to_schedule_hours

    @property
    def cost(self) -> Decimal | None:
        if self.plan.cost is None or self.scenario.cost is None:
            return None
        return self.scenario.cost - self.plan.cost

    @property
    def peak(self) -> int:
        return self.scenario.peak_to_schedule - self.plan.peak_to_schedule


@dataclass(frozen=True, slots=True)
class Comparison:
    """One line of the side-by-side table."""

    label: str
    unit: str
    plan: float | Decimal | None
    scenario: float | Decimal | None
    digits: str = "0g"  # floatformat argument: decimals, grouped

    @property
    def delta(self) -> float | Decimal | None:
        if self.plan is None or self.scenario is None:
            return None
        return self.scenario - self.plan

    @property
    def delta_pct(self) -> float | None:
        if self.plan is None or self.scenario is None or not self.plan:
            return None
        return float(self.scenario - self.plan) / float(self.plan) * 100


@dataclass(frozen=True, slots=True)
class WhatIfResult:
    plan: StaffingPlan
    changes: WhatIfChanges
    plan_targets: Targets
    scenario_targets: Targets
    plan_rates: Rates
    scenario_rates: Rates
    base: PlanSummary
    scenario: PlanSummary
    days: list[DayDiff]
    seconds: float

    @property
    def comparisons(self) -> list[Comparison]:
        b, s = self.base, self.scenario
        currency = self.plan_rates.currency
        return [
            Comparison("Contacts", "", b.contacts, s.contacts),
            Comparison("Required agent-hours", "h", b.required_hours, s.required_hours),
            Comparison("To-schedule hours", "h", b.to_schedule_hours, s.to_schedule_hours),
            Comparison("To-schedule hours per week", "h", b.to_schedule_hours_per_week, s.to_schedule_hours_per_week),
            Comparison("FTE", "", b.fte, s.fte, "1g"),
            Comparison("Cost, whole horizon", currency, b.cost, s.cost),
            Comparison("Cost per week", currency, b.cost_per_week, s.cost_per_week),
            Comparison("Service level at required", "%", _pct(b.sl_at_required), _pct(s.sl_at_required), "1g"),
            Comparison("Peak agents to schedule", "", b.peak_to_schedule, s.peak_to_schedule),
        ]


def _pct(value: float | None) -> float | None:
    return None if value is None else value * 100


def whatif_compare(*, plan: StaffingPlan, changes: WhatIfChanges) -> WhatIfResult:
    """The plan and the changed plan over the forecast's horizon, in total and per day.

    Raises ValueError when the engine finds the changed targets cannot be met.
    """
    started = time.perf_counter()
    base = plan_figures(plan=plan)
    targets = changes.apply(base.targets)
    rates = base.rates if changes.hourly_cost is None else base.rates.with_hourly_cost(changes.hourly_cost)
    scenario = plan_figures(plan=plan, targets=targets, rates=rates)
    scenario_days = {d.day: d.summary for d in scenario.days}
    days = [DayDiff(d.day, d.summary, scenario_days[d.day]) for d in base.days]
    return WhatIfResult(
        plan=plan, changes=changes, plan_targets=base.targets, scenario_targets=targets, plan_rates=base.rates,
        scenario_rates=rates, base=base.summary, scenario=scenario.summary, days=days,
        seconds=time.perf_counter() - started,
    )


def _summary_dict(summary: PlanSummary) -> dict[str, Any]:
    return {
        "contacts": round(summary.contacts, 1), "required_hours": round(summary.required_hours, 2),
        "to_schedule_hours": round(summary.to_schedule_hours, 2), "fte": round(summary.fte, 2),
        "cost": None if summary.cost is None else str(summary.cost),
        "cost_per_week": None if summary.cost_per_week is None else str(summary.cost_per_week),
        "sl_at_required": None if summary.sl_at_required is None else round(summary.sl_at_required, 4),
        "peak_to_schedule": summary.peak_to_schedule, "days": summary.days,
    }


def whatif_assumptions(result: WhatIfResult) -> dict[str, Any]:
    """What a budget scenario keeps of the what-if: its inputs and both sides' results."""
    forecast = result.plan.forecast
    return {
        "source": "what-if",
        "staffing_plan": {"id": result.plan.pk, "name": result.plan.name},
        "forecast": {"id": forecast.pk, "name": forecast.name,
                     "first_date": forecast.first_date.isoformat() if forecast.first_date else None,
                     "last_date": forecast.last_date.isoformat() if forecast.last_date else None},
        "changes": result.changes.as_dict(),
        "hourly_cost": None if result.scenario_rates.hourly_cost is None else str(result.scenario_rates.hourly_cost),
        "hourly_cost_source": result.scenario_rates.source,
        "currency": result.scenario_rates.currency,
        "horizon_days": int(result.scenario.days),
        "plan": _summary_dict(result.base),
        "scenario": _summary_dict(result.scenario),
    }
