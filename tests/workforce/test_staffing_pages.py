"""Staffing plan pages: list, new, edit, delete, the plan page; access and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontline.engine.erlang import required_agents
from frontline.workforce.models import RunStatus, StaffingPlan
from tests import factories as f
from tests.workforce import staffing_factories as sf

pytestmark = pytest.mark.django_db

VALID = {"name": "Orders 80/20", "target_sl_pct": "80", "threshold_s": "20", "max_occupancy_pct": "85",
         "shrinkage_pct": "30", "concurrency": "1", "default_aht_s": "600"}


@pytest.fixture
def team():
    return f.team(name="Orders")


@pytest.fixture
def plan(team):
    return sf.plan(sf.forecast(rows=sf.day_rows(), team=team), name="Orders plan")


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/workforce/staffing/", "/workforce/staffing/new/", "/workforce/staffing/{id}/",
                                  "/workforce/staffing/{id}/edit/", "/workforce/staffing/{id}/delete/"])
def test_agents_and_customers_get_403(login, plan, path):
    url = path.format(id=plan.pk)
    assert login(f.agent()).get(url).status_code == 403
    assert login(f.customer(with_login=True).user).get(url).status_code == 403


def test_agents_cannot_post_a_plan_or_delete_one(login, plan):
    client = login(f.agent(teams=[plan.forecast.team]))
    assert client.post("/workforce/staffing/new/", {**VALID, "forecast": plan.forecast_id}).status_code == 403
    assert client.post(f"/workforce/staffing/{plan.pk}/delete/").status_code == 403
    assert StaffingPlan.objects.count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, plan):
    response = client.get(f"/workforce/staffing/{plan.pk}/")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_lead_of_another_team_reads_but_cannot_change(login, plan):
    client = login(f.lead(leads=[f.team()]))
    assert client.get(f"/workforce/staffing/{plan.pk}/").status_code == 200
    assert client.get(f"/workforce/staffing/{plan.pk}/edit/").status_code == 403
    assert client.post(f"/workforce/staffing/{plan.pk}/edit/", {**VALID, "forecast": plan.forecast_id}).status_code == 403
    assert client.post(f"/workforce/staffing/{plan.pk}/delete/").status_code == 403
    plan.refresh_from_db()
    assert plan.name == "Orders plan"
    assert "Edit targets" not in client.get(f"/workforce/staffing/{plan.pk}/").content.decode()


def test_the_teams_lead_edits(login, plan, team):
    client = login(f.lead(leads=[team]))
    response = client.post(f"/workforce/staffing/{plan.pk}/edit/", {**VALID, "forecast": plan.forecast_id, "name": "Renamed"})
    assert response.status_code == 302 and response["Location"] == f"/workforce/staffing/{plan.pk}/"
    plan.refresh_from_db()
    assert (plan.name, plan.max_occupancy) == ("Renamed", 0.85)


@pytest.mark.parametrize("path", ["/workforce/staffing/999999/", "/workforce/staffing/999999/edit/",
                                  "/workforce/staffing/999999/delete/", "/workforce/staffing/new/?forecast=999999"])
def test_missing_things_are_404(login, path):
    assert login(f.manager()).get(path).status_code == 404


# --- list --------------------------------------------------------------------------------------


def test_list_shows_plans_sorts_filters_and_does_not_query_per_row(login, team):
    client = login(f.manager())
    forecast = sf.forecast(rows=sf.day_rows(), team=team)
    sf.plan(forecast, name="Alpha")
    sf.plan(forecast, name="Bravo")
    with CaptureQueriesContext(connection) as two:
        page = client.get("/workforce/staffing/?sort=name").content.decode()
    assert page.index("Alpha") < page.index("Bravo")
    for i in range(6):
        sf.plan(sf.forecast(rows=sf.day_rows(), team=f.team()), name=f"More {i}")
    with CaptureQueriesContext(connection) as eight:
        assert client.get("/workforce/staffing/?sort=name").status_code == 200
    assert len(eight) == len(two)
    filtered = client.get(f"/workforce/staffing/?team={team.pk}").content.decode()
    assert "Alpha" in filtered and "More 0" not in filtered
    assert "No plans match" in client.get("/workforce/staffing/?q=zzz").content.decode()


def test_list_pages_after_25(login):
    forecast = sf.forecast(rows=sf.day_rows())
    for i in range(27):
        sf.plan(forecast, name=f"Plan {i:02d}")
    client = login(f.manager())
    assert "Page 1 of 2" in client.get("/workforce/staffing/").content.decode()
    assert "Plans 26\u201327 of 27" in client.get("/workforce/staffing/?page=2").content.decode()


def test_empty_list_says_what_to_do(login):
    assert "make a forecast" in login(f.lead()).get("/workforce/staffing/").content.decode()


# --- new and edit ------------------------------------------------------------------------------


def test_new_prefills_sensible_targets_for_the_forecasts_channel(login):
    forecast = sf.forecast(rows=sf.day_rows(), channel="phone", name="Phone")
    page = login(f.lead()).get(f"/workforce/staffing/new/?forecast={forecast.pk}").content.decode()
    assert 'value="Phone plan"' in page
    assert re.search(r'name="patience_s" value="180', page)
    assert re.search(rf'<option value="{forecast.pk}" selected', page)


def test_new_creates_a_plan_from_percentages(login):
    forecast = sf.forecast(rows=sf.day_rows())
    lead = f.lead()
    response = login(lead).post("/workforce/staffing/new/", {**VALID, "forecast": forecast.pk, "target_asa_s": "15"})
    plan = StaffingPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/workforce/staffing/{plan.pk}/"
    assert (plan.target_sl, plan.max_occupancy, plan.shrinkage, plan.target_asa_s, plan.created_by) == (0.8, 0.85, 0.3, 15, lead)


def test_a_running_forecast_cannot_be_chosen(login):
    running = sf.forecast(rows=sf.day_rows(), status=RunStatus.RUNNING, name="Still going")
    client = login(f.manager())
    assert "a plan needs a finished forecast" in client.get(f"/workforce/staffing/new/?forecast={running.pk}").content.decode()
    response = client.post("/workforce/staffing/new/", {**VALID, "forecast": running.pk})
    assert response.status_code == 422 and not StaffingPlan.objects.exists()


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"target_sl_pct": "", "max_occupancy_pct": ""}, None, "at least one target"),
    ({"max_abandon_pct": "5"}, "max_abandon_pct", "needs a mean patience"),
    ({"shrinkage_pct": "120"}, "shrinkage_pct", "less than or equal to 95"),
    ({"name": ""}, "name", "required"),
])
def test_bad_input_is_422_with_the_field(login, changes, field, message):
    forecast = sf.forecast(rows=sf.day_rows())
    response = login(f.manager()).post("/workforce/staffing/new/", {**VALID, "forecast": forecast.pk, **changes})
    page = response.content.decode()
    assert response.status_code == 422 and message in page
    if field:
        assert re.search(rf'field-error">\s*<label for="id_{field}"', page)
    assert not StaffingPlan.objects.exists()


def test_edit_shows_percentages(login, plan):
    page = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/edit/").content.decode()
    assert 'name="target_sl_pct" value="80"' in page and 'name="shrinkage_pct" value="30"' in page


def test_delete_asks_then_deletes(login, plan):
    client = login(f.manager())
    assert "cannot be undone" in client.get(f"/workforce/staffing/{plan.pk}/delete/").content.decode()
    response = client.post(f"/workforce/staffing/{plan.pk}/delete/")
    assert response.status_code == 302 and response["Location"] == "/workforce/staffing/"
    assert not StaffingPlan.objects.exists()


# --- the plan page -----------------------------------------------------------------------------


def test_plan_page_shows_each_interval_and_highlights_gaps(login, team):
    agents = [f.agent(teams=[team]) for _ in range(20)]
    sched = sf.schedule(team)
    for agent in agents:  # 20 agents 09:00-13:00: covers the first 8 open intervals, none after
        sf.shift(sched, agent, sf.T0, sf.T0 + timedelta(hours=4))
    plan = sf.plan(sf.forecast(rows=sf.day_rows(), team=team))
    page = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/").content.decode()
    assert page.count('<tr class="gap">') == 8  # 13:00-17:00 short
    assert page.count('<tr class="">') == 8
    first = re.search(r"<td>09:00.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'<td class="num">(?:<strong>)?([^<]+)', first)
    assert cells[:6] == ["100.0 ", "3 min", "14", "20", "20.0", "0.0"]  # volume, AHT, required, to schedule, scheduled, gap
    assert "00:00\u201309:00" in page and "No contacts forecast (18 intervals)" in page
    assert "17:00\u201300:00" in page
    assert "<svg" in page and 'class="to-schedule"' in page
    assert "Required</dt>" in page and "To schedule</dt>" in page and "Scheduled</dt>" in page


def test_plan_page_kpis_for_day_and_horizon(login, team):
    rows = sf.day_rows() + sf.day_rows(sf.DAY + timedelta(days=1), volume=50)
    plan = sf.plan(sf.forecast(rows=rows, team=team, last_date=sf.DAY + timedelta(days=1)))
    client = login(f.manager())
    page = client.get(f"/workforce/staffing/{plan.pk}/?day=2026-03-03").content.decode()
    n50 = int(required_agents(calls=50, interval_s=1800, aht_s=180, threshold_s=20, target_sl=0.8).agents)
    to50 = -(-n50 * 10 // 7)
    assert "Tuesday 3 March 2026" in page
    assert '<div class="value">800</div><div class="label">contacts forecast' in page  # the day
    assert '<div class="value">2,400</div><div class="label">contacts forecast' in page  # the horizon
    assert f"{n50 * 8:g} h</div><div class=\"label\">required agent-hours · {to50 * 8:g} h to schedule" in page
    assert "No published shifts cover this forecast" in page


def test_day_picker_swaps_the_day_with_htmx(login, plan):
    response = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/?day=2026-03-02", HTTP_HX_REQUEST="true",
                                      HTTP_HX_TARGET="plan-day")
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and "Monday 2 March 2026" in page


def test_unknown_day_falls_back_to_the_first(login, plan):
    assert "Monday 2 March 2026" in login(f.manager()).get(f"/workforce/staffing/{plan.pk}/?day=nonsense").content.decode()


def test_a_forecast_without_intervals_says_so(login):
    plan = sf.plan(sf.forecast(rows=[]))
    assert "no forecast intervals" in login(f.manager()).get(f"/workforce/staffing/{plan.pk}/").content.decode()


def test_erlang_a_plans_show_abandonment(login, team):
    plan = sf.plan(sf.forecast(rows=sf.day_rows(), team=team), patience_s=120, max_abandon=0.05)
    page = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/").content.decode()
    assert "Abandon</th>" in page and "(Erlang A)" in page and "Erlang A)." in page


def test_targets_the_engine_cannot_meet_are_explained_not_a_500(login, plan, monkeypatch):
    def impossible(**_kwargs):
        raise ValueError("targets cannot be met by any number of agents")

    monkeypatch.setattr("frontline.workforce.views.staffing.plan_figures_as_scheduled", impossible)
    response = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/")
    assert response.status_code == 200 and "cannot be met by any number of agents" in response.content.decode()


# --- draft schedules (#14.9) ---------------------------------------------------------------------


def test_a_draft_that_covers_the_day_is_shown_beside_the_published_figures(login, plan, team):
    """Before: "0.0 % expected service level, 16 of 16 intervals short" while a draft covering the
    day only needed publishing, and nothing said so."""
    draft = sf.schedule(team, state="draft")
    for _ in range(20):
        sf.shift(draft, f.agent(teams=[team]), sf.T0, sf.T0 + timedelta(hours=8))
    response = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/")
    page = response.content.decode()
    figures = response.context["figures"]
    assert figures.drafts == [draft]
    assert figures.summary.intervals_short == figures.summary.open_intervals
    assert figures.draft_summary.intervals_short == 0
    assert "A draft exists — publish it." in page
    assert f'href="/workforce/schedules/{draft.pk}/"' in page
    assert "0 with drafts" in page


def test_no_draft_no_draft_figures(login, plan, team):
    sf.shift(sf.schedule(team), f.agent(teams=[team]), sf.T0, sf.T0 + timedelta(hours=8))
    response = login(f.manager()).get(f"/workforce/staffing/{plan.pk}/")
    assert response.context["figures"].draft_summary is None
    assert "with drafts" not in response.content.decode()
