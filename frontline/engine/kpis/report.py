"""The KPI catalogue over a set of tickets (docs/metrics.md)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..businesstime import BusinessCalendar, business_minutes_between
from .events import Event
from .stats import Distribution, distribution
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


def summarize(
    *, facts: Sequence[TicketFacts], calendar: BusinessCalendar | None = None
) -> KpiReport:
    """The catalogue over per-ticket facts (see :func:`ticket_facts`)."""
    if calendar is not None and not isinstance(calendar, BusinessCalendar):
        raise ValueError(f"calendar: must be a BusinessCalendar or None, got {calendar!r}")
    tickets = len(facts)
    solved = [f for f in facts if f.solved]
    replied = [f for f in facts if f.first_reply_at is not None]
    ever_solved = sum(1 for f in facts if f.ever_solved)
    first_business: Distribution | None = None
    resolution_business: Distribution | None = None
    if calendar is not None:
        first_business = distribution(
            values=[
                business_minutes_between(
                    start=f.created_at, end=f.first_reply_at, calendar=calendar
                )
                for f in replied
                if f.first_reply_at is not None
            ]
        )
        resolution_business = distribution(
            values=[
                business_minutes_between(start=f.created_at, end=f.solved_at, calendar=calendar)
                for f in solved
                if f.solved_at is not None
            ]
        )
    csat = [f.csat for f in facts if f.csat is not None]
    ces = [f.ces for f in facts if f.ces is not None]
    nps = [f.nps for f in facts if f.nps is not None]
    return KpiReport(
        tickets=tickets,
        solved=len(solved),
        backlog=tickets - len(solved),
        ever_solved=ever_solved,
        first_reply_minutes=distribution(
            values=[m for f in replied if (m := f.first_reply_minutes) is not None]
        ),
        first_reply_missing=tickets - len(replied),
        resolution_minutes=distribution(
            values=[m for f in solved if (m := f.resolution_minutes) is not None]
        ),
        first_reply_business_minutes=first_business,
        resolution_business_minutes=resolution_business,
        one_touch_rate=_share(sum(1 for f in solved if f.one_touch), len(solved)),
        reopen_rate=_share(sum(1 for f in facts if f.ever_solved and f.reopens > 0), ever_solved),
        reassignment_rate=_share(sum(1 for f in facts if f.reassigned), tickets),
        replies_per_solved=_share(sum(f.agent_replies for f in solved), len(solved)),
        csat=_share(sum(1 for s in csat if s >= 4), len(csat)),
        csat_responses=len(csat),
        ces=_share(sum(ces), len(ces)),
        ces_responses=len(ces),
        nps=(
            None
            if not nps
            else 100 * (sum(1 for s in nps if s >= 9) - sum(1 for s in nps if s <= 6)) / len(nps)
        ),
        nps_responses=len(nps),
    )


def _share(part: float, whole: int) -> float | None:
    return None if whole == 0 else part / whole
