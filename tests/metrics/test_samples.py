"""The dashboard's fast path (metrics/samples.py: SQL counts, packed per-hour rollups, sorted durations)
equals the slow engine path (every fact row read and summarised by the engine) to the last bit, on
fixtures with the edge cases: reopened, merged, notes only, customer-only replies, escalated,
surveys changed, a DST change, a viewer's zone per day, a zone whose offset is not whole hours, a
running period cut at "now"; and the packed rollup kept incrementally equals a rebuild from events."""

from __future__ import annotations

import importlib
import zoneinfo
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest

from frontline.desk import services
from frontline.desk.models import StatusCategory
from frontline.engine.kpis import distribution, distribution_of_sorted
from frontline.engine.kpis.compare import (
    compare_counts,
    compare_means,
    compare_medians,
    compare_nps,
    compare_rates,
)
from frontline.metrics import compare
from frontline.metrics.dashboard import COMPARED, card_values, dashboard_data
from frontline.metrics.models import TeamHourSample, TicketFact
from frontline.metrics.periods import Period, period_of
from frontline.metrics.samples import (
    SAMPLE_COLUMNS,
    Ranked,
    kpis_of_sample,
    sample_of_rows,
    slice_samples,
    team_hour_sample,
)
from frontline.metrics.selectors import Scope, fact_rows, kpi_parts, kpi_value, kpis_of_rows
from frontline.metrics.services import metrics_rebuild, metrics_refresh_dirty
from frontline.people.models import User
from tests import factories as f
from tests.metrics.test_facts import history  # noqa: F401 - the fixture

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # ~35 s of a worker: started first (tests/conftest.py)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


def as_row(r: TeamHourSample) -> tuple:
    return (r.hour, r.team_id, r.tickets, r.solved, r.ever_solved, r.reopened, r.one_touch, r.reassigned, r.replied,
            r.escalated, r.agent_replies_solved, *(bytes(getattr(r, name)) for name in (
                "first_reply", "resolution", "first_reply_business", "resolution_business", "handle", "csat", "ces",
                "nps")))


def snapshot_rollup() -> list[tuple]:
    return sorted((as_row(r) for r in TeamHourSample.objects.all()), key=repr)


@pytest.fixture
def dst() -> dict:
    """Tickets around the spring DST change in Berlin (2026-03-29, 02:00 -> 03:00 local = 01:00 UTC), in two
    teams and none, created at minutes past the hour (so a +05:30 zone cuts hours), solved, reopened,
    answered, surveyed; and the week before it."""
    billing, tech = f.team(name="Billing"), f.team(name="Tech")
    ann, tia = f.agent(teams=[billing], username="ann"), f.agent(teams=[tech], username="tia")
    solved, pending = f.status(StatusCategory.SOLVED), f.status(StatusCategory.PENDING)
    start = datetime(2026, 3, 28, 21, 10, tzinfo=UTC)
    for i in range(36):
        at = start + timedelta(minutes=47 * i)
        team, agent = (billing, ann) if i % 3 else (tech, tia)
        t = f.ticket(team=None if i % 7 == 0 else team, assignee=agent, channel=("email", "chat", "web")[i % 3],
                     at=at, notify=False, tags=["refund"] if i % 4 == 0 else [])
        if i % 5 != 4:  # some never answered
            services.ticket_reply(ticket=t, author=agent, body="On it.", at=at + timedelta(minutes=7 + i),
                                  notify=False, handle_seconds=60 * (i % 4) or None)
        if i % 2 == 0:
            services.ticket_status_change(ticket=t, status=solved, actor=agent, at=at + timedelta(minutes=90 + 3 * i))
            if i % 6 == 0:  # reopened by the customer, solved again
                services.ticket_reply(ticket=t, author=None, body="No.", at=at + timedelta(minutes=200), notify=False)
                services.ticket_status_change(ticket=t, status=solved, actor=agent, at=at + timedelta(minutes=260))
        elif i % 3 == 0:
            services.ticket_status_change(ticket=t, status=pending, actor=agent, at=at + timedelta(minutes=30))
        if i % 4 == 1:
            services.ticket_reply(ticket=t, author=agent, body="A note.", public=False, at=at + timedelta(minutes=3),
                                  notify=False)
    for i in range(10):  # the week before, for the comparisons
        at = start - timedelta(days=7, minutes=-53 * i)
        t = f.ticket(team=billing if i % 2 else tech, assignee=ann if i % 2 else tia, channel="email", at=at,
                     notify=False)
        services.ticket_reply(ticket=t, author=ann if i % 2 else tia, body="Hi.", at=at + timedelta(minutes=11 * i + 1),
                              notify=False, handle_seconds=120)
        if i % 3:
            services.ticket_status_change(ticket=t, status=solved, actor=ann, at=at + timedelta(minutes=100 + i))
    metrics_refresh_dirty()
    return {"billing": billing, "tech": tech, "ann": ann, "boss": f.manager(username="boss")}


