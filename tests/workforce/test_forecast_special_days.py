"""Holidays (closed dates) and special days (excluded dates) in stored forecasts."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from django.test import override_settings

from frontline.workforce.forecasts import forecast_prepare
from frontline.workforce.models import IntervalKind, RunStatus
from frontline.workforce.tasks import forecast_run_compute
from tests import factories as f

from .forecast_data import NEW_YORK, seconds_by_interval, tickets_at, weekday_history

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore")]

NOW = datetime(2024, 2, 23, 17, 0, tzinfo=UTC)  # Friday 23 Feb 2024, noon in New York
FAST = ["seasonal_naive", "weekday_mean_4", "level_blend"]
HOLIDAY = date(2024, 2, 27)  # a Tuesday in the horizon
SPIKE = date(2024, 2, 20)  # the Tuesday before: an outage tripled the contacts


def _day_totals(run) -> dict[date, float]:  # type: ignore[no-untyped-def]
    totals: dict[date, float] = {}
    for row in run.intervals.filter(kind=IntervalKind.FORECAST):
        day = row.starts_at.astimezone(NEW_YORK).date()
        totals[day] = totals.get(day, 0.0) + row.volume
    return totals


def _computed(team, **kw):  # type: ignore[no-untyped-def]
    run = forecast_prepare(actor=None, name="NY", team=team, time_zone="America/New_York", history_days=56,
                           opening=time(9), closing=time(13), now=NOW, **kw)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


@override_settings(FRONTLINE_FORECAST_MODELS=FAST)
def test_a_holiday_is_forecast_closed_and_a_special_day_is_not_learnt_from():
    team = f.team()
    stamps = weekday_history(start=date(2023, 12, 29), days=56)
    spike = [s for s in stamps if s.date() == SPIKE]
    tickets_at(stamps + spike * 2, team=team)  # the spike day has three times its contacts

    plain = _computed(team)
    special = _computed(team, closed_dates=[HOLIDAY], excluded_dates=[SPIKE])
    assert special.closed_dates == ["2024-02-27"] and special.excluded_dates == ["2024-02-20"]

    holiday_rows = special.intervals.filter(kind=IntervalKind.FORECAST, starts_at__date=HOLIDAY)
    assert holiday_rows.exists() and all(r.volume == 0 and r.lower == 0 and r.upper == 0 for r in holiday_rows)
    assert _day_totals(plain)[HOLIDAY] > 0

    # The Tuesday a week after the spike: learnt from the spike it is inflated; ignoring it, it is
    # close to a normal Tuesday (about 5 a day x 4 hours + noise = 26-38 contacts).
    next_tuesday = date(2024, 3, 5)
    assert _day_totals(special)[next_tuesday] < _day_totals(plain)[next_tuesday]
    assert 20 <= _day_totals(special)[next_tuesday] <= 45


def test_the_form_reads_dates_and_names_bad_ones(login):  # type: ignore[no-untyped-def]
    client = login(f.manager())
    base = {"name": "Holidays", "interval_minutes": "30", "history_days": "91", "horizon_days": "14"}
    response = client.post("/workforce/forecasts/new/", {**base, "closed_dates": "2026-12-25, 2026-13-45 soon"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not a date (YYYY-MM-DD): 2026-13-45, soon." in page
    response = client.post("/workforce/forecasts/new/", {**base, "closed_dates": "2026-12-26\n2026-12-25",
                                                          "excluded_dates": "2026-11-02"})
    assert response.status_code == 302
    from frontline.workforce.models import ForecastRun

    run = ForecastRun.objects.get(name="Holidays")
    assert (run.closed_dates, run.excluded_dates) == (["2026-12-25", "2026-12-26"], ["2026-11-02"])


def test_carry_over_counts_contacts_outside_the_hours_at_the_next_opening():
    from frontline.workforce.forecasts import forecast_history

    team = f.team()
    ny = NEW_YORK
    tickets_at([
        datetime(2024, 2, 5, 10, 0, tzinfo=ny),  # Mon 10:00: inside -> 10:00
        datetime(2024, 2, 6, 7, 10, tzinfo=ny),  # Tue 07:10: before opening -> Tue 09:00
        datetime(2024, 2, 6, 15, 0, tzinfo=ny),  # Tue 15:00: after closing -> Wed 09:00
        datetime(2024, 2, 9, 11, 0, tzinfo=ny),  # Fri 11:00: inside
        datetime(2024, 2, 9, 20, 0, tzinfo=ny),  # Fri 20:00 -> the weekend is closed -> Mon 12 Feb 09:00
        datetime(2024, 2, 14, 18, 0, tzinfo=ny),  # Wed 14 Feb 18:00 -> Thu 15 Feb is a holiday -> Fri 16 Feb
        datetime(2024, 2, 22, 21, 0, tzinfo=ny),  # Thu 22 Feb (yesterday) 21:00 -> today: forecast, left out
    ], team=team, handle_seconds=[100, 200, 300, 400, 500, 600, 700])
    tickets_at([datetime(2024, 2, 13, 9, 30, tzinfo=ny), datetime(2024, 2, 16, 9, 30, tzinfo=ny),  # Tue, Fri
                datetime(2024, 2, 14, 10, 0, tzinfo=ny), datetime(2024, 2, 8, 10, 0, tzinfo=ny)], team=team)  # Wed, Thu
    run = forecast_prepare(actor=None, name="Carry", team=team, time_zone="America/New_York", history_days=21,
                           opening=time(9), closing=time(13), carry_over=True, closed_dates=[date(2024, 2, 15)], now=NOW)
    history = forecast_history(run=run)
    assert history.counts == {
        datetime(2024, 2, 5, 10, 0): 1, datetime(2024, 2, 6, 9, 0): 1, datetime(2024, 2, 7, 9, 0): 1,
        datetime(2024, 2, 9, 11, 0): 1, datetime(2024, 2, 12, 9, 0): 1, datetime(2024, 2, 16, 9, 0): 1,
        datetime(2024, 2, 13, 9, 30): 1, datetime(2024, 2, 16, 9, 30): 1,
        datetime(2024, 2, 14, 10, 0): 1, datetime(2024, 2, 8, 10, 0): 1,
    }
    work = seconds_by_interval(history.work)
    assert (work[datetime(2024, 2, 16, 9, 0)], work[datetime(2024, 2, 7, 9, 0)]) == (600, 300)
    assert datetime(2024, 2, 23, 9, 0) not in work  # last night's contact is today's: not history

    plain = forecast_prepare(actor=None, name="Plain", team=team, time_zone="America/New_York", history_days=21,
                             opening=time(9), closing=time(13), now=NOW)
    assert sum(forecast_history(run=plain).counts.values()) == 11  # without carry-over, nothing moves
    assert forecast_prepare(actor=None, name="No hours", team=team, carry_over=True, now=NOW).carry_over is False
