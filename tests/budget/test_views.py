"""Budget pages through HTTP: who may use them, 404s, 422s, htmx partials, and what they show."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from frontline.budget import services
from frontline.budget.models import BudgetActual, BudgetLine, BudgetPlan
from frontline.budget.models import BudgetCategory as C
from frontline.people.models import Team
from tests import factories as f

from .helpers import actual, line, plan

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    """A plan around today with a line, an actual and a scenario from a what-if."""
    today = timezone.localdate()
    p = plan(start=today - timedelta(days=30), end=today + timedelta(days=60), name="This quarter")
    seats = line(p, C.TOOLS, "1000.00", "Help desk seats")
    spent = actual(seats, today - timedelta(days=3), "1234.50", today)
    scenario = services.scenario_from_whatif(base=p, name="Volume +10%", actor=None,
                                             assumptions={"volume_change_pct": 10, "aht_change_pct": -5, "horizon_days": 7},
                                             headcount_amount=D("700"))
    return {"plan": p, "line": seats, "actual": spent, "scenario": scenario, "today": today}


def _urls(w: dict) -> list[tuple[str, str]]:
    p, ln, a, s = w["plan"].pk, w["line"].pk, w["actual"].pk, w["scenario"].pk
    return [
        ("get", "/workforce/budget/"), ("get", "/workforce/budget/new/"), ("post", "/workforce/budget/new/"),
        ("get", f"/workforce/budget/{p}/"), ("get", f"/workforce/budget/{p}/edit/"), ("post", f"/workforce/budget/{p}/edit/"),
        ("post", f"/workforce/budget/{p}/delete/"), ("post", f"/workforce/budget/{p}/lines/"),
        ("get", f"/workforce/budget/{p}/lines/{ln}/edit/"), ("post", f"/workforce/budget/{p}/lines/{ln}/edit/"),
        ("post", f"/workforce/budget/{p}/lines/{ln}/delete/"), ("post", f"/workforce/budget/{p}/actuals/"),
        ("post", f"/workforce/budget/{p}/actuals/{a}/delete/"), ("post", f"/workforce/budget/{p}/fill-headcount/"),
        ("post", f"/workforce/budget/{p}/scenarios/"), ("get", f"/workforce/budget/{p}/compare/{s}/"),
    ]


@pytest.mark.parametrize("make", [f.agent, f.lead], ids=["agent", "team_lead"])
def test_agents_and_team_leads_get_403_everywhere(login, world, make) -> None:  # type: ignore[no-untyped-def]
    team = Team.objects.create(name="Support")
    user = make(teams=[team])
    client = login(user)
    statuses = {(m, u): getattr(client, m)(u, {"name": "x", "amount": "1"}).status_code for m, u in _urls(world)}
    assert set(statuses.values()) == {403}
    assert BudgetPlan.objects.count() == 2 and BudgetActual.objects.count() == 1
    assert BudgetLine.objects.get(pk=world["line"].pk).planned_amount == D("1000.00")


def test_team_lead_of_the_plans_team_is_still_refused(login) -> None:  # type: ignore[no-untyped-def]
    team = Team.objects.create(name="Support")
    p = plan(team=team)
    assert login(f.lead(leads=[team])).get(f"/workforce/budget/{p.pk}/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/workforce/budget/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_admin_may_use_it(login, world) -> None:  # type: ignore[no-untyped-def]
    assert login(f.user(role="admin")).get(f"/workforce/budget/{world['plan'].pk}/").status_code == 200


def test_missing_things_are_404(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    other = plan(name="Other")
    other_line = line(other, C.TOOLS, "5")
    other_scenario = services.scenario_create(base=other, name="S", actor=None)
    p = world["plan"].pk
    assert client.get("/workforce/budget/999999/").status_code == 404
    assert client.get(f"/workforce/budget/{p}/lines/{other_line.pk}/edit/").status_code == 404
    assert client.post(f"/workforce/budget/{p}/lines/{other_line.pk}/delete/").status_code == 404
    assert client.post(f"/workforce/budget/{other.pk}/actuals/{world['actual'].pk}/delete/").status_code == 404
    assert client.get(f"/workforce/budget/{p}/compare/{other_scenario.pk}/").status_code == 404
    assert client.get(f"/workforce/budget/{p}/compare/{p}/").status_code == 404
    assert BudgetLine.objects.filter(pk=other_line.pk).exists() and BudgetActual.objects.filter(pk=world["actual"].pk).exists()


def test_detail_shows_money_variance_and_burn(login, world) -> None:  # type: ignore[no-untyped-def]
    page = login(f.manager()).get(f"/workforce/budget/{world['plan'].pk}/").content.decode()
    assert "EUR 1,234.50" in page and "+EUR 234.50" in page  # over budget on seats already
    assert 'class="var over"' in page
    assert "31 of 91 days elapsed" in page
    assert "362.4 %" in page  # burn: 1,234.50 / (1,000 x 31 / 91 = 340.66)
    assert "EUR 3,623.85" in page and "+EUR 2,623.85" in page and "+262.4 %" in page  # projected: 1,234.50 / (31 / 91)
    assert "Volume +10%" in page and "volume +10 %, AHT \u22125 %" in page


def test_mid_period_lines_are_coloured_by_where_they_are_heading_not_by_spend_to_date(login) -> None:  # type: ignore[no-untyped-def]
    """#14.11: a line 34 % under its whole-period plan read green while its pace overspends."""
    today = timezone.localdate()
    p = plan(start=today - timedelta(days=29), end=today + timedelta(days=60), name="Running")  # 30 of 90 days
    fast = line(p, C.OVERTIME, "900.00", "Overtime")
    actual(fast, today, "600.00", today)  # to date: -300 (-33.3 %); pace: 600 / (30/90) = 1,800
    slow = line(p, C.TRAINING, "900.00", "Training")
    actual(slow, today, "150.00", today)  # pace: 450, heading under
    response = login(f.manager()).get(f"/workforce/budget/{p.pk}/")
    rows = {r.line.description: r for r in response.context["summary"].lines}
    assert (rows["Overtime"].variance, rows["Overtime"].projected, rows["Overtime"].projected_variance) == (D("-300.00"), D("1800.00"), D("900.00"))
    assert (rows["Overtime"].line_burn, rows["Training"].line_burn) == (D("200.0"), D("50.0"))
    assert rows["Training"].projected_variance == D("-450.00")
    page = response.content.decode()
    overtime = page[page.index('id="line-' + str(fast.pk) + '"'):page.index('id="line-' + str(slow.pk) + '"')]
    assert '<span class="var over">+EUR 900.00</span>' in overtime
    assert '<td class="num muted">\u2212EUR 300.00</td>' in overtime
    assert "var under" not in overtime


