"""A chat's customer side and its lines: start, leave a message, messages from both sides, typing, seen."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from frontline.desk.models import Channel, EventKind, Ticket
from frontline.desk.services import (
    handle_seconds_since,
    ticket_create_for_contact,
    ticket_reply,
)
from frontline.people.models import User

from .. import selectors
from ..models import Chat, ChatEntry, ChatState, ChatWidget, EntryAuthor, EntryKind
from ._common import (
    NoAgentAvailable,
    StartedChat,
    _contact_clean,
    _entry,
    _event,
    _locked,
    _now,
    _require_live,
    _subject,
    message_text_clean,
)


@transaction.atomic
def chat_start(*, widget: ChatWidget, name: str, email: str, text: str, origin: str = "",
               at: datetime | None = None, require_agent: bool = True) -> StartedChat:
    """Open a chat (and its ticket, channel chat, in the widget's queue) with the customer's first message.

    NoAgentAvailable when ``require_agent`` and nobody online takes chats from this widget.
    """
    at = _now(at)
    text = message_text_clean(text)
    name, email = _contact_clean(name, email)
    if require_agent and not selectors.agents_available_for(widget=widget):
        raise NoAgentAvailable("No agent is available right now.")
    try:
        ticket = ticket_create_for_contact(email=email, name=name, subject=_subject(text), body=text, actor=None,
                                           channel=Channel.CHAT, queue=widget.queue, notify=False, at=at)
    except ValidationError as exc:
        renames = {"requester_email": "email", "requester_name": "name", "body": "text"}
        raise ValidationError({renames.get(k, k): v for k, v in exc.message_dict.items()}) from None
    token = secrets.token_urlsafe(32)
    chat = Chat.objects.create(widget=widget, ticket=ticket, customer=ticket.requester, queue=widget.queue,
                               token_digest=selectors.token_digest(token), origin=origin[:200], started_at=at,
                               waiting_since=at, customer_seen_at=at)
    first = ticket.messages.order_by("id").values_list("id", flat=True).first()
    _entry(chat, kind=EntryKind.MESSAGE, author=EntryAuthor.CUSTOMER, at=at, message_id=first)
    where = f" on {origin}" if origin else ""
    _event(ticket, EventKind.CHAT_STARTED, None, at, chat_id=chat.pk, widget=widget.name,
           queue_id=widget.queue_id, origin=origin[:200], summary=f"{name} started a chat{where}.")
    return StartedChat(chat=chat, token=token)


@transaction.atomic
def chat_leave_message(*, widget: ChatWidget, name: str, email: str, text: str, at: datetime | None = None) -> Ticket:
    """No agent online: the customer's message becomes a normal ticket (channel chat) with an emailed receipt."""
    at = _now(at)
    text = message_text_clean(text)
    name, email = _contact_clean(name, email)
    try:
        return ticket_create_for_contact(email=email, name=name, subject=_subject(text).replace("Chat: ", "", 1),
                                         body=text, actor=None, channel=Channel.CHAT, queue=widget.queue,
                                         notify=True, at=at)
    except ValidationError as exc:
        renames = {"requester_email": "email", "requester_name": "name", "body": "text"}
        raise ValidationError({renames.get(k, k): v for k, v in exc.message_dict.items()}) from None



@transaction.atomic
def chat_customer_says(*, chat: Chat, text: str, at: datetime | None = None) -> ChatEntry:
    """The customer's message in a live chat (a customer reply on the ticket)."""
    at = _now(at)
    text = message_text_clean(text)
    chat = _locked(chat)
    _require_live(chat)
    message = ticket_reply(ticket=chat.ticket, author=None, customer=chat.customer, body=text, notify=False, at=at)
    return _entry(chat, kind=EntryKind.MESSAGE, author=EntryAuthor.CUSTOMER, at=at, message_id=message.pk,
                  also={"customer_typing_at": None, "customer_seen_at": at})


@transaction.atomic
def chat_agent_says(*, chat: Chat, agent: User, text: str, at: datetime | None = None) -> ChatEntry:
    """The agent's message in their chat (a public reply on the ticket, not emailed; it carries handle time)."""
    at = _now(at)
    text = message_text_clean(text)
    chat = _locked(chat)
    _require_live(chat)
    if chat.state != ChatState.ACTIVE or chat.agent_id != agent.pk:
        raise PermissionDenied("Only the agent holding this chat writes in it; accept it first.")
    handle = handle_seconds_since(chat.agent_mark_at or at, now=at)
    message = ticket_reply(ticket=chat.ticket, author=agent, body=text, notify=False, at=at, handle_seconds=handle)
    return _entry(chat, kind=EntryKind.MESSAGE, author=EntryAuthor.AGENT, at=at, agent=agent, message_id=message.pk,
                  also={"agent_typing_at": None, "agent_mark_at": at})


def chat_typing(*, chat: Chat, side: str, at: datetime | None = None) -> None:
    """Someone is typing: shown to the other side for CHAT_TYPING_S. At most one write per 2 s and side."""
    at = _now(at)
    column = "customer_typing_at" if side == EntryAuthor.CUSTOMER else "agent_typing_at"
    recent = at - timedelta(seconds=2)
    (Chat.objects.filter(pk=chat.pk, state__in=[ChatState.WAITING, ChatState.ACTIVE])
     .exclude(**{f"{column}__gt": recent}).update(**{column: at, "pulse": F("pulse") + 1}))


def chat_customer_seen(*, chat: Chat, at: datetime | None = None) -> None:
    """The widget asked for news: the customer is still there (written at most every 20 s)."""
    at = _now(at)
    if chat.customer_seen_at is None or at - chat.customer_seen_at > timedelta(seconds=20):
        Chat.objects.filter(pk=chat.pk).update(customer_seen_at=at)
