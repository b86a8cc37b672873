"""A run whose worker died (still "running" long after it started) stops polling and can be started again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.workforce.models import STALE_AFTER, ForecastRun, RunStatus
from tests import factories as f
from tests.schedules import factories as sf

pytestmark = pytest.mark.django_db


def test_a_stale_forecast_says_so_and_offers_a_fresh_run(login):  # type: ignore[no-untyped-def]
    run = ForecastRun.objects.create(name="Stuck", status=RunStatus.RUNNING, progress=40,
                                     started_at=timezone.now() - STALE_AFTER - timedelta(minutes=1))
    assert run.is_stale and not run.is_active
    page = login(f.manager()).get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert "This run stopped reporting" in page and 'hx-trigger="every 2s"' not in page
    assert "Refresh with today" in page


def test_a_running_forecast_within_the_limit_still_polls(login):  # type: ignore[no-untyped-def]
    run = ForecastRun.objects.create(name="Busy", status=RunStatus.RUNNING, progress=40,
                                     started_at=timezone.now() - timedelta(minutes=2))
    assert run.is_active and not run.is_stale
    page = login(f.manager()).get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert 'hx-trigger="every 2s"' in page and "stopped reporting" not in page


def test_a_stale_schedule_solve_can_be_solved_again(login):  # type: ignore[no-untyped-def]
    team = f.team()
    lead = f.lead(leads=[team])
    schedule = sf.schedule(team=team)
    schedule.status, schedule.started_at = RunStatus.RUNNING, timezone.now() - STALE_AFTER - timedelta(minutes=5)
    schedule.save()
    page = login(lead).get(f"/workforce/schedules/{schedule.pk}/").content.decode()
    assert "This run stopped reporting" in page
    solve_button = page[page.index('title="Rebuild'):].split(">", 1)[0]
    assert "disabled" not in solve_button
