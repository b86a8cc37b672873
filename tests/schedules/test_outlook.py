"""How schedules cover staffing plans (frontline/schedules/outlook.py): a plan's figures as
scheduled, and the workforce overview's gaps in the hours ahead against published schedules."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from frontline.schedules.outlook import newest_plans, outlook, plan_figures_as_scheduled
from frontline.workforce.models import (
    ForecastInterval,
    ForecastRun,
    IntervalKind,
    RunStatus,
    StaffingPlan,
)
from tests import factories as f
from tests.workforce import staffing_factories as sf
from tests.workforce.test_staffing_plans import erlang_c_sl

pytestmark = pytest.mark.django_db


def _plan(team, *, start, hours: int = 6, calls: float = 100.0) -> StaffingPlan:
    run = ForecastRun.objects.create(name="Next days", team=team, status=RunStatus.DONE, interval_minutes=30)
    ForecastInterval.objects.bulk_create(
        ForecastInterval(run=run, kind=IntervalKind.FORECAST, starts_at=start + timedelta(minutes=30 * i),
                         volume=calls, lower=calls * 0.8, upper=calls * 1.2, handle_seconds=calls * 180)
        for i in range(hours * 2)
    )
    # 100 calls / 30 min at 180 s, 80/20 -> 14 agents; 30% shrinkage -> 20 to schedule.
    return StaffingPlan.objects.create(name="Plan", forecast=run, target_sl=0.8, threshold_s=20,
                                       max_occupancy=None, shrinkage=0.3)


def _shifts(team, agents, *, start, hours: int, state: str) -> None:
    schedule = Schedule.objects.create(team=team, week_start=start.date() - timedelta(days=start.weekday()), state=state)
    Shift.objects.bulk_create(Shift(schedule=schedule, agent=a, starts_at=start, ends_at=start + timedelta(hours=hours))
                              for a in agents)


def test_gaps_are_intervals_where_published_shifts_fall_short_of_the_plan():
    team = f.team()
    now = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    plan = _plan(team, start=now, hours=6)
    agents = [f.agent(teams=[team]) for _ in range(20)]
    _shifts(team, agents, start=now, hours=4, state=ScheduleStatus.PUBLISHED)  # covers 4 h of 6
    result = outlook(plan, now=now)
    assert result.intervals == 12
    assert [g.starts_at for g in result.gaps] == [now + timedelta(minutes=30 * i) for i in range(8, 12)]
    assert {g.short for g in result.gaps} == {20}
    assert result.short_agent_hours == pytest.approx(4 * 20 * 0.5)


def test_the_window_s_expected_service_level_weights_each_interval_by_its_contacts():
    """20 scheduled at 30 % shrinkage = 14 working for 4 h, then nobody for 2 h: 8 intervals at the
    Erlang C service level of 14 agents (textbook formula) and 4 at 0, each with 100 calls."""
    team = f.team()
    now = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    plan = _plan(team, start=now, hours=6)
    _shifts(team, [f.agent(teams=[team]) for _ in range(20)], start=now, hours=4, state=ScheduleStatus.PUBLISHED)
    fourteen = erlang_c_sl(calls=100, aht_s=180, interval_s=1800, agents=14, threshold_s=20)
    assert outlook(plan, now=now).sl_scheduled == pytest.approx((8 * fourteen + 4 * 0.0) / 12, abs=1e-6)


def test_draft_shifts_do_not_fill_gaps_but_are_counted_apart():
    team = f.team()
    now = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    plan = _plan(team, start=now, hours=2)
    _shifts(team, [f.agent(teams=[team]) for _ in range(20)], start=now, hours=2, state=ScheduleStatus.DRAFT)
    result = outlook(plan, now=now)
    assert len(result.gaps) == 4
    assert result.gaps_with_drafts == 0
    assert [s.state for s in result.drafts] == [ScheduleStatus.DRAFT]


def test_late_in_the_day_the_outlook_still_reaches_tomorrows_close():
    """#14.10: "the next 24 hours" at 22:00 read as the rest of today; the window now ends at
    midnight after tomorrow, on the forecast's clock."""
    from datetime import UTC, datetime

    team = f.team()
    late = datetime(2026, 3, 2, 22, 0, tzinfo=UTC)  # a Monday, 22:00 UTC (the forecast's zone)
    plan = _plan(team, start=late - timedelta(hours=1), hours=60)
    result = outlook(plan, now=late)
    assert result.until == datetime(2026, 3, 4, 0, 0, tzinfo=UTC)
    assert result.intervals == 2 * 26  # 22:00 Monday to 24:00 Tuesday


def test_newest_plan_per_scope_within_the_viewers_teams():
    mine, other = f.team(), f.team()
    now = timezone.now()
    old = _plan(mine, start=now)
    new = _plan(mine, start=now)
    elsewhere = _plan(other, start=now)
    StaffingPlan.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=1))
    assert newest_plans({mine.pk}) == [new]
    assert set(newest_plans(None)) == {new, elsewhere}


