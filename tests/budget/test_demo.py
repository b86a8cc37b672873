"""The demo budget: a quarterly department plan with actuals, one overrun and one scenario."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from frontline.budget.demo import seed_budget
from frontline.budget.models import BudgetPlan
from frontline.budget.selectors import plan_summary
from frontline.people.models import Team
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_seed_budget_is_repeatable_and_plausible() -> None:
    for name in ("Billing", "Technical"):
        team = Team.objects.create(name=name)
        for _ in range(2):
            member = f.agent(teams=[team])
            member.agent_profile.hourly_cost = Decimal("30")
            member.agent_profile.save()
    f.manager()
    anchor = datetime(2026, 11, 20, 12, tzinfo=UTC)
    seed_budget(anchor=anchor)
    plan = seed_budget(anchor=anchor)  # replaces, does not duplicate
    assert BudgetPlan.objects.filter(base__isnull=True).count() == 1
    assert (plan.period_start, plan.period_end) == (date(2026, 9, 1), date(2026, 11, 30))
    summary = plan_summary(plan=plan, today=anchor.date())
    rows = {r.line.description: r for r in summary.lines}
    # 2 agents x 40 h x 30/h x 13 weeks per team
    assert rows["Headcount \u2014 Billing"].planned == Decimal("31200.00")
    assert abs(rows["Headcount \u2014 Billing"].actual / (rows["Headcount \u2014 Billing"].planned * 2 / 3) - 1) < Decimal("0.04")
    overtime = rows["Overtime"]
    assert overtime.variance > 0  # the overrun: over the quarter's plan after two of three months
    assert {a.incurred_on for a in overtime.actuals} == {date(2026, 9, 30), date(2026, 10, 31)}
    assert any(a.amount < 0 for a in rows["Telephony"].actuals)
    scenario = plan.scenarios.get()
    assert scenario.assumptions["horizon_days"] == 14
    assert plan_summary(plan=scenario, today=anchor.date()).planned > summary.planned
