"""Reads of the metrics, scoped to what the viewer may see. Nothing here writes.

Who sees what (tests/metrics/test_permissions.py):
- managers and admins: every ticket's numbers, any team or agent;
- team leads: the teams they lead (and their sub-teams) or belong to, and the agents of those
  teams — always restricted to those teams' tickets;
- agents: their own numbers (tickets assigned to them) and their teams' aggregate, nobody else's.
A team or agent outside that is reported as missing (404), as the desk does for tickets.

A slice is the tickets **created** in a period (in the viewer's zone) that match the filters; every
KPI of the catalogue is computed over that cohort with :func:`frontline.engine.kpis.summarize`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncDate
from django.http import Http404

from frontline.engine.kpis import (
    Distribution,
    KpiReport,
    TicketFacts,
    distribution,
    summarize,
)
from frontline.people.models import STAFF_ROLES, Role, Team, User
from frontline.people.selectors import team_ids_for_viewer
from frontline.sla.models import ClockState, SLAClock

from .models import HourlyRollup, TeamHourSample, TicketFact
from .periods import Period
from .pg import binary_rows, in_list

FACT_COLUMNS = (
    "ticket_id", "created_at", "team_id", "agent_id", "channel", "queue_id", "priority", "tier", "category",
    "first_reply_at", "solved_at", "ever_solved", "reopens", "agent_replies", "assignee_count", "csat", "ces", "nps",
    "solved", "one_touch", "reassigned", "first_reply_minutes", "resolution_minutes",
    "first_reply_business_minutes", "resolution_business_minutes", "handle_seconds", "escalated",
)


@dataclass(frozen=True)
class Scope:
    """Which tickets: ``team_ids`` None means every ticket (managers only); the rest are filters."""

    team_ids: frozenset[int] | None
    agent_id: int | None = None
    channel: str = ""
    queue_id: int | None = None
    priority: str = ""
    tier: str = ""
    tag: str = ""

    @property
    def only_teams(self) -> bool:
        """No filter but the teams: the per-team rollups (TeamHourSample) can answer."""
        return not (self.agent_id is not None or self.channel or self.queue_id is not None or self.priority
                    or self.tier or self.tag)

    def q(self) -> Q:
        q = Q()
        if self.team_ids is not None:
            q &= Q(team_id__in=sorted(self.team_ids))
        if self.agent_id is not None:
            q &= Q(agent_id=self.agent_id)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.queue_id is not None:
            q &= Q(queue_id=self.queue_id)
        if self.priority:
            q &= Q(priority=self.priority)
        if self.tier:
            q &= Q(tier=self.tier)
        if self.tag:
            q &= Q(ticket__tags__name=self.tag)
        return q


def metrics_teams_for_viewer(*, viewer: User) -> QuerySet[Team]:
    """The teams whose numbers ``viewer`` may read."""
    if getattr(viewer, "role", None) not in STAFF_ROLES:
        return Team.objects.none()
    ids = team_ids_for_viewer(viewer=viewer)
    return Team.objects.all() if ids is None else Team.objects.filter(pk__in=ids)


def metrics_agents_for_viewer(*, viewer: User) -> QuerySet[User]:
    """The agents whose own numbers ``viewer`` may read (an agent: only themselves)."""
    staff = User.objects.filter(role__in=STAFF_ROLES)
    if getattr(viewer, "role", None) not in STAFF_ROLES:
        return staff.none()
    if viewer.role == Role.AGENT:
        return staff.filter(pk=viewer.pk)
    ids = team_ids_for_viewer(viewer=viewer)
    if ids is None:
        return staff
    return staff.filter(Q(teams__in=ids) | Q(pk=viewer.pk)).distinct()


def scope_for_viewer(*, viewer: User, team_id: int | None = None, agent_id: int | None = None, **filters: object) -> Scope:
    """The scope ``viewer`` asked for, within what they may see; Http404 for a team or agent they may not read.

    Without a team or agent: a manager gets the department, a lead their teams, an agent their own numbers.
    """
    if getattr(viewer, "role", None) not in STAFF_ROLES or not viewer.is_active:
        raise Http404("No such metrics.")
    visible = team_ids_for_viewer(viewer=viewer)
    if team_id is not None and visible is not None and team_id not in visible:
        raise Http404("No such team.")
    if team_id is not None and not Team.objects.filter(pk=team_id).exists():
        raise Http404("No such team.")
    if agent_id is not None and not metrics_agents_for_viewer(viewer=viewer).filter(pk=agent_id).exists():
        raise Http404("No such agent.")
    if viewer.role == Role.AGENT and team_id is None and agent_id is None:
        agent_id = viewer.pk
    teams = frozenset({team_id}) if team_id is not None else (None if visible is None else frozenset(visible))
    return Scope(team_ids=teams, agent_id=agent_id, **filters)  # type: ignore[arg-type]


def facts_in(*, scope: Scope, period: Period, until: datetime | None = None) -> QuerySet[TicketFact]:
    """The fact rows of the tickets created in ``period`` (or from its start to ``until``) within ``scope``."""
    end = period.end if until is None else min(until, period.end)
    facts = TicketFact.objects.filter(scope.q(), created_at__gte=period.start, created_at__lt=end)
    return facts.distinct() if scope.tag else facts


# What a comparison reads of a row (selectors.kpi_parts): no timestamps, which are the slow columns to convert.
COMPARE_COLUMNS = (
    "ticket_id", "solved", "ever_solved", "reopens", "one_touch", "reassigned", "escalated", "handle_seconds",
    "first_reply_minutes", "resolution_minutes", "csat", "ces", "nps",
)


def facts_of(*, facts: QuerySet[TicketFact]) -> QuerySet[TicketFact]:
    """``facts`` without the duplicates a tag join could make (a subquery on the key)."""
    return TicketFact.objects.filter(pk__in=facts.values("pk")) if facts.query.distinct else facts


def fact_rows(*, scope: Scope, period: Period, until: datetime | None = None,
              columns: Sequence[str] = FACT_COLUMNS) -> list[dict]:
    return list(facts_in(scope=scope, period=period, until=until).order_by("created_at", "ticket_id")
                .values(*columns))


@dataclass(frozen=True)
class SliceKpis:
    """The catalogue over one slice, and the pieces period comparisons and decompositions need."""

    report: KpiReport
    first_reply_business_minutes: Distribution
    resolution_business_minutes: Distribution
    handle_time_mean_s: float | None
    handled: int
    escalated: int
    escalation_rate: float | None
    sla: dict[str, tuple[int, int]]  # target kind -> (met, met + breached)
    rows: list[dict] | None = field(default=None, repr=False)  # the fact rows, when read (kpis_of_rows)
    sample: object | None = field(default=None, repr=False)  # the samples.Sample the numbers were computed from

    @property
    def sla_attainment(self) -> dict[str, float | None]:
        return {kind: (met / total if total else None) for kind, (met, total) in self.sla.items()}


def kpis_of_rows(rows: Sequence[dict], *, sla: dict[str, tuple[int, int]] | None = None) -> SliceKpis:
    """The catalogue over fact rows: the engine's :func:`summarize` plus the app-level KPIs."""
    report = summarize(facts=[engine_facts_of(r) for r in rows])
    handled = [r["handle_seconds"] for r in rows if r["handle_seconds"]]
    escalated = sum(1 for r in rows if r["escalated"])
    return SliceKpis(
        report=report,
        first_reply_business_minutes=distribution(
            values=[r["first_reply_business_minutes"] for r in rows if r["first_reply_business_minutes"] is not None]),
        resolution_business_minutes=distribution(
            values=[r["resolution_business_minutes"] for r in rows
                    if r["resolution_business_minutes"] is not None and r["solved"]]),
        handle_time_mean_s=sum(handled) / len(handled) if handled else None,
        handled=len(handled),
        escalated=escalated,
        escalation_rate=escalated / len(rows) if rows else None,
        sla=sla or {},
        rows=list(rows),
    )


