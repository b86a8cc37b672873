"""What the chat services share: the clock, cleaning the customer's input, events and log entries, locks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
from django.utils import timezone

from frontline.desk.errors import Conflict
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import Ticket, TicketEvent
from frontline.people.models import User

from ..models import Chat, ChatEntry, ChatState, EntryAuthor, EntryKind

NAME_MAX = 100


class NoAgentAvailable(Exception):
    """Nobody is online to take a chat from this widget: the customer may leave a message instead."""


@dataclass(frozen=True)
class StartedChat:
    chat: Chat
    token: str  # the widget's secret for this chat; only its digest is stored


def _now(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: must be an aware datetime")
    return at


def message_text_clean(text: object, field: str = "text") -> str:
    """A chat message's text: not empty, at most CHAT_MESSAGE_MAX_CHARS characters (ValidationError naming ``field``)."""
    if not isinstance(text, str):
        raise ValidationError({field: ["Write a message."]})
    text = text.replace("\x00", "").strip()
    if not text:
        raise ValidationError({field: ["Write a message."]})
    limit = settings.CHAT_MESSAGE_MAX_CHARS
    if len(text) > limit:
        raise ValidationError({field: [f"This message is {len(text):,} characters long; the limit is {limit:,}. "
                                       "Split it into shorter messages."]})
    return text


def _contact_clean(name: object, email: object) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = " ".join(str(name or "").replace("\x00", "").split())
    email = str(email or "").strip().lower()
    if not name:
        errors["name"] = ["Tell us your name."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"Keep your name under {NAME_MAX} characters."]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ["Enter an email address such as ana@example.com."]
    if errors:
        raise ValidationError(errors)
    return name, email


def _subject(text: str) -> str:
    first = " ".join(text.split())
    return "Chat: " + (first if len(first) <= 80 else first[:79] + "…")


def _event(ticket: Ticket, kind: str, actor: User | None, at: datetime, **payload: object) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)
    return event


def _entry(chat: Chat, *, kind: str, author: str, at: datetime, agent: User | None = None,
           message_id: int | None = None, text: str = "", also: dict[str, datetime | None] | None = None) -> ChatEntry:
    """Append to the chat's live log under the next number (the update locks the chat row until commit).

    ``also``: other columns of the chat (typing and seen times) set in the same UPDATE. A customer's
    message also becomes the chat's ``customer_seq``.
    """
    chat.seq = _next_seq(chat.pk, also or {}, customer=kind == EntryKind.MESSAGE and author == EntryAuthor.CUSTOMER)
    return ChatEntry.objects.create(chat=chat, seq=chat.seq, kind=kind, author=author, agent=agent,
                                    message_id=message_id, text=text[:300], created_at=at)


def _next_seq(chat_id: int, also: dict[str, datetime | None], *, customer: bool) -> int:
    """``UPDATE chat SET seq = seq + 1, <also> ... RETURNING seq``: one statement (PostgreSQL and SQLite >= 3.35).

    ``customer``: the entry is the customer's message, so ``customer_seq`` becomes the new number too.
    """
    columns = {f.name: f for f in Chat._meta.concrete_fields}
    quote = connection.ops.quote_name
    sets = [f"{quote('seq')} = {quote('seq')} + 1"]
    if customer:
        sets.append(f"{quote('customer_seq')} = {quote('seq')} + 1")  # the right side reads the row before the update
    params: list[object] = []
    for name, value in also.items():
        field = columns[name]
        sets.append(f"{quote(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection))
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {quote(Chat._meta.db_table)} SET {', '.join(sets)} WHERE {quote(Chat._meta.pk.column)} = %s "
                       f"RETURNING {quote('seq')}", [*params, chat_id])
        return int(cursor.fetchone()[0])


def _locked(chat: Chat) -> Chat:
    return Chat.objects.select_for_update(of=("self",)).select_related("ticket", "customer", "agent", "queue").get(pk=chat.pk)


def _first_name(user: User) -> str:
    return user.first_name or user.username



def _require_live(chat: Chat) -> None:
    if chat.state == ChatState.ENDED:
        raise Conflict("This chat has ended.")
