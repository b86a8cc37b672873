"""Quality score, cost per contact and self-service deflection on the metrics pages, the API and the
CSV files (frontline/metrics/customer_kpis.py): values worked by hand, who may read them, empty states.

The department of conftest.py (week of Monday 2 March 2026) with QA reviews on a rubric of two
criteria, "Correct answer" (1-5, weight 1) and "No data leak" (yes/no, weight 1, critical):
(5, yes) = 100 %, (3, yes) = (0.5 + 1) / 2 = 75 %, (1, yes) = (0 + 1) / 2 = 50 %, (5, no) = 0 %.

- b1 (ann, Billing) 100 by lena; b2 (bob, Billing) 75 by lena; b3 (ann, Billing) 50 by boss;
  t1 (tia, Tech) 0 by tom; the week before: ann's ticket 75 by lena; a draft by boss on b2 (not counted).
- Budget: the department's Q1 plan spends 600.00 on 3 March (and 1,000.00 on 20 February); Billing's
  March plan spends 90.00 on 4 March.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from frontline.budget.selectors import plan_summary
from frontline.metrics.models import Target
from frontline.metrics.periods import period_of
from frontline.metrics.selectors import Scope
from frontline.metrics.services import metrics_refresh_dirty, target_set
from frontline.metrics.target_selectors import targets_for_dashboard
from frontline.quality import services as qa
from frontline.quality.models import Criterion
from frontline.quality.services import CriterionSpec, ScoreIn, SectionSpec
from tests import factories as f
from tests.budget.helpers import actual, line, plan
from tests.metrics.conftest import WEEK_QUERY

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # ~30 s of a worker: started first (tests/conftest.py)

NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)  # the month of the fixture's week nearly over

RUBRIC = (
    SectionSpec(
        "Answer",
        (
            CriterionSpec("Correct answer", scale="one_five"),
            CriterionSpec("No data leak", auto_fail=True),
        ),
    ),
)


def review(version, ticket, agent, reviewer, answer: int, leak_free: bool, *, submit: bool = True):  # type: ignore[no-untyped-def]
    correct, leak = Criterion.objects.filter(version=version).order_by("position", "id")
    started = qa.review_start(ticket=ticket, agent=agent, version=version, reviewer=reviewer)
    return qa.review_save(
        review=started,
        actor=reviewer,
        submit=submit,
        scores={correct.pk: ScoreIn(value=answer), leak.pk: ScoreIn(value=int(leak_free))},
    )


@pytest.fixture
def world(department):  # type: ignore[no-untyped-def]
    d = department
    version = qa.rubric_create(name="Email", sections=RUBRIC, actor=d["boss"])
    d["reviews"] = {
        "b1": review(version, d["b1"], d["ann"], d["lena"], 5, True),
        "b2": review(version, d["b2"], d["bob"], d["lena"], 3, True),
        "b3": review(version, d["b3"], d["ann"], d["boss"], 1, True),
        "t1": review(version, d["t1"], d["tia"], d["tom"], 5, False),
        "before": review(version, d["before"], d["ann"], d["lena"], 3, True),
        "draft": review(version, d["b2"], d["bob"], d["boss"], 1, False, submit=False),
    }
    q1 = plan(name="Department Q1", start=date(2026, 1, 1), end=date(2026, 3, 31))
    payroll = line(q1, "headcount", "30000")
    actual(payroll, date(2026, 3, 3), "600.00")
    actual(payroll, date(2026, 2, 20), "1000.00")
    d["billing_plan"] = plan(
        name="Billing March", team=d["billing"], start=date(2026, 3, 1), end=date(2026, 3, 31)
    )
    actual(line(d["billing_plan"], "tools", "500"), date(2026, 3, 4), "90.00")
    return d


def summary(client, **params) -> dict:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/metrics/summary", {**WEEK_QUERY, **params})
    assert response.status_code == 200, response.content
    return {k["key"]: k for k in response.json()["kpis"]}


def ids_in(link: str) -> set[int]:
    return {int(i) for i in parse_qs(urlsplit(link).query)["ids"][0].split(",")}


def test_the_department_qa_score_is_the_mean_of_its_reviews_with_the_change(world, login):
    qa_card = summary(login(world["boss"]))["qa_score"]
    assert qa_card["value"] == pytest.approx(
        56.25
    )  # (100 + 75 + 50 + 0) / 4; the draft is left out
    assert qa_card["label"] == "Quality score (QA) (4 reviews)"
    assert qa_card["unit"] == "percent"
    assert ids_in(qa_card["tickets_url"]) == {world[t].pk for t in ("b1", "b2", "b3", "t1")}
    assert qa_card["previous_period"]["before"] == 75.0  # the week before: one review of 75
    assert qa_card["previous_period"]["change"] == pytest.approx(-18.75)


def test_a_team_and_an_agent_score_their_own_reviews(world, login):
    boss = login(world["boss"])
    assert (
        summary(boss, team_id=world["billing"].pk)["qa_score"]["value"] == 75.0
    )  # (100 + 75 + 50) / 3
    assert summary(boss, team_id=world["tech"].pk)["qa_score"]["value"] == 0.0  # a critical error
    assert summary(boss, agent_id=world["ann"].pk)["qa_score"]["value"] == 75.0  # (100 + 50) / 2
    assert summary(login(world["ann"]))["qa_score"]["value"] == 75.0  # her own numbers


def test_the_breakdown_has_the_qa_score_per_team_and_per_agent(world, login):
    teams = login(world["boss"]).get("/api/v1/metrics/breakdown", WEEK_QUERY).json()["rows"]
    assert {r["name"]: (r["kpis"]["qa_score"], r["kpis"]["qa_reviews"]) for r in teams} == {
        "Billing": (75.0, 3),
        "Tech": (0.0, 1),
        "\u2014": (None, 0),
    }
    agents = login(world["lena"]).get("/api/v1/metrics/breakdown", WEEK_QUERY).json()["rows"]
    assert {r["name"]: (r["kpis"]["qa_score"], r["kpis"]["qa_reviews"]) for r in agents} == {
        world["ann"].display_name: (75.0, 2),
        world["bob"].display_name: (75.0, 1),
    }
    assert all("cost_per_contact" not in r["kpis"] for r in agents)


def test_an_agent_never_reads_colleagues_qa_scores_through_a_team_filter(world, login):
    client = login(world["ann"])
    team = summary(client, team_id=world["billing"].pk)["qa_score"]
    assert team["value"] is None and team["note"].startswith(
        "Not shown"
    )  # bob's review is not hers to see
    assert team["tickets_url"] == ""
    page = client.get("/metrics/", {**WEEK_QUERY, "team": world["billing"].pk})
    assert page.status_code == 200 and "Not shown: some of these reviews" in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/metrics/", {**WEEK_QUERY, "team": world["billing"].pk, "format": "csv"}
                ).content.decode()
            )
        )
    )
    assert [r[3] for r in rows if r[0] == "qa_score"] == [""]
    assert (
        client.get(
            "/api/v1/metrics/summary", {**WEEK_QUERY, "team_id": world["tech"].pk}
        ).status_code
        == 404
    )


def test_a_lead_reads_no_qa_score_of_a_team_they_only_belong_to(world, login):
    world["lena"].teams.add(
        world["tech"]
    )  # a member of Tech: its numbers, but not its agents' reviews
    client = login(world["lena"])
    assert summary(client, team_id=world["tech"].pk)["tickets"]["value"] == 2
    assert summary(client, team_id=world["tech"].pk)["qa_score"]["value"] is None
    rows = client.get("/api/v1/metrics/breakdown", WEEK_QUERY).json()["rows"]  # her two teams
    assert {r["name"]: r["kpis"]["qa_score"] for r in rows} == {"Billing": 75.0, "Tech": None}
    assert (
        client.get(
            "/api/v1/metrics/summary", {**WEEK_QUERY, "agent_id": world["tia"].pk}
        ).status_code
        == 200
    )
    assert summary(client, agent_id=world["tia"].pk)["qa_score"]["value"] is None


def test_the_cost_per_contact_of_the_department_and_of_a_team(world, login):
    boss = login(world["boss"])
    department = summary(boss)["cost_per_contact"]
    assert department["value"] == 115.0  # (600.00 + 90.00) / 6 tickets created that week
    assert department["label"] == "Cost per contact (EUR; EUR 690.00 \u00f7 6 contacts)"
    assert len(ids_in(department["tickets_url"])) == 6
    assert (
        summary(boss, team_id=world["billing"].pk)["cost_per_contact"]["value"] == 30.0
    )  # 90.00 / 3
    tech = summary(boss, team_id=world["tech"].pk)["cost_per_contact"]
    assert tech["value"] is None and "No budget plan" in tech["note"]
    teams = boss.get("/api/v1/metrics/breakdown", WEEK_QUERY).json()["rows"]
    assert {r["name"]: r["kpis"]["cost_per_contact"] for r in teams} == {
        "Billing": 30.0,
        "Tech": None,
        "\u2014": None,
    }


def test_the_cost_per_contact_over_a_plans_period_is_the_budget_pages(world, login):
    billing_plan = world["billing_plan"]
    budget = plan_summary(plan=billing_plan, today=date(2026, 3, 31))
    metrics = summary(
        login(world["boss"]), period="month", date="2026-03-01", team_id=world["billing"].pk
    )
    assert budget.cost_per_contact == Decimal("30.00")
    assert metrics["cost_per_contact"]["value"] == float(budget.cost_per_contact)


def test_cost_per_contact_is_not_split_by_other_filters_nor_added_across_currencies(world, login):
    boss = login(world["boss"])
    channel = summary(boss, channel="email")["cost_per_contact"]
    assert channel["value"] is None and "clear the agent, channel" in channel["note"]
    no_spend = summary(boss, period="week", date="2026-03-16")["cost_per_contact"]
    assert no_spend["value"] is None and "No actual spend" in no_spend["note"]
    line(
        plan(
            name="Tech in dollars",
            team=world["tech"],
            start=date(2026, 3, 1),
            end=date(2026, 3, 31),
            currency="USD",
        ),
        "tools",
        "100",
    )
    mixed = summary(boss)["cost_per_contact"]
    assert mixed["value"] is None and "(EUR, USD)" in mixed["note"]


def test_only_managers_read_the_cost_per_contact(world, login):
    for who in ("lena", "ann"):
        client = login(world[who])
        assert "cost_per_contact" not in summary(client)
        cards = client.get("/metrics/", {**WEEK_QUERY, "format": "csv"}).content.decode()
        assert "cost_per_contact" not in cards
        page = client.get("/metrics/", WEEK_QUERY).content.decode()
        assert "Cost per contact" not in page
    breakdown = login(world["lena"]).get(
        "/metrics/", {**WEEK_QUERY, "format": "csv", "table": "breakdown"}
    )
    header = next(csv.reader(io.StringIO(breakdown.content.decode())))
    assert header[-2:] == ["qa_score", "qa_reviews"]


def test_the_csv_files_hold_the_new_kpis(world, login):
    boss = login(world["boss"])
    cards = list(
        csv.reader(
            io.StringIO(boss.get("/metrics/", {**WEEK_QUERY, "format": "csv"}).content.decode())
        )
    )
    values = {r[0]: r[3] for r in cards[1:]}
    assert (values["qa_score"], values["cost_per_contact"], values["deflection_rate"]) == (
        "56.25",
        "115",
        "",
    )
    table = list(
        csv.reader(
            io.StringIO(
                boss.get(
                    "/metrics/", {**WEEK_QUERY, "format": "csv", "table": "breakdown"}
                ).content.decode()
            )
        )
    )
    assert table[0][-3:] == ["qa_score", "qa_reviews", "cost_per_contact"]
    assert {r[0]: r[-3:] for r in table[1:]}["Billing"] == ["75", "3", "30"]


def test_self_service_deflection_says_it_cannot_be_measured_yet(world, login):
    for who in ("boss", "lena", "ann"):
        card = summary(login(world[who]))["deflection_rate"]
        assert card["value"] is None and card["note"].startswith("Not measurable yet")
    page = login(world["boss"]).get("/metrics/", WEEK_QUERY).content.decode()
    assert 'id="kpi-deflection_rate"' in page and "Not measurable yet" in page


def test_the_page_shows_the_qa_score_linked_to_its_tickets(world, login):
    page = login(world["boss"]).get("/metrics/", WEEK_QUERY).content.decode()
    card = page[page.index('id="kpi-qa_score"') :]
    assert "56.3 %" in card[:400] and "/tickets/?view=all&amp;ids=" in card[:400]
    assert "115.00" in page[page.index('id="kpi-cost_per_contact"') :][:300]
    assert '<th class="num">Cost / contact</th>' in page  # Billing has a plan of its own


def test_empty_states(department, login):
    boss = login(department["boss"])
    qa_card = summary(boss)["qa_score"]
    assert qa_card["value"] is None and qa_card["note"].startswith("No QA reviews")
    cost = summary(boss)["cost_per_contact"]
    assert cost["value"] is None and "No budget plan of the department" in cost["note"]
    hour = summary(boss, period="hour", hour=9)["cost_per_contact"]
    assert "choose a day or a longer period" in hour["note"]
    page = boss.get("/metrics/", WEEK_QUERY).content.decode()
    assert "No QA reviews of these tickets yet" in page and "No budget plan" in page


def test_a_customer_reads_nothing(world, login):
    customer = f.customer(with_login=True)
    client = login(customer.user)
    assert client.get("/api/v1/metrics/summary", WEEK_QUERY).status_code == 403


# --- targets ------------------------------------------------------------------------------------------------------


def goals_of(viewer, scope, now=NOW):  # type: ignore[no-untyped-def]
    return {
        (g.target.kpi, g.target.scope): (g.actual, g.status.status)
        for g in targets_for_dashboard(
            viewer=viewer, scope=scope, period=period_of("week", date(2026, 3, 2), UTC), now=now
        )
    }


def test_targets_on_the_quality_score_and_the_cost_per_contact(world):
    boss, billing = world["boss"], world["billing"].pk
    target_set(actor=boss, kpi="qa_score", period="month", value=80, team=billing)
    target_set(actor=boss, kpi="cost_per_contact", period="month", value=120)
    target_set(actor=world["lena"], kpi="qa_score", period="month", value=70, agent=world["ann"].pk)
    # March 2026, with the reviews and spend of the fixture: Billing 75 (100, 75, 50), ann 75 (100, 50),
    # the department 690.00 / 6 = 115.00. On 31 March at noon the month is nearly over, still running.
    goals = goals_of(boss, Scope(team_ids=None))
    assert goals[("cost_per_contact", "department")] == (
        115.0,
        "on_track",
    )  # at most 120: met so far
    assert goals[("qa_score", "team")][0] == 75.0
    assert goals[("qa_score", "agent")][0] == 75.0
    after = goals_of(boss, Scope(team_ids=None), now=datetime(2026, 4, 2, tzinfo=UTC))
    assert after[("qa_score", "team")] == (75.0, "missed")
    assert after[("qa_score", "agent")] == (75.0, "met")


def test_who_reads_which_customer_targets(world, login):
    target_set(
        actor=world["boss"], kpi="qa_score", period="month", value=80, team=world["billing"].pk
    )
    target_set(
        actor=world["boss"],
        kpi="cost_per_contact",
        period="month",
        value=120,
        team=world["billing"].pk,
    )
    target_set(actor=world["lena"], kpi="qa_score", period="month", value=70, agent=world["ann"].pk)
    lena = goals_of(world["lena"], Scope(team_ids=frozenset({world["billing"].pk})))
    assert set(lena) == {("qa_score", "team"), ("qa_score", "agent")}  # no budget figure for a lead
    ann = goals_of(
        world["ann"], Scope(team_ids=frozenset({world["billing"].pk}), agent_id=world["ann"].pk)
    )
    assert ann[("qa_score", "agent")][0] == 75.0  # her own reviews
    assert ann[("qa_score", "team")] == (None, None)  # bob's review is not hers to see: withheld
    page = login(world["lena"]).get("/metrics/targets/").content.decode()
    assert "Quality score (QA" in page and "Cost per contact" not in page
    api = (
        login(world["ann"])
        .get("/api/v1/metrics/targets", {**WEEK_QUERY, "team_id": world["billing"].pk})
        .json()
    )
    assert {t["kpi"] for t in api} == {"qa_score"}


def test_customer_targets_refuse_what_they_cannot_mean(world, login):
    with pytest.raises(ValidationError) as error:
        target_set(actor=world["boss"], kpi="qa_score", period="month", value=101)
    assert "value" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        target_set(
            actor=world["boss"],
            kpi="cost_per_contact",
            period="month",
            value=10,
            agent=world["ann"].pk,
        )
    assert "agent" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        target_set(
            actor=world["lena"],
            kpi="cost_per_contact",
            period="month",
            value=10,
            team=world["billing"].pk,
        )
    refused = login(world["lena"]).post(
        "/metrics/targets/",
        {"kpi": "cost_per_contact", "period": "month", "team": world["billing"].pk, "value": "10"},
    )
    assert refused.status_code == 422  # not offered to a lead
    assert not Target.objects.exists()


def test_a_teams_cost_per_contact_takes_in_its_sub_teams(world, login):
    night = f.team(name="Billing nights", parent=world["billing"])
    n1 = f.ticket(team=night, channel="email", at=world["b1"].created_at, notify=False)
    assert n1.pk
    actual(
        line(
            plan(name="Nights March", team=night, start=date(2026, 3, 1), end=date(2026, 3, 31)),
            "tools",
            "50",
        ),
        date(2026, 3, 5),
        "30.00",
    )
    metrics_refresh_dirty()
    boss = login(world["boss"])
    assert (
        summary(boss, team_id=world["billing"].pk)["cost_per_contact"]["value"] == 30.0
    )  # (90 + 30) / (3 + 1)
    assert summary(boss, team_id=night.pk)["cost_per_contact"]["value"] == 30.0  # 30 / 1
    assert summary(boss)["cost_per_contact"]["value"] == pytest.approx(
        102.86
    )  # 720.00 / 7 = 102.857...


def test_the_reads_do_not_grow_with_teams_or_reviews(world, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from frontline.metrics import customer_kpis, dashboard
    from frontline.metrics.samples import slice_samples

    week = period_of("week", date(2026, 3, 2), UTC)

    def reads() -> int:
        department = Scope(team_ids=None)
        groups = slice_samples(scope=department, start=week.start, end=week.end, by="team_id")
        _, table = dashboard.breakdown_table(
            viewer=world["boss"], scope=department, period=week, groups=groups
        )
        with CaptureQueriesContext(connection) as queries:
            customer_kpis.customer_cards(
                viewer=world["boss"], scope=department, period=week, now=NOW
            )
            customer_kpis.add_to_breakdown(
                table, kind="team", viewer=world["boss"], scope=department, period=week
            )
        return len(queries)

    before = reads()
    for name in ("Sales", "Returns", "VIP"):
        team = f.team(name=name)
        f.ticket(team=team, channel="web", at=world["b1"].created_at, notify=False)
        actual(
            line(
                plan(name=name, team=team, start=date(2026, 3, 1), end=date(2026, 3, 31)),
                "tools",
                "10",
            ),
            date(2026, 3, 3),
            "5.00",
        )
    metrics_refresh_dirty()
    assert reads() == before
