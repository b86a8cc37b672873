"""What the catalogue needs of a slice, read without fetching its rows: a :class:`Sample`.

A slice's KPIs need only counts (tickets, solved, reopened...), how many responses each survey
score got, how many tickets each handle time had, and the sorted durations (first reply,
resolution, their business-minute twins) whose order statistics give the medians, p90s and
the Price-Bonett standard errors. :func:`samples_by` reads exactly that for each team (or agent)
of a slice in **one query**: on PostgreSQL the counts are SQL aggregates and each duration column
comes back as one binary array (``array_send(array_agg(...))``) that numpy reads without a
Python object per value; on SQLite (the embedded default) the same columns are fetched as rows.
The formulas stay the engine's: :func:`frontline.engine.kpis.report_of_totals` over the sample is
what :func:`frontline.engine.kpis.summarize` computes over the facts, to the last bit
(tests/metrics/test_samples.py checks the two paths on fixtures and on a generated demo).
"""

from __future__ import annotations

import itertools
import struct
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection
from django.db.models import Aggregate, BinaryField, Count, Func, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from frontline.engine.kpis import KpiTotals, distribution_of_sorted, report_of_totals

from .models import TeamHourSample, TicketFact
from .pg import binary_rows, in_list
from .ranked import Ranked, catalogue_ranks
from .selectors import Scope, SliceKpis, facts_of

# Which rows each duration is over (as the engine's summarize and the app's kpis_of_rows take them).
DURATIONS: dict[str, tuple[str, Q]] = {
    "first_reply": ("first_reply_minutes", Q(first_reply_at__isnull=False, first_reply_minutes__isnull=False)),
    "resolution": ("resolution_minutes", Q(solved=True, resolution_minutes__isnull=False)),
    "first_reply_business": ("first_reply_business_minutes", Q(first_reply_business_minutes__isnull=False)),
    "resolution_business": ("resolution_business_minutes", Q(solved=True, resolution_business_minutes__isnull=False)),
}
# Whole-number columns kept as {value: tickets}: handle time (tickets with any), survey scores.
COUNTED: dict[str, tuple[str, Q]] = {
    "handle": ("handle_seconds", Q(handle_seconds__gt=0)),
    "csat": ("csat", Q(csat__isnull=False)),
    "ces": ("ces", Q(ces__isnull=False)),
    "nps": ("nps", Q(nps__isnull=False)),
}
# The counts, each the number of the slice's tickets matching its condition.
COUNTS: dict[str, Q] = {
    "tickets": Q(),
    "solved": Q(solved=True),
    "ever_solved": Q(ever_solved=True),
    "reopened": Q(ever_solved=True, reopens__gt=0),
    "one_touch": Q(solved=True, one_touch=True),
    "reassigned": Q(reassigned=True),
    "replied": Q(first_reply_at__isnull=False),
    "escalated": Q(escalated=True),
}
# What a row-based sample reads of a fact row.
SAMPLE_COLUMNS = (
    "solved", "ever_solved", "reopens", "one_touch", "reassigned", "first_reply_at", "escalated", "agent_replies",
    "handle_seconds", "csat", "ces", "nps", "first_reply_minutes", "resolution_minutes",
    "first_reply_business_minutes", "resolution_business_minutes",
)


@dataclass(frozen=True, eq=False)
class Sample:
    """A slice's counts, counted values and sorted durations (numpy float64 arrays, ascending)."""

    totals: KpiTotals
    escalated: int
    handle: Mapping[int, int]
    first_reply: Ranked
    resolution: Ranked
    first_reply_business: Ranked
    resolution_business: Ranked

    @property
    def tickets(self) -> int:
        return self.totals.tickets

    @property
    def handled(self) -> int:
        return sum(self.handle.values())

    def same_as(self, other: Sample) -> bool:
        """Equal counts and bit-for-bit equal durations (what the two read paths must give)."""
        return (self.totals == other.totals and self.escalated == other.escalated
                and dict(self.handle) == dict(other.handle)
                and all(np.array_equal(getattr(self, name).sorted(), getattr(other, name).sorted())
                        for name in DURATIONS))


