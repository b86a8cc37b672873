"""Writes of live chat: start, messages, typing, offer and accept, transfer, end, leave a message, transcript.

Every chat is a desk ticket (channel ``chat``): its messages are written through
``desk.services.ticket_reply`` (so SLA clocks, first response and metrics see them like any
other), and the chat's own steps are desk events (``chat_started`` … ``chat_ended``) with the
wait and handle time in their payload and a ``summary`` sentence for the ticket history.

Times (definitions, the same in docs/chat.md):

- **chat wait time**: from the start (or a transfer back to a queue) to an agent's acceptance;
  for a chat nobody accepted, to its end;
- **chat handle time**: the sum of the agents' segments, each from acceptance (or a transfer to
  them) to the end (or their transfer away). It feeds the desk's handle time: each agent message
  carries the seconds since the agent's previous mark (acceptance, or their previous message),
  and when the segment closes a wrap-up note by that agent carries the rest, so the ticket's
  handle time (the sum over agent messages) equals the chat handle time.

At the end of a chat an agent joined, the CSAT survey of the surveys app's rule for the chat
channel (and the chat's queue) is shown in the widget (``surveys.services.survey_link_for``).

Routing (a later app) calls ``offer_chat`` then the agent ``accept_chat``; the queue page calls
``accept_chat`` directly.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from frontline.core import background, formats
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import Channel, EventKind, Queue, StatusCategory, Ticket, TicketEvent
from frontline.desk.services import (
    handle_seconds_since,
    status_default,
    ticket_assign,
    ticket_create_for_contact,
    ticket_queue_change,
    ticket_reply,
    ticket_status_change,
)
from frontline.people.models import STAFF_ROLES, Role, User
from frontline.surveys.selectors import rule_for as survey_rule_for
from frontline.surveys.services import survey_link_for

from . import selectors
from .models import Chat, ChatEntry, ChatState, ChatWidget, EndedBy, EntryAuthor, EntryKind

log = logging.getLogger(__name__)

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


def _require_live(chat: Chat) -> None:
    if chat.state == ChatState.ENDED:
        raise Conflict("This chat has ended.")


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


def _capacity_check(agent: User) -> None:
    User.objects.select_for_update().filter(pk=agent.pk).values_list("pk", flat=True).get()  # serialise per agent
    capacity = selectors.chat_capacity(agent=agent)
    load = selectors.chat_load(agent=agent)
    if load >= capacity:
        raise Conflict(f"{agent.display_name} already holds {load} chat{'s' if load != 1 else ''}; "
                       f"the limit is {capacity}.")


def _require_agent(agent: User) -> None:
    if agent.role not in STAFF_ROLES or not agent.is_active:
        raise PermissionDenied(f"{agent.display_name} is not an active agent.")


@transaction.atomic
def offer_chat(*, chat: Chat, agent: User, at: datetime | None = None) -> Chat:
    """Offer a waiting chat to one agent: for CHAT_OFFER_S only they may accept it (routing calls this)."""
    at = _now(at)
    _require_agent(agent)
    chat = _locked(chat)
    if chat.state != ChatState.WAITING:
        raise Conflict("Only a waiting chat can be offered.")
    chat.offered_to, chat.offered_at = agent, at
    chat.save(update_fields=["offered_to", "offered_at"])
    Chat.objects.filter(pk=chat.pk).update(pulse=F("pulse") + 1)
    return chat


def _offer_blocks(chat: Chat, agent: User, at: datetime) -> bool:
    return (chat.offered_to_id is not None and chat.offered_to_id != agent.pk and chat.offered_at is not None
            and at - chat.offered_at < timedelta(seconds=settings.CHAT_OFFER_S))


def _open_segment(chat: Chat, agent: User, at: datetime) -> None:
    chat.state, chat.agent = ChatState.ACTIVE, agent
    chat.segment_started_at = chat.agent_mark_at = at
    chat.offered_to, chat.offered_at = None, None


@transaction.atomic
def accept_chat(*, chat: Chat, agent: User, at: datetime | None = None) -> Chat:
    """The agent takes a waiting chat: within their concurrency limit, unless it is offered to someone else."""
    at = _now(at)
    _require_agent(agent)
    _capacity_check(agent)
    chat = _locked(chat)
    if chat.state != ChatState.WAITING:
        who = f" by {chat.agent.display_name}" if chat.agent else ""
        raise Conflict(f"This chat was already taken{who}." if chat.state == ChatState.ACTIVE else "This chat has ended.")
    if _offer_blocks(chat, agent, at):
        raise Conflict("This chat is offered to another agent right now.")
    waited = max(0, int((at - chat.waiting_since).total_seconds()))
    chat.wait_seconds += waited
    first = chat.accepted_at is None
    if first:
        chat.accepted_at = at
    _open_segment(chat, agent, at)
    chat.save(update_fields=["state", "agent", "segment_started_at", "agent_mark_at", "offered_to", "offered_at",
                             "wait_seconds", "accepted_at"])
    ticket_assign(ticket=chat.ticket, assignee=agent, actor=agent, at=at)
    _entry(chat, kind=EntryKind.JOINED, author=EntryAuthor.SYSTEM, at=at, agent=agent,
           text=f"{_first_name(agent)} joined the chat.")
    _event(chat.ticket, EventKind.CHAT_ACCEPTED, agent, at, chat_id=chat.pk, agent_id=agent.pk, wait_seconds=waited,
           first=first, summary=f"{agent.display_name} accepted the chat after {formats.duration(waited)} waiting.")
    return chat


def _close_segment(chat: Chat, at: datetime, closing_note: str) -> int:
    """End the current agent's segment: its seconds, with a wrap-up note carrying the handle time not yet counted.

    No note on a closed ticket (closed before the guard below existed): the chat still ends.
    """
    agent = chat.agent
    assert agent is not None and chat.segment_started_at is not None
    segment = max(0, int((at - chat.segment_started_at).total_seconds()))
    chat.handle_seconds += segment
    tail = handle_seconds_since(chat.agent_mark_at or at, now=at)
    if Ticket.objects.filter(pk=chat.ticket_id).exclude(status_category=StatusCategory.CLOSED).exists():
        ticket_reply(ticket=chat.ticket, author=agent, body=closing_note, public=False, notify=False, at=at,
                     handle_seconds=tail)
    chat.segment_started_at = chat.agent_mark_at = None
    return segment


def _may_move(chat: Chat, actor: User) -> None:
    if chat.agent_id != actor.pk and actor.role not in (Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN):
        raise PermissionDenied("Only the agent holding this chat, a team lead or a manager can do that.")


@transaction.atomic
def chat_transfer(*, chat: Chat, actor: User, to_agent: User | None = None, to_queue: Queue | None = None,
                  at: datetime | None = None) -> Chat:
    """Hand an active chat to another agent (within their limit) or back to a queue, where it waits again."""
    at = _now(at)
    if (to_agent is None) == (to_queue is None):
        raise ValidationError({"to": ["Choose an agent or a queue to transfer the chat to."]})
    if to_agent is not None:
        _require_agent(to_agent)
        _capacity_check(to_agent)
    chat = _locked(chat)
    if chat.state != ChatState.ACTIVE or chat.agent is None:
        raise Conflict("Only a chat in progress can be transferred.")
    _may_move(chat, actor)
    previous = chat.agent
    if to_agent is not None and to_agent.pk == previous.pk:
        raise ValidationError({"to": ["The chat is already with this agent."]})
    target = to_agent.display_name if to_agent else f"the {to_queue.name} queue"  # type: ignore[union-attr]
    by = "" if actor.pk == previous.pk else f" by {actor.display_name}"
    segment = _close_segment(chat, at, f"Chat transferred to {target}{by}.")
    if to_agent is not None:
        _open_segment(chat, to_agent, at)
        chat.save(update_fields=["state", "agent", "segment_started_at", "agent_mark_at", "offered_to", "offered_at",
                                 "handle_seconds"])
        ticket_assign(ticket=chat.ticket, assignee=to_agent, actor=actor, at=at)
        told = f"You are now chatting with {_first_name(to_agent)}."
    else:
        chat.state, chat.agent, chat.queue, chat.waiting_since = ChatState.WAITING, None, to_queue, at
        chat.save(update_fields=["state", "agent", "queue", "waiting_since", "segment_started_at", "agent_mark_at",
                                 "handle_seconds"])
        ticket_assign(ticket=chat.ticket, assignee=None, actor=actor, at=at)
        ticket_queue_change(ticket=chat.ticket, queue=to_queue, actor=actor, at=at)
        told = "Your chat was passed on to a colleague; the next free agent will join you."
    _entry(chat, kind=EntryKind.TRANSFERRED, author=EntryAuthor.SYSTEM, at=at, agent=to_agent, text=told)
    _event(chat.ticket, EventKind.CHAT_TRANSFERRED, actor, at, chat_id=chat.pk, from_agent_id=previous.pk,
           to_agent_id=to_agent.pk if to_agent else None, to_queue_id=to_queue.pk if to_queue else None,
           handle_seconds=segment,
           summary=f"{previous.display_name} transferred the chat to {target}{by} after {formats.duration(segment)}.")
    return chat


@transaction.atomic
def chat_end(*, chat: Chat, by: str, actor: User | None = None, solve: bool = False,
             at: datetime | None = None) -> Chat:
    """End a live chat (ending an ended one changes nothing). ``solve``: the agent also marks the ticket solved.

    Ended by the customer, the agent, the customer leaving a message instead of waiting, or
    inactivity (the widget stopped asking for news for CHAT_IDLE_END_S). A chat nobody accepted
    stays a new ticket in its queue, to be answered by email.
    """
    at = _now(at)
    if by not in EndedBy.values:
        raise ValueError(f"by: one of {', '.join(EndedBy.values)}")
    chat = _locked(chat)
    if chat.state == ChatState.ENDED:
        return chat
    if by == EndedBy.AGENT:
        if actor is None:
            raise PermissionDenied("An agent ends the chat.")
        _may_move(chat, actor)
    agent = chat.agent
    wait = 0
    segment = 0
    if chat.state == ChatState.WAITING:
        wait = max(0, int((at - chat.waiting_since).total_seconds()))
        chat.wait_seconds += wait
    else:
        who = {EndedBy.AGENT: "the agent", EndedBy.CUSTOMER: "the customer", EndedBy.TIMEOUT: "inactivity",
               EndedBy.LEFT_MESSAGE: "the customer"}[by]
        segment = _close_segment(chat, at, f"Chat ended by {who}.")
    chat.state, chat.ended_at, chat.ended_by = ChatState.ENDED, at, by
    chat.save(update_fields=["state", "ended_at", "ended_by", "wait_seconds", "handle_seconds", "segment_started_at",
                             "agent_mark_at"])
    told = {EndedBy.AGENT: "The agent ended the chat.", EndedBy.CUSTOMER: "You ended the chat.",
            EndedBy.TIMEOUT: "The chat ended after a period of inactivity.",
            EndedBy.LEFT_MESSAGE: "Thanks, we have your message and will answer by email."}[by]
    _entry(chat, kind=EntryKind.ENDED, author=EntryAuthor.SYSTEM, at=at, text=told)
    accepted = chat.accepted_at is not None
    if accepted:
        summary = (f"Chat ended by {EndedBy(by).label}: handled in {formats.duration(chat.handle_seconds)}"
                   f"{' by ' + agent.display_name if agent else ''}, after {formats.duration(chat.wait_seconds)} waiting.")
    else:
        summary = f"Chat ended by {EndedBy(by).label} after {formats.duration(chat.wait_seconds)} waiting; no agent joined."
    _event(chat.ticket, EventKind.CHAT_ENDED, actor, at, chat_id=chat.pk, ended_by=by, accepted=accepted,
           wait_seconds=chat.wait_seconds, handle_seconds=chat.handle_seconds, last_segment_seconds=segment,
           agent_id=agent.pk if agent else None, summary=summary)
    if accepted:
        # The CSAT survey, shown in the widget (surveys decides: its rules, its throttle); before
        # the solve below, so that the solve does not schedule a second one by email.
        rule = survey_rule_for(channel=Channel.CHAT, queue_id=chat.ticket.queue_id)
        if rule is not None and rule.enabled:
            chat.survey_url = survey_link_for(ticket=chat.ticket, kind=rule.survey, channel=Channel.CHAT, at=at) or ""
            chat.save(update_fields=["survey_url"])
    if solve and actor is not None:
        ticket = Ticket.objects.get(pk=chat.ticket_id)
        if ticket.status_category not in (StatusCategory.SOLVED, StatusCategory.CLOSED):
            ticket_status_change(ticket=ticket, status=status_default(StatusCategory.SOLVED), actor=actor, at=at)
    if chat.transcript_requested_at is not None:
        background.enqueue_on_commit("chat.send_transcript", chat.pk)
    return chat


@transaction.atomic
def chat_transcript_request(*, chat: Chat, at: datetime | None = None) -> bool:
    """The customer asks for the transcript by email: sent once, when the chat has ended. False if asked before."""
    at = _now(at)
    updated = Chat.objects.filter(pk=chat.pk, transcript_requested_at__isnull=True).update(transcript_requested_at=at)
    if not updated:
        return False
    if Chat.objects.filter(pk=chat.pk, state=ChatState.ENDED).exists():
        background.enqueue_on_commit("chat.send_transcript", chat.pk)
    return True


def chat_transcript_text(*, chat: Chat) -> str:
    """The transcript as the customer reads it in the email: who said what, when (UTC)."""
    lines = [f"Your chat with {chat.ticket.subject.removeprefix('Chat: ')!r} (request #{chat.ticket_id})", ""]
    for entry in selectors.chat_entries_after(chat=chat, after=0, for_customer=True, limit=5000):
        stamp = entry.at.astimezone(UTC).strftime("%H:%M")
        if entry.kind == EntryKind.MESSAGE:
            lines.append(f"[{stamp}] {entry.name}: {entry.text}")
        else:
            lines.append(f"[{stamp}] {entry.text}")
    lines += ["", "Times are UTC. Reply to this email if you need anything else."]
    return "\n".join(lines)


def chat_transcript_send(*, chat_id: int) -> str:
    """Email the transcript to the customer through the mail app's outgoing path (at most once per chat)."""
    from frontline.mail.outgoing import notice_send

    chat = Chat.objects.select_related("ticket", "customer").get(pk=chat_id)
    return notice_send(key=f"chat-transcript-{chat.pk}", to=chat.customer.email,
                       subject=f"Your chat transcript (request #{chat.ticket_id})", body=chat_transcript_text(chat=chat),
                       ticket=chat.ticket, kind="chat_transcript")


