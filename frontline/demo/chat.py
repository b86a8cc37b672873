"""The demo's live chat: a widget, chat limits on the agents, and the chat tickets' sessions (the same for both writers).

Written after the tickets. A widget (key ``shop``, allowed on the demo's own base URL so that
``/chat/demo/`` works, landing in the Orders queue) and a chat limit on every agent (2-4 chats
at once). Then the chat-channel tickets become chats, as ``frontline.chat.services`` would have
written them:

- the **session** is the ticket's opening message and the public messages that follow it with
  no gap over ``IDLE`` (20 minutes, the widget's idle end); later messages are the ticket's
  follow-up by email, as after a real chat;
- **started** at the ticket's creation, **accepted** at its first assignment (by the agent it
  was assigned to), **ended** shortly after the session's last message (never after the ticket's
  last change), by the customer, the agent or inactivity;
- **wait** = accepted - started, **handle** = ended - accepted (one agent segment: no transfers);
- the transcript: an entry per session message (customer and agent lines, pointing at the desk
  messages), the join and the end, numbered without gaps;
- ``chat_started`` / ``chat_accepted`` / ``chat_ended`` events with the services' payload keys
  and summaries, at those times (``chat_ended`` at or before the ticket's last change, so the
  event log still explains the ticket's state).

Concurrency: chats are taken in order of acceptance and an agent holds at most their limit at
once; a chat ticket that would put its agent over the limit (or whose session has no reply from
its agent) becomes a chat **nobody answered**: the customer waited (median ``GAVE_UP_MEDIAN_S``)
and left a message or closed the chat before anyone on the desk touched the ticket, which was
answered later by email (``chat_started`` and ``chat_ended`` events, the first message and the
end in its transcript). One with too little time before the desk's first touch gets no chat row:
it reads as a message left through the widget.

Unlike the live service, no wrap-up note is written (the ticket's messages are the replayed
history), so the ticket's desk handle time (its agent messages' handle seconds) is not the
chat's handle time. Deterministic from the seed (``{seed}-chat``).
"""

from __future__ import annotations

import hashlib
import math
import random
from datetime import datetime, timedelta

from django.conf import settings

from frontline.chat.models import (
    Chat,
    ChatCapacity,
    ChatEntry,
    ChatState,
    ChatWidget,
    EndedBy,
    EntryAuthor,
    EntryKind,
)
from frontline.core import formats
from frontline.desk.models import (
    AuthorKind,
    Channel,
    EventKind,
    Message,
    Queue,
    Ticket,
    TicketEvent,
)
from frontline.people.models import Role, User

from . import names

IDLE = timedelta(minutes=20)
LIMITS = (2, 3, 3, 3, 4)
WIDGET_KEY = "shop"
ENDED_TOLD = {EndedBy.AGENT: "The agent ended the chat.", EndedBy.CUSTOMER: "You ended the chat.",
              EndedBy.TIMEOUT: "The chat ended after a period of inactivity.",
              EndedBy.LEFT_MESSAGE: "Thanks, we have your message and will answer by email."}
GAVE_UP_MEDIAN_S = 150  # how long a customer nobody answered waited, median (lognormal)


