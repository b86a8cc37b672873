"""Writes of escalations: raise one level, de-escalate, resolve; the desk hook that detects triggers.

Automatic triggers are a team's choice (``EscalationSettings``; a team without settings is
escalated by hand only). Each trigger raises a ticket one level: none → team lead (or a manager when the team has no lead
or does not escalate via its lead) → manager. A trigger already on the open escalation's path at
its level does nothing (the periodic SLA check, a second "manager!" message). Every step is a
TicketEvent (``escalated``, ``de_escalated``, ``escalation_resolved``) and notifies the level
reached after commit (task ``escalations.notify``).
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core import background
from frontline.desk.models import EventKind, Message, Ticket, TicketEvent
from frontline.people.models import STAFF_ROLES, Role, User

from .models import Escalation, EscalationSettings, EscalationState, Level, Trigger
from .phrases import asks_for_manager

REASON_MAX = 1000


def settings_for(ticket: Ticket) -> EscalationSettings | None:
    """The ticket's team's settings; None when the team has none (or there is no team): such a
    ticket is escalated by hand only, through the team lead when the team has one."""
    if not ticket.team_id:
        return None
    return EscalationSettings.objects.filter(team_id=ticket.team_id).first()


def _next_level(current: Escalation | None, ticket: Ticket, conf: EscalationSettings | None) -> str | None:
    if current is None:
        has_lead = ticket.team is not None and ticket.team.lead_id is not None
        via_lead = conf.via_team_lead if conf is not None else True
        return Level.TEAM_LEAD if via_lead and has_lead else Level.MANAGER
    return Level.MANAGER if current.level == Level.TEAM_LEAD else None


def _event(ticket: Ticket, kind: str, actor: User | None, at: datetime, **payload: object) -> None:
    TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)


@transaction.atomic
def escalation_raise(*, ticket: Ticket, trigger: str, actor: User | None, at: datetime | None = None,
                     reason: str = "", notify: bool = True) -> Escalation | None:
    """Raise ``ticket`` one level for ``trigger``; None when nothing changes (already at the top, or
    this trigger already raised it to its level). A manual escalation needs a reason."""
    at = at or timezone.now()
    reason = " ".join(reason.split())
    if trigger == Trigger.MANUAL:
        if actor is None or actor.role not in STAFF_ROLES:
            raise PermissionDenied("Only support staff escalate tickets.")
        if not reason:
            raise ValidationError({"reason": ["Say why the ticket needs the next level."]})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": [f"Keep the reason under {REASON_MAX} characters."]})
    ticket = Ticket.objects.select_for_update(of=("self",)).select_related("team").get(pk=ticket.pk)
    current = Escalation.objects.filter(ticket=ticket, state=EscalationState.OPEN).first()
    if current is not None and trigger != Trigger.MANUAL and any(
        step["trigger"] == trigger and step["level"] == current.level for step in current.path
    ):
        return None
    level = _next_level(current, ticket, settings_for(ticket))
    if level is None:
        if trigger == Trigger.MANUAL:
            raise ValidationError({"reason": ["This ticket is already escalated to a manager, the last level."]})
        return None
    step = {"level": level, "trigger": trigger, "at": at.isoformat(), "by": actor.pk if actor else None, "reason": reason}
    if current is None:
        current = Escalation(ticket=ticket, team=ticket.team, raised_at=at, raised_by=actor, path=[])
    previous = current.level or None
    current.level, current.trigger, current.reason, current.escalated_at = level, trigger, reason, at
    current.path = [*current.path, step]
    current.save()
    _event(ticket, EventKind.ESCALATED, actor, at, escalation=current.pk, level=level, trigger=trigger,
           reason=reason, **{"from": previous})
    if notify:
        background.enqueue_on_commit("escalations.notify", current.pk)
    return current


def _may_handle(escalation: Escalation, actor: User) -> bool:
    if actor.role in (Role.MANAGER, Role.ADMIN):
        return True
    team = escalation.team
    return actor.role == Role.TEAM_LEAD and escalation.level == Level.TEAM_LEAD and team is not None and team.lead_id == actor.pk


@transaction.atomic
def escalation_de_escalate(*, escalation: Escalation, actor: User, at: datetime | None = None, note: str = "") -> Escalation:
    """One level down: manager → team lead (when the team has one), team lead → back with the agent (closed).
    A person undoes someone's escalation, so a note saying why is required."""
    at = at or timezone.now()
    escalation = Escalation.objects.select_for_update(of=("self",)).select_related("team", "ticket").get(pk=escalation.pk)
    if escalation.state != EscalationState.OPEN:
        raise ValidationError({"escalation": ["This escalation is no longer open."]})
    if not _may_handle(escalation, actor):
        raise PermissionDenied("Only the team lead at this level, or a manager, can de-escalate.")
    if not note.strip():
        raise ValidationError({"note": ["Say why the ticket can go back down a level; the note is kept in its history."]})
    previous = escalation.level
    has_lead = escalation.team is not None and escalation.team.lead_id is not None
    if previous == Level.MANAGER and has_lead:
        escalation.level, escalation.escalated_at = Level.TEAM_LEAD, at
        to = Level.TEAM_LEAD
    else:
        escalation.state, escalation.closed_at, escalation.closed_by = EscalationState.DE_ESCALATED, at, actor
        to = "agent"
    escalation.path = [*escalation.path, {"level": to, "trigger": "de_escalated", "at": at.isoformat(), "by": actor.pk,
                                          "reason": " ".join(note.split())[:REASON_MAX]}]
    escalation.save()
    _event(escalation.ticket, EventKind.DE_ESCALATED, actor, at, escalation=escalation.pk, to=to, note=note[:REASON_MAX],
           **{"from": previous})
    return escalation


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, actor: User | None, at: datetime | None = None, note: str = "") -> Escalation:
    """Close the escalation as resolved (by its level's lead or a manager; None: the ticket was solved)."""
    at = at or timezone.now()
    escalation = Escalation.objects.select_for_update(of=("self",)).select_related("team", "ticket").get(pk=escalation.pk)
    if escalation.state != EscalationState.OPEN:
        raise ValidationError({"escalation": ["This escalation is no longer open."]})
    if actor is not None and not _may_handle(escalation, actor):
        raise PermissionDenied("Only the team lead at this level, or a manager, can resolve this escalation.")
    escalation.state, escalation.closed_at, escalation.closed_by = EscalationState.RESOLVED, at, actor
    escalation.save(update_fields=["state", "closed_at", "closed_by"])
    _event(escalation.ticket, EventKind.ESCALATION_RESOLVED, actor, at, escalation=escalation.pk, level=escalation.level,
           note=note[:REASON_MAX] or ("the ticket was solved" if actor is None else ""))
    return escalation


