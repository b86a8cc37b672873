"""Calls agents log (on a ticket or as a new one) and change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core import formats
from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email, customer_update
from frontline.desk.models import (
    Channel,
    EventKind,
    Message,
    Queue,
    StatusCategory,
    Ticket,
)
from frontline.desk.services import HANDLE_SECONDS_MAX, ticket_create, ticket_reply
from frontline.people.models import STAFF_ROLES, Role, User

from ..models import (
    Call,
    CallSource,
    CallState,
    Direction,
    Disposition,
)
from ._common import NAME_MAX, NOTES_MAX, _event, _now
from .numbers import customer_for_number, number_normalise

# --- calls agents log ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallInput:
    """What an agent logs about one call (validated by ``call_input_clean``)."""

    direction: str
    started_at: datetime
    ended_at: datetime | None
    talk_seconds: int
    wrap_seconds: int
    disposition: str
    notes: str


def _seconds(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError({field: ["Give whole seconds, 0 or more."]})
    return value


def call_input_clean(*, direction: str, started_at: datetime, ended_at: datetime | None = None,
                     talk_seconds: int | None = None, wrap_seconds: int | None = 0, disposition: str = "",
                     notes: str = "", now: datetime | None = None) -> CallInput:
    """Check a logged call. Talk time defaults to end - start; it may not exceed it; talk + wrap-up ≤ one day."""
    now = _now(now)
    errors: dict[str, list[str]] = {}
    if direction not in Direction.values:
        errors["direction"] = ["Choose inbound or outbound."]
    if disposition and disposition not in Disposition.values:
        errors["disposition"] = ["Choose a disposition from the list."]
    if timezone.is_naive(started_at):
        raise ValueError("started_at: must be an aware datetime")
    if started_at > now + timedelta(minutes=5):
        errors["started_at"] = ["A call logged cannot start in the future."]
    if ended_at is not None and ended_at < started_at:
        errors["ended_at"] = ["The call cannot end before it started."]
    notes = (notes or "").replace("\x00", "").strip()
    if len(notes) > NOTES_MAX:
        errors["notes"] = [f"Keep call notes under {NOTES_MAX:,} characters."]
    try:
        wrap = _seconds(wrap_seconds or 0, "wrap_seconds")
    except ValidationError as exc:
        errors.update(exc.message_dict)
        wrap = 0
    talk = 0
    span = int((ended_at - started_at).total_seconds()) if ended_at is not None and ended_at >= started_at else None
    if talk_seconds is None:
        if span is None and "ended_at" not in errors:
            errors["talk_seconds"] = ["Give the talk time, or when the call ended."]
        talk = span or 0
    else:
        try:
            talk = _seconds(talk_seconds, "talk_seconds")
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if span is not None and talk > span:
            errors["talk_seconds"] = [f"Talk time ({formats.duration(talk)}) is longer than the call "
                                      f"({formats.duration(span)})."]
    if talk + wrap > HANDLE_SECONDS_MAX:
        errors["wrap_seconds"] = [f"Talk and wrap-up together must stay under {HANDLE_SECONDS_MAX // 3600} hours."]
    if errors:
        raise ValidationError(errors)
    if ended_at is None:
        ended_at = started_at + timedelta(seconds=talk)
    return CallInput(direction=direction, started_at=started_at, ended_at=ended_at, talk_seconds=talk,
                     wrap_seconds=wrap, disposition=disposition, notes=notes)


def _call_summary(call: Call) -> str:
    words = f"{call.get_direction_display()} call, {formats.duration(call.talk_seconds)} talk"
    if call.wrap_seconds:
        words += f" + {formats.duration(call.wrap_seconds)} wrap-up"
    if call.disposition:
        words += f" ({call.get_disposition_display().lower()})"
    return words


def _record_text(call: Call) -> str:
    who = call.customer.name + (f" ({call.number})" if call.number and call.number not in call.customer.name else "")
    with_ = "from" if call.direction == Direction.INBOUND else "to"
    lines = [f"{_call_summary(call)} {with_} {who}."]
    if call.recording_url:
        lines.append(f"Recording: {call.recording_url}")
    if call.notes:
        lines += ["", call.notes]
    return "\n".join(lines)


def _require_agent(user: User) -> None:
    if user.role not in STAFF_ROLES or not user.is_active:
        raise PermissionDenied("Calls are logged by support staff.")


def _write_record(call: Call, agent: User, at: datetime) -> Message:
    """The internal note that records ``call`` and carries its handle time; the call_logged event."""
    at = max(at, call.ticket.created_at)
    message = ticket_reply(ticket=call.ticket, author=agent, body=_record_text(call), public=False, notify=False,
                           at=at, handle_seconds=call.handle_seconds)
    call.message = message
    call.save(update_fields=["message"])
    _logged_event(call, agent, at)
    return message


def _logged_event(call: Call, actor: User | None, at: datetime) -> None:
    _event(call.ticket, EventKind.CALL_LOGGED, actor, at, call_id=call.pk, direction=call.direction,
           source=call.source, talk_seconds=call.talk_seconds, wrap_seconds=call.wrap_seconds,
           handle_seconds=call.handle_seconds if call.message_id else 0, disposition=call.disposition,
           agent_id=call.agent_id, summary=_call_summary(call) + ("" if call.message_id or actor else
                                                                   "; no agent known, so no handle time"))


@transaction.atomic
def call_log(*, agent: User, ticket: Ticket, call: CallInput, number: str = "", at: datetime | None = None) -> Call:
    """Log a call on an existing ticket the caller may see (the view checks that): an internal note
    carrying talk + wrap-up as handle time, and a ``call_logged`` event."""
    at = _now(at)
    _require_agent(agent)
    if ticket.status_category == StatusCategory.CLOSED:
        raise ValidationError({"ticket": ["This ticket is closed; log the call on a new ticket."]})
    record = Call.objects.create(
        ticket=ticket, source=CallSource.LOGGED, direction=call.direction, state=CallState.ENDED,
        customer=ticket.requester, number=number_normalise(number) if number else ticket.requester.phone[:40],
        agent=agent, started_at=call.started_at, answered_at=call.started_at, ended_at=call.ended_at,
        talk_seconds=call.talk_seconds, wrap_seconds=call.wrap_seconds, disposition=call.disposition,
        notes=call.notes, created_at=at,
    )
    _write_record(record, agent, at)
    return record


@transaction.atomic
def call_log_new_ticket(*, agent: User, call: CallInput, subject: str = "", customer: Customer | None = None,
                        number: str = "", name: str = "", email: str = "", queue: Queue | None = None,
                        at: datetime | None = None) -> Call:
    """Log a call as a new ticket (channel phone, assigned to the agent): the customer chosen, else by
    email, else by number (``customer_for_number``). The ticket's first message says a call took
    place (the customer sees that line in the portal); the notes go in an internal note that carries
    the call's handle time."""
    at = _now(at)
    _require_agent(agent)
    errors: dict[str, list[str]] = {}
    normalised = ""
    if number:
        try:
            normalised = number_normalise(number)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if customer is None and not email and not normalised and "number" not in errors:
        errors["number"] = ["Choose the customer, or give their email address or phone number."]
    if errors:
        raise ValidationError(errors)
    if customer is None and email:
        customer = customer_for_email(email=email, name=name[:NAME_MAX])
        if normalised and not customer.phone:
            customer = customer_update(customer=customer, phone=normalised)
    elif customer is None:
        customer = customer_for_number(number=normalised, name=name)
    assert customer is not None
    when = formats.datetime_short(call.started_at)
    with_ = "from" if call.direction == Direction.INBOUND else "to"
    subject = subject.strip() or f"Phone call {with_} {customer.name}"
    ticket = ticket_create(requester=customer, subject=subject, actor=agent, channel=Channel.PHONE, assignee=agent,
                           queue=queue, notify=False, at=at, handle_seconds=0,
                           body=f"{Direction(call.direction).label} phone call with "
                                f"{agent.first_name or agent.display_name} on {when} UTC.")
    record = Call.objects.create(
        ticket=ticket, source=CallSource.LOGGED, direction=call.direction, state=CallState.ENDED, customer=customer,
        number=normalised or customer.phone[:40], agent=agent, started_at=call.started_at, answered_at=call.started_at,
        ended_at=call.ended_at, talk_seconds=call.talk_seconds, wrap_seconds=call.wrap_seconds,
        disposition=call.disposition, notes=call.notes, created_at=at,
    )
    _write_record(record, agent, at)
    return record


