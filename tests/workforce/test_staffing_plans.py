"""Staffing plan services and figures, checked against the engine called directly and against
hand computations (frontline/workforce/plans.py)."""

from __future__ import annotations

import math
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.test import override_settings

from frontline.engine.erlang import required_agents
from frontline.workforce.models import ForecastInterval, RunStatus, StaffingPlan
from frontline.workforce.plans import (
    PlanTargets,
    plan_can_change,
    plan_figures,
    plans_changeable,
    staffing_plan_create,
    staffing_plan_delete,
    staffing_plan_update,
    table_rows,
    team_rates,
)
from frontline.workforce.staffing import Targets, staff_intervals
from tests import factories as f
from tests.workforce import staffing_factories as sf

pytestmark = pytest.mark.django_db


def erlang_c_sl(*, calls: float, aht_s: float, interval_s: float, agents: int, threshold_s: float) -> float:
    """Erlang C service level for whole agents, from the textbook formula (independent of the engine)."""
    a = calls * aht_s / interval_s
    top = a**agents / math.factorial(agents) * agents / (agents - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(agents)) + top)
    return 1 - p_wait * math.exp(-(agents - a) * threshold_s / aht_s)


# --- required and to schedule ------------------------------------------------------------------


def test_worked_example_needs_14_working_and_20_to_schedule():
    run = sf.forecast(rows=[(sf.T0, 100, 100 * 180)])
    plan = sf.plan(run, target_sl=0.8, threshold_s=20, shrinkage=0.3)
    (row,) = plan_figures(plan=plan).rows
    assert (row.staffing.required, row.staffing.to_schedule) == (14, 20)  # CallCentreHelper; ceil(14 / 0.7)
    assert row.staffing.at_required.service_level == pytest.approx(0.8884, abs=1e-4)
    assert row.staffing.at_required.service_level == pytest.approx(
        erlang_c_sl(calls=100, aht_s=180, interval_s=1800, agents=14, threshold_s=20))


def test_required_per_interval_matches_the_engine_called_directly():
    volumes = [0, 3.5, 12, 48.2, 100, 250, 77]
    ahts = [300, 240, 180, 420, 180, 150, 600]
    rows = [(sf.T0 + timedelta(minutes=30 * i), v, v * h) for i, (v, h) in enumerate(zip(volumes, ahts, strict=True))]
    plan = sf.plan(sf.forecast(rows=rows), target_sl=0.9, threshold_s=30, max_occupancy=0.85, shrinkage=0.25)
    figures = plan_figures(plan=plan)
    expected = [
        int(required_agents(calls=v, interval_s=1800, aht_s=h, threshold_s=30, target_sl=0.9, max_occupancy=0.85).agents)
        for v, h in zip(volumes, ahts, strict=True)
    ]
    assert [r.staffing.required for r in figures.rows] == expected
    assert [r.staffing.to_schedule for r in figures.rows] == [math.ceil(n / 0.75) for n in expected]


def test_fallback_handle_time_is_used_where_the_forecast_has_none():
    plan = sf.plan(sf.forecast(rows=[(sf.T0, 100, None)]), default_aht_s=180)
    (row,) = plan_figures(plan=plan).rows
    assert (row.staffing.aht_s, row.staffing.aht_measured, row.staffing.required) == (180, False, 14)


@pytest.mark.parametrize("patience_s", [None, 180.0])
def test_staffing_two_weeks_of_half_hours_every_interval_different(patience_s):
    """14 days x 48 half-hours, every interval different (no cache hits): all staffed, consistently.
    (Unloaded this takes about 0.2 s with Erlang C and 0.45 s with Erlang A; speed is not asserted
    here — timed tests fail on busy machines.)"""
    rows = [
        ForecastInterval(starts_at=sf.T0 + timedelta(minutes=30 * i), volume=v, handle_seconds=v * (240 + i % 97))
        for i in range(14 * 48)
        for v in [max(0.0, 80 * math.sin(math.pi * ((i % 48) - 14) / 24)) + (i % 7) * 0.37]
    ]
    targets = Targets(threshold_s=20, target_sl=0.8, target_asa_s=None, max_occupancy=0.85, patience_s=patience_s,
                      max_abandon=0.05 if patience_s else None, shrinkage=0.3, concurrency=1, default_aht_s=600)
    staffed = staff_intervals(targets, rows, 30)
    assert len(staffed) == 672 and all(r.to_schedule >= r.required for r in staffed)


# --- validation --------------------------------------------------------------------------------


