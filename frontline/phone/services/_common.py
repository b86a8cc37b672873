"""What the phone services share: the time of a write, the event, limits."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import (
    Ticket,
    TicketEvent,
)
from frontline.people.models import User

NOTES_MAX = 5000
NAME_MAX = 100
ROTATION_GRACE = timedelta(hours=24)
PLACEHOLDER_DOMAIN = "phone.invalid"  # RFC 2606: never a real address; the mail app sends nothing there
_SEPARATORS = (" ", "-", ".", "(", ")", "/", "\u00a0")


def _now(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: must be an aware datetime")
    return at


def _event(ticket: Ticket, kind: str, actor: User | None, at: datetime, **payload: object) -> TicketEvent:
    at = max(at, ticket.created_at)  # a ticket's history starts with its creation (the KPI replay needs it)
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)  # SLA clocks, metrics rollups and other listeners see it
    return event
