"""The dashboard page, its CSV files and the API's shapes and errors."""

from __future__ import annotations

import csv
import io

import pytest

from tests.metrics.conftest import WEEK_QUERY

pytestmark = pytest.mark.django_db


def test_a_manager_sees_the_department_with_charts_and_comparisons(department, login):
    page = login(department["boss"]).get("/metrics/", WEEK_QUERY)
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 Mar 2026 \u2013 8 Mar 2026" in text and "All teams" in text
    assert 'id="kpi-tickets"' in text and "vs previous: +5" in text  # 6 tickets against 1 the week before
    assert text.count("<svg") >= 3  # trend, per-team bars, heatmap
    assert "No survey data yet" in text
    assert "Per team" in text and "Billing" in text and "Tech" in text


def test_a_period_from_before_the_records_is_not_compared(department, login):
    """The records begin on 23 Feb 2026 (the department's earliest ticket): the week of 2 Mar is compared
    with the week before (from 23 Feb) but not with last year's, which would be zeros that only mean "not
    recorded" (they showed "vs last year: +6 beyond noise"); the week of 23 Feb with neither. Page, CSV, API."""
    client = login(department["boss"])
    text = client.get("/metrics/", WEEK_QUERY).content.decode()
    tickets = text[text.index('id="kpi-tickets"'):]
    tickets = tickets[:tickets.index('class="kpi"')]
    assert "vs previous: +5" in tickets and "vs last year: <span" in tickets and "no records then" in tickets
    assert "+6" not in tickets
    rows = {r["kpi"]: r for r in csv.DictReader(io.StringIO(
        client.get("/metrics/", {**WEEK_QUERY, "format": "csv"}).content.decode()))}
    assert rows["tickets"]["previous_period"] == "1" and rows["tickets"]["last_year"] == ""
    api = {k["key"]: k for k in client.get("/api/v1/metrics/summary", WEEK_QUERY).json()["kpis"]}
    assert api["tickets"]["previous_period"]["before"] == 1 and api["tickets"]["last_year"] is None
    first_week = {k["key"]: k for k in client.get("/api/v1/metrics/summary",
                                                  {"period": "week", "date": "2026-02-23"}).json()["kpis"]}
    assert first_week["tickets"]["value"] == 1
    assert first_week["tickets"]["previous_period"] is None and first_week["tickets"]["last_year"] is None


def test_an_empty_period_says_what_to_do(department, login):
    text = login(department["boss"]).get("/metrics/", {"period": "week", "date": "2025-01-06"}).content.decode()
    assert "No tickets were created in this period" in text and "metrics_rebuild" in text


def test_a_bad_period_is_a_form_error_not_a_500(department, login):
    response = login(department["boss"]).get("/metrics/", {"period": "custom", "date": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 422
    assert "Must not be before the start." in response.content.decode()
    assert login(department["boss"]).get("/metrics/", {"period": "fortnight"}).status_code == 422


def test_htmx_gets_the_body_only(department, login):
    response = login(department["lena"]).get("/metrics/", {**WEEK_QUERY, "team": department["billing"].pk},
                                              HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert response.status_code == 200 and "<html" not in text and 'id="kpi-tickets"' in text


def test_the_cards_csv_holds_every_kpi_with_its_comparisons(department, login):
    response = login(department["boss"]).get("/metrics/", {**WEEK_QUERY, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    by_key = {r["kpi"]: r for r in rows}
    assert by_key["tickets"]["value"] == "6" and by_key["tickets"]["previous_period"] == "1"
    assert float(by_key["first_reply_median"]["value"]) == 40  # replies after 20, 40, 60 min


def test_the_daily_csv_tracks_the_backlog(department, login):
    response = login(department["boss"]).get("/metrics/", {**WEEK_QUERY, "format": "csv", "table": "daily"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["day", "created", "solved", "backlog"]
    # the week before left one open ticket; Monday: 4 created, 3 solved; Tuesday 1; Wednesday 1
    assert rows[1:4] == [["2026-03-02", "4", "3", "2"], ["2026-03-03", "1", "0", "3"], ["2026-03-04", "1", "0", "4"]]


def test_the_api_refuses_a_bad_zone_and_period_naming_the_field(department, login):
    client = login(department["boss"])
    bad_zone = client.get("/api/v1/metrics/summary", {**WEEK_QUERY, "tz": "Mars/Olympus"})
    assert bad_zone.status_code == 422 and bad_zone.json()["errors"][0]["field"] == "tz"
    bad_end = client.get("/api/v1/metrics/summary", {"period": "custom", "date": "2026-03-02"})
    assert bad_end.status_code == 422 and bad_end.json()["errors"][0]["field"] == "end"
    assert client.get("/api/v1/metrics/summary", {"period": "fortnight"}).status_code == 422


def test_the_api_days_follow_tz(department, login):
    # b3 was created Tuesday 09:00 UTC = Tuesday 21:00 in Auckland (+13): the week's counts are the same
    days = login(department["boss"]).get("/api/v1/metrics/daily", {**WEEK_QUERY, "tz": "Pacific/Auckland"}).json()
    assert [d["created"] for d in days[:3]] == [4, 1, 1]


def test_openapi_describes_the_metrics_endpoints(department, login):
    schema = login(department["boss"]).get("/api/v1/openapi.json").json()
    for path in ("/api/v1/metrics/summary", "/api/v1/metrics/breakdown", "/api/v1/metrics/daily",
                 "/api/v1/metrics/targets"):
        assert set(schema["paths"][path]["get"]["responses"]) >= {"200", "401", "404", "422"}
    assert "KpiOut" in schema["components"]["schemas"]


def test_the_nav_shows_metrics_to_staff(department, login):
    assert b'href="/metrics/"' in login(department["ann"]).get("/tickets/").content