def _sorted(values: Iterable[float]) -> Ranked:
    return Ranked(np.fromiter(values, dtype=np.float64))


def _counter(values: Iterable[object]) -> dict[int, int]:
    return dict(Counter(int(v) for v in values))  # type: ignore[call-overload]


def sample_of_rows(rows: Sequence[dict]) -> Sample:
    """The sample of fact rows (dicts with :data:`SAMPLE_COLUMNS`; missing business columns count as none)."""
    solved = [r for r in rows if r["solved"]]
    get = dict.get
    return Sample(
        totals=KpiTotals(
            tickets=len(rows), solved=len(solved), ever_solved=sum(1 for r in rows if r["ever_solved"]),
            reopened=sum(1 for r in rows if r["ever_solved"] and r["reopens"] > 0),
            one_touch=sum(1 for r in solved if r["one_touch"]), reassigned=sum(1 for r in rows if r["reassigned"]),
            replied=sum(1 for r in rows if get(r, "first_reply_at", r["first_reply_minutes"]) is not None),
            agent_replies_solved=sum(get(r, "agent_replies", 0) for r in solved),
            csat=_counter(r["csat"] for r in rows if r["csat"] is not None),
            ces=_counter(r["ces"] for r in rows if r["ces"] is not None),
            nps=_counter(r["nps"] for r in rows if r["nps"] is not None),
        ),
        escalated=sum(1 for r in rows if r["escalated"]),
        handle=_counter(r["handle_seconds"] for r in rows if r["handle_seconds"]),
        first_reply=_sorted(r["first_reply_minutes"] for r in rows
                            if get(r, "first_reply_at", r["first_reply_minutes"]) is not None
                            and r["first_reply_minutes"] is not None),
        resolution=_sorted(r["resolution_minutes"] for r in solved if r["resolution_minutes"] is not None),
        first_reply_business=_sorted(v for r in rows if (v := get(r, "first_reply_business_minutes")) is not None),
        resolution_business=_sorted(v for r in solved if (v := get(r, "resolution_business_minutes")) is not None),
    )


def placed(sample: Sample) -> Sample:
    """``sample``, each of its durations with the ranks the catalogue reads already placed (:func:`catalogue_ranks`):
    a read running beside others does the partitioning there, not in the thread that then computes the page."""
    for name in DURATIONS:
        ranked = getattr(sample, name)
        ranked.place(catalogue_ranks(len(ranked)))
    return sample


def tally(values: np.ndarray, weights: np.ndarray | None = None) -> dict[int, int]:
    """``{value: how many}`` of whole numbers (each counted ``weights[i]`` times when given), values ascending."""
    if values.size and weights is None and values.min() >= 0 and values.max() < 1 << 20:
        n = np.bincount(values)  # scores, handle seconds: small and not negative
        keys = np.flatnonzero(n)
        return dict(zip(keys.tolist(), n[keys].tolist(), strict=True))
    keys, where = np.unique(values, return_inverse=True)
    n = np.bincount(where, minlength=len(keys)) if weights is None else np.zeros(len(keys), dtype=np.int64)
    if weights is not None:
        np.add.at(n, where, weights)
    return dict(zip(keys.tolist(), n.tolist(), strict=True))


def merged(samples: Iterable[Sample]) -> Sample:
    """One sample of several disjoint ones (a department of its teams)."""
    parts = list(samples)
    if not parts:
        return sample_of_rows([])
    if len(parts) == 1:
        return parts[0]

    def add(name: str) -> dict[int, int]:
        maps = [getattr(p.totals, name) if name in ("csat", "ces", "nps") else p.handle for p in parts]
        size = sum(len(m) for m in maps)
        return tally(np.fromiter(itertools.chain.from_iterable(maps), dtype=np.int64, count=size),
                     np.fromiter(itertools.chain.from_iterable(m.values() for m in maps), dtype=np.int64, count=size))

    def join(name: str) -> Ranked:
        return Ranked.owning(np.concatenate([getattr(p, name).values for p in parts]))

    counts = {name: sum(getattr(p.totals, name) for p in parts)
              for name in ("tickets", "solved", "ever_solved", "reopened", "one_touch", "reassigned", "replied",
                           "agent_replies_solved")}
    return Sample(
        totals=KpiTotals(**counts, csat=add("csat"), ces=add("ces"), nps=add("nps")),
        escalated=sum(p.escalated for p in parts), handle=add("handle"),
        **{name: join(name) for name in DURATIONS},
    )