def reference_change(key: str, test: str, now: list[dict], before: list[dict], hours: tuple[float, float]):  # type: ignore[no-untyped-def]
    """The comparison as it was computed from rows before the fast path (lists into the engine's tests)."""
    kpi = compare._KPI_OF[key]
    value_now, value_before = kpi_value(now, kpi), kpi_value(before, kpi)
    delta = None if value_now is None or value_before is None else value_now - value_before
    if test == "rate":
        (k2, n2), (k1, n1) = kpi_parts(now, kpi), kpi_parts(before, kpi)
        if not n1 or not n2:
            return (value_before, delta, None)
        result = compare_rates(k1, n1, k2, n2)
    elif test == "count":
        (c2, _), (c1, _) = kpi_parts(now, kpi), kpi_parts(before, kpi)
        result = compare_counts(c1, c2, exposure1=hours[0], exposure2=hours[1])
    elif test == "nps":
        result = compare_nps([int(x) for x in kpi_parts(before, kpi)], [int(x) for x in kpi_parts(now, kpi)])
    else:
        test_of = compare_medians if test == "median" else compare_means
        result = test_of(kpi_parts(before, kpi), kpi_parts(now, kpi), unit=compare._UNITS.get(kpi, ""))
    tested = result.p_value is not None
    return (value_before, delta, result.significant if tested else None, result.ci_low, result.ci_high,
            result.p_value, result.reading)


def as_tuple(change):  # type: ignore[no-untyped-def]
    if change.significant is None and change.p_value is None and not change.reading:
        return (change.before, change.delta, None)
    return (change.before, change.delta, change.significant, change.low, change.high, change.p_value, change.reading)


def reference_daily(scope: Scope, period: Period) -> list[dict]:
    everything = Period("custom", date(2000, 1, 1), date(2100, 1, 1), UTC)
    rows = fact_rows(scope=scope, period=everything, columns=("ticket_id", "created_at", "solved_at"))
    created, solved = defaultdict(int), defaultdict(int)
    for r in rows:
        if period.start <= r["created_at"] < period.end:
            created[r["created_at"].astimezone(period.zone).date()] += 1
        if r["solved_at"] is not None and period.start <= r["solved_at"] < period.end:
            solved[r["solved_at"].astimezone(period.zone).date()] += 1
    backlog = sum(1 for r in rows if r["created_at"] < period.start
                  and not (r["solved_at"] is not None and r["solved_at"] < period.start))
    out = []
    for i in range(period.days):
        day = period.first + timedelta(days=i)
        backlog += created[day] - solved[day]
        out.append({"day": day.isoformat(), "created": created[day], "solved": solved[day], "backlog": backlog})
    return out


