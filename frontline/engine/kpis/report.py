"""The KPI catalogue over a set of tickets (docs/metrics.md)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..businesstime import BusinessCalendar, business_minutes_between
from .events import Event
from .stats import Distribution, distribution_of_sorted
from .tickets import TicketFacts, ticket_facts


@dataclass(frozen=True, slots=True)
class KpiReport:
    """The catalogue; rates are fractions in [0, 1] and None where there is nothing to measure.

    ``*_business_minutes`` are None when no calendar was given.
    """

    tickets: int
    solved: int
    backlog: int
    ever_solved: int
    first_reply_minutes: Distribution
    first_reply_missing: int
    resolution_minutes: Distribution
    first_reply_business_minutes: Distribution | None
    resolution_business_minutes: Distribution | None
    one_touch_rate: float | None
    reopen_rate: float | None
    reassignment_rate: float | None
    replies_per_solved: float | None
    csat: float | None
    csat_responses: int
    ces: float | None
    ces_responses: int
    nps: float | None
    nps_responses: int


def compute_kpis(*, events: Sequence[Event], calendar: BusinessCalendar | None = None) -> KpiReport:
    """The catalogue over ``events`` (any order); business minutes only with ``calendar``."""
    return summarize(facts=ticket_facts(events=events), calendar=calendar)


@dataclass(frozen=True, slots=True)
class KpiTotals:
    """The counts the catalogue is computed from, besides the durations (see :func:`summarize`).

    ``reopened``: tickets ever solved with at least one reopen; ``replied``: tickets with an agent
    public reply; ``agent_replies_solved``: agent public replies on solved tickets; ``csat``,
    ``ces``, ``nps``: responses per score (the latest of each kind per ticket).
    """

    tickets: int
    solved: int
    ever_solved: int
    reopened: int
    one_touch: int
    reassigned: int
    replied: int
    agent_replies_solved: int
    csat: Mapping[int, int]
    ces: Mapping[int, int]
    nps: Mapping[int, int]


def summarize(
    *, facts: Sequence[TicketFacts], calendar: BusinessCalendar | None = None
) -> KpiReport:
    """The catalogue over per-ticket facts (see :func:`ticket_facts`)."""
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise ValueError(f"calendar: must be a BusinessCalendar or None, got {calendar!r}")
    solved = [f for f in facts if f.solved]
    replied = [f for f in facts if f.first_reply_at is not None]
    first_business: list[float] | None = None
    resolution_business: list[float] | None = None
    if calendar is not None:
        first_business = [
            business_minutes_between(start=f.created_at, end=f.first_reply_at, calendar=calendar)
            for f in replied
            if f.first_reply_at is not None
        ]
        resolution_business = [
            business_minutes_between(start=f.created_at, end=f.solved_at, calendar=calendar)
            for f in solved
            if f.solved_at is not None
        ]
    totals = KpiTotals(
        tickets=len(facts),
        solved=len(solved),
        ever_solved=sum(1 for f in facts if f.ever_solved),
        reopened=sum(1 for f in facts if f.ever_solved and f.reopens > 0),
        one_touch=sum(1 for f in solved if f.one_touch),
        reassigned=sum(1 for f in facts if f.reassigned),
        replied=len(replied),
        agent_replies_solved=sum(f.agent_replies for f in solved),
        csat=Counter(f.csat for f in facts if f.csat is not None),
        ces=Counter(f.ces for f in facts if f.ces is not None),
        nps=Counter(f.nps for f in facts if f.nps is not None),
    )
    return report_of_totals(
        totals=totals,
        first_reply_minutes=_sorted([m for f in replied if (m := f.first_reply_minutes) is not None]),
        resolution_minutes=_sorted([m for f in solved if (m := f.resolution_minutes) is not None]),
        first_reply_business_minutes=None if first_business is None else _sorted(first_business),
        resolution_business_minutes=None if resolution_business is None else _sorted(resolution_business),
    )


def report_of_totals(
    *,
    totals: KpiTotals,
    first_reply_minutes: Sequence[float],
    resolution_minutes: Sequence[float],
    first_reply_business_minutes: Sequence[float] | None = None,
    resolution_business_minutes: Sequence[float] | None = None,
) -> KpiReport:
    """The catalogue from its counts and the durations, each **sorted ascending** and finite (lists
    or numpy arrays): the one place every KPI's formula is written. :func:`summarize` counts facts
    and calls it; a database that counts and sorts gives the same report, to the last bit."""
    t = totals
    csat_n, ces_n, nps_n = sum(t.csat.values()), sum(t.ces.values()), sum(t.nps.values())
    promoters = sum(n for score, n in t.nps.items() if score >= 9)
    detractors = sum(n for score, n in t.nps.items() if score <= 6)
    return KpiReport(
        tickets=t.tickets,
        solved=t.solved,
        backlog=t.tickets - t.solved,
        ever_solved=t.ever_solved,
        first_reply_minutes=distribution_of_sorted(first_reply_minutes),
        first_reply_missing=t.tickets - t.replied,
        resolution_minutes=distribution_of_sorted(resolution_minutes),
        first_reply_business_minutes=(
            None
            if first_reply_business_minutes is None
            else distribution_of_sorted(first_reply_business_minutes)
        ),
        resolution_business_minutes=(
            None
            if resolution_business_minutes is None
            else distribution_of_sorted(resolution_business_minutes)
        ),
        one_touch_rate=_share(t.one_touch, t.solved),
        reopen_rate=_share(t.reopened, t.ever_solved),
        reassignment_rate=_share(t.reassigned, t.tickets),
        replies_per_solved=_share(t.agent_replies_solved, t.solved),
        csat=_share(sum(n for score, n in t.csat.items() if score >= 4), csat_n),
        csat_responses=csat_n,
        ces=_share(sum(score * n for score, n in t.ces.items()), ces_n),
        ces_responses=ces_n,
        nps=None if not nps_n else 100 * (promoters - detractors) / nps_n,
        nps_responses=nps_n,
    )


def _sorted(values: list[float]) -> list[float]:
    """Sorted floats, refused when not finite (as :func:`distribution` refuses them)."""
    ordered = sorted(float(v) for v in values)
    if any(not math.isfinite(v) for v in ordered):
        raise ValueError("values: must be finite numbers")
    return ordered


def _share(part: float, whole: int) -> float | None:
    return None if whole == 0 else part / whole