def demo_chat(*, anchor: datetime, seed: int = 7) -> dict[str, int]:
    """The widget, the agents' limits, and the chat tickets' chats; returns counts for the summary."""
    rng = random.Random(f"{seed}-chat")
    base = settings.FRONTLINE_BASE_URL.rstrip("/")
    widget = ChatWidget.objects.create(name="Shop chat", key=WIDGET_KEY, allowed_origins=base,
                                       queue=Queue.objects.filter(name="Orders").first(), title="Chat with the shop")
    agents = list(User.objects.filter(role__in=[Role.AGENT, Role.TEAM_LEAD], email__endswith="@" + names.STAFF_DOMAIN)
                  .order_by("username"))
    limits = {a.pk: rng.choice(LIMITS) for a in agents}
    ChatCapacity.objects.bulk_create([ChatCapacity(agent=a, max_chats=limits[a.pk]) for a in agents])
    display = {a.pk: a.display_name for a in agents}
    first_names = {a.pk: a.first_name or a.username for a in agents}

    tickets = {t[0]: t for t in Ticket.objects.filter(channel=Channel.CHAT, merged_into__isnull=True)
               .order_by("created_at", "id").values_list("id", "requester_id", "requester__name", "queue_id",
                                                         "created_at", "updated_at")}
    accepted: dict[int, tuple[datetime, int]] = {}
    for ticket_id, at, payload in (TicketEvent.objects.filter(ticket_id__in=list(tickets), kind=EventKind.ASSIGNED)
                                   .order_by("created_at", "id").values_list("ticket_id", "created_at", "payload")):
        if ticket_id not in accepted and payload.get("to") in limits:
            accepted[ticket_id] = (at, payload["to"])
    said: dict[int, list[tuple[int, str, int | None, datetime]]] = {}
    for message_id, ticket_id, kind, author, at in (
            Message.objects.filter(ticket_id__in=list(accepted), is_public=True)
            .exclude(author_kind=AuthorKind.SYSTEM).order_by("ticket_id", "created_at", "id")
            .values_list("id", "ticket_id", "author_kind", "author_user_id", "created_at")):
        said.setdefault(ticket_id, []).append((message_id, kind, author, at))

    plans = []
    for ticket_id, (taken, agent_id) in accepted.items():
        messages = said.get(ticket_id, [])
        if not messages or messages[0][1] != AuthorKind.CUSTOMER:
            continue
        session = [messages[0]]
        for message in messages[1:]:
            if message[3] - session[-1][3] > IDLE or (message[1] == AuthorKind.AGENT and
                                                     (message[2] != agent_id or message[3] < taken)):
                break
            session.append(message)
        if not any(m[1] == AuthorKind.AGENT for m in session):
            continue
        last = session[-1]
        updated = tickets[ticket_id][5]
        ended = min(last[3] + timedelta(seconds=rng.randint(15, 120)), updated)
        if ended >= anchor:
            continue
        by = (EndedBy.AGENT if last[1] == AuthorKind.CUSTOMER else
              rng.choices((EndedBy.CUSTOMER, EndedBy.AGENT, EndedBy.TIMEOUT), weights=(55, 35, 10))[0])
        plans.append((taken, ticket_id, agent_id, session, ended, by))

    plans.sort(key=lambda p: (p[0], p[1]))
    held: dict[int, list[datetime]] = {}
    chats: list[Chat] = []
    kept = []
    for taken, ticket_id, agent_id, session, ended, by in plans:
        ends = [e for e in held.get(agent_id, []) if e > taken]
        if len(ends) >= limits[agent_id]:
            held[agent_id] = ends
            continue
        held[agent_id] = [*ends, ended]
        _, customer_id, _, queue_id, started, _ = tickets[ticket_id]
        chats.append(Chat(widget=widget, ticket_id=ticket_id, customer_id=customer_id, queue_id=queue_id,
                          token_digest=hashlib.sha256(f"{seed}-chat-{ticket_id}-{rng.getrandbits(64)}".encode()).hexdigest(),
                          state=ChatState.ENDED, agent_id=agent_id, origin=base, started_at=started,
                          waiting_since=started, accepted_at=taken, ended_at=ended, ended_by=by,
                          wait_seconds=max(0, int((taken - started).total_seconds())),
                          handle_seconds=max(0, int((ended - taken).total_seconds())),
                          seq=len(session) + 2, customer_seen_at=ended))
        kept.append((session, by))
    Chat.objects.bulk_create(chats, batch_size=1000)

    entries: list[ChatEntry] = []
    events: list[TicketEvent] = []
    for chat, (session, by) in zip(chats, kept, strict=True):
        assert chat.accepted_at is not None and chat.ended_at is not None and chat.agent_id is not None
        lines = [(at, 0, ChatEntry(chat=chat, kind=EntryKind.MESSAGE, message_id=message_id, created_at=at,
                                   author=EntryAuthor.CUSTOMER if kind == AuthorKind.CUSTOMER else EntryAuthor.AGENT,
                                   agent_id=author if kind == AuthorKind.AGENT else None))
                 for message_id, kind, author, at in session]
        lines.append((chat.accepted_at, -1, ChatEntry(chat=chat, kind=EntryKind.JOINED, author=EntryAuthor.SYSTEM,
                                                      agent_id=chat.agent_id, created_at=chat.accepted_at,
                                                      text=f"{first_names[chat.agent_id]} joined the chat.")))
        lines.append((chat.ended_at, 1, ChatEntry(chat=chat, kind=EntryKind.ENDED, author=EntryAuthor.SYSTEM,
                                                  created_at=chat.ended_at, text=ENDED_TOLD[by])))
        lines.sort(key=lambda line: (line[0], line[1]))
        for seq, (_, _, entry) in enumerate(lines, start=1):
            entry.seq = seq
            entries.append(entry)
        name = tickets[chat.ticket_id][2]
        agent = display[chat.agent_id]
        events += [
            TicketEvent(ticket_id=chat.ticket_id, kind=EventKind.CHAT_STARTED, created_at=chat.started_at, payload={
                "chat_id": chat.pk, "widget": widget.name, "queue_id": widget.queue_id, "origin": base,
                "summary": f"{name} started a chat on {base}."}),
            TicketEvent(ticket_id=chat.ticket_id, kind=EventKind.CHAT_ACCEPTED, actor_id=chat.agent_id,
                        created_at=chat.accepted_at, payload={
                            "chat_id": chat.pk, "agent_id": chat.agent_id, "wait_seconds": chat.wait_seconds,
                            "first": True, "summary": f"{agent} accepted the chat after "
                                                      f"{formats.duration(chat.wait_seconds)} waiting."}),
            TicketEvent(ticket_id=chat.ticket_id, kind=EventKind.CHAT_ENDED, created_at=chat.ended_at,
                        actor_id=chat.agent_id if by == EndedBy.AGENT else None, payload={
                            "chat_id": chat.pk, "ended_by": by, "accepted": True, "wait_seconds": chat.wait_seconds,
                            "handle_seconds": chat.handle_seconds, "last_segment_seconds": chat.handle_seconds,
                            "agent_id": chat.agent_id,
                            "summary": f"Chat ended by {EndedBy(by).label}: handled in "
                                       f"{formats.duration(chat.handle_seconds)} by {agent}, after "
                                       f"{formats.duration(chat.wait_seconds)} waiting."}),
        ]
    unanswered = _not_answered(rng, widget=widget, base=base, anchor=anchor, seed=seed,
                               tickets={t: row for t, row in tickets.items() if t not in {c.ticket_id for c in chats}})
    for chat, ticket_name, first_message in unanswered:
        assert chat.ended_at is not None
        entries += [ChatEntry(chat=chat, seq=1, kind=EntryKind.MESSAGE, author=EntryAuthor.CUSTOMER,
                              message_id=first_message, created_at=chat.started_at),
                    ChatEntry(chat=chat, seq=2, kind=EntryKind.ENDED, author=EntryAuthor.SYSTEM,
                              created_at=chat.ended_at, text=ENDED_TOLD[EndedBy(chat.ended_by)])]
        events += [
            TicketEvent(ticket_id=chat.ticket_id, kind=EventKind.CHAT_STARTED, created_at=chat.started_at, payload={
                "chat_id": chat.pk, "widget": widget.name, "queue_id": widget.queue_id, "origin": base,
                "summary": f"{ticket_name} started a chat on {base}."}),
            TicketEvent(ticket_id=chat.ticket_id, kind=EventKind.CHAT_ENDED, created_at=chat.ended_at, payload={
                "chat_id": chat.pk, "ended_by": chat.ended_by, "accepted": False, "wait_seconds": chat.wait_seconds,
                "handle_seconds": 0, "last_segment_seconds": 0, "agent_id": None,
                "summary": f"Chat ended by {EndedBy(chat.ended_by).label} after "
                           f"{formats.duration(chat.wait_seconds)} waiting; no agent joined."}),
        ]
    ChatEntry.objects.bulk_create(entries, batch_size=2000)
    TicketEvent.objects.bulk_create(events, batch_size=2000)
    return {"chats": len(chats) + len(unanswered), "chats not answered": len(unanswered), "chat entries": len(entries)}