def chats_end_idle(*, now: datetime | None = None) -> int:
    """End the live chats whose widget went quiet for CHAT_IDLE_END_S (periodic). Returns how many.

    A chat that cannot be ended (its ticket refuses the wrap-up: required fields, say) is logged
    and left for the next run; it does not keep the others from ending.
    """
    now = _now(now)
    ended = 0
    for chat_id in selectors.chats_idle(now=now):
        chat = Chat.objects.filter(pk=chat_id).first()
        if chat is None:
            continue
        try:
            chat_end(chat=chat, by=EndedBy.TIMEOUT, at=now)
        except (Conflict, TransitionNotAllowed, ValidationError, PermissionDenied):
            log.exception("chat: ending idle chat %s failed", chat_id)
            continue
        ended += 1
    return ended


def live_chat_guard(event: TicketEvent) -> None:
    """Desk listener (``ChatConfig.ready``): a ticket whose chat is live is neither merged nor closed.

    The chat writes to its ticket until it ends (the customer's lines, the wrap-up note), and a
    closed ticket takes no more writes: the chat could not end. The merge or close is refused
    (409, rolled back with it): end the chat first.
    """
    if event.kind == EventKind.MERGED:
        refuse: type[Exception] = Conflict
    elif event.kind == EventKind.STATUS_CHANGED and event.payload.get("to_category") == StatusCategory.CLOSED:
        refuse = TransitionNotAllowed
    else:
        return
    if Chat.objects.filter(ticket_id=event.ticket_id, state__in=[ChatState.WAITING, ChatState.ACTIVE]).exists():
        raise refuse(f"Ticket #{event.ticket_id} is a live chat: end the chat first.")
