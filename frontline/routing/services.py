"""Writes of routing: route a ticket or chat, route the waiting work, move work off offline agents,
and the settings (queue routing, skills, capacities).

Each decision is a ``routed`` desk event (actor: none, the system) whose payload names the rule
and the reason (``summary``: "Routed to Ana by least-loaded: 2 open of 5"); a ticket nobody fits
gets one event when it starts waiting and one each time its fallback stage changes, not one per
periodic pass. Routing assigns through ``desk.services.ticket_assign`` and offers chats through
``chat.services.offer_chat``.

When it runs: after the commit of a ticket's creation or queue change (the desk hook,
``routing_on_ticket_event``; a chat's ticket is created with the chat, so the chat is offered
then), and every ROUTING_EVERY_S for the waiting work and the agents gone offline
(``routing_tick``, the ``routing.tick`` task). History replayed with old times (the demo) is
not routed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.chat.models import Chat, ChatState
from frontline.chat.services import offer_chat
from frontline.desk.errors import Conflict
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import Channel, EventKind, Queue, Ticket, TicketEvent
from frontline.desk.services import ticket_assign
from frontline.engine.routing import (
    LEVEL_MAX,
    LEVEL_MIN,
    AgentIndex,
    Decision,
    Fallback,
    Work,
    order_work,
    scan_decide,
)
from frontline.people.models import STAFF_ROLES, AgentProfile, Availability, User

from . import selectors
from .models import (
    ENGINE_MODE,
    AgentCapacity,
    AgentSkill,
    Mode,
    OfflineAction,
    QueueRouting,
    Turn,
    Waiting,
)

logger = logging.getLogger(__name__)


def _event(ticket: Ticket, at: datetime, **payload: Any) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=EventKind.ROUTED, actor=None, created_at=at, payload=payload)
    ticket_event_written(event)
    return event


# --- the hook ----------------------------------------------------------------------------------

def routing_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook: a new ticket in a queue, or one moved to a queue, is routed after the commit."""
    if event.kind == EventKind.CREATED:
        if event.payload.get("assignee_id") or not event.payload.get("queue_id"):
            return
    elif event.kind != EventKind.QUEUE_CHANGED or event.payload.get("to") is None:
        return
    if timezone.now() - event.created_at > timedelta(seconds=settings.ROUTING_LIVE_WINDOW_S):
        return  # history replayed with its old times (the demo, an import): nobody is routed then
    ticket_id = event.ticket_id
    transaction.on_commit(lambda: _route_quietly(ticket_id))


def _route_quietly(ticket_id: int) -> None:
    """Route after a commit; a failure is logged, never raised into the request that made the ticket."""
    try:
        route_ticket(ticket_id=ticket_id)
    except Exception:
        logger.exception("routing ticket %s failed; the periodic pass retries", ticket_id)


# --- one decision -------------------------------------------------------------------------------

def _fallback(config: QueueRouting) -> Fallback:
    return Fallback(drop_preferred_after_s=config.drop_preferred_after_s, widen_after_s=config.widen_after_s)


def _work(ticket: Ticket, config: QueueRouting, since: datetime, now: datetime, due: datetime | None) -> Work:
    return Work(work_id=ticket.pk, requirements=selectors.requirements_for(config=config, ticket=ticket),
                vip=selectors.is_vip(ticket), due_at=due.timestamp() if due else None,
                waiting_since=since.timestamp(), waited_s=max(0.0, (now - since).total_seconds()))


def _live_chat(ticket: Ticket) -> Chat | None:
    if ticket.channel != Channel.CHAT:
        return None
    return Chat.objects.filter(ticket=ticket, state=ChatState.WAITING).first()


def _offer_valid(chat: Chat, now: datetime) -> bool:
    return chat.offered_to_id is not None and chat.offered_at is not None and \
        now - chat.offered_at < timedelta(seconds=settings.CHAT_OFFER_S)


IndexFor = Callable[[bool, str], AgentIndex]


