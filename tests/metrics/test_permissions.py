"""Who reads which numbers (frontline/metrics/selectors.py): tries to read another team's or
another agent's numbers through the page, its filters, its CSV files, the API and the targets."""

from __future__ import annotations

import csv
import io

import pytest

from tests import factories as f
from tests.metrics.conftest import WEEK_QUERY

pytestmark = pytest.mark.django_db


def ids_in(link: str) -> set[int]:
    from urllib.parse import parse_qs, urlsplit

    return {int(i) for i in parse_qs(urlsplit(link).query)["ids"][0].split(",")}


def summary(client, **params) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/metrics/summary", {**WEEK_QUERY, **params})
    assert response.status_code == 200, response.content
    return {k["key"]: k for k in response.json()["kpis"]}


def test_a_manager_reads_the_department_and_any_team(department, login):
    client = login(department["boss"])
    assert summary(client)["tickets"]["value"] == 6  # 3 Billing, 2 Tech, 1 without a team
    assert summary(client, team_id=department["tech"].pk)["tickets"]["value"] == 2
    rows = client.get("/api/v1/metrics/breakdown", WEEK_QUERY).json()
    assert rows["by"] == "team"
    assert {r["name"]: r["kpis"]["tickets"] for r in rows["rows"]} == {"Billing": 3, "Tech": 2, "—": 1}


def test_a_lead_reads_their_team_and_not_another(department, login):
    client = login(department["lena"])
    assert summary(client)["tickets"]["value"] == 3
    link = summary(client)["tickets"]["tickets_url"]
    assert ids_in(link) == {department[t].pk for t in ("b1", "b2", "b3")}
    for params in ({"team_id": department["tech"].pk}, {"agent_id": department["tia"].pk},
                   {"team_id": department["tech"].pk, "agent_id": department["ann"].pk}):
        assert client.get("/api/v1/metrics/summary", {**WEEK_QUERY, **params}).status_code == 404
        assert client.get("/api/v1/metrics/breakdown", {**WEEK_QUERY, **params}).status_code == 404
        assert client.get("/api/v1/metrics/daily", {**WEEK_QUERY, **params}).status_code == 404
        assert client.get("/metrics/", {**WEEK_QUERY, "team": params.get("team_id", ""),
                                        "agent": params.get("agent_id", "")}).status_code in (404, 422)
        assert client.get("/metrics/", {**WEEK_QUERY, "team": params.get("team_id", ""), "format": "csv",
                                        "agent": params.get("agent_id", "")}).status_code in (404, 422)
    # filters narrow within her teams; they never widen to Tech's phone ticket
    assert summary(client, channel="phone")["tickets"]["value"] == 0
    rows = client.get("/api/v1/metrics/breakdown", WEEK_QUERY).json()
    assert rows["by"] == "agent"
    assert {r["name"] for r in rows["rows"]} == {department["ann"].display_name, department["bob"].display_name}


def test_a_lead_cannot_pick_another_teams_agent_in_the_page_form(department, login):
    response = login(department["lena"]).get("/metrics/", {**WEEK_QUERY, "agent": department["tia"].pk})
    assert response.status_code == 422  # not one of the choices offered
    assert b"tia" not in response.content.lower() or b"Select a valid choice" in response.content


def test_the_csv_of_a_lead_holds_only_their_team(department, login):
    response = login(department["tom"]).get("/metrics/", {**WEEK_QUERY, "format": "csv", "table": "breakdown"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][0] == "agent"
    assert [r[0] for r in rows[1:]] == [department["tia"].display_name]
    heat = login(department["tom"]).get("/metrics/", {**WEEK_QUERY, "format": "csv", "table": "heatmap"})
    assert sum(int(r[2]) for r in list(csv.reader(io.StringIO(heat.content.decode())))[1:]) == 2


def test_an_agent_reads_their_own_numbers_and_their_teams_aggregate_only(department, login):
    client = login(department["ann"])
    mine = summary(client)
    assert mine["tickets"]["value"] == 2  # b1, b3: assigned to ann
    assert ids_in(mine["tickets"]["tickets_url"]) == {department["b1"].pk, department["b3"].pk}
    assert summary(client, team_id=department["billing"].pk)["tickets"]["value"] == 3
    assert client.get("/api/v1/metrics/breakdown", {**WEEK_QUERY, "team_id": department["billing"].pk}).json()["rows"] == []
    for params in ({"agent_id": department["bob"].pk}, {"team_id": department["tech"].pk}):
        assert client.get("/api/v1/metrics/summary", {**WEEK_QUERY, **params}).status_code == 404
    page = client.get("/metrics/", WEEK_QUERY)
    assert page.status_code == 200
    assert department["bob"].display_name.encode() not in page.content
    assert b"Me and my team" in page.content


def test_customers_get_no_metrics(department, login):
    customer = f.customer(with_login=True)
    client = login(customer.user)
    assert client.get("/metrics/").status_code == 403
    assert client.get("/metrics/targets/").status_code == 403
    assert client.get("/api/v1/metrics/summary").status_code == 403


def test_a_lead_sets_targets_only_for_their_team_and_its_agents(department, login):
    client = login(department["lena"])
    ok = client.post("/metrics/targets/", {"kpi": "one_touch_rate", "period": "month", "team": department["billing"].pk,
                                           "value": "70"})
    assert ok.status_code == 302
    assert client.post("/metrics/targets/", {"kpi": "csat", "period": "month", "value": "90"}).status_code == 403
    assert client.post("/metrics/targets/", {"kpi": "csat", "period": "month", "agent": department["ann"].pk,
                                             "value": "90"}).status_code == 302
    # another team is not even a choice
    assert client.post("/metrics/targets/", {"kpi": "csat", "period": "month", "team": department["tech"].pk,
                                             "value": "90"}).status_code == 422
    assert login(department["ann"]).post("/metrics/targets/", {"kpi": "csat", "period": "month",
                                                              "value": "90"}).status_code == 403


def test_targets_of_another_team_stay_hidden(department, login):
    from frontline.metrics.services import target_set

    target_set(actor=department["boss"], kpi="csat", period="month", value=80, team=department["tech"].pk)
    target_set(actor=department["boss"], kpi="csat", period="month", value=85, agent=department["tia"].pk)
    page = login(department["lena"]).get("/metrics/targets/")
    assert b"Tech" not in page.content and department["tia"].display_name.encode() not in page.content
    assert login(department["tom"]).get("/metrics/targets/").content.count(b"80.0 %") == 1
    api = login(department["lena"]).get("/api/v1/metrics/targets", WEEK_QUERY).json()
    assert api == []
