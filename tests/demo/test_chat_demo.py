"""The demo's live chat: a widget on the demo's own site, the chat tickets' sessions with their transcripts,
wait and handle times that agree with the ticket's events and messages, agents within their limits."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import pytest
from django.conf import settings

from frontline.chat.models import Chat, ChatCapacity, ChatEntry, ChatState, ChatWidget, EntryKind
from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import Channel, EventKind, Ticket, TicketEvent

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.django_db
def test_widget_chats_transcripts_times_and_limits_then_reset() -> None:
    demo = demo_generate(seed=3, days=14, scale=0.15, anchor=ANCHOR)
    widget = ChatWidget.objects.get(key="shop")
    assert widget.origins() == [settings.FRONTLINE_BASE_URL.rstrip("/").lower()] and widget.queue is not None
    chats = list(Chat.objects.select_related("ticket"))
    chat_tickets = Ticket.objects.filter(channel=Channel.CHAT).count()
    assert demo.counts["chats"] == len(chats) and 0.5 * chat_tickets <= len(chats) <= chat_tickets
    limits = dict(ChatCapacity.objects.values_list("agent_id", "max_chats"))
    events = defaultdict(list)
    for e in TicketEvent.objects.filter(kind__startswith="chat_").order_by("created_at", "id"):
        events[e.payload["chat_id"]].append(e)
    for chat in chats:
        assert chat.state == ChatState.ENDED and chat.widget_id == widget.pk and chat.ticket.channel == Channel.CHAT
        assert chat.started_at == chat.ticket.created_at <= chat.accepted_at < chat.ended_at <= chat.ticket.updated_at
        assert chat.wait_seconds == int((chat.accepted_at - chat.started_at).total_seconds())
        assert chat.handle_seconds == int((chat.ended_at - chat.accepted_at).total_seconds())
        assigned = TicketEvent.objects.filter(ticket=chat.ticket, kind=EventKind.ASSIGNED).order_by("created_at", "id").first()
        assert (assigned.created_at, assigned.payload["to"]) == (chat.accepted_at, chat.agent_id)
        started, accepted, ended = events[chat.pk]
        assert [e.kind for e in (started, accepted, ended)] == ["chat_started", "chat_accepted", "chat_ended"]
        assert (started.created_at, accepted.created_at, ended.created_at) == (chat.started_at, chat.accepted_at, chat.ended_at)
        assert accepted.payload["wait_seconds"] == chat.wait_seconds and ended.payload["handle_seconds"] == chat.handle_seconds
        assert "summary" in started.payload and "summary" in ended.payload
        entries = list(ChatEntry.objects.filter(chat=chat).select_related("message").order_by("seq"))
        assert [e.seq for e in entries] == list(range(1, chat.seq + 1))
        assert [e.created_at for e in entries] == sorted(e.created_at for e in entries)
        assert entries[-1].kind == EntryKind.ENDED and sum(e.kind == EntryKind.JOINED for e in entries) == 1
        said = [e for e in entries if e.kind == EntryKind.MESSAGE]
        assert said[0].author == "customer" and said[0].created_at == chat.started_at
        assert any(e.author == "agent" for e in said)
        assert all(e.message.ticket_id == chat.ticket_id and e.message.created_at == e.created_at
                   and e.message.author_kind == e.author for e in said)
    waits = sorted(c.wait_seconds for c in chats)
    assert waits[len(waits) // 2] <= 600
    # concurrency: at every acceptance, the agent holds at most their limit, and some agent holds more than one
    busiest = 0
    for chat in chats:
        load = sum(1 for c in chats if c.agent_id == chat.agent_id and c.accepted_at <= chat.accepted_at < c.ended_at)
        assert load <= limits[chat.agent_id]
        busiest = max(busiest, load)
    assert busiest >= 2
    demo_reset()
    assert (Chat.objects.count(), ChatEntry.objects.count(), ChatWidget.objects.count(), ChatCapacity.objects.count()) == (0, 0, 0, 0)