def test_only_finished_forecasts_can_be_planned():
    running = sf.forecast(rows=[(sf.T0, 10, 1800)], status=RunStatus.RUNNING)
    with pytest.raises(ValidationError) as exc:
        sf.plan(running)
    assert "forecast" in exc.value.message_dict
    assert not StaffingPlan.objects.exists()


def test_a_plan_needs_at_least_one_target():
    with pytest.raises(ValidationError) as exc:
        sf.plan(sf.forecast(), target_sl=None, max_occupancy=None)
    assert "at least one target" in exc.value.message_dict[NON_FIELD_ERRORS][0]


def test_an_abandonment_cap_needs_a_patience():
    with pytest.raises(ValidationError) as exc:
        sf.plan(sf.forecast(), max_abandon=0.05)
    assert list(exc.value.message_dict) == ["max_abandon"]
    assert sf.plan(sf.forecast(), max_abandon=0.05, patience_s=120).max_abandon == 0.05


def test_every_failing_field_is_named_at_once():
    with pytest.raises(ValidationError) as exc:
        staffing_plan_create(forecast=sf.forecast(), name="  ", actor=None,
                             targets=PlanTargets(target_sl=1.5, shrinkage=0.99, concurrency=0))
    assert {"name", "target_sl", "shrinkage", "concurrency"} <= set(exc.value.message_dict)


def test_update_changes_targets_and_refuses_bad_ones():
    plan = sf.plan(sf.forecast(rows=[(sf.T0, 100, 18000)]))
    manager = f.manager()
    staffing_plan_update(plan=plan, forecast=plan.forecast, name="Tighter", targets=PlanTargets(target_sl=0.9, shrinkage=0.2),
                         actor=manager)
    plan.refresh_from_db()
    assert (plan.name, plan.target_sl, plan.shrinkage) == ("Tighter", 0.9, 0.2)
    with pytest.raises(ValidationError):
        staffing_plan_update(plan=plan, forecast=plan.forecast, name="x", targets=PlanTargets(target_sl=None, max_occupancy=None),
                             actor=manager)
    plan.refresh_from_db()
    assert plan.name == "Tighter"


def test_leads_change_only_plans_of_their_teams_or_their_own():
    mine, other = f.team(), f.team()
    my_lead, other_lead = f.lead(leads=[mine]), f.lead(leads=[other])
    plan = sf.plan(sf.forecast(team=mine))
    with pytest.raises(PermissionDenied):
        staffing_plan_update(plan=plan, forecast=plan.forecast, name="x", targets=PlanTargets(), actor=other_lead)
    with pytest.raises(PermissionDenied):
        staffing_plan_delete(plan=plan, actor=other_lead)
    with pytest.raises(PermissionDenied):
        staffing_plan_delete(plan=plan, actor=f.agent(teams=[mine]))
    assert StaffingPlan.objects.filter(pk=plan.pk).exists()
    staffing_plan_delete(plan=plan, actor=my_lead)
    assert not StaffingPlan.objects.filter(pk=plan.pk).exists()


def test_department_wide_plans_are_changed_by_their_author_and_managers():
    author, other = f.lead(leads=[f.team()]), f.lead(leads=[f.team()])
    plan = sf.plan(sf.forecast(team=None), actor=author)
    with pytest.raises(PermissionDenied):
        staffing_plan_delete(plan=plan, actor=other)
    staffing_plan_update(plan=plan, forecast=plan.forecast, name="Mine", targets=PlanTargets(), actor=author)
    staffing_plan_delete(plan=plan, actor=f.manager())
    assert not StaffingPlan.objects.exists()


def test_which_plans_of_a_list_each_viewer_may_change():
    mine, sub, other = f.team(), f.team(), f.team()
    sub.parent = mine
    sub.save(update_fields=["parent"])
    lead, other_lead, manager = f.lead(leads=[mine]), f.lead(leads=[other]), f.manager()
    own = sf.plan(sf.forecast(team=None), actor=lead, name="own, department-wide")
    team_plan, sub_plan = sf.plan(sf.forecast(team=mine)), sf.plan(sf.forecast(team=sub))
    others = sf.plan(sf.forecast(team=other), actor=other_lead)
    department = sf.plan(sf.forecast(team=None), actor=manager)
    plans = [own, team_plan, sub_plan, others, department]
    assert plans_changeable(plans=plans, user=lead) == {own.pk, team_plan.pk, sub_plan.pk}
    assert plans_changeable(plans=plans, user=other_lead) == {others.pk}
    assert plans_changeable(plans=plans, user=manager) == {p.pk for p in plans}
    assert plans_changeable(plans=plans, user=f.agent(teams=[mine])) == set()
    viewers = [lead, other_lead, manager]
    assert [{p.pk for p in plans if plan_can_change(plan=p, user=v)} for v in viewers] == [
        plans_changeable(plans=plans, user=v) for v in viewers]


