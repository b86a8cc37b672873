"""Budget writes: validation, scenarios from a what-if (proration), headcount from schedules, transactions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from frontline.budget import services
from frontline.budget.models import BudgetActual, BudgetLine, BudgetPlan
from frontline.budget.models import BudgetCategory as C
from frontline.people.models import Team
from tests import factories as f

from .helpers import actual, line, plan, schedule, shift, utc

pytestmark = pytest.mark.django_db

D = Decimal
Q2 = {"start": date(2026, 4, 1), "end": date(2026, 6, 30)}  # 91 days


def _errors(exc: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(exc.value.message_dict)


@pytest.mark.parametrize(("start", "end", "currency", "field"), [
    (date(2026, 2, 1), date(2026, 1, 31), "EUR", "period_end"),
    (date(2026, 1, 1), date(2026, 1, 31), "EU", "currency"),
    (date(2026, 1, 1), date(2026, 1, 31), "E1R", "currency"),
    (date(2026, 1, 1), date(2026, 1, 31), "EURO", "currency"),
])
def test_plan_validation(start: date, end: date, currency: str, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.plan_create(name="P", team=None, period_start=start, period_end=end, currency=currency, actor=None)
    assert _errors(exc) == {field}
    assert not BudgetPlan.objects.exists()


def test_one_day_plan_and_lower_case_currency_are_fine() -> None:
    p = services.plan_create(name=" Day ", team=None, period_start=date(2026, 1, 1), period_end=date(2026, 1, 1),
                             currency="usd", actor=None)
    assert (p.name, p.currency) == ("Day", "USD")


@pytest.mark.parametrize(("amount", "message"), [
    ("-1.00", "cannot be negative"), ("1.005", "two decimals"), ("1000000000000", "too large"), ("abc", "Enter an amount"),
])
def test_line_amount_validation(amount: str, message: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.line_add(plan=plan(), category=C.TOOLS, description="Seats", planned_amount=amount, actor=None)  # type: ignore[arg-type]
    assert message in exc.value.message_dict["planned_amount"][0]


def test_line_needs_a_category_and_description() -> None:
    with pytest.raises(ValidationError) as exc:
        services.line_add(plan=plan(), category="snacks", description="  ", planned_amount=D("1"), actor=None)
    assert _errors(exc) == {"category", "description"}


@pytest.mark.parametrize(("on", "amount", "field"), [
    (date(2026, 1, 10), "0", "amount"),
    (date(2025, 12, 31), "10", "incurred_on"),
    (date(2026, 4, 1), "10", "incurred_on"),
    (date(2026, 2, 2), "10", "incurred_on"),  # after "today"
])
def test_actual_validation(on: date, amount: str, field: str) -> None:
    target = line(plan(), C.TOOLS, "100")
    with pytest.raises(ValidationError) as exc:
        services.actual_add(line=target, incurred_on=on, amount=D(amount), actor=None, today=date(2026, 2, 1))
    assert _errors(exc) == {field}
    assert not BudgetActual.objects.exists()


def test_negative_actual_is_a_credit() -> None:
    target = line(plan(), C.TOOLS, "100")
    assert actual(target, date(2026, 1, 3), "-25.50").amount == D("-25.50")


def test_scenarios_take_no_actuals() -> None:
    scenario = services.scenario_create(base=plan(), name="S", actor=None)
    with pytest.raises(ValidationError) as exc:
        actual(line(scenario, C.TOOLS, "5"), date(2026, 1, 3), "5")
    assert _errors(exc) == {"line"}


def test_line_with_actuals_is_not_deleted() -> None:
    target = line(plan(), C.TOOLS, "100")
    actual(target, date(2026, 1, 3), "5")
    with pytest.raises(ValidationError):
        services.line_delete(line=target, actor=None)
    assert BudgetLine.objects.filter(pk=target.pk).exists()


def test_period_change_may_not_strand_actuals_and_scenarios_follow() -> None:
    p = plan()
    actual(line(p, C.TOOLS, "100"), date(2026, 3, 10), "5")
    scenario = services.scenario_create(base=p, name="S", actor=None)
    with pytest.raises(ValidationError) as exc:
        services.plan_update(plan=p, name="P", team=None, period_start=date(2026, 1, 1), period_end=date(2026, 2, 28),
                             currency="EUR", actor=None)
    assert _errors(exc) == {"period_start"}
    team = Team.objects.create(name="Support")
    services.plan_update(plan=p, name="P", team=team, period_start=date(2026, 1, 1), period_end=date(2026, 6, 30),
                         currency="gbp", actor=None)
    scenario.refresh_from_db()
    assert (scenario.team, scenario.period_end, scenario.currency) == (team, date(2026, 6, 30), "GBP")


def test_scenario_copies_lines_not_actuals() -> None:
    p = plan()
    actual(line(p, C.TOOLS, "100", "Seats"), date(2026, 1, 3), "5")
    line(p, C.TRAINING, "40", "Course")
    scenario = services.scenario_create(base=p, name="Copy", actor=None)
    assert scenario.base == p and scenario.is_scenario
    assert list(scenario.lines.values_list("category", "description", "planned_amount")) == [
        ("tools", "Seats", D("100.00")), ("training", "Course", D("40.00"))]
    assert not BudgetActual.objects.filter(line__plan=scenario).exists()
    with pytest.raises(ValidationError):
        services.scenario_create(base=scenario, name="Of a scenario", actor=None)


def test_whatif_prorates_a_14_day_cost_to_a_91_day_quarter() -> None:
    base = plan(**Q2)
    line(base, C.HEADCOUNT, "40000.00", "Headcount")
    line(base, C.TOOLS, "900.00", "Seats")
    assumptions = {"volume_change_pct": 10, "horizon_days": 14}
    scenario = services.scenario_from_whatif(base=base, name="Volume +10%", actor=None, assumptions=assumptions,
                                             headcount_amount=D("7000"))
    assert scenario.base == base
    assert dict(scenario.lines.values_list("description", "planned_amount")) == {"Headcount": D("45500.00"), "Seats": D("900.00")}
    assert scenario.assumptions == {"volume_change_pct": 10, "horizon_days": 14, "headcount_amount": "7000"}
    assert base.lines.get(description="Headcount").planned_amount == D("40000.00")


def test_whatif_scales_several_headcount_lines_in_proportion() -> None:
    base = plan(**Q2)
    line(base, C.HEADCOUNT, "30000.00", "Team A")
    line(base, C.HEADCOUNT, "10000.00", "Team B")
    scenario = services.scenario_from_whatif(base=base, name="S", actor=None, assumptions={"horizon_days": 14},
                                             headcount_amount=D("7000"))
    assert dict(scenario.lines.values_list("description", "planned_amount")) == {"Team A": D("34125.00"), "Team B": D("11375.00")}


def test_whatif_rounding_keeps_the_total_exact() -> None:
    base = plan(start=date(2026, 1, 1), end=date(2026, 1, 3))  # 3 days
    for name in ("A", "B", "C"):
        line(base, C.HEADCOUNT, "1.00", name)
    scenario = services.scenario_from_whatif(base=base, name="S", actor=None, assumptions={"horizon_days": 3},
                                             headcount_amount=D("100"))
    assert list(scenario.lines.values_list("planned_amount", flat=True)) == [D("33.33"), D("33.33"), D("33.34")]


def test_whatif_adds_a_headcount_line_when_there_is_none() -> None:
    base = plan(**Q2)
    line(base, C.TOOLS, "900.00", "Seats")
    scenario = services.scenario_from_whatif(base=base, name="S", actor=None, assumptions={"horizon_days": 7},
                                             headcount_amount=D("1000"))
    assert scenario.lines.get(category=C.HEADCOUNT).planned_amount == D("13000.00")  # 1,000 x 91 / 7


@pytest.mark.parametrize("assumptions", [{}, {"horizon_days": 0}, {"horizon_days": "14"}, {"horizon_days": True}])
def test_whatif_needs_a_horizon(assumptions: dict) -> None:
    with pytest.raises(ValidationError) as exc:
        services.scenario_from_whatif(base=plan(**Q2), name="S", actor=None, assumptions=assumptions, headcount_amount=D("1"))
    assert _errors(exc) == {"assumptions"}
    assert not BudgetPlan.objects.filter(base__isnull=False).exists()


def test_a_failing_whatif_leaves_no_scenario() -> None:
    base = plan(**Q2)
    line(base, C.HEADCOUNT, "100.00")
    with mock.patch.object(services, "headcount_set", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        services.scenario_from_whatif(base=base, name="S", actor=None, assumptions={"horizon_days": 14}, headcount_amount=D("1"))
    assert BudgetPlan.objects.count() == 1 and BudgetLine.objects.count() == 1


def test_a_failing_line_add_leaves_nothing() -> None:
    p = plan()
    with mock.patch.object(services, "_touch", side_effect=RuntimeError("boom")), pytest.raises(RuntimeError):
        services.line_add(plan=p, category=C.TOOLS, description="Seats", planned_amount=D("10"), actor=None)
    assert not BudgetLine.objects.exists()


def test_fill_headcount_from_schedules() -> None:
    team = Team.objects.create(name="Support")
    agent = f.agent(teams=[team])
    agent.agent_profile.hourly_cost = D("25.00")
    agent.agent_profile.save()
    shift(schedule(team, date(2026, 1, 5), published=True), agent, utc(2026, 1, 5, 8), utc(2026, 1, 5, 16))
    p = plan(team=team)
    line(p, C.HEADCOUNT, "3000", "Day shift")
    line(p, C.HEADCOUNT, "1000", "Night shift")
    assert services.plan_fill_headcount_from_schedules(plan=p, actor=None) == D("200.00")
    assert dict(p.lines.values_list("description", "planned_amount")) == {"Day shift": D("150.00"), "Night shift": D("50.00")}