def kpis_of_sample(sample: Sample, *, sla: dict[str, tuple[int, int]] | None = None) -> SliceKpis:
    """The catalogue over a :class:`Sample` (counts and sorted durations read by the database): equal,
    to the last bit, to :func:`kpis_of_rows` over the same tickets' rows."""
    handled = sample.handled
    tickets = sample.tickets
    return SliceKpis(
        report=report_of_totals(totals=sample.totals, first_reply_minutes=sample.first_reply,
                                resolution_minutes=sample.resolution),
        first_reply_business_minutes=distribution_of_sorted(sample.first_reply_business),
        resolution_business_minutes=distribution_of_sorted(sample.resolution_business),
        handle_time_mean_s=sum(v * n for v, n in sample.handle.items()) / handled if handled else None,
        handled=handled,
        escalated=sample.escalated,
        escalation_rate=sample.escalated / tickets if tickets else None,
        sla=sla or {},
        sample=sample,
    )


# --- the packed rollup (TeamHourSample) ---------------------------------------------------------------------------

# Big-endian (PostgreSQL's float8send / int4send order, so that the database can pack a rollup itself).
_PACKED = {**{name: ">f8" for name in DURATIONS}, "handle": ">i4", "csat": "u1", "ces": "u1", "nps": "u1"}
_ROLLUP_COUNTS = ("tickets", "solved", "ever_solved", "reopened", "one_touch", "reassigned", "replied", "escalated",
                  "agent_replies_solved")


def team_hour_sample(*, hour: datetime, team_id: int | None, rows: Sequence[dict]) -> TeamHourSample:
    """The rollup row of one (hour, team) from its tickets' fact rows (:data:`SAMPLE_COLUMNS`)."""
    sample = sample_of_rows(rows)
    t = sample.totals

    def written_out(counts: Mapping[int, int]) -> np.ndarray:
        return np.repeat(np.array(sorted(counts), dtype=np.int64), [counts[k] for k in sorted(counts)])

    packed = {name: getattr(sample, name).sorted() for name in DURATIONS}
    packed.update(handle=written_out(sample.handle), csat=written_out(t.csat), ces=written_out(t.ces),
                  nps=written_out(t.nps))
    return TeamHourSample(
        hour=hour, team_id=team_id, **{name: getattr(t, name) for name in _ROLLUP_COUNTS if name != "escalated"},
        escalated=sample.escalated,
        **{name: np.asarray(values).astype(_PACKED[name]).tobytes() for name, values in packed.items()},
    )