@transaction.atomic
def route_ticket(*, ticket_id: int, now: datetime | None = None, index_for: IndexFor | None = None) -> Decision | None:
    """Route one ticket (or offer its waiting chat) by its queue's rule; None when there is nothing
    to decide (manual queue, already assigned, not open, chat offer still running).

    ``index_for(chat, channel)`` gives the candidates' index (a batch shares one); by default the
    candidates are read for this decision alone.
    """
    now = now or timezone.now()
    # A waiting chat's row is locked before its ticket's, the order the chat's own writes take
    # (a customer's line, an accept: chat, then ticket); the other order deadlocks with them.
    list(Chat.objects.select_for_update().filter(ticket_id=ticket_id, state=ChatState.WAITING).values_list("pk", flat=True))
    ticket = (Ticket.objects.select_for_update(of=("self",)).select_related("requester", "company", "queue")
              .get(pk=ticket_id))
    config = selectors.config_for(queue_id=ticket.queue_id)
    if config is None or ticket.assignee_id is not None or ticket.status_category not in selectors.LOAD_CATEGORIES:
        Waiting.objects.filter(ticket=ticket).delete()
        return None
    chat = _live_chat(ticket)
    if chat is not None and _offer_valid(chat, now):
        return None
    waiting = Waiting.objects.filter(ticket=ticket).first()
    due = selectors.sla_due([ticket.pk]).get(ticket.pk)
    work = _work(ticket, config, waiting.since if waiting else now, now, due)
    if index_for is not None:
        index = index_for(chat is not None, ticket.channel)
    else:
        unit = "active" if chat is not None else selectors.TICKET_UNIT
        index = AgentIndex(selectors.candidates_for(queue=config.queue, chat=chat is not None, channel=ticket.channel,
                                                    now=now), unit=unit)
    mode = ENGINE_MODE[config.mode]
    decision = index.decide(work, mode=mode, fallback=_fallback(config))
    if chat is not None and decision.agent_id is not None and decision.agent_id == chat.offered_to_id:
        # The offer to this agent ran out unanswered: the next one gets it (a scan: rare).
        others = [c for c in index.candidates() if c.agent_id != chat.offered_to_id]
        decision = scan_decide(others, work, mode=mode, fallback=_fallback(config), unit=index.unit)
    if decision.agent_id is None:
        _wait(ticket, config, decision, waiting, now)
        return decision
    agent = User.objects.get(pk=decision.agent_id)
    payload: dict[str, Any] = {"rule": decision.rule, "reason": decision.reason, "agent_id": agent.pk,
                               "queue_id": config.queue_id, "stage": decision.stage, "matched": list(decision.matched)}
    if chat is not None:
        offer_chat(chat=chat, agent=agent, at=now)
        summary = f"Chat offered to {decision.agent_name} by {decision.rule}: {decision.reason}"
        payload["chat_id"] = chat.pk
    else:
        ticket_assign(ticket=ticket, assignee=agent, actor=None, at=now)
        summary = decision.summary
    Turn.objects.update_or_create(queue_id=config.queue_id, agent=agent, defaults={"last_routed_at": now})
    Waiting.objects.filter(ticket=ticket).delete()
    _event(ticket, now, summary=summary, **payload)
    index.assign(agent.pk, at=now.timestamp())
    return decision


def _wait(ticket: Ticket, config: QueueRouting, decision: Decision, waiting: Waiting | None, now: datetime) -> None:
    """Nobody fits now: record the wait; an event when it starts or its stage changes."""
    if waiting is None:
        Waiting.objects.create(ticket=ticket, since=now, stage=decision.stage, reason=decision.reason[:300], checked_at=now)
    else:
        changed = waiting.stage != decision.stage
        waiting.stage, waiting.reason, waiting.checked_at = decision.stage, decision.reason[:300], now
        waiting.save(update_fields=["stage", "reason", "checked_at"])
        if not changed:
            return
    _event(ticket, now, summary=decision.summary, rule=decision.rule, reason=decision.reason, agent_id=None,
           queue_id=config.queue_id, stage=decision.stage, matched=[])


