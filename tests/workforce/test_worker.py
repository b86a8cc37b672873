"""Forecasts and schedule solves started on their pages run in the real task worker, not in the request.

Each test posts the page's form, checks the run is only *queued* when the response is back (nothing
computed inside the request), then runs the database task worker once (``db_worker --batch``), as
``frontline serve`` does, and checks the stored result and what the pages say about it.
"""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from frontline.schedules.models import Objective, Schedule, ShiftChange
from frontline.workforce.models import ForecastInterval, ForecastRun, IntervalKind, RunStatus
from tests import factories as f
from tests.schedules.factories import eight_hour, next_monday, plan_for, with_hours
from tests.workforce.forecast_data import NEW_YORK, tickets_at, weekday_history

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}
FAST_MODELS = ["seasonal_naive", "weekday_mean_4", "level_blend"]


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")


# --- forecasts ---------------------------------------------------------------------------------


@override_settings(FRONTLINE_FORECAST_MODELS=FAST_MODELS)
def test_a_forecast_made_on_its_page_is_queued_then_computed_by_the_worker(login):  # type: ignore[no-untyped-def]
    team = f.team(name="Support")
    today = timezone.localdate(timezone.now(), NEW_YORK)
    tickets_at(weekday_history(start=today - timedelta(days=42), days=42), team=team)  # six weeks, Mon-Fri 09-13
    client = login(f.lead(leads=[team]))

    response = client.post("/workforce/forecasts/new/", {
        "name": "Support, next week", "team": team.pk, "queue": "", "channel": "", "interval_minutes": "60",
        "history_days": "42", "horizon_days": "7", "opening": "", "closing": "", "time_zone": "America/New_York",
    })

    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workforce/forecasts/{run.pk}/"
    assert (run.status, run.progress, run.started_at) == (RunStatus.QUEUED, 0, None)
    assert not ForecastInterval.objects.filter(run=run).exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    progress = client.get(f"/workforce/forecasts/{run.pk}/progress/", **HTMX)
    assert progress.status_code == 200 and "HX-Refresh" not in progress
    assert "Queued" in progress.content.decode()
    assert 'hx-trigger="every 2s"' in progress.content.decode()  # the page keeps polling

    run_worker()

    run.refresh_from_db()
    assert (run.status, run.progress, run.error) == (RunStatus.DONE, 100, "")
    assert run.started_at is not None and run.finished_at is not None and run.started_at <= run.finished_at
    assert run.chosen_model in FAST_MODELS and {s["model"] for s in run.scores} == set(FAST_MODELS)
    forecast = ForecastInterval.objects.filter(run=run, kind=IntervalKind.FORECAST)
    # 09-13 New York on the five weekdays of the week from today: four hourly intervals a day
    days = {timezone.localtime(i.starts_at, NEW_YORK).date() for i in forecast}
    hours = {timezone.localtime(i.starts_at, NEW_YORK).time() for i in forecast}
    assert days == {today + timedelta(days=d) for d in range(7) if (today + timedelta(days=d)).weekday() < 5}
    assert hours == {time(9), time(10), time(11), time(12)}
    assert forecast.count() == 4 * len(days)
    assert ForecastInterval.objects.filter(run=run, kind=IntervalKind.HISTORY).exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"

    done = client.get(f"/workforce/forecasts/{run.pk}/progress/", **HTMX)
    assert done.status_code == 200 and done["HX-Refresh"] == "true"
    assert "hx-trigger" not in done.content.decode()  # polling stops
    page = client.get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert run.chosen_model in page


@override_settings(FRONTLINE_FORECAST_MODELS=FAST_MODELS)
def test_a_forecast_without_history_fails_in_the_worker_with_the_reason_on_its_page(login):  # type: ignore[no-untyped-def]
    team = f.team(name="Quiet")
    client = login(f.manager())
    response = client.post("/workforce/forecasts/new/", {
        "name": "Nothing to learn from", "team": team.pk, "queue": "", "channel": "", "interval_minutes": "60",
        "history_days": "42", "horizon_days": "7", "opening": "", "closing": "", "time_zone": "",
    })
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and run.status == RunStatus.QUEUED

    run_worker()

    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("Not enough history:") and "no ticket in its scope" in run.error
    assert not ForecastInterval.objects.filter(run=run).exists()
    progress = client.get(f"/workforce/forecasts/{run.pk}/progress/", **HTMX)
    assert progress["HX-Refresh"] == "true"
    page = client.get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert "This run failed." in page and "no ticket in its scope" in page


