"""Event rules running: the desk hook, the chain's loop guard and depth cut, firing a rule."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from frontline.core import background
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.models import EventKind, Ticket, TicketEvent
from frontline.engine import rules as engine
from frontline.mail.outgoing import notice_send
from frontline.people.models import Team, User

from .. import placeholders, selectors
from ..actions import (
    actions_apply,
)
from ..models import Rule, RuleFiring, Trigger
from ..webhooks import webhook_post
from ._common import EVENT_TRIGGERS, IGNORED_KINDS, TRIGGER_OF_KIND, _event, log

# --- rules: running ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Chain:
    """The automation firing that is writing events now: how deep, and which rules fired in it."""

    depth: int
    fired: tuple[int, ...]


_chain: ContextVar[Chain | None] = ContextVar("frontline_automation_chain", default=None)


def automations_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook: enqueue the rule run for ``event`` after commit when an event rule exists."""
    if event.kind in IGNORED_KINDS:
        return
    if not Rule.objects.filter(active=True, trigger__in=EVENT_TRIGGERS).exists():
        return
    chain = _chain.get()
    depth, fired = (chain.depth + 1, list(chain.fired)) if chain else (0, [])
    background.enqueue_on_commit("automations.run", event.pk, depth, fired)


def triggers_of(kinds: Iterable[str]) -> set[str]:
    """The triggers a change made of events of ``kinds`` matches."""
    kinds = set(kinds)
    found = {TRIGGER_OF_KIND[k] for k in kinds if k in TRIGGER_OF_KIND}
    if EventKind.CREATED not in kinds and kinds - {EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED}:
        found.add(Trigger.TICKET_UPDATED)
    return found


def _previous_values(batch: list[TicketEvent], current: dict[str, Any]) -> dict[str, Any]:
    """Field → value before the change, from the events' payloads."""
    previous: dict[str, Any] = {}
    user_ids, team_ids, queue_ids = set(), set(), set()
    for e in batch:
        p = e.payload
        if e.kind == EventKind.ASSIGNED:
            user_ids.add(p.get("from"))
        elif e.kind == EventKind.TEAM_CHANGED:
            team_ids.add(p.get("from"))
        elif e.kind == EventKind.QUEUE_CHANGED:
            queue_ids.add(p.get("from"))
    from frontline.desk.models import Queue

    users = dict(User.objects.filter(pk__in=user_ids - {None}).values_list("pk", "username"))
    teams = dict(Team.objects.filter(pk__in=team_ids - {None}).values_list("pk", "name"))
    queues = dict(Queue.objects.filter(pk__in=queue_ids - {None}).values_list("pk", "slug"))
    for e in batch:
        p = e.payload
        if e.kind == EventKind.STATUS_CHANGED:
            previous.setdefault("ticket.status_category", p.get("from_category"))
            previous.setdefault("ticket.status", p.get("from"))
        elif e.kind == EventKind.PRIORITY_CHANGED:
            previous.setdefault("ticket.priority", p.get("from"))
        elif e.kind == EventKind.TYPE_CHANGED:
            previous.setdefault("ticket.type", p.get("from"))
        elif e.kind == EventKind.SUBJECT_CHANGED:
            previous.setdefault("ticket.subject", p.get("from"))
        elif e.kind == EventKind.ASSIGNED:
            previous.setdefault("ticket.assignee", users.get(p.get("from")))
        elif e.kind == EventKind.TEAM_CHANGED:
            previous.setdefault("ticket.team", teams.get(p.get("from")))
        elif e.kind == EventKind.QUEUE_CHANGED:
            previous.setdefault("ticket.queue", queues.get(p.get("from")))
        elif e.kind == EventKind.TAGGED:
            now_tags = set(current.get("ticket.tags") or ())
            previous.setdefault("ticket.tags", frozenset((now_tags - set(p.get("added", []))) | set(p.get("removed", []))))
        elif e.kind == EventKind.FIELDS_CHANGED:
            for key, change in (p.get("changes") or {}).items():
                previous.setdefault(f"{engine.CUSTOM_PREFIX}{key}", (change or {}).get("from"))
    return previous