def team_hours_sql(facts_sql: str) -> str:
    """PostgreSQL: INSERT the TeamHourSample rows of the facts whose keys ``facts_sql`` selects, packed by the
    database exactly as :func:`team_hour_sample` packs them (same filters, same order, same bytes)."""
    def packed(column: str, send: str, q: str) -> str:
        return (f"coalesce(string_agg({send}, ''::bytea ORDER BY {column}) FILTER (WHERE {q}), ''::bytea)")

    def counted(q: str) -> str:
        return f"count(*) FILTER (WHERE {q})"

    score = "set_byte('\\x00'::bytea, 0, {0})"
    return f"""
        INSERT INTO metrics_teamhoursample (hour, team_id, tickets, solved, ever_solved, reopened, one_touch,
            reassigned, replied, escalated, agent_replies_solved, first_reply, resolution, first_reply_business,
            resolution_business, handle, csat, ces, nps)
        SELECT hour, team_id, count(*), {counted("solved")}, {counted("ever_solved")},
            {counted("ever_solved AND reopens > 0")}, {counted("solved AND one_touch")}, {counted("reassigned")},
            {counted("first_reply_at IS NOT NULL")}, {counted("escalated")},
            coalesce(sum(agent_replies) FILTER (WHERE solved), 0),
            {packed("first_reply_minutes", "float8send(first_reply_minutes)",
                    "first_reply_at IS NOT NULL AND first_reply_minutes IS NOT NULL")},
            {packed("resolution_minutes", "float8send(resolution_minutes)", "solved AND resolution_minutes IS NOT NULL")},
            {packed("first_reply_business_minutes", "float8send(first_reply_business_minutes)",
                    "first_reply_business_minutes IS NOT NULL")},
            {packed("resolution_business_minutes", "float8send(resolution_business_minutes)",
                    "solved AND resolution_business_minutes IS NOT NULL")},
            {packed("handle_seconds", "int4send(handle_seconds)", "handle_seconds > 0")},
            {packed("csat", score.format("csat"), "csat IS NOT NULL")},
            {packed("ces", score.format("ces"), "ces IS NOT NULL")},
            {packed("nps", score.format("nps"), "nps IS NOT NULL")}
        FROM metrics_ticketfact WHERE ticket_id IN ({facts_sql}) GROUP BY hour, team_id"""


def _sample_of_packed(counts: Mapping[str, int], packed: Mapping[str, bytes | memoryview | None]) -> Sample:
    def values(name: str) -> np.ndarray:
        data = packed.get(name)  # a duration not read (``unread``) is empty
        return np.frombuffer(bytes(data) if data else b"", dtype=_PACKED[name])

    def counted(name: str) -> dict[int, int]:
        return tally(values(name))

    durations = {name: Ranked.owning(values(name).astype(np.float64)) for name in DURATIONS}
    return Sample(
        totals=KpiTotals(**{name: int(counts[name] or 0) for name in _ROLLUP_COUNTS if name != "escalated"},
                         csat=counted("csat"), ces=counted("ces"), nps=counted("nps")),
        escalated=int(counts["escalated"] or 0), handle=counted("handle"), **durations,
    )


def _pg_rollup_rows(*, team_ids: frozenset[int] | None, start: datetime, end: datetime, by: str | None,
                    read: Sequence[str]) -> list[dict]:
    """PostgreSQL: the rollup's counts summed and the packed values of ``read`` concatenated, per team (``by``)
    or over all, fetched in binary format (metrics/pg.py): the packed bytes arrive as stored, not as hex
    text (half the bytes to send, nothing to encode or decode; a dashboard's three periods are ~10 MB)."""
    if team_ids is not None and not team_ids:
        return []
    qn = connection.ops.quote_name
    columns = [*([qn("team_id")] if by else []), *(f"SUM({qn(name)})" for name in _ROLLUP_COUNTS),
               *(f"STRING_AGG({qn(name)}, ''::bytea)" for name in read)]
    where, params = f"{qn('hour')} >= %s AND {qn('hour')} < %s", [start, end]
    if team_ids is not None:
        teams, ids = in_list("team_id", sorted(team_ids))
        where, params = f"{where} AND {teams}", [*params, *ids]
    sql = (f"SELECT {', '.join(columns)} FROM {qn(TeamHourSample._meta.db_table)} WHERE {where}"
           + (f" GROUP BY {qn('team_id')}" if by else ""))
    names = [*(["team_id"] if by else []), *_ROLLUP_COUNTS, *(f"b_{name}" for name in read)]
    return [dict(zip(names, row, strict=True)) for row in binary_rows(sql, params)]


