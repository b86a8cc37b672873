"""Stored forecasts: the task end to end (workload cut-off, censoring, measured share), read-backs.
Reading the history (contacts, agent messages) is tested in test_forecast_history.py."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError

from frontline.desk.models import AuthorKind, Message
from frontline.engine.forecasting import BY_LEAD
from frontline.workforce.forecasts import (
    forecast_create,
    forecast_day_intervals,
    forecast_days,
    forecast_prepare,
    forecast_rerun,
    forecast_totals,
)
from frontline.workforce.models import ForecastInterval, ForecastRun, IntervalKind, RunStatus
from frontline.workforce.tasks import forecast_run_compute
from tests import factories as f
from tests.workforce.forecast_data import NEW_YORK, tickets_at, weekday_history

pytestmark = pytest.mark.django_db

# Friday 23 Feb 2024, 12:00 in New York: the first forecast day is that Friday (today).
NOW = datetime(2024, 2, 23, 17, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _late_reply_history(team, *, start: date, days: int, first_s: int, late_s: int, late_days: int):  # type: ignore[no-untyped-def]
    """Weekday tickets, each with a reply 5 minutes after it arrived and another ``late_days`` later."""
    stamps = weekday_history(start=start, days=days)
    tickets = tickets_at(stamps, team=team, handle_seconds=[first_s] * len(stamps))
    Message.objects.bulk_create([
        Message(ticket=t, author_kind=AuthorKind.AGENT, body_text="x", body_html="x", handle_seconds=late_s,
                created_at=t.created_at + timedelta(days=late_days))
        for t in tickets
    ])


@pytest.mark.parametrize("model", ["seasonal_naive", "weekday_mean_4", "level_blend"])
def test_late_replies_written_after_the_history_end_neither_count_nor_bias_the_aht_low(settings, model):  # type: ignore[no-untyped-def]
    """Every ticket takes 400 s at once and 200 s three days later, so the AHT is 600 s. The replies to
    the last three days' tickets are written after today: they must not be used (the future), and the
    days they are missing from must not drag the AHT down (a plain cut-off forecasts below 600 s)."""
    settings.FRONTLINE_FORECAST_MODELS = [model]
    team = f.team()
    _late_reply_history(team, start=date(2023, 11, 24), days=91, first_s=400, late_s=200, late_days=3)
    run = forecast_prepare(actor=None, name="Late", team=team, time_zone="America/New_York", interval_minutes=60,
                           history_days=91, now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert forecast_totals(days=forecast_days(run=run)).aht_s == pytest.approx(600, rel=0.02)
    # Yesterday (Thu 22 Feb) has none of its late replies yet (2/3 of its work is known): the stored
    # history is corrected to the whole, interval by interval, as are the days before it.
    stored = [r for r in run.intervals.filter(kind=IntervalKind.HISTORY)
              if r.starts_at.astimezone(NEW_YORK).date() in (date(2024, 2, 22), date(2024, 2, 20), date(2024, 2, 16))]
    assert [r.handle_seconds for r in stored] == pytest.approx([600 * r.volume for r in stored])
    assert run.aht_measured_share == 1.0


def test_unmeasured_agent_messages_do_not_count_as_zero_handle_time(settings):  # type: ignore[no-untyped-def]
    settings.FRONTLINE_FORECAST_MODELS = ["weekday_mean_4"]
    team = f.team()
    stamps = weekday_history(start=date(2023, 12, 29), days=56)
    tickets_at(stamps, team=team, handle_seconds=[300 if i % 3 else None for i in range(len(stamps))])
    run = forecast_prepare(actor=None, name="Part", team=team, time_zone="America/New_York", interval_minutes=60,
                           history_days=56, now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert forecast_totals(days=forecast_days(run=run)).aht_s == pytest.approx(300, rel=0.02)
    assert run.aht_measured_share == pytest.approx(2 / 3, abs=0.01)


@pytest.fixture
def done_run() -> ForecastRun:
    team = f.team()
    stamps = weekday_history(start=date(2023, 12, 29), days=56)
    tickets_at(stamps, team=team, handle_seconds=[300] * len(stamps))
    run = forecast_prepare(actor=None, name="Team", team=team, time_zone="America/New_York", interval_minutes=60,
                           history_days=56, now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    return run


def test_the_task_computes_and_stores_the_forecast(done_run):  # type: ignore[no-untyped-def]
    run = done_run
    assert (run.status, run.progress, run.error) == (RunStatus.DONE, 100, "")
    assert run.started_at is not None and run.finished_at is not None
    names = [s["model"] for s in run.scores]
    assert names == ["seasonal_naive", "weekday_mean_4", "level_blend", "auto_ets", "mstl", "weekday_mean_2",
                     "weekday_mean_3"]
    assert set(run.scores[0]) >= {"model", "mase", "wape", "interval_coverage", "seconds"}
    # One block per forecast day (10 open days from today), each served by a backtested model.
    assert [(b["first"], b["last"]) for b in run.lead_blocks] == [(d, d) for d in range(1, 11)]
    assert [b["first_date"] for b in run.lead_blocks][:2] == ["2024-02-23", "2024-02-26"]
    assert {b["model"] for b in run.lead_blocks} <= set(names)
    assert all([s["model"] for s in b["scores"]] == names for b in run.lead_blocks)
    served = {b["model"] for b in run.lead_blocks}
    assert run.chosen_model in served | {BY_LEAD} and (len(served) == 1) == (run.chosen_model != BY_LEAD)
    assert run.mase == pytest.approx(sum(b["mase"] for b in run.lead_blocks) / 10)
    assert len(run.aht_lead_blocks) == 10 and len(run.aht_scores) == 7
    assert run.aht_model in {b["model"] for b in run.aht_lead_blocks} | {BY_LEAD}  # chosen per day, as for contacts

    forecast = list(run.intervals.filter(kind=IntervalKind.FORECAST))
    days = sorted({r.starts_at.astimezone(NEW_YORK).date() for r in forecast})
    weekdays = [date(2024, 2, 23) + timedelta(days=d) for d in range(14)]  # from today
    assert days == [d for d in weekdays if d.weekday() < 5]  # weekends had no contacts: closed
    assert sorted({r.starts_at.astimezone(NEW_YORK).time() for r in forecast}) == [time(h) for h in range(9, 13)]
    assert len(forecast) == 10 * 4
    assert all(r.lower is not None and r.upper is not None and r.lower <= r.volume <= r.upper for r in forecast)
    assert all(r.handle_seconds is not None for r in forecast)

    history = run.intervals.filter(kind=IntervalKind.HISTORY)
    assert sum(r.volume for r in history) == len(weekday_history(start=date(2023, 12, 29), days=56))
    assert all(r.handle_seconds == 300 * r.volume for r in history)
    # Every handle time is 300 s, so the forecast workload is 300 s per forecast contact.
    assert forecast_totals(days=forecast_days(run=run)).aht_s == pytest.approx(300, rel=0.05)


def test_computing_again_replaces_the_intervals(done_run):  # type: ignore[no-untyped-def]
    count = done_run.intervals.count()
    forecast_run_compute.call(done_run.pk)
    assert done_run.intervals.count() == count


def test_too_little_history_fails_with_the_reason():
    stamps = weekday_history(start=date(2024, 2, 2), days=21)
    tickets_at(stamps)
    run = forecast_prepare(actor=None, name="Short", time_zone="America/New_York", interval_minutes=60,
                           history_days=21, now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED
    # 5 backtest windows + 10 open forecast days - 1 + two weeks of 5 open days; 2-22 Feb has 15 weekdays.
    assert "needs at least 24 days of history; found 15" in run.error
    assert not run.intervals.exists()


def test_no_ticket_in_scope_fails_with_the_reason():
    run = forecast_prepare(actor=None, name="Empty", time_zone="UTC", now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.FAILED and "found no ticket in its scope" in run.error


def test_progress_is_written_while_the_task_runs(monkeypatch):  # type: ignore[no-untyped-def]
    from frontline.workforce import forecasts

    seen: list[tuple[str, int, str]] = []
    original = forecasts.forecast_history

    def spy(*, run):  # type: ignore[no-untyped-def]
        row = ForecastRun.objects.get(pk=run.pk)
        seen.append((row.status, row.progress, row.progress_note))
        return original(run=run)

    monkeypatch.setattr(forecasts, "forecast_history", spy)
    run = forecast_prepare(actor=None, name="P", time_zone="UTC", now=NOW)
    forecast_run_compute.call(run.pk)
    assert seen == [(RunStatus.RUNNING, 5, "Reading the ticket history")]


def test_create_enqueues_the_computation_on_commit(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    team = f.team()
    team.time_zone = "Asia/Tokyo"
    team.save(update_fields=["time_zone"])
    with django_capture_on_commit_callbacks(execute=True):
        run = forecast_create(actor=f.manager(), name="  Tokyo  ", team=team, now=NOW)
    assert (run.status, run.name, run.time_zone) == (RunStatus.QUEUED, "Tokyo", "Asia/Tokyo")
    assert run.first_date == date(2024, 2, 24)  # 17:00 UTC on the 23rd is 02:00 on the 24th in Tokyo: today there
    # (other apps may queue their own work for the new people and tickets: only the forecast's counts here)
    assert DBTaskResult.objects.filter(task_path__endswith="forecast_run_compute").count() == 1


def test_queue_team_zone_then_site_zone(settings):  # type: ignore[no-untyped-def]
    settings.TIME_ZONE = "Europe/Paris"
    team = f.team()
    team.time_zone = "Australia/Sydney"
    team.save(update_fields=["time_zone"])
    assert forecast_prepare(actor=None, name="Q", queue=f.queue(team=team), now=NOW).time_zone == "Australia/Sydney"
    assert forecast_prepare(actor=None, name="D", now=NOW).time_zone == "Europe/Paris"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"name": "  "}, "name"),
    ({"time_zone": "Mars/Olympus"}, "time_zone"),
    ({"history_days": 5}, "history_days"),
    ({"horizon_days": 0}, "horizon_days"),
    ({"interval_minutes": 20}, "interval_minutes"),
    ({"channel": "fax"}, "channel"),
    ({"opening": time(8)}, "closing"),
    ({"closing": time(18)}, "opening"),
    ({"opening": time(8, 15), "closing": time(18)}, "opening"),
    ({"opening": time(18), "closing": time(8)}, "closing"),
])
def test_invalid_settings_are_refused_per_field(kwargs, field):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        forecast_create(actor=None, **{"name": "x", **kwargs})
    assert field in exc.value.message_dict
    assert not ForecastRun.objects.exists()


def test_rerun_copies_the_settings_with_todays_days():
    team = f.team()
    run = forecast_prepare(actor=None, name="R", team=team, channel="chat", interval_minutes=15, history_days=60,
                           horizon_days=7, opening=time(8), closing=time(0), time_zone="Europe/Berlin", now=NOW)
    again = forecast_rerun(run=run, actor=None, now=NOW + timedelta(days=3))
    assert again.pk != run.pk and again.status == RunStatus.QUEUED
    fields = ("name", "team_id", "queue_id", "channel", "interval_minutes", "history_days", "horizon_days",
              "opening", "closing", "time_zone")
    assert [getattr(again, n) for n in fields] == [getattr(run, n) for n in fields]
    assert again.first_date == run.first_date + timedelta(days=3)


def test_days_and_totals_add_up_the_intervals():
    run = forecast_prepare(actor=None, name="Sums", time_zone="America/New_York", now=NOW)
    rows = [  # (local day, hour, volume, lower, upper, handle seconds)
        (date(2024, 2, 26), 9, 10.0, 6.0, 14.0, 3000.0),
        (date(2024, 2, 26), 10, 20.0, 14.0, 26.0, 5000.0),
        (date(2024, 2, 27), 9, 5.0, 2.0, 8.0, 2000.0),
        (date(2024, 2, 27), 23, 1.0, 0.0, 3.0, 100.0),  # 04:00 UTC on the 28th: still the 27th in New York
    ]
    ForecastInterval.objects.bulk_create([
        ForecastInterval(run=run, kind=IntervalKind.FORECAST, starts_at=datetime.combine(d, time(h), NEW_YORK),
                         volume=v, lower=lo, upper=hi, handle_seconds=w)
        for d, h, v, lo, hi, w in rows
    ])
    days = forecast_days(run=run)
    assert [(d.day, d.volume, d.lower, d.upper, d.handle_seconds) for d in days] == [
        (date(2024, 2, 26), 30.0, 20.0, 40.0, 8000.0),
        (date(2024, 2, 27), 6.0, 2.0, 11.0, 2100.0),
    ]
    assert days[0].aht_s == pytest.approx(8000 / 30)
    totals = forecast_totals(days=days)
    assert (totals.volume, totals.lower, totals.upper) == (36.0, 22.0, 51.0)
    assert totals.aht_s == pytest.approx(10100 / 36)
    assert [r.starts_at.astimezone(NEW_YORK).hour for r in forecast_day_intervals(run=run, day=date(2024, 2, 27))] == [9, 23]


def test_without_handle_seconds_no_aht_is_given():
    run = forecast_prepare(actor=None, name="No AHT", time_zone="UTC", now=NOW)
    ForecastInterval.objects.create(run=run, kind=IntervalKind.FORECAST, starts_at=utc(2024, 2, 26, 9),
                                    volume=4.0, lower=1.0, upper=7.0)
    days = forecast_days(run=run)
    assert days[0].aht_s is None and forecast_totals(days=days).aht_s is None


def test_the_hour_the_clocks_skip_has_no_interval(monkeypatch):  # type: ignore[no-untyped-def]
    """New York skips 02:00-03:00 on 10 March 2024; around-the-clock intervals must still store."""
    from frontline.engine.forecasting import default_models
    from frontline.workforce import forecasts

    monkeypatch.setattr(forecasts, "forecast_models", lambda: default_models(include_statsforecast=False))
    stamps = [datetime(2024, 2, 4, 0, 20, tzinfo=NEW_YORK) + timedelta(days=d, hours=h)
              for d in range(42) for h in range(24) for _ in range(1 + h % 3)]
    tickets_at([s for s in stamps if s.astimezone(UTC).astimezone(NEW_YORK) == s])
    run = forecast_prepare(actor=None, name="DST", time_zone="America/New_York", interval_minutes=60,
                           history_days=42, horizon_days=3, now=datetime(2024, 3, 16, 16, 0, tzinfo=UTC))
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    on_the_day = run.intervals.filter(kind=IntervalKind.HISTORY, starts_at__gte=datetime(2024, 3, 10, tzinfo=NEW_YORK),
                                      starts_at__lt=datetime(2024, 3, 11, tzinfo=NEW_YORK))
    assert [r.starts_at.astimezone(NEW_YORK).hour for r in on_the_day] == [0, 1, *range(3, 24)]


def test_the_demo_seeds_a_department_forecast_and_one_per_team(monkeypatch):  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    from frontline.engine.forecasting import default_models
    from frontline.workforce import forecasts
    from frontline.workforce.demo import seed_forecasts

    monkeypatch.setattr(forecasts, "forecast_models", lambda: default_models(include_statsforecast=False))
    first, second = f.team(name="Alpha"), f.team(name="Beta")
    f.manager()
    tickets_at(weekday_history(start=date(2023, 12, 29), days=56, seed=1), team=first)
    tickets_at(weekday_history(start=date(2023, 12, 29), days=56, seed=2), team=second)
    runs = seed_forecasts(anchor=NOW)
    assert [(r.team, r.status, r.interval_minutes) for r in runs] == [
        (None, RunStatus.DONE, 30), (first, RunStatus.DONE, 30), (second, RunStatus.DONE, 30)]
    department, alpha, beta = (sum(r.volume for r in run.intervals.filter(kind=IntervalKind.HISTORY)) for run in runs)
    assert department == alpha + beta > 0
    assert not DBTaskResult.objects.filter(task_path__contains="forecast").exists()  # computed here, never queued twice