def _actor_role(batch: list[TicketEvent], depth: int) -> str:
    if depth > 0:
        return "automation"
    first = batch[0]
    if first.actor_id is None:
        return "customer" if first.kind in (EventKind.CUSTOMER_REPLIED, EventKind.CREATED) else "system"
    return first.actor.role if first.actor else "system"


def automations_run_for_event(*, event_id: int, depth: int = 0, fired: Iterable[int] = (),
                              now: datetime | None = None) -> str:
    """Run the event rules for the change ``event_id`` belongs to (the task's body). Returns what it did."""
    token = _chain.set(None)
    try:
        return _run_for_event(event_id=event_id, depth=depth, fired=tuple(fired), now=now)
    finally:
        _chain.reset(token)


def _run_for_event(*, event_id: int, depth: int, fired: tuple[int, ...], now: datetime | None) -> str:
    event = TicketEvent.objects.filter(pk=event_id).first()
    if event is None or event.kind in IGNORED_KINDS:
        return "nothing to do"
    batch = list(TicketEvent.objects.filter(ticket_id=event.ticket_id, created_at=event.created_at,
                                            actor_id=event.actor_id).exclude(kind__in=IGNORED_KINDS)
                 .select_related("actor").order_by("id"))
    if batch[0].pk != event.pk:
        return f"handled with event {batch[0].pk}"
    candidates = selectors.rules_active_for(triggers_of(e.kind for e in batch))
    if not candidates:
        return "no rule for this change"
    registry = selectors.field_registry()
    kinds = frozenset(e.kind for e in batch)
    role = _actor_role(batch, depth)
    score = next((e.payload.get("score") for e in batch if e.kind == EventKind.SURVEY_ANSWERED), None)
    done: list[str] = []
    running = fired
    need = frozenset().union(*(engine.fields_used(r.conditions) for r in candidates))
    facts: engine.Facts | None = None  # read again only after a rule changed the ticket
    for rule in candidates:
        if rule.pk in fired:
            continue
        try:
            predicate = engine.compile_conditions(rule.conditions, registry)
        except ValueError as exc:  # a queue or field renamed since the rule was saved
            log.warning("automations: rule %s no longer valid: %s", rule.pk, exc)
            continue
        at = now or timezone.now()
        if facts is None:
            tickets = selectors.tickets_for_facts([event.ticket_id])
            if not tickets:
                break
            ticket = tickets[0]
            values = selectors.facts_values(tickets=[ticket], now=at, need=need)[ticket.pk]
            values.update({"event.kind": kinds, "event.actor_role": role, "survey.score": score})
            facts = engine.Facts(values=values, previous=_previous_values(batch, values), now=at)
        if not predicate(facts):
            continue
        if depth >= settings.AUTOMATION_MAX_CHAIN:
            with transaction.atomic():
                _event(ticket, EventKind.AUTOMATION_CUT, at, rule=rule.pk, rule_name=rule.name, depth=depth,
                       summary=f"Automations stopped after {depth} rules in a row; “{rule.name}” did not run "
                               f"(limit {settings.AUTOMATION_MAX_CHAIN}).")
            done.append(f"cut before {rule.name}")
            break
        running = (*running, rule.pk)
        done.append(rule_fire(rule=rule, ticket=ticket, depth=depth, fired=running, at=at, kinds=kinds))
        facts = None
    return "; ".join(done) or "no rule matched"