# --- hours, FTE, cost --------------------------------------------------------------------------


def _team_with_rates():
    team = f.team(name="Orders")
    sf.set_profile(f.agent(teams=[team]), hours=40, cost=30)
    sf.set_profile(f.agent(teams=[team]), hours=30, cost=40)
    sf.set_profile(f.agent(teams=[team]), hours=50, cost=0)  # no cost on file: not in the cost average
    sf.set_profile(f.lead(leads=[team], teams=[team]), hours=10, cost=100)  # a lead, not an agent
    sf.set_profile(f.agent(teams=[f.team()]), hours=20, cost=90)  # another team
    return team


def test_team_rates_average_the_teams_agents():
    rates = team_rates(team_id=_team_with_rates().pk, team_name="Orders")
    assert rates.contracted_hours_per_week == pytest.approx(40.0)  # (40 + 30 + 50) / 3
    assert rates.hourly_cost == Decimal("35.00")  # (30 + 40) / 2
    assert (rates.agents, rates.costed_agents) == (3, 2)
    assert "35.00" in rates.source and "2 agents of team Orders" in rates.source


def test_rates_default_to_40_hours_and_no_cost_without_agents():
    rates = team_rates(team_id=f.team().pk)
    assert (rates.contracted_hours_per_week, rates.hourly_cost) == (40.0, None)


def test_hours_fte_and_cost_by_hand():
    team = _team_with_rates()
    # one day, open 09:00-17:00: 16 half-hours of 100 calls x 180 s → 14 required, 20 to schedule
    plan = sf.plan(sf.forecast(rows=sf.day_rows(), team=team), target_sl=0.8, threshold_s=20, shrinkage=0.3)
    s = plan_figures(plan=plan).summary
    assert s.contacts == pytest.approx(1600)
    assert s.required_hours == pytest.approx(14 * 16 * 0.5)  # 112 h
    assert s.to_schedule_hours == pytest.approx(20 * 16 * 0.5)  # 160 h
    assert s.days == 1
    assert s.fte == pytest.approx(160 * 7 / 40)  # 1,120 h a week / 40 h = 28 FTE
    assert s.cost == Decimal("5600.00")  # 160 h x 35
    assert s.cost_per_week == Decimal("39200.00")
    assert (s.peak_required, s.peak_to_schedule, s.open_intervals) == (14, 20, 16)


def test_per_week_uses_the_forecasts_calendar_days():
    rows = sf.day_rows() + sf.day_rows(sf.DAY + timedelta(days=1))
    plan = sf.plan(sf.forecast(rows=rows, last_date=sf.DAY + timedelta(days=13)), shrinkage=0.3)
    s = plan_figures(plan=plan).summary
    assert s.days == 14  # the forecast's first to last day, even where it stored no intervals
    assert s.fte == pytest.approx(320 / 2 / 40)


@override_settings(CURRENCY="GBP")
def test_agents_costs_are_in_the_departments_currency():
    assert team_rates(team_id=_team_with_rates().pk).currency == "GBP"


def test_figures_without_the_schedules_have_no_coverage():
    figures = plan_figures(plan=sf.plan(sf.forecast(rows=sf.day_rows())))
    assert {r.scheduled for r in figures.rows} == {None}
    assert (figures.drafts, figures.draft_summary) == ([], None)


def test_the_table_folds_each_run_of_closed_intervals_into_one_row():
    volumes = [0, 0, 100, 0, 0, 0]
    rows = [(sf.T0 + timedelta(minutes=30 * i), v, v * 180) for i, v in enumerate(volumes)]
    plan = sf.plan(sf.forecast(rows=rows))
    unscheduled = table_rows(plan_figures(plan=plan).rows)
    scheduled = table_rows(plan_figures(plan=plan, scheduled=[1, 0, 20, 2, 0, 0]).rows)
    assert [type(r).__name__ for r in unscheduled] == ["ClosedRun", "IntervalOutlook", "ClosedRun"]
    first, _, last = scheduled
    assert (first.starts_at, first.ends_at, first.count, first.scheduled_hours) == (sf.T0, sf.T0 + timedelta(hours=1), 2, 0.5)
    assert (last.count, last.scheduled_hours, unscheduled[2].scheduled_hours) == (3, 1.0, None)