def test_a_department_plan_rolls_up_the_team_plans_in_its_period(login) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start, end = today - timedelta(days=9), today + timedelta(days=10)  # 10 of 20 days
    department = plan(start=start, end=end, name="Department")
    line(department, C.TOOLS, "500.00", "Seats")
    for name, planned, spent in (("Billing", "1000.00", "600.00"), ("Tech", "2000.00", "900.00")):
        team_plan = plan(start=start, end=end, team=Team.objects.create(name=name), name=f"{name} plan")
        actual(line(team_plan, C.HEADCOUNT, planned), today, spent, today)
    plan(start=end + timedelta(days=1), end=end + timedelta(days=30), team=Team.objects.create(name="Later"), name="Later plan")
    response = login(f.manager()).get(f"/workforce/budget/{department.pk}/")
    rollup = response.context["rollup"]
    assert [r.plan.name for r in rollup.rows] == ["Billing plan", "Tech plan"]
    assert (rollup.planned, rollup.actual, rollup.projected) == (D("3000.00"), D("1500.00"), D("3000.00"))
    page = response.content.decode()
    assert "Team plans in this period" in page and "Later plan" not in page
    assert "EUR 3,500.00" in page  # the team plans and the department's own line
    team_page = login(f.manager()).get(f"/workforce/budget/{rollup.rows[0].plan.pk}/")
    assert team_page.context["rollup"] is None


def test_list_shows_plans_with_nested_scenarios(login, world) -> None:  # type: ignore[no-untyped-def]
    page = login(f.manager()).get("/workforce/budget/").content.decode()
    assert "This quarter" in page and "Volume +10%" in page
    assert "EUR 1,000.00" in page and "EUR 1,234.50" in page