def slice_kpis(*, scope: Scope, period: Period) -> SliceKpis:
    rows = fact_rows(scope=scope, period=period)
    return kpis_of_rows(rows, sla=sla_attainment_counts(scope=scope, period=period))


def sla_attainment_counts(*, scope: Scope, period: Period) -> dict[str, tuple[int, int]]:
    """Per SLA target kind: clocks met, and clocks met or breached, on the slice's tickets (frontline.sla)."""
    tickets = facts_in(scope=scope, period=period).values("ticket_id")
    counts = (
        SLAClock.objects.filter(ticket_id__in=tickets, state__in=[ClockState.MET, ClockState.BREACHED],
                                application__superseded_at__isnull=True)
        .values("kind").order_by("kind")
        .annotate(met=Count("pk", filter=Q(state=ClockState.MET)), total=Count("pk"))
    )
    return {c["kind"]: (c["met"], c["total"]) for c in counts}


def engine_facts_of(row: dict) -> TicketFacts:
    """A stored fact row back as the engine's :class:`TicketFacts` (to summarise with the engine).

    Only the number of distinct assignees is stored; the engine reads nothing else of them.
    """
    get = row.get
    return TicketFacts(
        ticket=str(get("ticket_id")), channel=get("channel"), created_at=get("created_at"), category=get("category"),
        first_reply_at=get("first_reply_at"), solved_at=get("solved_at"), ever_solved=get("ever_solved"),
        reopens=get("reopens"), agent_replies=get("agent_replies"),
        assignees=frozenset(str(i) for i in range(get("assignee_count"))),
        csat=get("csat"), ces=get("ces"), nps=get("nps"),
    )