def may_change_call(*, actor: User, call: Call) -> bool:
    """The agent on the call changes it; so do team leads, managers and admins (who may see its ticket)."""
    return actor.role in (Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN) or call.agent_id in (None, actor.pk)


@transaction.atomic
def call_update(*, actor: User, call: Call, disposition: str, notes: str, at: datetime | None = None) -> Call:
    """Change a call's disposition and notes (the caller checks the actor may see its ticket).

    The times stay as logged: talk + wrap-up are already the handle time of the call's record and
    its ``call_logged`` event. The change is an internal note on the ticket (a ``note_added`` event)
    saying what changed; a call whose ticket is closed cannot change (409).
    """
    at = _now(at)
    _require_agent(actor)
    if not may_change_call(actor=actor, call=call):
        raise PermissionDenied("Only the agent on the call, a team lead, a manager or an admin can change it.")
    errors: dict[str, list[str]] = {}
    if disposition and disposition not in Disposition.values:
        errors["disposition"] = ["Choose a disposition from the list."]
    notes = (notes or "").replace("\x00", "").strip()
    if len(notes) > NOTES_MAX:
        errors["notes"] = [f"Keep call notes under {NOTES_MAX:,} characters."]
    if errors:
        raise ValidationError(errors)
    call = Call.objects.select_for_update(of=("self",)).select_related("ticket").get(pk=call.pk)
    changed = []
    if disposition != call.disposition:
        before = Disposition(call.disposition).label.lower() if call.disposition else "none"
        after = Disposition(disposition).label.lower() if disposition else "none"
        changed.append(f"disposition {before} → {after}")
    if notes != call.notes:
        changed.append("notes changed" + (f":\n\n{notes}" if notes else " (cleared)"))
    if not changed:
        return call
    call.disposition, call.notes = disposition, notes
    call.save(update_fields=["disposition", "notes"])
    ticket_reply(ticket=call.ticket, author=actor, body=f"Call {call.pk} updated: " + "; ".join(changed), public=False,
                 notify=False, at=max(at, call.ticket.created_at))
    return call
