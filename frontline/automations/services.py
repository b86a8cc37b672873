"""Writes of automations: macros (save, apply), rules (save, run on events, run on a schedule).

How rules run (docs/automations.md):

* The desk hook ``automations_on_ticket_event`` sees every event in the writer's transaction and,
  when an event rule exists, enqueues ``automations.run`` for it after commit (never re-entering
  the desk's services from inside one). The events one service call wrote together (same ticket,
  time and actor) are one *change*: the task for the first of them handles them all.
* Active rules whose trigger the change matches run in ``position`` order; each sees the ticket
  as the rules before it left it. A rule that matches fires: its actions go through the desk's
  services as the system (actor None), each action an ``automation_fired`` event naming the rule.
* Loop guard: the events a firing writes carry its *chain* (depth, rules fired). A rule never
  fires again in a chain it already fired in; a chain deeper than AUTOMATION_MAX_CHAIN stops with
  an ``automation_cut`` event naming the rule that would have run.
* Schedule rules run from the periodic ``automations.schedule``: once per ticket, armed again
  when a person or the customer touches the ticket after the firing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from frontline.core import background
from frontline.desk.content import body_from
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, StatusCategory, Ticket, TicketEvent
from frontline.desk.services import atomic_with_files, ticket_reply
from frontline.engine import rules as engine
from frontline.mail.outgoing import notice_send
from frontline.people.models import STAFF_ROLES, Team, User

from . import placeholders, selectors
from .actions import (
    MACRO_ACTIONS,
    RULE_ACTIONS,
    actions_apply,
    actions_validate,
    needs_webhook_secret,
    new_webhook_secret,
)
from .models import Macro, MacroUse, Rule, RuleFiring, Trigger, Visibility
from .webhooks import webhook_post

log = logging.getLogger(__name__)
NAME_MAX = 100
# Events that never trigger rules: the automations' own, and bookkeeping that changes nothing.
IGNORED_KINDS = frozenset({EventKind.AUTOMATION_FIRED, EventKind.AUTOMATION_CUT, EventKind.MACRO_APPLIED,
                           EventKind.SLA_APPLIED, EventKind.SURVEY_SENT})
TRIGGER_OF_KIND = {EventKind.CREATED: Trigger.TICKET_CREATED, EventKind.CUSTOMER_REPLIED: Trigger.CUSTOMER_REPLIED,
                   EventKind.SLA_AT_RISK: Trigger.SLA_AT_RISK, EventKind.SLA_BREACHED: Trigger.SLA_BREACHED,
                   EventKind.SURVEY_ANSWERED: Trigger.SURVEY_ANSWERED}
EVENT_TRIGGERS = frozenset(Trigger.values) - {Trigger.SCHEDULE}


def _event(ticket: Ticket, kind: str, at: datetime, actor: User | None = None, **payload: object) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)
    return event


def _name_clean(name: object) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": ["Give it a name."]})
    if len(name) > NAME_MAX:
        raise ValidationError({"name": [f"Keep the name under {NAME_MAX} characters."]})
    return name


# --- macros ------------------------------------------------------------------------------------

@transaction.atomic
def macro_save(*, macro: Macro | None, actor: User, name: str, body: str, actions: object, visibility: str,
               team: Team | None = None, active: bool = True, at: datetime | None = None) -> Macro:
    """Create (``macro`` None) or change a macro. Refused: unknown placeholders, bad actions, a place
    the actor may not put it (personal: theirs; team: a team they lead; shared: managers)."""
    at = at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if visibility not in Visibility.values:
        errors["visibility"] = [f"One of: {', '.join(Visibility.values)}."]
    if visibility == Visibility.TEAM and team is None:
        errors["team"] = ["Choose the team that uses this macro."]
    if len(body) > 20_000:
        errors["body"] = ["Keep the reply under 20,000 characters."]
    else:
        try:
            placeholders.check(body, "body")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    cleaned: list[dict[str, Any]] = []
    try:
        cleaned = actions_validate(actions, allowed=MACRO_ACTIONS)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not errors and not body.strip() and not cleaned:
        errors["body"] = ["Give a reply, actions, or both."]
    if errors:
        raise ValidationError(errors)
    if macro is not None and not selectors.macro_may_edit(macro=macro, viewer=actor):
        raise PermissionDenied("You may not change this macro.")
    if not selectors.macro_may_edit(macro=None, viewer=actor, visibility=visibility, team=team):
        raise PermissionDenied("You may not put a macro there: personal macros are yours, team macros are their "
                               "lead's, shared macros are the managers'.")
    if macro is None:
        macro = Macro(created_by=actor, created_at=at)
    macro.name, macro.body, macro.actions, macro.visibility, macro.active = name, body, cleaned, visibility, active
    macro.owner = actor if visibility == Visibility.PERSONAL else None
    macro.team = team if visibility == Visibility.TEAM else None
    macro.updated_at = at
    macro.save()
    return macro


@transaction.atomic
def macro_delete(*, macro: Macro, actor: User) -> None:
    if not selectors.macro_may_edit(macro=macro, viewer=actor):
        raise PermissionDenied("You may not delete this macro.")
    macro.delete()


@dataclass(frozen=True)
class MacroPreview:
    text: str
    html: str
    actions: list[str]


def macro_preview(*, macro: Macro, ticket: Ticket, agent: User) -> MacroPreview:
    """The reply as the agent will see it (text to edit, HTML to read) and the actions in words."""
    from .actions import describe

    values = placeholders.values_for(ticket=ticket, agent=agent)
    return MacroPreview(text=placeholders.render_text(macro.body, values),
                        html=placeholders.render_markdown_html(macro.body, values),
                        actions=[describe(a) for a in macro.actions])


def macro_apply(*, macro: Macro, ticket: Ticket, actor: User, reply: str | None = None, public: bool = True,
                at: datetime | None = None) -> MacroUse:
    """Apply ``macro`` to ``ticket`` as ``actor``, all or nothing: send ``reply`` (the macro's text as
    the agent left it; None or blank: actions only) as a public reply or a note, run the actions,
    write a ``macro_applied`` event and count the use.

    An unedited reply goes out as the macro's Markdown rendered (values escaped); an edited one as
    the plain text typed (everything escaped), since the agent's edits are not Markdown-checked.
    """
    at = at or timezone.now()
    if not selectors.macros_for_viewer(viewer=actor).filter(pk=macro.pk, active=True).exists():
        raise PermissionDenied("You may not use this macro.")
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only support staff apply macros.")
    sent = bool(reply and reply.strip())
    with atomic_with_files():
        if sent:
            assert reply is not None
            values = placeholders.values_for(ticket=ticket, agent=actor)
            unedited = reply.strip() == placeholders.render_text(macro.body, values).strip()
            html = placeholders.render_markdown_html(macro.body, values) if unedited else body_from(text=reply).html
            ticket_reply(ticket=ticket, author=actor, body=reply.strip(), body_html=html, public=public, at=at)
            ticket = Ticket.objects.get(pk=ticket.pk)
        applied = actions_apply(ticket=ticket, actions=macro.actions, actor=actor, at=at)
        words = [w for _, w in applied.summaries]
        if sent:
            words.insert(0, "reply sent" if public else "note added")
        _event(ticket, EventKind.MACRO_APPLIED, at, actor, macro=macro.pk, macro_name=macro.name, sent_reply=sent,
               actions=[k for k, _ in applied.summaries],
               summary=f"Macro “{macro.name}”" + (f": {'; '.join(words)}" if words else ""))
        use = MacroUse.objects.create(macro=macro, ticket=ticket, user=actor, sent_reply=sent, at=at)
        Macro.objects.filter(pk=macro.pk).update(usage_count=F("usage_count") + 1, last_used_at=at, last_used_by=actor)
    return use


# --- rules: saving -----------------------------------------------------------------------------

def rule_conditions_validate(conditions: object) -> None:
    errors = engine.validate(conditions, selectors.field_registry())
    if errors:
        messages: dict[str, list[str]] = {}
        for e in errors:
            messages.setdefault(e.path, []).append(e.message)
        raise ValidationError(messages)


@transaction.atomic
def rule_save(*, rule: Rule | None, actor: User, name: str, trigger: str, conditions: object, actions: object,
              description: str = "", position: int | None = None, active: bool = True,
              at: datetime | None = None) -> Rule:
    """Create (``rule`` None) or change a rule; managers and admins only. Every refusal names its path:
    ``conditions.all.1.field``, ``actions.0.value``."""
    at = at or timezone.now()
    if not actor.sees_everything or actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only managers and admins change automation rules.")
    errors: dict[str, list[str]] = {}
    try:
        name = _name_clean(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if trigger not in Trigger.values:
        errors["trigger"] = [f"One of: {', '.join(Trigger.values)}."]
    if len(description) > 2000:
        errors["description"] = ["Keep the description under 2,000 characters."]
    try:
        rule_conditions_validate(conditions)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    cleaned: list[dict[str, Any]] = []
    try:
        cleaned = actions_validate(actions, allowed=RULE_ACTIONS)
        if not cleaned:
            errors["actions"] = ["Give at least one action."]
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if position is not None and not (0 <= position <= 100_000):
        errors["position"] = ["Between 0 and 100,000."]
    if errors:
        raise ValidationError(errors)
    if rule is None:
        last = Rule.objects.aggregate(m=Max("position"))["m"]
        rule = Rule(created_by=actor, created_at=at, position=(last or 0) + 10 if position is None else position)
    elif position is not None:
        rule.position = position
    rule.name, rule.description, rule.trigger = name, description, trigger
    rule.conditions, rule.actions, rule.active = conditions, cleaned, active
    if needs_webhook_secret(cleaned) and not rule.webhook_secret:
        rule.webhook_secret = new_webhook_secret()
    rule.updated_by, rule.updated_at = actor, at
    rule.save()
    return rule


@transaction.atomic
def rule_delete(*, rule: Rule, actor: User) -> None:
    if not actor.sees_everything or actor.role not in STAFF_ROLES:
        raise PermissionDenied("Only managers and admins change automation rules.")
    rule.delete()


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


# --- schedule rules ----------------------------------------------------------------------------

def _sql_prefilter(conditions: object) -> Q:
    """A database filter implied by top-level ``all`` leaves on the status category (cheap narrowing)."""
    q = ~Q(status_category=StatusCategory.CLOSED)
    if isinstance(conditions, dict) and isinstance(conditions.get("all"), list):
        for leaf in conditions["all"]:
            if isinstance(leaf, dict) and leaf.get("field") == "ticket.status_category":
                if leaf.get("op") == "eq":
                    q &= Q(status_category=leaf.get("value"))
                elif leaf.get("op") == "in":
                    q &= Q(status_category__in=leaf.get("value"))
    return q


def _not_fired_since_touched(rule: Rule, ticket_ids: list[int]) -> set[int]:
    """The tickets ``rule`` may fire on: never fired on, or touched by a person or the customer since."""
    last = dict(RuleFiring.objects.filter(rule=rule, ticket_id__in=ticket_ids).values("ticket_id")
                .annotate(at=Max("at")).values_list("ticket_id", "at"))
    if not last:
        return set(ticket_ids)
    touched = set()
    for ticket_id, at in (TicketEvent.objects.filter(ticket_id__in=list(last), created_at__gt=min(last.values()))
                          .filter(Q(actor__isnull=False) | Q(kind=EventKind.CUSTOMER_REPLIED))
                          .exclude(kind__in=IGNORED_KINDS).values_list("ticket_id", "created_at")):
        if at > last[ticket_id]:
            touched.add(ticket_id)
    return {i for i in ticket_ids if i not in last or i in touched}


def automations_run_schedule(*, now: datetime | None = None) -> dict[str, int]:
    """Run every active schedule rule over the tickets not closed (the periodic task's body).
    Returns rule name → tickets fired on."""
    now = now or timezone.now()
    registry = selectors.field_registry()
    outcome: dict[str, int] = {}
    for rule in selectors.rules_active_for([Trigger.SCHEDULE]):
        try:
            predicate = engine.compile_conditions(rule.conditions, registry)
        except ValueError as exc:
            log.warning("automations: schedule rule %s no longer valid: %s", rule.pk, exc)
            continue
        tickets = list(Ticket.objects.filter(_sql_prefilter(rule.conditions))
                       .select_related("status", "requester", "requester__company", "assignee", "team", "queue")
                       .order_by("updated_at", "id")[:settings.AUTOMATION_SCHEDULE_BATCH])
        values = selectors.facts_values(tickets=tickets, now=now, need=engine.fields_used(rule.conditions))
        matched = []
        for t in tickets:
            row = values[t.pk]
            row["event.actor_role"] = "system"
            if predicate(engine.Facts(values=row, now=now)):
                matched.append(t)
        eligible = _not_fired_since_touched(rule, [t.pk for t in matched])
        fired = 0
        for t in matched:
            if t.pk in eligible:
                token = _chain.set(None)
                try:
                    rule_fire(rule=rule, ticket=t, depth=0, fired=(rule.pk,), at=now)
                finally:
                    _chain.reset(token)
                fired += 1
        outcome[rule.name] = fired
    return outcome
