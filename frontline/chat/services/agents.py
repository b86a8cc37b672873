"""Agents and a chat: offer (routing), accept within the limit, segments, transfer, end."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from frontline.core import background, formats
from frontline.desk.errors import Conflict
from frontline.desk.models import Channel, EventKind, Queue, StatusCategory, Ticket
from frontline.desk.services import (
    handle_seconds_since,
    status_default,
    ticket_assign,
    ticket_queue_change,
    ticket_reply,
    ticket_status_change,
)
from frontline.people.models import STAFF_ROLES, Role, User
from frontline.surveys.selectors import rule_for as survey_rule_for
from frontline.surveys.services import survey_link_for

from .. import selectors
from ..models import Chat, ChatState, EndedBy, EntryAuthor, EntryKind
from ._common import _entry, _event, _first_name, _locked, _now


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


def offer_blocks(chat: Chat, agent: User, at: datetime) -> bool:
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
    if offer_blocks(chat, agent, at):
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