def _rollup_samples(*, team_ids: frozenset[int] | None, start: datetime, end: datetime,
                    by: str | None, unread: frozenset[str] = frozenset()) -> dict[object, Sample]:
    """The samples of the tickets created in whole UTC hours [start, end), per team or all, from the rollup."""
    rows = TeamHourSample.objects.filter(hour__gte=start, hour__lt=end)
    if team_ids is not None:
        rows = rows.filter(team_id__in=sorted(team_ids))
    key = (lambda r: r["team_id"]) if by else (lambda r: None)
    if connection.vendor == "postgresql":
        read = [name for name in _PACKED if name not in unread]
        grouped = _pg_rollup_rows(team_ids=team_ids, start=start, end=end, by=by, read=read)
        return {key(g): _sample_of_packed(g, {name: g[f"b_{name}"] for name in read}) for g in grouped
                if g["tickets"]}
    groups: dict[object, list[dict]] = {}
    for r in rows.order_by().values("team_id", *_ROLLUP_COUNTS, *_PACKED):
        groups.setdefault(key(r), []).append(r)
    return {k: _sample_of_packed({name: sum(r[name] for r in members) for name in _ROLLUP_COUNTS},
                                 {name: b"".join(bytes(r[name]) for r in members) for name in _PACKED})
            for k, members in groups.items()}


def _ceil_hour(at: datetime) -> datetime:
    floor = at.replace(minute=0, second=0, microsecond=0)
    return floor if floor == at else floor + timedelta(hours=1)


def slice_samples(*, scope: Scope, start: datetime, end: datetime, by: str | None = None,
                  unread: frozenset[str] = frozenset()) -> dict[object, Sample]:
    """The samples of the tickets created in [start, end) within ``scope``, per value of ``by`` (``team_id``,
    ``agent_id``) or ``{None: all}``. ``unread``: durations (names of ``DURATIONS``) the caller does not
    need, left empty in the samples (the comparisons' baselines: no business-time medians are compared).

    A scope of whole teams (or the department) with ``by`` team or nothing reads the rollup for the
    whole UTC hours of the range and the facts for the minutes at either end (a running period cut
    at "now", a zone whose offset is not whole hours); any other filter reads the facts.
    """
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    facts = TicketFact.objects.filter(scope.q())
    if scope.tag:
        facts = facts.distinct()
    first, last = _ceil_hour(start), end.replace(minute=0, second=0, microsecond=0)
    if not scope.only_teams or by not in (None, "team_id") or first >= last:
        out = samples_by(facts=facts.filter(created_at__gte=start, created_at__lt=end), by=by)
        return out if by else (out or {None: sample_of_rows([])})
    parts = [_rollup_samples(team_ids=scope.team_ids, start=first, end=last, by=by, unread=unread)]
    for a, b in ((start, first), (last, end)):
        if a < b:
            parts.append(samples_by(facts=facts.filter(created_at__gte=a, created_at__lt=b), by=by))
    keys = {k for part in parts for k in part}
    out = {k: merged(part[k] for part in parts if k in part) for k in keys}
    return out if by else (out or {None: sample_of_rows([])})


# --- the facts read ---------------------------------------------------------------------------------------------


class _ArrayAgg(Aggregate):
    function = "ARRAY_AGG"
    output_field = BinaryField()


class _ArraySend(Func):
    function = "array_send"
    output_field = BinaryField()


_PG_ELEMENT = {701: ">f8", 20: ">i8", 23: ">i4", 21: ">i2"}  # float8, int8, int4, int2


def pg_array(data: bytes | memoryview | None) -> np.ndarray:
    """A one-dimensional PostgreSQL array in binary form (``array_send``), without nulls, as numpy."""
    if data is None:
        return np.empty(0)
    buf = bytes(data)
    ndim, has_nulls, oid = struct.unpack_from(">iii", buf, 0)
    if ndim == 0:
        return np.empty(0)
    if ndim != 1 or has_nulls or oid not in _PG_ELEMENT:
        raise ValueError("data: expected a one-dimensional array of numbers without nulls")
    (n,) = struct.unpack_from(">i", buf, 12)
    records = np.frombuffer(buf, dtype=np.dtype([("length", ">i4"), ("value", _PG_ELEMENT[oid])]), count=n, offset=20)
    return records["value"]