# --- values of one KPI, and the pieces a comparison needs ---------------------------------------------------------

# kind: "rate" (successes of trials), "median" (of values), "mean" (of values), "count"
KPI_KINDS: dict[str, str] = {
    "first_reply_median": "median", "resolution_median": "median", "one_touch_rate": "rate",
    "reopen_rate": "rate", "reassignment_rate": "rate", "escalation_rate": "rate", "handle_time_mean": "mean",
    "csat": "rate", "nps": "nps", "ces": "mean", "solved": "count", "tickets": "count",
}


def kpi_parts(rows: Sequence[dict], kpi: str) -> tuple[int, int] | list[float]:
    """For a rate: (successes, trials); for a median or mean: the values; for a count: (count, count)."""
    solved = [r for r in rows if r["solved"]]
    if kpi == "first_reply_median":
        return [r["first_reply_minutes"] for r in rows if r["first_reply_minutes"] is not None]
    if kpi == "resolution_median":
        return [r["resolution_minutes"] for r in solved if r["resolution_minutes"] is not None]
    if kpi == "handle_time_mean":
        return [float(r["handle_seconds"]) for r in rows if r["handle_seconds"]]
    if kpi == "one_touch_rate":
        return sum(1 for r in solved if r["one_touch"]), len(solved)
    if kpi == "reopen_rate":
        ever = [r for r in rows if r["ever_solved"]]
        return sum(1 for r in ever if r["reopens"] > 0), len(ever)
    if kpi == "reassignment_rate":
        return sum(1 for r in rows if r["reassigned"]), len(rows)
    if kpi == "escalation_rate":
        return sum(1 for r in rows if r["escalated"]), len(rows)
    if kpi == "csat":
        answered = [r["csat"] for r in rows if r["csat"] is not None]
        return sum(1 for s in answered if s >= 4), len(answered)
    if kpi == "nps":
        return [float(r["nps"]) for r in rows if r["nps"] is not None]
    if kpi == "ces":
        return [float(r["ces"]) for r in rows if r["ces"] is not None]
    if kpi == "solved":
        return len(solved), len(solved)
    if kpi == "tickets":
        return len(rows), len(rows)
    raise ValueError(f"kpi: unknown KPI {kpi!r}")