def escalations_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook (and the SLA check's events): raise on the triggers, resolve when the ticket is solved."""
    kind = event.kind
    if kind not in (EventKind.SLA_AT_RISK, EventKind.SLA_BREACHED, EventKind.CREATED, EventKind.CUSTOMER_REPLIED,
                    EventKind.REOPENED, EventKind.STATUS_CHANGED):
        return
    ticket = event.ticket
    if kind == EventKind.STATUS_CHANGED:
        if event.payload.get("to_category") in ("solved", "closed"):
            for open_one in Escalation.objects.filter(ticket=ticket, state=EscalationState.OPEN):
                escalation_resolve(escalation=open_one, actor=None, at=event.created_at)
        return
    conf = settings_for(ticket)
    if conf is None:
        return
    trigger = None
    if kind == EventKind.SLA_AT_RISK and conf.on_sla_at_risk:
        trigger = Trigger.SLA_AT_RISK
    elif kind == EventKind.SLA_BREACHED and conf.on_sla_breached:
        trigger = Trigger.SLA_BREACHED
    elif kind == EventKind.REOPENED and conf.reopen_limit and event.payload.get("reopen_count", 0) >= conf.reopen_limit:
        trigger = Trigger.REOPENED
    elif kind in (EventKind.CREATED, EventKind.CUSTOMER_REPLIED):
        by_customer = event.actor is None or event.actor.role not in STAFF_ROLES
        message_id = event.payload.get("message_id")
        text = Message.objects.filter(pk=message_id).values_list("body_text", flat=True).first() if message_id else None
        if conf.on_customer_asks and by_customer and text and asks_for_manager(text):
            trigger = Trigger.ASKED_FOR_MANAGER
        elif kind == EventKind.CREATED and conf.vip_tiers:
            tiers = {ticket.requester.tier} | ({ticket.company.tier} if ticket.company_id else set())
            trigger = Trigger.VIP if tiers & set(conf.vip_tiers) else None
    if trigger is not None:
        escalation_raise(ticket=ticket, trigger=trigger, actor=None, at=event.created_at)