def _not_answered(rng: random.Random, *, widget: ChatWidget, base: str, anchor: datetime, seed: int,
                  tickets: dict[int, tuple]) -> list[tuple[Chat, str, int]]:  # type: ignore[type-arg]
    """The chat tickets that got no chat above, as chats nobody answered: the customer waited (a
    lognormal time, median GAVE_UP_MEDIAN_S) and then left a message or closed the chat, ending
    before anyone on the desk touched the ticket (its first assignment or agent message). Too
    little time before that (under 15 s) and the ticket stays a message left in the widget."""
    first_said: dict[int, tuple[int, datetime]] = {}
    staff_at: dict[int, datetime] = {}
    for message_id, ticket_id, kind, at in (Message.objects.filter(ticket_id__in=list(tickets)).exclude(
            author_kind=AuthorKind.SYSTEM).order_by("created_at", "id").values_list("id", "ticket_id", "author_kind",
                                                                                   "created_at")):
        if kind == AuthorKind.CUSTOMER:
            first_said.setdefault(ticket_id, (message_id, at))
        else:
            staff_at.setdefault(ticket_id, at)
    for ticket_id, at in (TicketEvent.objects.filter(ticket_id__in=list(tickets), kind=EventKind.ASSIGNED)
                          .order_by("created_at", "id").values_list("ticket_id", "created_at")):
        staff_at[ticket_id] = min(at, staff_at.get(ticket_id, at))
    made: list[tuple[Chat, str, int]] = []
    for ticket_id, (_, customer_id, name, queue_id, started, updated) in tickets.items():
        first = first_said.get(ticket_id)
        if first is None or first[1] > started + timedelta(seconds=5):
            continue  # the ticket did not open with the customer's words
        latest = min(staff_at.get(ticket_id, updated) - timedelta(seconds=5), updated, anchor)
        waited = min(rng.lognormvariate(math.log(GAVE_UP_MEDIAN_S), 0.7), (latest - started).total_seconds())
        if waited < 15:
            continue
        by = EndedBy.LEFT_MESSAGE if rng.random() < 0.55 else EndedBy.CUSTOMER
        ended = started + timedelta(seconds=int(waited))
        made.append((Chat(widget=widget, ticket_id=ticket_id, customer_id=customer_id, queue_id=queue_id,
                          token_digest=hashlib.sha256(f"{seed}-chat-{ticket_id}-{rng.getrandbits(64)}".encode()).hexdigest(),
                          state=ChatState.ENDED, origin=base, started_at=started, waiting_since=started, ended_at=ended,
                          ended_by=by, wait_seconds=int(waited), seq=2, customer_seq=1, customer_seen_at=ended),
                     name, first[0]))
    Chat.objects.bulk_create([chat for chat, _, _ in made], batch_size=1000)
    return made


def chat_reset() -> None:
    """Delete the demo's chats, their entries, the agents' limits and the widget (before the tickets go)."""
    ChatEntry.objects.all().delete()
    Chat.objects.all().delete()
    ChatCapacity.objects.filter(agent__email__endswith="@" + names.STAFF_DOMAIN).delete()
    ChatWidget.objects.filter(key=WIDGET_KEY).delete()
