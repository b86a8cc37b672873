""""Why did it change?" and the team-lead outliers counted by the database (analysis: one GROUP BY per
period, selectors.kpi_aggregates) equal the rows-based computation they replaced (every fact row read,
selectors.kpi_parts per segment), for every explained KPI and every dimension, tenure bands included."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import transaction

from frontline.engine.kpis.decompose import decompose_change
from frontline.engine.kpis.outliers import flag_duration_outliers, flag_rate_outliers
from frontline.metrics import analysis
from frontline.metrics.analysis import (
    _EXPLAINED,
    TENURE_BANDS,
    UNKNOWN_TENURE,
    explain_change,
    outliers_for,
)
from frontline.metrics.dashboard import tickets_link
from frontline.metrics.models import TicketFact
from frontline.metrics.periods import period_of
from frontline.metrics.selectors import Scope, fact_rows, facts_in, kpi_aggregates, kpi_parts
from frontline.metrics.services import metrics_refresh_dirty
from frontline.people.models import AgentProfile
from tests import factories as f

pytestmark = pytest.mark.django_db

FIRST = date(2026, 3, 9)
PERIOD = period_of("custom", FIRST, UTC, last=FIRST + timedelta(days=6))
DIMENSIONS = ("channel", "team_id", "queue_id", "agent_id", "priority", "tier", "tenure")


@pytest.fixture(scope="module")
def varied(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """:func:`build_varied`, once for the module (the tests only read it), rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_varied()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def build_varied() -> dict:
    """Two weeks (this period and the one before) of 240 tickets over two teams, three queues, five agents
    (one without a start date, one whose tenure band changes inside the period) and unassigned ones;
    the fact columns the KPIs read are then set at random (seeded): nulls, zeros, reopens, surveys.
    Agent "slow" has long handle times and many reopens (an outlier)."""
    rng = random.Random(9)
    billing, tech = f.team(name="Billing"), f.team(name="Tech")
    queues = [f.queue(team=billing), f.queue(team=tech), None]
    agents = [f.agent(teams=[billing], username="ann"), f.agent(teams=[billing], username="bob"),
              f.agent(teams=[billing], username="slow"), f.agent(teams=[tech], username="tia"),
              f.agent(teams=[tech], username="ned")]
    starts = [FIRST - timedelta(days=30), FIRST - timedelta(days=88), FIRST - timedelta(days=400),
              FIRST - timedelta(days=200), None]
    for agent, start in zip(agents, starts, strict=True):
        AgentProfile.objects.filter(user=agent).update(start_date=start)
    requester = f.customer()
    start = datetime(2026, 3, 2, tzinfo=UTC)
    for i in range(240):
        agent = rng.choices([*agents, None], weights=[3, 3, 3, 1, 1, 1])[0]
        team = None if agent is None and rng.random() < 0.5 else (billing if agent in agents[:3] else tech)
        f.ticket(requester=requester, team=team, assignee=agent, queue=rng.choice(queues),
                 channel=rng.choice(["email", "chat", "web"]), at=start + timedelta(minutes=84 * i + rng.randrange(60)),
                 notify=False)
    metrics_refresh_dirty()
    for fact in TicketFact.objects.all():
        slow = fact.agent_id == agents[2].pk
        fact.solved = rng.random() < 0.7
        fact.ever_solved = fact.solved or rng.random() < 0.2
        fact.reopens = (rng.random() < (0.7 if slow else 0.1)) * rng.randrange(1, 3) if fact.ever_solved else 0
        fact.one_touch = fact.solved and rng.random() < 0.5
        fact.reassigned, fact.escalated = rng.random() < 0.2, rng.random() < 0.1
        fact.first_reply_minutes = None if rng.random() < 0.2 else rng.random() * 90
        fact.resolution_minutes = rng.random() * 900 if fact.solved and rng.random() < 0.9 else None
        fact.handle_seconds = 0 if rng.random() < 0.25 else rng.randrange(1, 900) * (8 if slow else 1)
        fact.csat = rng.choice([None, None, 1, 2, 3, 4, 5])
        fact.priority = rng.choice(["low", "normal", "high"])
        fact.tier = rng.choice(["", "gold", "standard"])
        fact.save()
    return {"agents": agents, "billing": billing, "tech": tech}


def tenure_of(rows: Sequence[dict]) -> dict[int, str]:
    """The rows-based tenure band of each row (the reference: the created day in UTC against the start)."""
    starts = dict(AgentProfile.objects.values_list("user_id", "start_date"))
    out = {}
    for r in rows:
        start = starts.get(r["agent_id"])
        if r["agent_id"] is None or start is None:
            out[r["ticket_id"]] = UNKNOWN_TENURE
        else:
            days = (r["created_at"].date() - start).days
            out[r["ticket_id"]] = next(label for label, limit in TENURE_BANDS if limit is None or days < limit)
    return out


def segments_of_rows(rows: Sequence[dict], kpi: str, by: str) -> dict[object, tuple[float, float, list[dict]]]:
    """The rows-based segments the database now computes: (weight, rate or mean, the segment's rows)."""
    tenure = tenure_of(rows)
    groups: dict[object, list[dict]] = defaultdict(list)
    for r in rows:
        groups[tenure[r["ticket_id"]] if by == "tenure" else r[by]].append(r)
    out = {}
    for key, members in groups.items():
        parts = kpi_parts(members, kpi)
        if isinstance(parts, tuple):
            if parts[1]:
                out[key] = (float(parts[1]), parts[0] / parts[1], members)
        elif parts:
            out[key] = (float(len(parts)), sum(parts) / len(parts), members)
    return out