def rule_fire(*, rule: Rule, ticket: Ticket, depth: int, fired: tuple[int, ...], at: datetime,
              kinds: frozenset[str] = frozenset()) -> str:
    """Run ``rule``'s actions on ``ticket`` (all or nothing), an ``automation_fired`` event per action."""
    token = _chain.set(Chain(depth=depth, fired=fired))
    try:
        with transaction.atomic():
            applied = actions_apply(ticket=ticket, actions=rule.actions, actor=None, at=at,
                                    side_effects=lambda action: _side_effect(rule, ticket, action, at, kinds))
            for kind, words in applied.summaries:
                _event(ticket, EventKind.AUTOMATION_FIRED, at, rule=rule.pk, rule_name=rule.name, action=kind,
                       depth=depth, summary=f"Rule “{rule.name}”: {words}")
            summary = "; ".join(w for _, w in applied.summaries)
            RuleFiring.objects.create(rule=rule, ticket=ticket, at=at, depth=depth, summary=summary)
            Rule.objects.filter(pk=rule.pk).update(fire_count=F("fire_count") + 1, last_fired_at=at)
            for work in applied.after_commit:
                transaction.on_commit(work)
    except (ValidationError, TransitionNotAllowed) as exc:
        reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else exc.reason
        RuleFiring.objects.create(rule=rule, ticket=ticket, at=at, depth=depth, summary=f"Not run: {reason}"[:1000])
        log.info("automations: rule %s on ticket %s not run: %s", rule.pk, ticket.pk, reason)
        return f"{rule.name}: not run ({reason})"
    finally:
        _chain.reset(token)
    return f"{rule.name}: {summary}"


def _side_effect(rule: Rule, ticket: Ticket, action: dict[str, Any], at: datetime,
                 kinds: frozenset[str]) -> Callable[[], None] | None:
    kind = action["type"]
    key = f"automation:{rule.pk}:{ticket.pk}:{at.isoformat()}"
    if kind == "escalate":
        from frontline.escalations.services import escalation_raise

        reason = f"Rule “{rule.name}”" + (f": {action['reason']}" if action.get("reason") else "")
        escalation_raise(ticket=ticket, trigger="automation", actor=None, at=at, reason=reason[:500])
        return None
    ticket = Ticket.objects.select_related("requester", "team", "team__lead", "assignee", "status").get(pk=ticket.pk)
    values = placeholders.values_for(ticket=ticket, agent=ticket.assignee)
    if kind in ("notify", "email_requester"):
        subject = placeholders.render_text(action["subject"], values)
        body = placeholders.render_text(action["body"], values)
        addresses = _recipients(ticket, action) if kind == "notify" else [ticket.requester.email]

        def send() -> None:
            for address in addresses:
                notice_send(key=f"{key}:{kind}:{address}", to=address, subject=subject, body=body, ticket=ticket,
                            kind="automation", at=at)
        return send
    if kind == "webhook":
        payload = {"rule": {"id": rule.pk, "name": rule.name}, "events": sorted(kinds), "at": at.isoformat(),
                   "ticket": _ticket_json(ticket)}
        rule_id, ticket_id, url = rule.pk, ticket.pk, action["url"]

        def call() -> None:
            fresh = Rule.objects.filter(pk=rule_id).first()
            if fresh is not None:
                webhook_post(rule=fresh, ticket_id=ticket_id, url=url, payload=payload, at=at)
        return call
    return None


def _recipients(ticket: Ticket, action: dict[str, Any]) -> list[str]:
    to = action["to"]
    if to == "assignee":
        return [ticket.assignee.email] if ticket.assignee_id and ticket.assignee.email else []
    if to == "team_lead":
        return [ticket.team.lead.email] if ticket.team_id and ticket.team.lead_id and ticket.team.lead.email else []
    if to == "team":
        if not ticket.team_id:
            return []
        return sorted({e for e in ticket.team.members.filter(is_active=True).values_list("email", flat=True) if e})
    return [to]


def _ticket_json(ticket: Ticket) -> dict[str, Any]:
    return {"id": ticket.pk, "subject": ticket.subject, "status": ticket.status.name,
            "status_category": ticket.status_category, "priority": ticket.priority, "type": ticket.ticket_type,
            "channel": ticket.channel, "team": ticket.team.name if ticket.team_id else None,
            "assignee": ticket.assignee.username if ticket.assignee_id else None,
            "tags": sorted(ticket.tags.values_list("name", flat=True)), "requester_email": ticket.requester.email,
            "created_at": ticket.created_at.isoformat(), "updated_at": ticket.updated_at.isoformat()}