# The same definitions as kpi_parts, for SQL (tests/metrics/test_analysis_sql.py proves they agree):
# kpi -> (which rows count (trials, or rows with a value), the success among them (a rate) or None, the value (a mean))
_PARTS_Q: dict[str, tuple[Q, Q | None, str | None]] = {
    "first_reply_median": (Q(first_reply_minutes__isnull=False), None, "first_reply_minutes"),
    "resolution_median": (Q(solved=True, resolution_minutes__isnull=False), None, "resolution_minutes"),
    "handle_time_mean": (Q(handle_seconds__gt=0), None, "handle_seconds"),
    "one_touch_rate": (Q(solved=True), Q(solved=True, one_touch=True), None),
    "reopen_rate": (Q(ever_solved=True), Q(ever_solved=True, reopens__gt=0), None),
    "reassignment_rate": (Q(), Q(reassigned=True), None),
    "escalation_rate": (Q(), Q(escalated=True), None),
    "csat": (Q(csat__isnull=False), Q(csat__gte=4), None),
    "nps": (Q(nps__isnull=False), None, "nps"),
    "ces": (Q(ces__isnull=False), None, "ces"),
}


def kpi_parts_q(kpi: str) -> tuple[Q, Q | None, str | None]:
    """:func:`kpi_parts` as SQL: (the rows that count, the successes among them or None, the value column or None).

    A rate's parts are (Count of successes, Count of the rows); a median's or mean's values are the
    column over the rows (a median is explained through their mean: Sum / Count)."""
    if kpi not in _PARTS_Q:
        raise ValueError(f"kpi: no SQL parts for {kpi!r}")
    return _PARTS_Q[kpi]


def kpi_aggregates(kpi: str) -> dict[str, Any]:
    """Aggregates giving a KPI's parts per group: ``n`` (trials or values) and ``s`` (successes, or the values' sum)."""
    rows_q, success_q, value = kpi_parts_q(kpi)
    n = Count("pk", filter=rows_q) if rows_q else Count("pk")
    if success_q is not None:
        return {"n": n, "s": Count("pk", filter=success_q)}
    return {"n": n, "s": Sum(value, filter=rows_q) if rows_q else Sum(value)}


def kpi_value(rows: Sequence[dict], kpi: str) -> float | None:
    """One KPI's value over fact rows (rates as fractions, times in minutes, handle time in seconds, NPS -100..100)."""
    parts = kpi_parts(rows, kpi)
    kind = KPI_KINDS[kpi]
    if kind == "count":
        assert isinstance(parts, tuple)
        return float(parts[0])
    if kind == "rate":
        assert isinstance(parts, tuple)
        return parts[0] / parts[1] if parts[1] else None
    assert isinstance(parts, list)
    if not parts:
        return None
    if kind == "median":
        return distribution(values=parts).median
    if kind == "nps":
        return 100 * (sum(1 for s in parts if s >= 9) - sum(1 for s in parts if s <= 6)) / len(parts)
    return sum(parts) / len(parts)


# --- trends, heatmap, breakdowns -------------------------------------------------------------------------------


# ``hours`` of daily_volume / weekday_hour_volume: the created_per_hour read once by a caller that shows both
_READ: Any = object()


def daily_volume(*, scope: Scope, period: Period, hours: dict[datetime, int] | None = _READ,
                 solves: tuple[dict[date, int], int] | None = None) -> list[dict]:
    """Per local day of ``period``: tickets created, tickets solved (by their last solve) and the backlog at day end.

    Backlog at the end of a day: tickets created before it whose last solve is not before it (a
    ticket reopened and solved again counts as open from creation to its last solve). Days are
    counted by the database in the period's zone (``AT TIME ZONE`` on PostgreSQL). ``hours``
    (:func:`created_per_hour`) and ``solves`` (:func:`solves_per_day`): the reads, when the caller made them.
    """
    days = [period.first + timedelta(days=i) for i in range(period.days)]
    if hours is _READ:
        hours = created_per_hour(scope=scope, period=period)
    if hours is None:
        created = _per_day(scope=scope, period=period, column="created_at")
    else:
        created = defaultdict(int)
        for hour, n in hours.items():
            created[hour.astimezone(period.zone).date()] += n
    solved, open_before = solves if solves is not None else solves_per_day(scope=scope, period=period)
    # tickets created before the period and solved in it leave the backlog on their solve day
    backlog, out = open_before, []
    for day in days:
        backlog += created.get(day, 0) - solved.get(day, 0)
        out.append({"day": day.isoformat(), "created": created.get(day, 0), "solved": solved.get(day, 0),
                    "backlog": backlog})
    return out