def test_planners_see_gaps_and_agents_do_not(login):  # type: ignore[no-untyped-def]
    team = f.team()
    _plan(team, start=timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1))
    lead = f.lead(leads=[team])
    page = login(lead).get("/workforce/").content.decode()
    assert "Staffing gaps today and tomorrow" in page and "agents short" in page
    page = login(f.agent(teams=[team])).get("/workforce/").content.decode()
    assert "Staffing gaps" not in page and "My schedule" in page


def test_a_lead_does_not_see_other_teams_plans(login):  # type: ignore[no-untyped-def]
    mine, other = f.team(), f.team(name="Elsewhere team")
    _plan(other, start=timezone.now())
    page = login(f.lead(leads=[mine])).get("/workforce/").content.decode()
    assert "Elsewhere team" not in page and "No staffing plan yet" in page


def test_customers_get_403(login):  # type: ignore[no-untyped-def]
    assert login(f.customer(with_login=True).user).get("/workforce/").status_code == 403


def test_everyone_sees_their_next_published_shift_and_not_drafts(login):  # type: ignore[no-untyped-def]
    team = f.team()
    agent = f.agent(teams=[team])
    soon = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=2)
    _shifts(team, [agent], start=soon + timedelta(days=8), hours=8, state=ScheduleStatus.DRAFT)
    client = login(agent)
    page = client.get("/workforce/").content.decode()
    assert "no published shift ahead" in page
    _shifts(team, [agent], start=soon, hours=8, state=ScheduleStatus.PUBLISHED)
    page = client.get("/workforce/").content.decode()
    assert "your next shift" in page and team.name in page


# --- scheduled coverage ------------------------------------------------------------------------


def _coverage_setup(*, team_forecast: bool):
    team, elsewhere = f.team(), f.team()
    a, b, c, d = (f.agent(teams=[team]) for _ in range(4))
    published = sf.schedule(team)
    at = sf.T0  # 09:00
    sf.shift(published, a, at, at + timedelta(hours=2),
             breaks=[(at + timedelta(minutes=60), at + timedelta(minutes=75), False)])  # 09:00-11:00, break 10:00-10:15
    sf.shift(published, b, at, at + timedelta(hours=1))  # 09:00-10:00
    draft = sf.schedule(team, state=ScheduleStatus.DRAFT, week_start=sf.DAY - timedelta(days=7))
    sf.shift(draft, c, at, at + timedelta(hours=2))  # a draft: never counted
    sf.shift(sf.schedule(elsewhere), d, at, at + timedelta(minutes=90))  # another team's published shift
    rows = [(at + timedelta(minutes=30 * i), 20, 20 * 180) for i in range(5)]  # 09:00 … 11:00
    return sf.plan(sf.forecast(rows=rows, team=team if team_forecast else None))


def test_scheduled_counts_published_shifts_of_the_team_with_breaks_as_fractions():
    rows = plan_figures_as_scheduled(plan=_coverage_setup(team_forecast=True)).rows
    assert [r.scheduled for r in rows] == pytest.approx([2.0, 2.0, 0.5, 1.0, 0.0])


def test_department_wide_forecasts_count_every_team():
    rows = plan_figures_as_scheduled(plan=_coverage_setup(team_forecast=False)).rows
    assert [r.scheduled for r in rows] == pytest.approx([3.0, 3.0, 1.5, 1.0, 0.0])


def test_gap_short_and_expected_service_level_of_the_scheduled():
    team = f.team()
    agents = [f.agent(teams=[team]) for _ in range(8)]
    sched = sf.schedule(team)
    first, second = sf.T0, sf.T0 + timedelta(minutes=30)
    for agent in agents[:4]:
        sf.shift(sched, agent, first, first + timedelta(minutes=30))  # 4 on the first interval
    for agent in agents:
        sf.shift(sched, agent, second, second + timedelta(minutes=30))  # 8 on the second
    plan = sf.plan(sf.forecast(rows=[(first, 10, 1800), (second, 30, 5400)], team=team),
                   target_sl=0.8, threshold_s=20, shrinkage=0.25)
    figures = plan_figures_as_scheduled(plan=plan)
    one, two = figures.rows
    # working = scheduled x (1 - 0.25): 3 agents for 1 Erlang, 6 agents for 3 Erlangs
    sl_one = erlang_c_sl(calls=10, aht_s=180, interval_s=1800, agents=3, threshold_s=20)
    sl_two = erlang_c_sl(calls=30, aht_s=180, interval_s=1800, agents=6, threshold_s=20)
    assert one.delivered.service_level == pytest.approx(sl_one, abs=1e-9)
    assert two.delivered.service_level == pytest.approx(sl_two, abs=1e-9)
    assert figures.summary.sl_scheduled == pytest.approx((10 * sl_one + 30 * sl_two) / 40, abs=1e-9)
    assert [r.gap for r in figures.rows] == pytest.approx([4 - one.staffing.to_schedule, 8 - two.staffing.to_schedule])
    assert figures.summary.intervals_short == sum(1 for r in figures.rows if r.scheduled < r.staffing.to_schedule)
    assert figures.summary.scheduled_hours == pytest.approx((4 + 8) * 0.5)
