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

Per agent (:func:`chat_agents`), over the same chats, from their events: a **segment** is the time
one agent held a chat — from their acceptance (or a transfer to them) to the end (or their
transfer away); a segment still open ends now.

- **Chats**: the chats they held a segment of; **chat time**: their segments summed.
- **Busy time**: the time they held at least one chat (the union of their segments).
- **Chats at once** (concurrency) = chat time ÷ busy time: how many chats they held on average
  while chatting; **most at once**: the peak (a segment ending when another starts does not overlap).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from django.utils import timezone

from frontline.core.days import days_from, local_window
from frontline.desk.models import EventKind, TicketEvent
from frontline.engine.kpis.stats import percentile
from frontline.people.models import Role, User

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


@dataclass
class AgentChats:
    """One agent's segments of the report's chats (see the module's definitions)."""

    agent: User
    chats: list[int] = field(default_factory=list)  # ticket ids, each once
    chat_seconds: float = 0.0
    busy_seconds: float = 0.0
    most_at_once: int = 0

    @property
    def at_once(self) -> float | None:
        return self.chat_seconds / self.busy_seconds if self.busy_seconds else None


def segments_of(events: list[tuple[int, str, datetime, dict]], *, now: datetime) -> list[tuple[int, int, datetime, datetime]]:  # type: ignore[type-arg]
    """``(agent_id, ticket_id, start, end)`` for each time one agent held a chat, from the chat events
    ``(ticket_id, kind, at, payload)`` in time order; a segment still open ends at ``now``."""
    holding: dict[int, tuple[int, int, datetime]] = {}  # chat_id -> (agent_id, ticket_id, since)
    out: list[tuple[int, int, datetime, datetime]] = []

    def close(chat_id: int, at: datetime) -> None:
        held = holding.pop(chat_id, None)
        if held is not None:
            out.append((held[0], held[1], held[2], max(at, held[2])))

    for ticket_id, kind, at, payload in events:
        chat_id = payload.get("chat_id")
        if kind == EventKind.CHAT_ACCEPTED and payload.get("agent_id"):
            close(chat_id, at)
            holding[chat_id] = (payload["agent_id"], ticket_id, at)
        elif kind == EventKind.CHAT_TRANSFERRED:
            close(chat_id, at)
            if payload.get("to_agent_id"):
                holding[chat_id] = (payload["to_agent_id"], ticket_id, at)
        elif kind == EventKind.CHAT_ENDED:
            close(chat_id, at)
    for chat_id in list(holding):
        close(chat_id, now)
    return out


def chat_agents(*, viewer: User, days: ChatDay, now: datetime | None = None) -> list[AgentChats]:
    """Per agent, their segments of the report's chats (``days``: the period's :func:`chat_totals`, whose
    ``started`` are the chats' tickets): chats, chat time, busy time, chats at once, most at once; most
    chat time first. Team leads, managers and admins see every agent of those chats; an agent sees
    their own row only (no colleague's numbers)."""
    events = list(TicketEvent.objects.filter(ticket_id__in=days.started, kind__in=[
        EventKind.CHAT_ACCEPTED, EventKind.CHAT_TRANSFERRED, EventKind.CHAT_ENDED]).order_by("created_at", "id")
        .values_list("ticket_id", "kind", "created_at", "payload"))
    by_agent: dict[int, list[tuple[int, datetime, datetime]]] = defaultdict(list)
    for agent_id, ticket_id, began, ended in segments_of(events, now=now or timezone.now()):
        by_agent[agent_id].append((ticket_id, began, ended))
    if viewer.role not in (Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN):
        by_agent = {viewer.pk: by_agent[viewer.pk]} if viewer.pk in by_agent else {}
    users = User.objects.in_bulk(list(by_agent))
    rows = []
    for agent_id, segments in by_agent.items():
        if agent_id not in users:
            continue  # removed since
        row = AgentChats(users[agent_id], chats=sorted({t for t, _, _ in segments}))
        row.chat_seconds = sum((b - a).total_seconds() for _, a, b in segments)
        # a sweep: ends before starts at the same moment, so back-to-back segments do not overlap
        held = 0
        busy_since: datetime | None = None
        spans = [(a, b) for _, a, b in segments if b > a]  # an instant adds no time and no overlap
        for at, step in sorted([(a, 1) for a, _ in spans] + [(b, -1) for _, b in spans]):
            if step == 1 and held == 0:
                busy_since = at
            held += step
            row.most_at_once = max(row.most_at_once, held)
            if held == 0 and busy_since is not None:
                row.busy_seconds += (at - busy_since).total_seconds()
                busy_since = None
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.chat_seconds, r.agent.display_name))
