"""Forecast pages over HTTP: list, create (422), detail, progress, refresh, and who may see them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontline.workforce.forecasts import forecast_prepare
from frontline.workforce.models import ForecastRun, RunStatus
from frontline.workforce.tasks import forecast_run_compute
from tests import factories as f
from tests.workforce.forecast_data import tickets_at, weekday_history

pytestmark = pytest.mark.django_db

NOW = datetime(2024, 2, 23, 17, 0, tzinfo=UTC)
HTMX = {"HTTP_HX_REQUEST": "true"}
VALID = {"name": "Next fortnight", "interval_minutes": "30", "history_days": "91", "horizon_days": "14",
         "team": "", "queue": "", "channel": "", "opening": "", "closing": "", "time_zone": ""}


def queued(name: str = "Queued run") -> ForecastRun:
    return forecast_prepare(actor=None, name=name, time_zone="UTC", now=NOW)


@pytest.fixture
def done_run() -> ForecastRun:
    team = f.team()
    stamps = weekday_history(start=date(2023, 12, 29), days=56)
    tickets_at(stamps, team=team)
    run = forecast_prepare(actor=None, name="Support, two weeks", team=team, time_zone="America/New_York",
                           interval_minutes=60, history_days=56, now=NOW)
    forecast_run_compute.call(run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    return run


@pytest.mark.parametrize("path", ["/workforce/forecasts/", "/workforce/forecasts/new/", "/workforce/forecasts/{id}/",
                                  "/workforce/forecasts/{id}/progress/"])
def test_agents_are_refused(login, path):  # type: ignore[no-untyped-def]
    run = queued()
    assert login(f.agent()).get(path.format(id=run.pk)).status_code == 403


def test_agents_cannot_create_or_refresh(login):  # type: ignore[no-untyped-def]
    run = queued()
    client = login(f.agent())
    assert client.post("/workforce/forecasts/new/", VALID).status_code == 403
    assert client.post(f"/workforce/forecasts/{run.pk}/refresh/").status_code == 403
    assert ForecastRun.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client):  # type: ignore[no-untyped-def]
    response = client.get("/workforce/forecasts/")
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/workforce/forecasts/999999/", "/workforce/forecasts/999999/progress/"])
def test_a_missing_run_is_404(login, path):  # type: ignore[no-untyped-def]
    assert login(f.manager()).get(path).status_code == 404


def test_refreshing_a_missing_run_is_404(login):  # type: ignore[no-untyped-def]
    assert login(f.manager()).post("/workforce/forecasts/999999/refresh/").status_code == 404


def test_the_empty_list_explains_what_a_forecast_is(login):  # type: ignore[no-untyped-def]
    page = login(f.lead()).get("/workforce/forecasts/").content.decode()
    assert "No forecasts yet." in page and "/workforce/forecasts/new/" in page


def test_the_list_shows_runs_in_a_constant_number_of_queries(login):  # type: ignore[no-untyped-def]
    client = login(f.manager())
    queued("First")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/workforce/forecasts/").status_code == 200
    for n in range(5):
        forecast_prepare(actor=f.manager(), name=f"More {n}", team=f.team(), queue=f.queue(), time_zone="UTC", now=NOW)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/workforce/forecasts/?sort=name").content.decode()
    assert len(many) == len(few)
    assert page.index("First") < page.index("More 0") < page.index("More 4")


def test_the_list_sorts_and_ignores_unknown_sorts(login):  # type: ignore[no-untyped-def]
    queued("Alpha")
    queued("Beta")
    client = login(f.manager())
    page = client.get("/workforce/forecasts/?sort=-name").content.decode()
    assert page.index("Beta") < page.index("Alpha")
    assert client.get("/workforce/forecasts/?sort=drop+table&page=abc&per_page=7").status_code == 200


def test_the_table_partial_answers_htmx(login):  # type: ignore[no-untyped-def]
    queued("Alpha")
    page = login(f.manager()).get("/workforce/forecasts/?sort=name", HTTP_HX_TARGET="forecast-table", **HTMX).content.decode()
    assert "Alpha" in page and "<html" not in page


def test_a_run_served_by_several_models_reads_by_lead(login, done_run):  # type: ignore[no-untyped-def]
    ForecastRun.objects.filter(pk=done_run.pk).update(chosen_model="by_lead")
    client = login(f.lead())
    listed = client.get("/workforce/forecasts/").content.decode()
    detail = client.get(f"/workforce/forecasts/{done_run.pk}/").content.decode()
    assert "<td>by lead</td>" in listed and "by_lead" not in listed
    assert '<div class="value model-name">by lead</div>' in detail and "a model per day ahead" in detail


def test_creating_a_forecast_queues_it_and_opens_its_page(login, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    team = f.team()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = login(f.manager()).post("/workforce/forecasts/new/", {**VALID, "team": str(team.pk)})
    run = ForecastRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workforce/forecasts/{run.pk}/"
    assert (run.status, run.team, run.time_zone, run.history_days) == (RunStatus.QUEUED, team, team.time_zone, 91)
    assert len(callbacks) == 1


@pytest.mark.parametrize(("change", "message"), [
    ({"name": "", "history_days": "5"}, "Ensure this value is greater than or equal to 21."),
    ({"time_zone": "Mars/Olympus"}, "is not a time zone name"),
    ({"opening": "08:00"}, "Give both opening and closing"),
    ({"opening": "08:10", "closing": "18:00"}, "30-minute grid"),
])
def test_bad_input_is_422_with_the_failing_fields(login, change, message):  # type: ignore[no-untyped-def]
    response = login(f.manager()).post("/workforce/forecasts/new/", {**VALID, **change})
    assert response.status_code == 422
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not ForecastRun.objects.exists()


def test_a_queued_run_polls_its_progress(login):  # type: ignore[no-untyped-def]
    run = queued()
    client = login(f.manager())
    page = client.get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert f'hx-get="/workforce/forecasts/{run.pk}/progress/"' in page
    poll = client.get(f"/workforce/forecasts/{run.pk}/progress/", **HTMX)
    assert poll.status_code == 200 and "HX-Refresh" not in poll and "Queued" in poll.content.decode()


def test_progress_reloads_the_page_once_the_run_is_done(login, done_run):  # type: ignore[no-untyped-def]
    poll = login(f.manager()).get(f"/workforce/forecasts/{done_run.pk}/progress/", **HTMX)
    assert poll["HX-Refresh"] == "true"


def test_a_failed_run_says_why_and_what_next(login):  # type: ignore[no-untyped-def]
    run = queued()
    forecast_run_compute.call(run.pk)
    page = login(f.manager()).get(f"/workforce/forecasts/{run.pk}/").content.decode()
    assert "This run failed." in page and "needs at least" in page and "start a new forecast" in page


def test_a_done_run_shows_its_result(login, done_run):  # type: ignore[no-untyped-def]
    page = login(f.lead()).get(f"/workforce/forecasts/{done_run.pk}/").content.decode()
    assert '<svg class="forecast-chart"' in page and "<polygon class=\"band\"" in page
    assert f"/workforce/staffing/new/?forecast={done_run.pk}" in page
    assert done_run.chosen_model in page and 'class="chosen"' in page
    for score in done_run.scores:
        assert f"<td>{score['model']}" in page
    assert "Fri 23 Feb" in page and "Thu 7 Mar" in page  # the per-day table
    assert "Sat 2 Mar" not in page  # weekends had no contacts: closed
    assert "not measured in the history" in page  # no handle seconds in this history


def test_the_page_shows_which_model_serves_which_day(login, done_run):  # type: ignore[no-untyped-def]
    page = login(f.lead()).get(f"/workforce/forecasts/{done_run.pk}/").content.decode()
    table = page[page.index('id="blocks-h"'):page.index('id="day-h"')]
    assert "Contacts: backtest MASE on each block of days" in table
    assert "<td>day 1</td>" in table and "<td>day 10</td>" in table and "<td>Fri 23 Feb</td>" in table
    assert table.count('class="num chosen-cell"') == len(done_run.lead_blocks) + len(done_run.aht_lead_blocks)
    assert "is 20 % lower or more" in table


def test_the_handle_time_card_says_how_much_of_it_was_measured(login, done_run):  # type: ignore[no-untyped-def]
    ForecastRun.objects.filter(pk=done_run.pk).update(aht_measured_share=2 / 3)
    done_run.intervals.update(handle_seconds=300.0)
    page = login(f.lead()).get(f"/workforce/forecasts/{done_run.pk}/").content.decode()
    assert "from measured messages only: 66.7 % of agent messages have a handle time" in page


def test_the_day_select_answers_with_the_days_intervals(login, done_run):  # type: ignore[no-untyped-def]
    client = login(f.manager())
    part = client.get(f"/workforce/forecasts/{done_run.pk}/?day=2024-02-27", HTTP_HX_TARGET="day-intervals", **HTMX)
    html = part.content.decode()
    assert part.status_code == 200 and "<html" not in html
    assert "Tuesday 27 February 2024" in html and ">09:00<" in html and ">12:00<" in html and ">13:00<" not in html
    assert client.get(f"/workforce/forecasts/{done_run.pk}/?day=not-a-day").status_code == 200


def test_refresh_starts_a_new_run_with_the_same_settings(login, done_run):  # type: ignore[no-untyped-def]
    response = login(f.manager()).post(f"/workforce/forecasts/{done_run.pk}/refresh/")
    new = ForecastRun.objects.exclude(pk=done_run.pk).get()
    assert response.status_code == 302 and response["Location"] == f"/workforce/forecasts/{new.pk}/"
    assert (new.name, new.team_id, new.interval_minutes, new.status) == (done_run.name, done_run.team_id, 60, RunStatus.QUEUED)
