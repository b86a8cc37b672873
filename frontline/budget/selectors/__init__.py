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

Package map: ``_common`` (money rounding, period days, variance, the plan's scope and period
bounds), ``contacts`` (contacts and cost per contact), ``schedule_cost`` (headcount from
published schedules, schedule coverage), ``figures`` (getters, the list, the plan summary,
the roll-up), ``scenarios`` (comparison, assumptions in words). Import from the package.
"""

from __future__ import annotations

from ._common import (
    CENT,
    MONEY,
    ZERO,
    cents,
    elapsed_days,
    period_bounds,
    period_days,
    plan_zone,
    scope_team_ids,
    variance_pct,
)
from .contacts import (
    ExpectedContacts,
    contacts_for_plans,
    cost_per_contact,
    expected_contacts,
    planned_cost_per_contact,
)
from .figures import (
    PLAN_SORTS,
    CategoryRow,
    LineRow,
    PlanSummary,
    RollUp,
    RollUpRow,
    burn_pct,
    elapsed_fraction,
    plan_get,
    plan_list,
    plan_rollup,
    plan_summary,
    projected,
    scenario_get,
    scenarios_of,
)
from .scenarios import (
    CompareRow,
    describe_assumptions,
    plan_compare,
)
from .schedule_cost import (
    ScheduleCoverage,
    headcount_from_schedules,
    schedule_coverage,
)

__all__ = [
    "CENT",
    "MONEY",
    "PLAN_SORTS",
    "ZERO",
    "CategoryRow",
    "CompareRow",
    "ExpectedContacts",
    "LineRow",
    "PlanSummary",
    "RollUp",
    "RollUpRow",
    "ScheduleCoverage",
    "burn_pct",
    "cents",
    "contacts_for_plans",
    "cost_per_contact",
    "describe_assumptions",
    "elapsed_days",
    "elapsed_fraction",
    "expected_contacts",
    "headcount_from_schedules",
    "period_bounds",
    "period_days",
    "plan_compare",
    "plan_get",
    "plan_list",
    "plan_rollup",
    "plan_summary",
    "plan_zone",
    "planned_cost_per_contact",
    "projected",
    "scenario_get",
    "scenarios_of",
    "schedule_coverage",
    "scope_team_ids",
    "variance_pct",
]