def reference_heatmap(scope: Scope, period: Period) -> list[dict]:
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for r in fact_rows(scope=scope, period=period, columns=("ticket_id", "created_at")):
        local = r["created_at"].astimezone(period.zone)
        counts[(local.weekday(), local.hour)] += 1
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return [{"weekday": names[d], "hour": h, "tickets": counts[(d, h)]} for d in range(7) for h in range(24)]


def assert_dashboard_is_the_engines(viewer: User, scope: Scope, period: Period, now: datetime) -> dict:
    data = dashboard_data(viewer=viewer, scope=scope, period=period, now=now)
    rows = fact_rows(scope=scope, period=period)
    slow = kpis_of_rows(rows)
    assert data["kpis"].report == slow.report
    assert card_values(data["kpis"]) == card_values(slow)
    elapsed = min(max(now, period.start), period.end) - period.start
    to_date = now < period.end
    cards = {c.key: c for c in [*data["cards"], *data["surveys"]]}
    for other, attr in ((period.previous(), "previous"), (period.year_before(), "last_year")):
        until = other.start + elapsed if to_date else None
        before = fact_rows(scope=scope, period=other, until=until)
        hours = (((until or other.end) - other.start).total_seconds() / 3600, elapsed.total_seconds() / 3600)
        for key, test in COMPARED.items():
            if key in cards and getattr(cards[key], attr) is not None:
                assert as_tuple(getattr(cards[key], attr)) == reference_change(key, test, rows, before, hours), key
    for row in data["table"]:
        by = "team_id" if data["table_kind"] == "team" else "agent_id"
        assert row["values"] == card_values(kpis_of_rows([r for r in rows if r[by] == row["key"]])), row["name"]
    assert sum(row["kpis"].report.tickets for row in data["table"]) == (len(rows) if data["table"] else 0)
    assert data["daily"] == reference_daily(scope, period)
    assert data["heatmap"] == reference_heatmap(scope, period)
    return data


@pytest.mark.parametrize("zone", [UTC, BERLIN, KOLKATA])
def test_the_dashboard_over_a_dst_change_is_the_engines_in_the_viewers_zone(dst, zone):
    week = period_of("week", date(2026, 3, 23), zone)  # Mon 23 - Sun 29 March: the change is on Sunday
    data = assert_dashboard_is_the_engines(dst["boss"], Scope(team_ids=None), week, now=datetime(2026, 4, 5, tzinfo=UTC))
    assert data["kpis"].report.tickets > 10 and data["table_kind"] == "team"


@pytest.mark.parametrize("zone", [UTC, BERLIN, KOLKATA])
def test_a_running_period_cut_at_now_is_the_engines(dst, zone):
    day = period_of("day", date(2026, 3, 29), zone)
    assert_dashboard_is_the_engines(dst["boss"], Scope(team_ids=None), day,
                                    now=datetime(2026, 3, 29, 9, 23, 17, tzinfo=UTC))


def test_each_kind_of_scope_is_the_engines(dst):
    week = period_of("week", date(2026, 3, 23), BERLIN)
    now = datetime(2026, 4, 5, tzinfo=UTC)
    one_team = frozenset({dst["billing"].pk})
    for scope in (Scope(team_ids=one_team), Scope(team_ids=frozenset({dst["billing"].pk, dst["tech"].pk})),
                  Scope(team_ids=None, agent_id=dst["ann"].pk), Scope(team_ids=None, channel="chat"),
                  Scope(team_ids=None, tag="refund"), Scope(team_ids=one_team, tier="standard")):
        assert_dashboard_is_the_engines(dst["boss"], scope, week, now=now)


