"""What-if: the changed plan against the plan, computed in the request; saving it as a budget
scenario (managers only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from frontline.budget.models import BudgetCategory, BudgetPlan
from frontline.budget.services import line_add, plan_create
from frontline.workforce.plans import plan_figures
from frontline.workforce.staffing import Targets, staff_intervals
from frontline.workforce.whatif import WhatIfChanges, whatif_compare
from tests import factories as f
from tests.workforce import staffing_factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    team = f.team(name="Orders")
    sf.set_profile(f.agent(teams=[team]), hours=40, cost=30)
    sf.set_profile(f.agent(teams=[team]), hours=40, cost=40)
    return team


@pytest.fixture
def plan(team):
    return sf.plan(sf.forecast(rows=sf.day_rows(), team=team), name="Orders plan", shrinkage=0.3)


@pytest.fixture
def budget(team):
    manager = f.manager()
    base = plan_create(name="Q2", team=team, period_start=date(2026, 4, 1), period_end=date(2026, 4, 28), currency="EUR",
                       actor=manager)
    line_add(plan=base, category=BudgetCategory.HEADCOUNT, description="Agents", planned_amount=Decimal("100000"), actor=manager)
    line_add(plan=base, category=BudgetCategory.TOOLS, description="Licences", planned_amount=Decimal("5000"), actor=manager)
    return base


# --- the comparison ----------------------------------------------------------------------------


def test_ten_percent_more_volume_raises_hours_and_cost(plan):
    result = whatif_compare(plan=plan, changes=WhatIfChanges(volume_change_pct=10))
    b, s = result.base, result.scenario
    assert s.contacts == pytest.approx(b.contacts * 1.1)
    assert s.required_hours > b.required_hours and s.to_schedule_hours > b.to_schedule_hours
    assert s.cost > b.cost and s.fte > b.fte
    # the scenario is the engine on 110 calls per open half-hour, independently of the what-if code
    rows = list(plan.forecast.intervals.all())
    again = staff_intervals(Targets.of(plan).adjusted(volume_factor=1.1), rows, 30)
    assert s.to_schedule_hours == pytest.approx(sum(r.to_schedule for r in again) / 2)
    assert s.cost == (Decimal(str(s.to_schedule_hours)) * Decimal("35")).quantize(Decimal("0.01"))


def test_plan_column_equals_the_plan_page(plan):
    result = whatif_compare(plan=plan, changes=WhatIfChanges())
    page = plan_figures(plan=plan).summary
    assert (result.base.to_schedule_hours, result.base.fte, result.base.cost) == (page.to_schedule_hours, page.fte, page.cost)
    assert result.scenario == result.base


def test_shorter_handle_time_lowers_hours_and_lower_target_needs_fewer(plan):
    faster = whatif_compare(plan=plan, changes=WhatIfChanges(aht_change_pct=-5))
    assert faster.scenario.to_schedule_hours <= faster.base.to_schedule_hours
    looser = whatif_compare(plan=plan, changes=WhatIfChanges(target_sl=0.6, threshold_s=60))
    assert looser.scenario.required_hours < looser.base.required_hours
    assert looser.scenario.sl_at_required < looser.base.sl_at_required


def test_shrinkage_and_hourly_cost_override_by_hand(plan):
    result = whatif_compare(plan=plan, changes=WhatIfChanges(shrinkage=0.125, hourly_cost=Decimal("50")))
    # 14 working agents / (1 - 0.125) = 16 heads, 16 half-hours → 128 h; x 50 = 6,400
    assert result.scenario.to_schedule_hours == pytest.approx(128)
    assert result.scenario.cost == Decimal("6400.00")
    assert result.scenario.cost_per_week == Decimal("44800.00")
    assert result.scenario.fte == pytest.approx(128 * 7 / 40)
    assert "entered for this scenario" in result.scenario_rates.source


def test_per_day_differences(team):
    rows = sf.day_rows() + sf.day_rows(sf.DAY + timedelta(days=1), volume=50)
    plan = sf.plan(sf.forecast(rows=rows, team=team, last_date=sf.DAY + timedelta(days=1)))
    result = whatif_compare(plan=plan, changes=WhatIfChanges(volume_change_pct=20))
    assert [d.day for d in result.days] == [sf.DAY, sf.DAY + timedelta(days=1)]
    assert [d.contacts for d in result.days] == pytest.approx([320, 160])
    assert sum(d.to_schedule_hours for d in result.days) == pytest.approx(
        result.scenario.to_schedule_hours - result.base.to_schedule_hours)


# --- the page ----------------------------------------------------------------------------------


def test_without_javascript_a_get_shows_both_columns(login, plan):
    page = login(f.lead()).get(f"/workforce/staffing/what-if/?plan={plan.pk}&volume_change_pct=10").content.decode()
    assert "<html" in page and "Whole horizon" in page and "Day by day" in page
    assert "To-schedule hours" in page and "+10 % volume" in page


def test_htmx_post_swaps_the_result_and_pushes_a_shareable_url(login, plan):
    response = login(f.lead()).post("/workforce/staffing/what-if/", {"plan": plan.pk, "volume_change_pct": "10"},
                                    HTTP_HX_REQUEST="true", HTTP_HX_TARGET="whatif-result")
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert response["HX-Push-Url"] == f"/workforce/staffing/what-if/?plan={plan.pk}&volume_change_pct=10"


@pytest.mark.parametrize(("query", "field"), [
    ("volume_change_pct=-95", "Volume change (%)"),
    ("aht_change_pct=abc", "Handle time change (%)"),
    ("shrinkage_pct=99", "Shrinkage (%)"),
    ("target_sl_pct=100", "Service level target (%)"),
    ("hourly_cost=-1", "Hourly cost"),
])
def test_invalid_input_is_422_naming_the_field(login, plan, query, field):
    client = login(f.manager())
    response = client.get(f"/workforce/staffing/what-if/?plan={plan.pk}&{query}")
    assert response.status_code == 422 and "errorlist" in response.content.decode()
    response = client.post("/workforce/staffing/what-if/", dict([q.split("=") for q in [f"plan={plan.pk}", query]]),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and f"<strong>{field}:</strong>" in response.content.decode()


def test_unknown_plan_is_422(login, plan):
    response = login(f.manager()).get("/workforce/staffing/what-if/?plan=999999")
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()


def test_blank_page_and_no_plans_explain_themselves(login, plan):
    assert "Choose a plan and change a number" in login(f.lead()).get("/workforce/staffing/what-if/").content.decode()
    plan.delete()
    assert "make a staffing plan" in login(f.lead()).get("/workforce/staffing/what-if/").content.decode()


def test_agents_get_403(login, plan):
    client = login(f.agent())
    assert client.get(f"/workforce/staffing/what-if/?plan={plan.pk}").status_code == 403
    assert client.post("/workforce/staffing/what-if/save/", {"plan": plan.pk}).status_code == 403


# --- saving a budget scenario ------------------------------------------------------------------


def test_budget_button_only_for_managers(login, plan, budget):
    url = f"/workforce/staffing/what-if/?plan={plan.pk}&volume_change_pct=10"
    assert "Save as a budget scenario" in login(f.manager()).get(url).content.decode()
    assert "Save as a budget scenario" not in login(f.lead(leads=[plan.forecast.team])).get(url).content.decode()


def test_a_team_lead_cannot_save_a_scenario(login, plan, budget):
    response = login(f.lead(leads=[plan.forecast.team])).post(
        "/workforce/staffing/what-if/save/",
        {"plan": plan.pk, "volume_change_pct": "10", "budget": budget.pk, "scenario_name": "Sneaky"})
    assert response.status_code == 403
    assert not BudgetPlan.objects.filter(base__isnull=False).exists()


def test_saving_passes_the_scenario_cost_to_the_budget(login, plan, budget, monkeypatch):
    calls = []

    def record(**kwargs):
        calls.append(kwargs)
        return budget

    monkeypatch.setattr("frontline.budget.services.scenario_from_whatif", record)
    manager = f.manager()
    response = login(manager).post("/workforce/staffing/what-if/save/",
                                   {"plan": plan.pk, "volume_change_pct": "10", "budget": budget.pk, "scenario_name": "Busy"})
    assert response.status_code == 302
    (kw,) = calls
    scenario = whatif_compare(plan=plan, changes=WhatIfChanges(volume_change_pct=10)).scenario
    assert (kw["base"], kw["name"], kw["actor"], kw["headcount_amount"]) == (budget, "Busy", manager, scenario.cost)
    assert kw["assumptions"]["horizon_days"] == 1 and kw["assumptions"]["changes"]["volume_change_pct"] == 10


def test_saving_creates_a_scenario_with_prorated_headcount(login, plan, budget):
    response = login(f.manager()).post("/workforce/staffing/what-if/save/",
                                       {"plan": plan.pk, "volume_change_pct": "10", "budget": budget.pk, "scenario_name": "Busy"},
                                       HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved budget scenario" in response.content.decode()
    saved = BudgetPlan.objects.get(base=budget)
    cost = whatif_compare(plan=plan, changes=WhatIfChanges(volume_change_pct=10)).scenario.cost
    headcount = sum(line.planned_amount for line in saved.lines.filter(category=BudgetCategory.HEADCOUNT))
    assert headcount == (cost * 28).quantize(Decimal("0.01"))  # one day of cost over a 28-day budget
    assert saved.assumptions["staffing_plan"]["id"] == plan.pk
    assert saved.lines.get(category=BudgetCategory.TOOLS).planned_amount == Decimal("5000")


def test_saving_without_a_budget_or_cost_is_422(login, team):
    plan = sf.plan(sf.forecast(rows=sf.day_rows(), team=f.team()))  # nobody on that team has a cost
    client = login(f.manager())
    response = client.post("/workforce/staffing/what-if/save/", {"plan": plan.pk, "scenario_name": "x"})
    assert response.status_code == 422 and "budget" in response.content.decode()
    base = plan_create(name="B", team=None, period_start=date(2026, 4, 1), period_end=date(2026, 4, 30), currency="EUR", actor=None)
    response = client.post("/workforce/staffing/what-if/save/", {"plan": plan.pk, "budget": base.pk, "scenario_name": "x"})
    assert response.status_code == 422 and "enter an hourly cost" in response.content.decode()
    assert not BudgetPlan.objects.filter(base__isnull=False).exists()
