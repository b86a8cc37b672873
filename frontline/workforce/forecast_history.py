"""A forecast run's history: contacts per interval and the agent messages written on them.

See the definitions in :mod:`frontline.workforce.forecasts` (contacts, workload, carry over); this
module reads them from the database: :func:`forecast_history` (two narrow queries) and the scope
of a run (:func:`forecast_scope_tickets`).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
from django.db.models import QuerySet

from frontline.desk.models import AuthorKind, Message, Ticket
from frontline.engine.forecasting import AgentWork
from frontline.people.selectors import team_descendant_ids

from .models import ForecastRun

__all__ = ["History", "forecast_history", "forecast_scope_tickets", "run_dates"]


def run_dates(values: Sequence[str]) -> list[date]:
    """A run's stored ISO date list as dates."""
    return [date.fromisoformat(v) for v in values]


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class History:
    """Counts per interval start (naive wall-clock time in the run's zone), only where non-zero.

    ``work`` has the agent messages of those contacts written before the history end, by interval
    and local day written (:class:`~frontline.engine.forecasting.AgentWork`), or is None when no
    agent message of the history has handle seconds.
    """

    counts: dict[datetime, int]
    work: AgentWork | None

    @property
    def open_days(self) -> int:
        return len({slot.date() for slot in self.counts})


def forecast_scope_tickets(*, run: ForecastRun) -> QuerySet[Ticket]:
    """The tickets a run counts (its team with sub-teams, queue and channel), any time."""
    tickets = Ticket.objects.all()
    if run.team_id is not None:
        tickets = tickets.filter(team_id__in=team_descendant_ids(team_ids={run.team_id}))
    if run.queue_id is not None:
        tickets = tickets.filter(queue_id=run.queue_id)
    if run.channel:
        tickets = tickets.filter(channel=run.channel)
    return tickets


def _history_bounds(run: ForecastRun) -> tuple[datetime, datetime]:
    zone = zoneinfo.ZoneInfo(run.time_zone)
    assert run.history_start is not None and run.first_date is not None
    return datetime.combine(run.history_start, time(0), zone), datetime.combine(run.first_date, time(0), zone)


def forecast_history(*, run: ForecastRun) -> History:
    """Contacts per interval and their agent messages written before the history end, over the run's
    history (two narrow queries: the tickets' creation times, and the agent messages' ticket creation
    time, own time and handle seconds)."""
    zone = zoneinfo.ZoneInfo(run.time_zone)
    step = run.interval_minutes
    start, end = _history_bounds(run)
    tickets = forecast_scope_tickets(run=run).filter(created_at__gte=start, created_at__lt=end)

    def slot(ts: datetime) -> datetime:
        local = ts.astimezone(zone).replace(tzinfo=None, second=0, microsecond=0)
        return local.replace(minute=local.minute - local.minute % step) if step <= 60 else local

    counts: dict[datetime, int] = defaultdict(int)
    for created in tickets.values_list("created_at", flat=True).iterator(chunk_size=5000):
        counts[slot(created)] += 1
    move = _carry_target(run, counts)
    if move is not None:
        moved: dict[datetime, int] = defaultdict(int)
        for k, n in counts.items():
            if (to := move(k)) is not None:
                moved[to] += n
        counts = moved
    messages = Message.objects.filter(
        ticket__in=tickets, author_kind=AuthorKind.AGENT, created_at__lt=end
    ).values_list("ticket__created_at", "created_at", "handle_seconds")
    work: dict[tuple[datetime, date], list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    seen = False
    for created, written, seconds in messages.iterator(chunk_size=5000):
        key = slot(created)
        if move is not None and (key := move(key)) is None:  # type: ignore[assignment]
            continue
        entry = work[(key, written.astimezone(zone).date())]
        entry[2] += 1
        if seconds is not None:
            entry[0] += seconds
            entry[1] += 1
            seen = True
    return History(counts=dict(counts), work=_agent_work(work) if seen else None)


def _agent_work(work: dict[tuple[datetime, date], list[float]]) -> AgentWork:
    keys = sorted(work)
    return AgentWork(
        intervals=tuple(k[0] for k in keys), written=tuple(k[1] for k in keys),
        seconds=np.array([work[k][0] for k in keys]), measured=np.array([work[k][1] for k in keys]),
        messages=np.array([work[k][2] for k in keys]),
    )


def _carry_target(run: ForecastRun, counts: dict[datetime, int]) -> Callable[[datetime], datetime | None] | None:
    """With carry-over: a function moving an interval outside opening hours to the first interval of the
    next open day (before opening to that day's opening, after closing to the next open day's); None
    when not carrying over. Open days are the weekdays with contacts inside the hours, less holidays.
    What would land on or after the first forecast day (last night's mail) maps to None: that day is
    forecast, not history."""
    if not (run.carry_over and run.opening is not None and run.closing is not None):
        return None
    assert run.first_date is not None
    opening, first_date = run.opening, run.first_date
    open_min = _minutes(opening)
    close_min = 1440 if run.closing == time(0) else _minutes(run.closing)

    def inside(k: datetime) -> bool:
        return open_min <= k.hour * 60 + k.minute < close_min

    open_weekdays = {k.weekday() for k in counts if inside(k)}
    holidays = set(run_dates(run.closed_dates))
    if not open_weekdays:
        return None

    def move(k: datetime) -> datetime | None:
        if inside(k):
            return k
        day = k.date() + timedelta(days=1 if k.hour * 60 + k.minute >= close_min else 0)
        while day.weekday() not in open_weekdays or day in holidays:
            day += timedelta(days=1)
        return None if day >= first_date else datetime.combine(day, opening)

    return move