def samples_by(*, facts: QuerySet[TicketFact], by: str | None = None) -> dict[object, Sample]:
    """The sample of ``facts`` per value of ``by`` (``team_id``, ``agent_id``), or ``{None: all}`` (when any)."""
    facts = facts_of(facts=facts).order_by()
    if connection.vendor != "postgresql":
        groups: dict[object, list[dict]] = {}
        for row in facts.values(*([by] if by else []), *SAMPLE_COLUMNS):
            groups.setdefault(row[by] if by else None, []).append(row)
        return {key: sample_of_rows(rows) for key, rows in groups.items()}
    zero = 0
    fields: dict[str, object] = {f"n_{name}": Count("pk", filter=q) if q else Count("pk") for name, q in COUNTS.items()}
    fields["s_agent_replies_solved"] = Coalesce(Sum("agent_replies", filter=Q(solved=True)), zero)
    for name, (column, q) in {**DURATIONS, **COUNTED}.items():
        fields[f"a_{name}"] = _ArraySend(_ArrayAgg(column, filter=q))
    rows = [facts.aggregate(**fields)] if by is None else list(facts.values(by).annotate(**fields))
    return {row[by] if by else None: _sample_of_aggregates(row) for row in rows if row["n_tickets"]}


def _sample_of_aggregates(row: dict) -> Sample:
    counted = {name: pg_array(row[f"a_{name}"]) for name in COUNTED}

    def counts(name: str) -> dict[int, int]:
        return tally(counted[name])

    durations = {name: Ranked.owning(pg_array(row[f"a_{name}"]).astype(np.float64)) for name in DURATIONS}
    return Sample(
        totals=KpiTotals(
            tickets=row["n_tickets"], solved=row["n_solved"], ever_solved=row["n_ever_solved"],
            reopened=row["n_reopened"], one_touch=row["n_one_touch"], reassigned=row["n_reassigned"],
            replied=row["n_replied"], agent_replies_solved=int(row["s_agent_replies_solved"]),
            csat=counts("csat"), ces=counts("ces"), nps=counts("nps"),
        ),
        escalated=row["n_escalated"], handle=counts("handle"), **durations,
    )


def behind_q(key: str) -> Q:
    """Which of a slice's tickets a card's number is about (its link shows them)."""
    if key in ("solved", "resolution_median", "resolution_p90", "resolution_business_median", "replies_per_solved"):
        return Q(solved=True)
    if key == "one_touch_rate":
        return Q(solved=True, one_touch=True)
    if key == "backlog":
        return Q(solved=False)
    if key.startswith("first_reply"):
        return Q(first_reply_at__isnull=False)
    if key == "reopen_rate":
        return Q(ever_solved=True, reopens__gt=0)
    if key in ("reassignment_rate", "escalation_rate"):
        return Q(reassigned=True) if key == "reassignment_rate" else Q(escalated=True)
    if key == "handle_time_mean":
        return Q(handle_seconds__gt=0)
    if key in ("csat", "nps", "ces"):
        return Q(**{f"{key}__isnull": False})
    return Q()


def behind_count(sample: Sample, key: str) -> int:
    """How many tickets :func:`behind_q` picks, from the sample's counts."""
    t = sample.totals
    if key in ("solved", "resolution_median", "resolution_p90", "resolution_business_median", "replies_per_solved"):
        return t.solved
    by_key = {"one_touch_rate": t.one_touch, "backlog": t.tickets - t.solved, "reopen_rate": t.reopened,
              "reassignment_rate": t.reassigned, "escalation_rate": sample.escalated, "handle_time_mean": sample.handled,
              "csat": sum(t.csat.values()), "nps": sum(t.nps.values()), "ces": sum(t.ces.values())}
    if key.startswith("first_reply"):
        return t.replied
    return by_key.get(key, t.tickets)


def ticket_ids(*, facts: QuerySet[TicketFact], q: Q = Q()) -> list[int]:  # noqa: B008
    """The ids of ``facts`` matching ``q``, in the order of the slice (created, then id)."""
    return list(facts_of(facts=facts).filter(q).order_by("created_at", "ticket_id").values_list("ticket_id", flat=True))


__all__ = ["Ranked", "Sample", "behind_count", "behind_q", "kpis_of_sample", "merged", "placed", "sample_of_rows", "samples_by",
           "slice_samples", "team_hour_sample", "ticket_ids"]