# --- the periodic pass ----------------------------------------------------------------------------

@dataclass
class TickOutcome:
    routed: int = 0
    waiting: int = 0
    returned: int = 0
    failed: int = 0
    queues: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.routed} routed, {self.waiting} waiting, {self.returned} moved off offline agents, {self.failed} failed"


def route_waiting(*, queue: Queue, now: datetime | None = None, limit: int | None = None,
                  outcome: TickOutcome | None = None) -> TickOutcome:
    """Route the queue's waiting work in turn (VIP, then SLA due soonest, then longest waiting), one
    candidates index per channel for the whole pass."""
    now = now or timezone.now()
    outcome = outcome or TickOutcome()
    tickets = list(selectors.waiting_tickets(queue=queue, limit=limit or settings.ROUTING_BATCH))
    if not tickets:
        return outcome
    config = selectors.config_for(queue_id=queue.pk)
    if config is None:
        return outcome
    dues = selectors.sla_due([t.pk for t in tickets])
    since = dict(Waiting.objects.filter(ticket__in=tickets).values_list("ticket_id", "since"))
    works = order_work(_work(t, config, since.get(t.pk, now), now, dues.get(t.pk)) for t in tickets)
    indexes: dict[tuple[bool, str], AgentIndex] = {}

    def index_for(chat: bool, channel: str) -> AgentIndex:
        key = (chat, channel)
        if key not in indexes:
            indexes[key] = AgentIndex(selectors.candidates_for(queue=queue, chat=chat, channel=channel, now=now),
                                      unit="active" if chat else selectors.TICKET_UNIT)
        return indexes[key]

    for work in works:
        try:
            decision = route_ticket(ticket_id=work.work_id, now=now, index_for=index_for)
        except (Conflict, ValidationError, Ticket.DoesNotExist) as exc:
            logger.warning("routing ticket %s: %s", work.work_id, exc)
            outcome.failed += 1
            continue
        if decision is not None:
            if decision.agent_id is None:
                outcome.waiting += 1
            else:
                outcome.routed += 1
    outcome.queues.append(queue.name)
    return outcome


def route_offline(*, now: datetime | None = None, outcome: TickOutcome | None = None) -> TickOutcome:
    """Move open tickets off agents offline longer than their queue's grace: back to the queue, or
    routed to someone else (per queue). Live chats stay with the chat app's transfer."""
    now = now or timezone.now()
    outcome = outcome or TickOutcome()
    for config in QueueRouting.objects.exclude(offline_action=OfflineAction.KEEP).select_related("queue"):
        gone = AgentProfile.objects.filter(availability=Availability.OFFLINE,
                                           availability_changed_at__lte=now - timedelta(seconds=config.offline_grace_s))
        tickets = (Ticket.objects.filter(queue=config.queue, assignee__agent_profile__in=gone,
                                         status_category__in=selectors.LOAD_CATEGORIES)
                   .exclude(chat__state__in=[ChatState.WAITING, ChatState.ACTIVE]).values_list("pk", flat=True))
        for ticket_id in list(tickets[: settings.ROUTING_BATCH]):
            _return_to_queue(ticket_id=ticket_id, config=config, now=now)
            outcome.returned += 1
            if config.offline_action == OfflineAction.REASSIGN and config.mode != Mode.MANUAL:
                decision = route_ticket(ticket_id=ticket_id, now=now)
                outcome.routed += decision is not None and decision.agent_id is not None
    return outcome


@transaction.atomic
def _return_to_queue(*, ticket_id: int, config: QueueRouting, now: datetime) -> None:
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=ticket_id)
    agent = ticket.assignee
    if agent is None:
        return
    ticket_assign(ticket=ticket, assignee=None, actor=None, at=now)
    _event(ticket, now, summary=f"Returned to the queue {config.queue.name}: {agent.display_name} went offline",
           rule="offline", reason=f"{agent.display_name} went offline", agent_id=None, from_agent_id=agent.pk,
           queue_id=config.queue_id, stage=0, matched=[])