# --- schedules ---------------------------------------------------------------------------------


def _team_with_plan(*, shift_types: bool):  # type: ignore[no-untyped-def]
    team = f.team(name="Billing")
    team.time_zone = "Europe/Berlin"
    team.save(update_fields=["time_zone"])
    agents = [with_hours(f.agent(teams=[team]), 40) for _ in range(4)]
    week = next_monday()
    plan = plan_for(team=team, week_start=week, volume=2, days=5)  # 09-17 Berlin, Mon-Fri
    if shift_types:
        eight_hour(team=team, earliest_start=time(9), latest_start=time(9))
    return team, agents, week, plan


def _new_schedule(client, *, team, week, plan):  # type: ignore[no-untyped-def]
    return client.post("/workforce/schedules/", {
        "team": team.pk, "week_start": week.isoformat(), "staffing_plan": plan.pk,
        "objective": Objective.COVER, "time_limit_s": "5",
    })


def test_a_schedule_made_on_its_page_is_queued_then_solved_by_the_worker(login):  # type: ignore[no-untyped-def]
    team, agents, week, plan = _team_with_plan(shift_types=True)
    lead = f.lead(leads=[team])
    client = login(lead)

    response = _new_schedule(client, team=team, week=week, plan=plan)

    s = Schedule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workforce/schedules/{s.pk}/"
    assert (s.status, s.started_at, s.report) == (RunStatus.QUEUED, None, {})
    assert not s.shifts.exists()
    board = client.get(f"/workforce/schedules/{s.pk}/").content.decode()
    assert "Queued" in board and f"/workforce/schedules/{s.pk}/progress/" in board
    progress = client.get(f"/workforce/schedules/{s.pk}/progress/", **HTMX)
    assert progress.status_code == 200 and "HX-Refresh" not in progress

    run_worker()

    s.refresh_from_db()
    assert (s.status, s.progress, s.error) == (RunStatus.DONE, 100, "")
    shifts = list(s.shifts.all())
    berlin = ZoneInfo("Europe/Berlin")
    assert shifts and {x.agent_id for x in shifts} <= {a.pk for a in agents}
    assert {timezone.localtime(x.starts_at, berlin).time() for x in shifts} == {time(9)}
    assert {timezone.localtime(x.starts_at, berlin).date() for x in shifts} == {week + timedelta(days=d) for d in range(5)}
    # the report is stored: 2 heads a half-hour, 09-17, Mon-Fri = 80 required agent-hours, covered by 10 8h shifts
    assert s.report["required_hours"] == 5 * 8 * 2.0
    assert s.report["staffed_hours"] == 8.0 * len(shifts) == 80.0
    assert s.report["shortfalls"] == []
    assert ShiftChange.objects.filter(schedule=s, kind="generated").count() == 1
    progress = client.get(f"/workforce/schedules/{s.pk}/progress/", **HTMX)
    assert progress["HX-Refresh"] == "true"
    board = client.get(f"/workforce/schedules/{s.pk}/").content.decode()
    assert "Solve report" in board and "Every interval has the agents the plan requires." in board


def test_a_solve_that_cannot_run_ends_failed_with_a_readable_message_on_the_board(login):  # type: ignore[no-untyped-def]
    team, _agents, week, plan = _team_with_plan(shift_types=False)
    client = login(f.manager())

    assert _new_schedule(client, team=team, week=week, plan=plan).status_code == 302
    s = Schedule.objects.get()
    assert s.status == RunStatus.QUEUED

    run_worker()

    s.refresh_from_db()
    assert s.status == RunStatus.FAILED and s.finished_at is not None
    assert s.error == "Billing has no active shift types: add one on the Shift types page."
    assert not s.shifts.exists()
    response = client.get(f"/workforce/schedules/{s.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This run failed." in page and "Billing has no active shift types" in page
    assert 'hx-trigger="every 2s"' not in page  # a failed run is not polled
