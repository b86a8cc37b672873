"""What the automations services share: limits, the event, names, which events trigger what."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import ValidationError

from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, Ticket, TicketEvent
from frontline.people.models import User

from ..models import Trigger

log = logging.getLogger("frontline.automations.services")
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