def routing_tick(*, now: datetime | None = None) -> TickOutcome:
    """The periodic pass: agents gone offline first, then every routed queue's waiting work."""
    now = now or timezone.now()
    outcome = route_offline(now=now)
    for config in selectors.routed_queues():
        route_waiting(queue=config.queue, now=now, outcome=outcome)
    return outcome


# --- settings ---------------------------------------------------------------------------------------

_REQ = re.compile(r"^\s*(?P<name>[A-Za-z][A-Za-z0-9_-]{0,39})\s*=\s*(?P<value>\{[a-z_.]+\}|[^\s>{}]{1,60})"
                  r"\s*(?:>=\s*(?P<level>\d))?\s*(?P<kind>required|preferred)?\s*$", re.IGNORECASE)


def requirements_parse(text: str) -> list[dict[str, Any]]:
    """Requirements from lines ``name=value [>=level] [required|preferred]`` (required by default);
    a value in braces is read from the ticket: ``{customer.language}``, ``{customer.tier}``,
    ``{field.KEY}``. ValidationError names the line."""
    out: list[dict[str, Any]] = []
    errors = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _REQ.match(line)
        level = int(m.group("level") or 1) if m else 0
        value = m.group("value") if m else ""
        source_ok = not value.startswith("{") or value in selectors.REQUIREMENT_SOURCES or \
            re.fullmatch(r"\{field\.[a-z0-9_-]+\}", value) is not None
        if m is None or not LEVEL_MIN <= level <= LEVEL_MAX or not source_ok:
            errors.append(f"Line {number}: write name=value [>=1-5] [required|preferred], e.g. "
                          f"language={{customer.language}} required or product=billing>=3 preferred.")
            continue
        out.append({"name": m.group("name").lower(), "value": value, "min_level": level,
                    "required": (m.group("kind") or "required").lower() != "preferred"})
    if len(out) > 10:
        errors.append("At most 10 requirements.")
    if errors:
        raise ValidationError({"requirements": errors})
    return out


_REQ_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,39}")
_REQ_VALUE = re.compile(r"\{[a-z_.]+\}|[^\s>{}]{1,60}")