def _facts_of_scope(scope: Scope) -> QuerySet[TicketFact]:
    return facts_of(facts=TicketFact.objects.filter(scope.q()).distinct() if scope.tag
                    else TicketFact.objects.filter(scope.q())).order_by()


def _per_day(*, scope: Scope, period: Period, column: str) -> dict[date, int]:
    """Tickets per local day of ``period`` by ``column`` (``created_at``, ``solved_at``), counted by the database."""
    rows = (_facts_of_scope(scope).filter(**{f"{column}__gte": period.start, f"{column}__lt": period.end})
            .annotate(day=TruncDate(column, tzinfo=period.zone)).values("day").annotate(n=Count("*")))
    return {r["day"]: r["n"] for r in rows}


def solves_per_day(*, scope: Scope, period: Period) -> tuple[dict[date, int], int]:
    """The tickets of ``scope`` last solved per local day of ``period``, and those open at its start (created
    before it, and not solved now or last solved since): what :func:`daily_volume` reads besides the created."""
    base = _facts_of_scope(scope)
    # two counts on the (solved_at, created_at) index, not one scan of everything created before the period
    open_before = (base.filter(solved_at__isnull=True, created_at__lt=period.start).count()
                   + base.filter(solved_at__gte=period.start, created_at__lt=period.start).count())
    return _solved_per_day(scope=scope, period=period), open_before


def _solved_per_day(*, scope: Scope, period: Period) -> dict[date, int]:
    """:func:`_per_day` of ``solved_at``. For every ticket (a manager's department) on PostgreSQL, where each
    local day is one stretch of time: one count of the ``(solved_at, created_at)`` index per day between its
    first instants, instead of converting each solve to its local date (at 1,000,000 tickets, 114,000 solves
    in 90 days: ~20-60 ms instead of ~60-135 ms, loaded). With a filter the index alone cannot say, and the
    per-day counts would each read the rows (10x slower): those count by local date as before."""
    starts = local_day_starts(period)
    if connection.vendor != "postgresql" or scope != Scope(team_ids=None) or starts is None:
        return _per_day(scope=scope, period=period, column="solved_at")
    qn = connection.ops.quote_name
    sql = (f"SELECT (SELECT COUNT(*) FROM {qn(TicketFact._meta.db_table)} WHERE {qn('solved_at')} >= d.lo "
           f"AND {qn('solved_at')} < d.hi) FROM unnest(%s::timestamptz[], %s::timestamptz[]) "
           "WITH ORDINALITY AS d(lo, hi, i) ORDER BY d.i")
    with connection.cursor() as cursor:
        cursor.execute(sql, [starts[:-1], starts[1:]])
        counts = [n for (n,) in cursor.fetchall()]
    return {period.first + timedelta(days=i): n for i, n in enumerate(counts) if n}


def local_day_starts(period: Period) -> list[datetime] | None:
    """The first instant of each local day of ``period`` (the first day's: the period's start), and the period's
    end; None where a day is not one stretch of time (clocks set back across midnight: then some instants after
    a day's first one belong to the day before)."""
    zone = period.zone
    starts = [period.start, *(datetime.combine(period.first + timedelta(days=i), time.min, tzinfo=zone).astimezone(UTC)
                              for i in range(1, period.days)), period.end]
    for i, (lo, hi) in enumerate(itertools.pairwise(starts)):
        day = period.first + timedelta(days=i)
        if lo.astimezone(zone).date() != day or (hi - timedelta(microseconds=1)).astimezone(zone).date() != day:
            return None
        if hi.astimezone(zone).utcoffset() < lo.astimezone(zone).utcoffset():  # clocks set back: look at each minute
            at = lo
            while at < hi:
                if at.astimezone(zone).date() != day:
                    return None
                at += timedelta(minutes=1)
    return starts