def test_the_sample_of_a_slice_is_its_rows_sample(history):  # noqa: F811
    week = Period("week", date(2026, 3, 2), date(2026, 3, 8), UTC)
    for scope in (Scope(team_ids=None), Scope(team_ids=frozenset({history["team"].pk}))):
        sample = slice_samples(scope=scope, start=week.start, end=week.end)[None]
        rows = fact_rows(scope=scope, period=week)
        assert sample.same_as(sample_of_rows(rows))
        fast, slow = kpis_of_sample(sample), kpis_of_rows(rows)
        assert (fast.report, fast.first_reply_business_minutes, fast.resolution_business_minutes,
                fast.handle_time_mean_s, fast.handled, fast.escalated, fast.escalation_rate) == (
            slow.report, slow.first_reply_business_minutes, slow.resolution_business_minutes,
            slow.handle_time_mean_s, slow.handled, slow.escalated, slow.escalation_rate)


def test_the_packed_rollup_kept_by_the_hook_equals_a_rebuild_from_events(dst):
    kept = snapshot_rollup()
    assert sum(r[2] for r in kept) == 46
    metrics_rebuild()
    assert snapshot_rollup() == kept


def test_the_stored_rollup_is_the_packing_of_its_facts(dst):
    # on PostgreSQL the database packs the rollup (samples.team_hours_sql): the same bytes as Python's packing
    stored = list(TeamHourSample.objects.all())
    assert len(stored) > 20
    for r in stored:
        rows = list(TicketFact.objects.filter(hour=r.hour, team_id=r.team_id).order_by("ticket_id")
                    .values(*SAMPLE_COLUMNS))
        assert as_row(r) == as_row(team_hour_sample(hour=r.hour, team_id=r.team_id, rows=rows))


def test_the_rollup_follows_a_reopen_and_a_team_change(dst):
    ticket = f.ticket(team=dst["billing"], assignee=dst["ann"], channel="web",
                      at=datetime(2026, 3, 25, 10, 5, tzinfo=UTC), notify=False)
    services.ticket_status_change(ticket=ticket, status=f.status(StatusCategory.SOLVED), actor=dst["ann"],
                                  at=datetime(2026, 3, 25, 11, tzinfo=UTC))
    metrics_refresh_dirty()
    services.ticket_team_change(ticket=ticket, team=dst["tech"], actor=dst["ann"],
                                at=datetime(2026, 3, 25, 11, 30, tzinfo=UTC))
    services.ticket_reply(ticket=ticket, author=None, body="Not fixed.", at=datetime(2026, 3, 25, 12, tzinfo=UTC),
                          notify=False)
    metrics_refresh_dirty()
    kept = snapshot_rollup()
    metrics_rebuild()
    assert snapshot_rollup() == kept


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 1000, 12345])
def test_ranked_values_read_at_any_ranks_are_the_sorted_ones(n):
    rng = np.random.default_rng(n)
    values = rng.lognormal(3, 1, n).round(int(rng.integers(0, 3)))  # ties too
    ranked, ordered = Ranked(values), np.sort(values)
    ranks = [int(k) for k in rng.permutation(n)[:25]] + [0, n - 1, n // 2]
    assert [ranked[k] for k in ranks] == [float(ordered[k]) for k in ranks]
    assert distribution_of_sorted(Ranked(values)) == distribution(values=values.tolist())
    assert list(ranked) == ordered.tolist()


def test_the_upgrade_migration_fills_the_samples_of_facts_already_there(dst):
    # an installation upgrading to 0003 has facts but no samples: 0004 packs them as a rebuild would
    from django.apps import apps as django_apps
    from django.db import connection

    fill = importlib.import_module("frontline.metrics.migrations.0004_fill_team_hour_sample").fill
    kept = snapshot_rollup()
    TeamHourSample.objects.all().delete()
    fill(django_apps, connection.schema_editor())
    assert snapshot_rollup() == kept


def test_the_baselines_skip_only_durations_no_comparison_reads():
    from frontline.metrics.dashboard import BASELINE_UNREAD, COMPARED
    from frontline.metrics.samples import DURATIONS

    assert set(DURATIONS) >= BASELINE_UNREAD
    assert not [k for k in COMPARED if "business" in k]  # what the baselines leave unread, no comparison reads