def test_list_query_count_does_not_grow_with_plans(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    client.get("/workforce/budget/")
    with CaptureQueriesContext(connection) as few:
        client.get("/workforce/budget/")
    for i in range(4):
        p = plan(name=f"Extra {i}", team=Team.objects.create(name=f"T{i}"))
        line(p, C.TOOLS, "10")
        services.scenario_create(base=p, name="S", actor=None)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/workforce/budget/").content.decode()
    assert "Extra 3" in page
    assert len(many) == len(few)


def test_empty_list_says_what_to_do(login) -> None:  # type: ignore[no-untyped-def]
    assert "No budget plans yet" in login(f.manager()).get("/workforce/budget/").content.decode()


def test_create_plan_and_its_422(login) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    bad = client.post("/workforce/budget/new/", {"name": "Q3", "period_start": "2026-07-01", "period_end": "2026-06-30", "currency": "EUR"})
    assert bad.status_code == 422 and "must end on or after its start" in bad.content.decode()
    bad = client.post("/workforce/budget/new/", {"name": "Q3", "period_start": "2026-07-01", "period_end": "2026-09-30", "currency": "E1R"})
    assert bad.status_code == 422 and "ISO 4217" in bad.content.decode()
    assert not BudgetPlan.objects.exists()
    ok = client.post("/workforce/budget/new/", {"name": "Q3", "period_start": "2026-07-01", "period_end": "2026-09-30", "currency": "gbp"})
    created = BudgetPlan.objects.get()
    assert ok.status_code == 302 and ok["Location"] == f"/workforce/budget/{created.pk}/" and created.currency == "GBP"


def test_add_line_htmx_and_422(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    url = f"/workforce/budget/{world['plan'].pk}/lines/"
    bad = client.post(url, {"category": "tools", "description": "Telephony", "planned_amount": "-5"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 422 and 'id="budget-body"' in bad.content.decode() and "<html" not in bad.content.decode()
    assert not BudgetLine.objects.filter(description="Telephony").exists()
    ok = client.post(url, {"category": "tools", "description": "Telephony", "planned_amount": "2500.00"}, HTTP_HX_REQUEST="true")
    assert ok.status_code == 200 and "EUR 2,500.00" in ok.content.decode() and "Line “Telephony” added." in ok.content.decode()
    assert client.post(url, {"category": "tools", "description": "Seats", "planned_amount": "1"}).status_code == 302


def test_add_actual_and_its_422s(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    url = f"/workforce/budget/{world['plan'].pk}/actuals/"
    today = world["today"]
    base = {"line": world["line"].pk, "incurred_on": today.isoformat(), "note": "Invoice"}
    assert client.post(url, {**base, "amount": "0"}).status_code == 422
    assert client.post(url, {**base, "incurred_on": (today + timedelta(days=1)).isoformat(), "amount": "5"}).status_code == 422
    assert client.post(url, {**base, "incurred_on": "2001-01-01", "amount": "5"}).status_code == 422
    foreign = line(plan(name="Other"), C.TOOLS, "1")
    assert client.post(url, {**base, "line": foreign.pk, "amount": "5"}).status_code == 422
    assert BudgetActual.objects.count() == 1
    assert client.post(url, {**base, "amount": "-40.00"}).status_code == 302
    assert BudgetActual.objects.filter(amount=D("-40.00"), line=world["line"]).exists()


def test_delete_actual_then_line(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    p, ln = world["plan"].pk, world["line"].pk
    refused = client.post(f"/workforce/budget/{p}/lines/{ln}/delete/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "has actuals" in refused.content.decode()
    assert client.post(f"/workforce/budget/{p}/actuals/{world['actual'].pk}/delete/").status_code == 302
    assert client.post(f"/workforce/budget/{p}/lines/{ln}/delete/").status_code == 302
    assert not BudgetLine.objects.filter(pk=ln).exists()


def test_edit_line_and_its_422(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    url = f"/workforce/budget/{world['plan'].pk}/lines/{world['line'].pk}/edit/"
    assert client.post(url, {"category": "tools", "description": "", "planned_amount": "5"}).status_code == 422
    assert client.post(url, {"category": "tools", "description": "Seats", "planned_amount": "1500"}).status_code == 302
    assert BudgetLine.objects.get(pk=world["line"].pk).planned_amount == D("1500.00")


def test_edit_scenario_keeps_its_plans_period(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    s = world["scenario"]
    form = client.get(f"/workforce/budget/{s.pk}/edit/").content.decode()
    assert "shares the period, team and currency" in form and 'name="period_start"' not in form
    assert 'name="period_start"' in client.get(f"/workforce/budget/{world['plan'].pk}/edit/").content.decode()
    assert client.get(f"/workforce/budget/{world['plan'].pk}/lines/{world['line'].pk}/edit/").status_code == 200
    response = client.post(f"/workforce/budget/{s.pk}/edit/", {"name": "Renamed", "period_start": "1999-01-01"})
    s.refresh_from_db()
    assert response.status_code == 302 and s.name == "Renamed" and s.period_start == world["plan"].period_start


def test_scenario_create_fill_headcount_and_compare(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    p = world["plan"]
    assert client.post(f"/workforce/budget/{p.pk}/scenarios/", {"name": ""}).status_code == 422
    response = client.post(f"/workforce/budget/{p.pk}/scenarios/", {"name": "Lean"})
    lean = BudgetPlan.objects.get(name="Lean")
    assert response.status_code == 302 and lean.base == p
    refused = client.post(f"/workforce/budget/{p.pk}/fill-headcount/", HTTP_HX_REQUEST="true")
    assert refused.status_code == 422 and "No published schedule" in refused.content.decode()
    assert not p.lines.filter(category=C.HEADCOUNT).exists()
    compare = client.get(f"/workforce/budget/{p.pk}/compare/{world['scenario'].pk}/").content.decode()
    assert "volume +10 %" in compare and "AHT \u22125 %" in compare and "horizon 7 days" in compare
    assert "EUR 9,100.00" in compare  # 700 over 7 days x 91 days
    assert "not in plan" in compare


def test_delete_plan_takes_its_scenarios(login, world) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    assert client.post(f"/workforce/budget/{world['plan'].pk}/delete/").status_code == 302
    assert not BudgetPlan.objects.exists() and not BudgetActual.objects.exists()


def test_get_is_refused_on_post_only_urls(login, world) -> None:  # type: ignore[no-untyped-def]
    assert login(f.manager()).get(f"/workforce/budget/{world['plan'].pk}/delete/").status_code == 405
