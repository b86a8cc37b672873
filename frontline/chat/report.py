"""The chat report's reads: chats per day by outcome, their waits and handle times (docs/chat.md, "The chat report").

Definitions, written once here:

- A chat counts on the day it **started**, in the viewer's time zone; only chats whose tickets the
  viewer may see (the desk's rule, through ``chat_queryset_for_viewer``).
- **Answered**: an agent accepted it (``accepted_at`` is set), whatever happened after.
- **Not answered**: it ended before any agent accepted it — the customer closed it, left a
  message instead, or went quiet until the inactivity timeout.
- **Live**: still waiting or in progress. One an agent has accepted is answered (its wait is
  known, its handle time not yet); one still waiting is in no rate or time yet.
- **Answer rate** = answered ÷ (answered + not answered).
- **Wait** (answered chats): the chat wait time (``Chat.wait_seconds``: the start, or a transfer
  back to a queue, to an agent's acceptance, summed). **Waited before giving up** (not answered):
  the same column, which for them runs to the end.
- **Handle time** (answered chats that have ended): the chat handle time (``Chat.handle_seconds``,
  the agents' segments summed).
- Medians and 90th percentiles interpolate between order statistics (``engine.kpis.stats.percentile``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, tzinfo

from frontline.core.days import days_from, local_window
from frontline.engine.kpis.stats import percentile
from frontline.people.models import User

from .models import ChatState, EndedBy
from .selectors import chat_queryset_for_viewer


@dataclass
class ChatDay:
    """One day's chats (or a period's, summed by :func:`chat_totals`); the lists hold ticket ids, one per chat."""

    day: date
    started: list[int] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    not_answered: list[int] = field(default_factory=list)
    left_message: list[int] = field(default_factory=list)  # of not_answered: a message left instead
    live: list[int] = field(default_factory=list)
    waits: list[int] = field(default_factory=list)  # seconds, answered chats
    gave_up_after: list[int] = field(default_factory=list)  # seconds, not answered chats
    handles: list[int] = field(default_factory=list)  # seconds, answered chats that ended
    handled: list[int] = field(default_factory=list)  # their ticket ids

    @property
    def answer_rate(self) -> float | None:
        decided = len(self.answered) + len(self.not_answered)
        return len(self.answered) / decided if decided else None

    @property
    def wait_median(self) -> float | None:
        return percentile(values=self.waits, q=50)

    @property
    def wait_p90(self) -> float | None:
        return percentile(values=self.waits, q=90)

    @property
    def gave_up_median(self) -> float | None:
        return percentile(values=self.gave_up_after, q=50)

    @property
    def handle_median(self) -> float | None:
        return percentile(values=self.handles, q=50)

    @property
    def handle_p90(self) -> float | None:
        return percentile(values=self.handles, q=90)


def chats_per_day(*, viewer: User, first: date, last: date, tz: tzinfo) -> list[ChatDay]:
    """The viewer's chats that started from ``first`` to ``last`` (days in ``tz``), one row per day, oldest first."""
    start, end = local_window(first, last, tz)
    days = {d: ChatDay(d) for d in days_from(first, last)}
    rows = (chat_queryset_for_viewer(viewer=viewer).filter(started_at__gte=start, started_at__lt=end)
            .values_list("started_at", "state", "accepted_at", "ended_by", "ticket_id", "wait_seconds", "handle_seconds"))
    for started, state, accepted_at, ended_by, ticket_id, wait, handle in rows:
        row = days.get(started.astimezone(tz).date())
        if row is None:
            continue
        row.started.append(ticket_id)
        if state != ChatState.ENDED:
            row.live.append(ticket_id)
            if accepted_at is not None:  # answered, still in progress: its wait is known, its handle time is not
                row.answered.append(ticket_id)
                row.waits.append(wait)
        elif accepted_at is not None:
            row.answered.append(ticket_id)
            row.waits.append(wait)
            row.handles.append(handle)
            row.handled.append(ticket_id)
        else:
            row.not_answered.append(ticket_id)
            row.gave_up_after.append(wait)
            if ended_by == EndedBy.LEFT_MESSAGE:
                row.left_message.append(ticket_id)
    return [days[d] for d in sorted(days)]


def chat_totals(days: list[ChatDay]) -> ChatDay:
    """The days summed (``day`` is the first day)."""
    total = ChatDay(days[0].day if days else date.min)
    for d in days:
        for name in ("started", "answered", "not_answered", "left_message", "live", "waits", "gave_up_after",
                     "handles", "handled"):
            getattr(total, name).extend(getattr(d, name))
    return total