@pytest.mark.parametrize("kpi", sorted(_EXPLAINED))
def test_the_sql_parts_are_kpi_parts(varied: dict, kpi: str) -> None:
    rows = fact_rows(scope=Scope(team_ids=None), period=PERIOD)
    got = facts_in(scope=Scope(team_ids=None), period=PERIOD).aggregate(**kpi_aggregates(kpi))
    parts = kpi_parts(rows, kpi)
    if isinstance(parts, tuple):
        assert (got["s"], got["n"]) == parts
    else:
        assert got["n"] == len(parts) and got["s"] == pytest.approx(sum(parts), rel=1e-12)


@pytest.mark.parametrize("by", DIMENSIONS)
@pytest.mark.parametrize("kpi", sorted(_EXPLAINED))
def test_explain_change_equals_the_rows_based_decomposition(varied: dict, kpi: str, by: str) -> None:
    scope = Scope(team_ids=None)
    now_rows = fact_rows(scope=scope, period=PERIOD)
    before_rows = fact_rows(scope=scope, period=PERIOD.previous())
    now, before = segments_of_rows(now_rows, kpi, by), segments_of_rows(before_rows, kpi, by)
    for expected, period in ((now, PERIOD), (before, PERIOD.previous())):
        got = analysis._segments(facts_in(scope=scope, period=period), kpi, by)
        assert set(got) == set(expected)
        for key, (weight, rate, members) in expected.items():
            assert got[key][0] == weight and got[key][1] == pytest.approx(rate, rel=1e-12)
            assert got[key][2] == len(members)
            picked = set(facts_in(scope=scope, period=period).filter(got[key][3]).values_list("ticket_id", flat=True))
            assert picked == {r["ticket_id"] for r in members}

    result = explain_change(scope=scope, period=PERIOD, kpi=kpi, by=by)
    assert result is not None
    names = analysis._segment_names(by, set(now) | set(before))
    label = {k: str(names.get(k, k if k not in (None, "") else "—")) for k in set(now) | set(before)}
    reference = decompose_change(before={label[k]: (w, r) for k, (w, r, _) in before.items()},
                                 after={label[k]: (w, r) for k, (w, r, _) in now.items()},
                                 unit={"fraction": None, "minutes": "min"}.get(_EXPLAINED[kpi][0], "s"))
    for name in ("before", "after", "mix", "rate"):
        assert result[name] == pytest.approx(getattr(reference, name), rel=1e-12, abs=1e-12)
    members = {label[k]: m for k, (_, _, m) in now.items()}
    assert [s["name"] for s in result["segments"]] == [s.segment for s in reference.segments]
    for s in result["segments"]:
        expected_link = tickets_link(members[s["name"]], scope=scope, period=PERIOD) if s["name"] in members else ""
        assert s["link"] == expected_link


def test_a_big_segment_links_by_the_lists_filters(varied: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    from frontline.metrics import dashboard

    monkeypatch.setattr(dashboard, "MAX_LINK_IDS", 3)
    scope = Scope(team_ids=None)
    result = explain_change(scope=scope, period=PERIOD, kpi="reopen_rate", by="channel")
    assert result is not None
    assert all("ids=" not in s["link"] and "created_from=2026-03-09" in s["link"] for s in result["segments"])


def outliers_of_rows(rows: Sequence[dict]) -> list[dict]:
    """The rows-based outliers (the reference), without links."""
    by_agent: dict[int, list[dict]] = defaultdict(list)
    for r in rows:
        if r["agent_id"] is not None:
            by_agent[r["agent_id"]].append(r)
    reopen = flag_rate_outliers(per_agent={str(a): kpi_parts(m, "reopen_rate") for a, m in by_agent.items()},  # type: ignore[misc]
                                label="reopen rate", higher_is_worse=True)
    handle = flag_duration_outliers(
        per_agent={str(a): [float(r["handle_seconds"]) / 60 for r in m if r["handle_seconds"]]
                   for a, m in by_agent.items()},
        label="handle time", unit="min", higher_is_worse=True)
    return [{"agent_id": int(a.agent), "measure": report.measure, "reason": a.reason, "members": by_agent[int(a.agent)]}
            for report in (reopen, handle) for a in report.flagged]


@pytest.mark.parametrize("team", [None, "billing", "tech"])
def test_outliers_equal_the_rows_based_ones(varied: dict, team: str | None) -> None:
    scope = Scope(team_ids=None if team is None else frozenset({varied[team].pk}))
    expected = outliers_of_rows(fact_rows(scope=scope, period=PERIOD))
    got = outliers_for(scope=scope, period=PERIOD)
    if team in (None, "billing"):
        assert any(o["agent_id"] == varied["agents"][2].pk for o in got)  # "slow" is found
    key = lambda o: (o["measure"], o["agent_id"])  # noqa: E731
    assert [(o["agent_id"], o["measure"], o["reason"]) for o in sorted(got, key=key)] == \
        [(o["agent_id"], o["measure"], o["reason"]) for o in sorted(expected, key=key)]
    links = {key(o): tickets_link(o["members"], scope=scope, period=PERIOD) for o in expected}
    assert all(o["link"] == links[key(o)] for o in got)
