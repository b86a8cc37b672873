"""`frontline demo` also builds the capacity plan: forecasts, plans, schedules, adherence log, budget.

The capacity plan is built once for the module (a demo anchored on a Wednesday in the past, so the
weeks it plans are known) and committed; each test runs in a transaction that is rolled back, so
each can reset the demo without the other seeing it. The module ends by resetting the demo. Each
build solves a dozen weeks of schedules (a minute and a half of CPU): the two tests had one each.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings

from frontline.budget.models import BudgetPlan
from frontline.demo.workforce import workforce_reset
from frontline.people.models import AvailabilityChange, Team
from frontline.schedules.demo import demo_weeks
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from frontline.workforce.models import ForecastRun, RunStatus, StaffingPlan
from tests.demo.builds import reset_after_build

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

FAST = ["seasonal_naive", "weekday_mean_4", "level_blend"]  # the statsforecast fits are benchmarked, not re-run here
ANCHOR = "2026-06-10T12:00Z"  # a Wednesday


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker: Any):  # type: ignore[no-untyped-def]
    """The demo with its capacity plan, built once for this module (outside the tests' rolled-back transactions)."""
    with django_db_blocker.unblock(), override_settings(FRONTLINE_FORECAST_MODELS=FAST):
        call_command("demo", "--days", "42", "--scale", "0.2", "--anchor", ANCHOR, "--desk-only", "--quiet")
        yield
        workforce_reset()
        reset_after_build()


def test_demo_builds_and_resets_the_capacity_plan(demo):
    teams = Team.objects.count()
    runs = list(ForecastRun.objects.all())
    assert len(runs) == teams + 1 and {r.status for r in runs} == {RunStatus.DONE}, [r.error for r in runs]
    assert all(r.chosen_model in FAST and r.aht_model for r in runs)  # handle time is measured in the demo
    assert StaffingPlan.objects.count() == teams + 1
    schedules = Schedule.objects.all()
    weeks = len(demo_weeks(date(2026, 6, 10)))  # 3 published, and a draft from Tuesday on
    assert schedules.count() == weeks * teams
    assert schedules.filter(state=ScheduleStatus.PUBLISHED).count() == 3 * teams
    assert {s.status for s in schedules} == {RunStatus.DONE}, [s.error for s in schedules]
    assert Shift.objects.filter(schedule__state=ScheduleStatus.PUBLISHED).count() > 10 * teams
    assert AvailabilityChange.objects.exists()  # last week's shifts were worked
    assert BudgetPlan.objects.filter(base__isnull=True).exists()

    call_command("demo", "--reset", "--days", "2", "--scale", "0.05", "--no-workforce", "--quiet")
    assert not ForecastRun.objects.exists() and not Schedule.objects.exists() and not BudgetPlan.objects.exists()


def test_a_demo_anchored_in_the_past_plans_the_weeks_around_its_anchor(demo):
    weeks = sorted({s.week_start for s in Schedule.objects.all()})
    assert [w.isoformat() for w in weeks] == ["2026-06-01", "2026-06-08", "2026-06-15", "2026-06-22"]
    assert {s.status for s in Schedule.objects.all()} == {RunStatus.DONE}
    assert Shift.objects.filter(schedule__week_start=weeks[1], starts_at__date="2026-06-09").exists()
    assert not AvailabilityChange.objects.filter(changed_at__gt=ANCHOR).exists()

    call_command("demo", "--reset", "--days", "2", "--scale", "0.05", "--no-workforce", "--quiet")
    assert not ForecastRun.objects.exists() and not Schedule.objects.exists() and not BudgetPlan.objects.exists()


def test_the_closing_line_counts_the_capacity_plan_too(monkeypatch):
    """It said "Done in 19.5 s" after the forecasts and schedules had taken 279 s more."""
    from io import StringIO
    from types import SimpleNamespace

    from frontline.demo.management.commands import demo as command

    clock = iter([0.0, 300.0])
    monkeypatch.setattr(command, "time", SimpleNamespace(perf_counter=lambda: next(clock)))
    monkeypatch.setattr(command, "demo_workforce", lambda **_kw: {})
    out = StringIO()
    call_command("demo", "--reset", "--days", "2", "--scale", "0.05", stdout=out)
    assert "Done in 300.0 s;" in out.getvalue()
