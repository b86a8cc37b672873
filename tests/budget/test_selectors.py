"""Variance, totals, burn, cost per contact and schedule cost against hand-computed numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from frontline.budget.models import BudgetCategory as C
from frontline.budget.selectors import (
    describe_assumptions,
    headcount_from_schedules,
    plan_compare,
    plan_summary,
    schedule_coverage,
)
from frontline.budget.services import scenario_create
from frontline.people.models import Team
from tests import factories as f

from .helpers import actual, line, plan, schedule, shift, utc

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = date(2026, 1, 30)


@pytest.fixture
def q1():  # type: ignore[no-untyped-def]
    """Jan 1 - Mar 31 2026 (90 days): planned 10,200.00, actual 3,750.50 by Jan 30."""
    p = plan()
    head, tools, over = line(p, C.HEADCOUNT, "9000.00"), line(p, C.TOOLS, "900.00"), line(p, C.OVERTIME, "300.00")
    actual(head, date(2026, 1, 15), "2500.00", TODAY)
    actual(head, date(2026, 1, 30), "500.50", TODAY)
    actual(tools, date(2026, 1, 5), "-100.00", TODAY)  # a credit
    actual(tools, date(2026, 1, 6), "400.00", TODAY)
    actual(over, date(2026, 1, 29), "450.00", TODAY)
    return p


def test_line_category_and_plan_totals_and_variance(q1) -> None:  # type: ignore[no-untyped-def]
    s = plan_summary(plan=q1, today=TODAY)
    assert [c.category for c in s.categories] == ["headcount", "overtime", "tools"]
    rows = {r.line.category: r for r in s.lines}
    assert (rows["headcount"].actual, rows["headcount"].variance, rows["headcount"].variance_pct) == (D("3000.50"), D("-5999.50"), D("-66.7"))
    assert (rows["tools"].actual, rows["tools"].variance, rows["tools"].variance_pct) == (D("300.00"), D("-600.00"), D("-66.7"))
    assert (rows["overtime"].variance, rows["overtime"].variance_pct) == (D("150.00"), D("50.0"))
    assert (s.planned, s.actual, s.variance, s.variance_pct) == (D("10200.00"), D("3750.50"), D("-6449.50"), D("-63.2"))
    assert s.remaining == D("6449.50")


def test_burn_prorates_the_plan_by_days(q1) -> None:  # type: ignore[no-untyped-def]
    s = plan_summary(plan=q1, today=TODAY)
    assert (s.period_days, s.elapsed_days) == (90, 30)
    assert s.planned_to_date == D("3400.00")  # 10,200 x 30 / 90
    assert s.burn == D("110.3")  # 3,750.50 / 3,400
    assert s.burn_variance == D("350.50")
    assert (s.time_elapsed_pct, s.spent_pct) == (D("33.3"), D("36.8"))


def test_burn_before_and_after_the_period(q1) -> None:  # type: ignore[no-untyped-def]
    before = plan_summary(plan=q1, today=date(2025, 12, 1))
    after = plan_summary(plan=q1, today=date(2026, 6, 1))
    assert (before.elapsed_days, before.planned_to_date, before.burn) == (0, D("0.00"), None)
    assert (after.elapsed_days, after.planned_to_date, after.burn) == (90, D("10200.00"), D("36.8"))


def test_variance_pct_is_none_when_nothing_was_planned() -> None:
    p = plan()
    free = line(p, C.OTHER, "0")
    actual(free, date(2026, 1, 2), "10.00")
    row = plan_summary(plan=p, today=TODAY).lines[0]
    assert (row.variance, row.variance_pct) == (D("10.00"), None)


def test_cost_per_contact_counts_tickets_created_in_the_period_in_scope(q1) -> None:  # type: ignore[no-untyped-def]
    team = Team.objects.create(name="Billing", time_zone="America/New_York")
    sub = Team.objects.create(name="Billing EU", parent=team)
    other = Team.objects.create(name="Other")
    q1.team = team
    q1.save(update_fields=["team"])
    for t, at in [(team, utc(2026, 1, 1, 6)), (team, utc(2026, 3, 31, 23)), (sub, utc(2026, 2, 10)),  # in
                  (team, utc(2026, 1, 1, 3)),  # Dec 31 22:00 in New York: before the period
                  (team, utc(2026, 4, 1, 5)),  # Apr 1 01:00 in New York: after it
                  (other, utc(2026, 2, 1)), (None, utc(2026, 2, 1))]:  # out of scope
        f.ticket(team=t, at=at, notify=False)
    s = plan_summary(plan=q1, today=TODAY)
    assert s.contacts == 3
    assert s.cost_per_contact == D("1250.17")  # 3,750.50 / 3


def test_department_plan_counts_every_ticket_and_none_without_contacts() -> None:
    p = plan()
    actual(line(p, C.TOOLS, "100"), date(2026, 1, 2), "99.00")
    assert plan_summary(plan=p, today=TODAY).cost_per_contact is None
    f.ticket(at=utc(2026, 1, 10), notify=False)
    f.ticket(team=Team.objects.create(name="T"), at=utc(2026, 1, 11), notify=False)
    s = plan_summary(plan=p, today=TODAY)
    assert (s.contacts, s.cost_per_contact) == (2, D("49.50"))


def test_headcount_from_schedules_counts_published_shifts_only() -> None:
    team, other = Team.objects.create(name="Support"), Team.objects.create(name="Sales")
    agent = f.agent(teams=[team])
    agent.agent_profile.hourly_cost = D("30.00")
    agent.agent_profile.save()
    week = schedule(team, date(2026, 1, 5), published=True)
    shift(week, agent, utc(2026, 1, 5, 9), utc(2026, 1, 5, 17),
          [{"start": "2026-01-05T12:00:00+00:00", "end": "2026-01-05T12:30:00+00:00", "paid": False}])  # 7.5 h
    shift(week, agent, utc(2026, 1, 6, 9), utc(2026, 1, 6, 17),
          [{"start": "2026-01-06T12:00:00+00:00", "end": "2026-01-06T12:15:00+00:00", "paid": True}])  # 8 h
    draft = schedule(team, date(2026, 1, 12), published=False)
    shift(draft, agent, utc(2026, 1, 12, 9), utc(2026, 1, 12, 17))
    before = schedule(team, date(2025, 12, 29), published=True)
    shift(before, agent, utc(2025, 12, 30, 9), utc(2025, 12, 30, 17))  # published, before the period
    elsewhere = schedule(other, date(2026, 1, 5), published=True)
    shift(elsewhere, agent, utc(2026, 1, 7, 9), utc(2026, 1, 7, 13))  # 4 h for another team
    assert headcount_from_schedules(plan(team=team)) == D("465.00")  # (7.5 + 8) x 30
    assert headcount_from_schedules(plan(name="Department")) == D("585.00")  # + 4 x 30
    coverage = schedule_coverage(plan(team=team, name="Support Q1"))
    assert coverage.weeks == [date(2025, 12, 29), date(2026, 1, 5)]
    assert coverage.ranges == [(date(2025, 12, 29), date(2026, 1, 11))]


def test_headcount_from_schedules_includes_sub_teams() -> None:
    team = Team.objects.create(name="Support")
    sub = Team.objects.create(name="Support nights", parent=team)
    agent = f.agent(teams=[sub])
    agent.agent_profile.hourly_cost = D("20.00")
    agent.agent_profile.save()
    shift(schedule(sub, date(2026, 2, 2), published=True), agent, utc(2026, 2, 2, 22), utc(2026, 2, 3, 6))
    assert headcount_from_schedules(plan(team=team)) == D("160.00")


def test_compare_matches_lines_and_shows_added_and_removed(q1) -> None:  # type: ignore[no-untyped-def]
    scenario = scenario_create(base=q1, name="Leaner", actor=None)
    scenario.lines.filter(category=C.TOOLS).update(planned_amount=D("1000.00"))
    scenario.lines.filter(category=C.OVERTIME).delete()
    line(scenario, C.TRAINING, "250.00", "Coaching")
    rows = {(r.category, r.description): r for r in plan_compare(base=q1, scenario=scenario)}
    assert rows[("Tools", "tools line")].difference == D("100.00")
    assert rows[("Tools", "tools line")].difference_pct == D("11.1")
    assert (rows[("Overtime", "overtime line")].scenario, rows[("Overtime", "overtime line")].difference) == (None, D("-300.00"))
    assert (rows[("Training", "Coaching")].base, rows[("Training", "Coaching")].difference) == (None, D("250.00"))
    assert rows[("Headcount", "headcount line")].difference == D("0.00")


def test_assumptions_in_words() -> None:
    words = describe_assumptions({"volume_change_pct": 10, "aht_change_pct": -5, "target_sl": 0.8,
                                  "horizon_days": 14, "site": "Lisbon"})
    assert words == ["volume +10 %", "AHT \u22125 %", "service level target 80 %", "horizon 14 days", "site: Lisbon"]


def test_planned_cost_per_contact_uses_a_forecast_covering_the_period() -> None:
    from frontline.workforce.models import ForecastInterval, ForecastRun, IntervalKind, RunStatus

    p = plan(start=date(2026, 1, 1), end=date(2026, 1, 31))
    line(p, C.TOOLS, "1000.00")
    assert plan_summary(plan=p, today=TODAY).planned_cost_per_contact is None
    short = ForecastRun.objects.create(name="Too short", status=RunStatus.DONE, history_start=date(2025, 12, 1),
                                       first_date=date(2026, 1, 20), last_date=date(2026, 1, 30))
    ForecastInterval.objects.create(run=short, kind=IntervalKind.FORECAST, starts_at=utc(2026, 1, 21), volume=5)
    assert plan_summary(plan=p, today=TODAY).planned_cost_per_contact is None
    run = ForecastRun.objects.create(name="Department", status=RunStatus.DONE, history_start=date(2025, 10, 1),
                                     first_date=date(2026, 1, 20), last_date=date(2026, 2, 2))
    for kind, at, volume in [(IntervalKind.HISTORY, utc(2026, 1, 1), 30), (IntervalKind.HISTORY, utc(2026, 1, 10, 12), 20),
                             (IntervalKind.FORECAST, utc(2026, 1, 31, 23, 30), 30), (IntervalKind.FORECAST, utc(2026, 1, 25), 50),
                             (IntervalKind.HISTORY, utc(2025, 12, 31, 23, 30), 999), (IntervalKind.FORECAST, utc(2026, 2, 1), 999)]:
        ForecastInterval.objects.create(run=run, kind=kind, starts_at=at, volume=volume)
    s = plan_summary(plan=p, today=TODAY)
    assert (s.expected.run, s.expected.contacts) == (run, 130.0)
    assert s.planned_cost_per_contact == D("7.69")  # 1,000 / 130