def weekday_hour_volume(*, scope: Scope, period: Period, hours: dict[datetime, int] | None = _READ) -> list[dict]:
    """Tickets created per (weekday, local hour) over ``period``: from the per-hour rollup when it can say,
    else counted by the database in the period's zone."""
    if hours is _READ:
        hours = created_per_hour(scope=scope, period=period)
    counts: dict[tuple[int, int], int] = defaultdict(int)
    if hours is None:
        facts = facts_of(facts=facts_in(scope=scope, period=period)).order_by()
        rows = (facts.annotate(weekday=ExtractIsoWeekDay("created_at", tzinfo=period.zone),
                               local_hour=ExtractHour("created_at", tzinfo=period.zone))
                .values("weekday", "local_hour").annotate(n=Count("pk")))
        counts.update({(r["weekday"] - 1, r["local_hour"]): r["n"] for r in rows})
    else:
        for hour, n in hours.items():
            local = hour.astimezone(period.zone)
            counts[(local.weekday(), local.hour)] += n
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    return [{"weekday": names[d], "hour": h, "tickets": counts.get((d, h), 0)} for d in range(7) for h in range(24)]


def created_per_hour(*, scope: Scope, period: Period) -> dict[datetime, int] | None:
    """Tickets created per UTC hour of ``period`` from the per-team rollup; None when it cannot say exactly:
    a filter other than teams, a period not made of whole UTC hours, or an hour that is not one local hour
    (a zone whose offset is not whole hours)."""
    start, end = period.start, period.end
    if not scope.only_teams or start.minute or start.second or end.minute or end.second:
        return None
    if connection.vendor == "postgresql":  # 2,000+ timestamps: binary format (metrics/pg.py), not Django's text loader
        where, params = "hour >= %s AND hour < %s", [start, end]
        if scope.team_ids is not None:
            teams, ids = in_list("team_id", sorted(scope.team_ids) or [None])
            where, params = f"{where} AND {teams}", [*params, *ids]
        counts = dict(binary_rows(f"SELECT hour, SUM(tickets) FROM {TeamHourSample._meta.db_table} WHERE {where} "
                                  "GROUP BY hour", params))
    else:
        rows = TeamHourSample.objects.filter(hour__gte=start, hour__lt=end)
        if scope.team_ids is not None:
            rows = rows.filter(team_id__in=sorted(scope.team_ids))
        counts = {r["hour"]: r["n"] for r in rows.order_by().values("hour").annotate(n=Sum("tickets"))}
    if any(hour.astimezone(period.zone).minute for hour in counts):
        return None
    return counts


def rollup_rows(*, scope: Scope, period: Period) -> QuerySet[HourlyRollup]:
    """The hourly rollup rows of ``scope`` (no tag) whose hour lies in ``period``."""
    if scope.tag:
        raise ValueError("scope: rollups have no tags; read facts for a tag")
    q = Q(hour__gte=period.start, hour__lt=period.end)
    if scope.team_ids is not None:
        q &= Q(team_id__in=sorted(scope.team_ids))
    if scope.agent_id is not None:
        q &= Q(agent_id=scope.agent_id)
    for name in ("channel", "priority", "tier"):
        if getattr(scope, name):
            q &= Q(**{name: getattr(scope, name)})
    if scope.queue_id is not None:
        q &= Q(queue_id=scope.queue_id)
    return HourlyRollup.objects.filter(q)


def breakdown(rows: Sequence[dict], *, by: str, names: dict | None = None) -> list[dict]:
    """The catalogue per value of one dimension of the fact rows (``team_id``, ``agent_id``, ``channel``...)."""
    groups: dict[object, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r[by]].append(r)
    out = []
    for key, members in groups.items():
        k = kpis_of_rows(members)
        out.append({"key": key, "name": (names or {}).get(key, key if key not in (None, "") else "—"), "kpis": k})
    return sorted(out, key=lambda g: (-g["kpis"].report.tickets, str(g["name"])))


def scope_with(scope: Scope, **changes: object) -> Scope:
    return replace(scope, **changes)  # type: ignore[arg-type]