def requirements_clean(requirements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Structured requirements (the API's) checked like ``requirements_parse``'s lines; a
    ValidationError names each failing entry's field (``requirements.1.value``)."""
    errors: dict[str, list[str]] = {}
    out: list[dict[str, Any]] = []
    if len(requirements) > 10:
        errors["requirements"] = ["At most 10 requirements."]
    for i, r in enumerate(requirements):
        name, value, level = str(r.get("name", "")), str(r.get("value", "")), r.get("min_level", 1)
        if not _REQ_NAME.fullmatch(name):
            errors[f"requirements.{i}.name"] = ["A letter, then up to 39 letters, digits, _ or -."]
        source_ok = not value.startswith("{") or value in selectors.REQUIREMENT_SOURCES or \
            re.fullmatch(r"\{field\.[a-z0-9_-]+\}", value) is not None
        if not _REQ_VALUE.fullmatch(value) or not source_ok:
            errors[f"requirements.{i}.value"] = [
                "1 to 60 characters without spaces, or {customer.language}, {customer.tier} or {field.KEY}."]
        if isinstance(level, bool) or not isinstance(level, int) or not LEVEL_MIN <= level <= LEVEL_MAX:
            errors[f"requirements.{i}.min_level"] = [f"A level from {LEVEL_MIN} to {LEVEL_MAX}."]
        out.append({"name": name.lower(), "value": value, "min_level": level, "required": bool(r.get("required", True))})
    if errors:
        raise ValidationError(errors)
    return out


def requirements_text(requirements: list[dict[str, Any]]) -> str:
    lines = []
    for r in requirements:
        level = f">={r['min_level']}" if int(r.get("min_level", 1)) > 1 else ""
        lines.append(f"{r['name']}={r['value']}{level} {'required' if r.get('required', True) else 'preferred'}")
    return "\n".join(lines)


@transaction.atomic
def queue_routing_set(*, queue: Queue, actor: User, mode: str, requirements: list[dict[str, Any]],
                      drop_preferred_after_s: int | None, widen_after_s: int | None, offline_action: str,
                      offline_grace_s: int) -> QueueRouting:
    """Set how ``queue`` routes (the caller checks that ``actor`` may: managers and admins)."""
    errors: dict[str, list[str]] = {}
    try:
        requirements = requirements_clean(requirements)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for name, seconds in (("drop_preferred_after_s", drop_preferred_after_s), ("widen_after_s", widen_after_s),
                          ("offline_grace_s", offline_grace_s)):
        if seconds is not None and not 0 <= seconds <= 86_400:
            errors[name] = ["Between 0 and 86,400 seconds."]
    if mode not in Mode.values:
        errors["mode"] = [f"Choose one of: {', '.join(Mode.values)}."]
    if offline_action not in OfflineAction.values:
        errors["offline_action"] = [f"Choose one of: {', '.join(OfflineAction.values)}."]
    if drop_preferred_after_s is not None and widen_after_s is not None and widen_after_s < drop_preferred_after_s:
        errors["widen_after_s"] = ["Widen to the team after preferred skills are dropped, not before."]
    if mode == Mode.SKILLS and not requirements:
        errors["requirements"] = ["Skills-based routing needs at least one requirement."]
    if errors:
        raise ValidationError(errors)
    config, _ = QueueRouting.objects.select_for_update().get_or_create(queue=queue)
    config.mode, config.requirements = mode, requirements
    config.drop_preferred_after_s, config.widen_after_s = drop_preferred_after_s, widen_after_s
    config.offline_action, config.offline_grace_s = offline_action, offline_grace_s
    config.updated_at, config.updated_by = timezone.now(), actor
    config.save()
    return config


def _require_staff(agent: User) -> None:
    if agent.role not in STAFF_ROLES:
        raise ValidationError({"agent": ["Skills and capacities are for staff."]})


@transaction.atomic
def agent_skills_set(*, agent: User, skills: list[tuple[str, str, int]]) -> list[AgentSkill]:
    """Replace the agent's skills with ``(name, value, level)`` rows."""
    _require_staff(agent)
    seen: set[tuple[str, str]] = set()
    rows = []
    for name, value, level in skills:
        if (name, value) in seen:
            raise ValidationError({"skills": [f"{name}={value} is listed twice."]})
        if not LEVEL_MIN <= level <= LEVEL_MAX:
            raise ValidationError({"skills": [f"{name}={value}: a level is {LEVEL_MIN} to {LEVEL_MAX}."]})
        seen.add((name, value))
        rows.append(AgentSkill(agent=agent, name=name, value=value, level=level))
    AgentSkill.objects.filter(agent=agent).delete()
    return AgentSkill.objects.bulk_create(rows)


@transaction.atomic
def agent_capacities_set(*, agent: User, capacities: dict[str, int | None]) -> None:
    """Set the agent's open-ticket limit per channel (None: the default); chats are the chat app's."""
    _require_staff(agent)
    for channel, value in capacities.items():
        if channel not in Channel.values or channel == Channel.CHAT:
            raise ValidationError({"capacities": [f"No ticket capacity for channel {channel!r}."]})
        if value is None:
            AgentCapacity.objects.filter(agent=agent, channel=channel).delete()
        elif not 0 <= value <= 500:
            raise ValidationError({f"capacity_{channel}": ["Between 0 and 500 open tickets."]})
        else:
            AgentCapacity.objects.update_or_create(agent=agent, channel=channel, defaults={"max_open": value})
