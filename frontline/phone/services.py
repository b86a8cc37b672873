"""Writes of the phone channel: calls agents log, call events from a telephony webhook, connectors.

Every call is on a desk ticket (channel ``phone`` when the call opens it). Definitions (the same in
docs/phone.md):

- **talk time**: answered to hung up (given, or computed from the call's times);
- **wrap-up time**: after the call, finishing its notes and follow-up (given by the agent or the system);
- **handle time of a call** = talk + wrap-up. It is stored as the handle time of the agent message
  that records the call (an internal note, or the first message of a ticket the call opened), so the
  desk's handle time and every metric built on it count calls like any other work;
- **missed call**: an inbound call that rang out unanswered (no agent picked up, voicemail);
  **abandoned call**: the caller hung up while waiting, before an agent answered. Both write a
  ``call_missed`` event (``reason`` says which) and leave the ticket open for a call back.

The customer on the other end is found by number (``customer_for_number``): a customer whose
``phone`` has the same digits, else one made for that number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F, Value
from django.db.models.functions import Replace
from django.utils import timezone
from django.utils.text import slugify

from frontline.core import formats, webhooks
from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email, customer_update
from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import (
    Channel,
    EventKind,
    Message,
    Queue,
    StatusCategory,
    Ticket,
    TicketEvent,
)
from frontline.desk.services import HANDLE_SECONDS_MAX, ticket_assign, ticket_create, ticket_reply
from frontline.people.models import STAFF_ROLES, Role, User

from .models import (
    Call,
    CallSource,
    CallState,
    Direction,
    Disposition,
    PhoneConnector,
    PhoneReceipt,
)

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


# --- numbers and customers --------------------------------------------------------------------------------------


def number_normalise(raw: object, field: str = "number") -> str:
    """``"+49 (151) 234-567"`` -> ``"+49151234567"``: digits with an optional leading +; ValidationError naming ``field``."""
    text = str(raw or "").strip()
    for sep in _SEPARATORS:
        text = text.replace(sep, "")
    if not re.fullmatch(r"\+?\d{3,20}", text):
        raise ValidationError({field: ["Give a phone number: digits, optionally a leading +, 3 to 20 digits."]})
    return text


def _phone_column() -> Any:
    column: Any = F("phone")
    for sep in _SEPARATORS:
        column = Replace(column, Value(sep), Value(""))
    return column


def customer_for_number(*, number: str, name: str = "") -> Customer:
    """The customer with this number (the same digits, separators ignored), else one made for it.

    A customer made for a number has no email address: a placeholder ``phone-<digits>@phone.invalid``
    that the mail app never sends to. Two customers with the same number: the oldest.
    """
    number = number_normalise(number)
    match = (Customer.objects.exclude(phone="").annotate(phone_digits=_phone_column())
             .filter(phone_digits=number).order_by("id").first())
    if match is not None:
        return match
    customer = customer_for_email(email=f"phone-{number.lstrip('+')}@{PLACEHOLDER_DOMAIN}",
                                  name=(name or number)[:NAME_MAX])
    if customer.phone != number:
        customer = customer_update(customer=customer, phone=number)
    return customer


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


# --- the telephony webhook ------------------------------------------------------------------------------------

EVENT_TYPES = ("ringing", "answered", "ended", "missed", "abandoned", "recording")
_ORDER = {CallState.RINGING: 0, CallState.ANSWERED: 1, CallState.ENDED: 2, CallState.MISSED: 2, CallState.ABANDONED: 2}


@dataclass(frozen=True)
class CallEvent:
    """One call event from a telephony system, validated (``call_event_parse``)."""

    event_id: str
    type: str
    call_id: str
    at: datetime
    direction: str
    number: str
    caller_name: str
    agent_email: str
    started_at: datetime | None
    talk_seconds: int | None
    wrap_seconds: int | None
    recording_url: str
    ticket_id: int | None
    disposition: str
    notes: str


def _str(data: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool = False, limit: int = 200) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors[key] = ["This field is required."]
        return ""
    if not isinstance(value, str):
        errors[key] = ["Must be a string."]
        return ""
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        errors[key] = [f"At most {limit} characters."]
    return value


def _when(data: dict[str, Any], key: str, errors: dict[str, list[str]]) -> datetime | None:
    value = data.get(key)
    if value is None or value == "":
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        errors[key] = ["An ISO 8601 time with its offset, such as 2026-12-06T14:05:00Z."]
        return None
    if timezone.is_naive(parsed):
        errors[key] = ["Give the time zone offset (Z for UTC)."]
        return None
    return parsed


def _opt_seconds(data: dict[str, Any], key: str, errors: dict[str, list[str]]) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= HANDLE_SECONDS_MAX:
        errors[key] = [f"Whole seconds from 0 to {HANDLE_SECONDS_MAX:,}."]
        return None
    return value


def url_clean(value: str, field: str, errors: dict[str, list[str]]) -> str:
    """An http(s) URL (nothing is fetched), else an error under ``field``."""
    if not value:
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        errors[field] = ["An http or https URL."]
        return ""
    return value


def call_event_parse(data: object, *, now: datetime) -> CallEvent:
    """The payload of one webhook request, checked: ValidationError naming every failing field."""
    if not isinstance(data, dict):
        raise ValidationError({"body": ["Send a JSON object."]})
    errors: dict[str, list[str]] = {}
    event_id = _str(data, "event_id", errors, required=True)
    kind = _str(data, "type", errors, required=True)
    if kind and kind not in EVENT_TYPES:
        errors["type"] = [f"One of {', '.join(EVENT_TYPES)}."]
    call_id = _str(data, "call_id", errors, required=True)
    at = _when(data, "at", errors) or now
    if at > now + timedelta(minutes=5):
        errors["at"] = ["The event cannot be in the future."]
    direction = _str(data, "direction", errors) or Direction.INBOUND
    if direction not in Direction.values:
        errors["direction"] = ["inbound or outbound."]
    key = "from" if direction == Direction.INBOUND else "to"
    raw_number = _str(data, key, errors, limit=40)
    number = ""
    if raw_number:
        try:
            number = number_normalise(raw_number, key)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    recording = url_clean(_str(data, "recording_url", errors, limit=2000), "recording_url", errors)
    if kind == "recording" and not recording and "recording_url" not in errors:
        errors["recording_url"] = ["A recording event needs its URL."]
    ticket_id = data.get("ticket_id")
    if ticket_id is not None and (isinstance(ticket_id, bool) or not isinstance(ticket_id, int) or ticket_id < 1):
        errors["ticket_id"] = ["A ticket number."]
        ticket_id = None
    disposition = _str(data, "disposition", errors)
    if disposition and disposition not in Disposition.values:
        errors["disposition"] = [f"One of {', '.join(Disposition.values)}."]
    parsed = CallEvent(
        event_id=event_id, type=kind, call_id=call_id, at=at, direction=direction, number=number,
        caller_name=_str(data, "caller_name", errors, limit=NAME_MAX), agent_email=_str(data, "agent_email", errors),
        started_at=_when(data, "started_at", errors), talk_seconds=_opt_seconds(data, "talk_seconds", errors),
        wrap_seconds=_opt_seconds(data, "wrap_seconds", errors), recording_url=recording, ticket_id=ticket_id,
        disposition=disposition, notes=_str(data, "notes", errors, limit=NOTES_MAX),
    )
    if errors:
        raise ValidationError(errors)
    return parsed


@dataclass(frozen=True)
class CallEventResult:
    call: Call
    applied: bool  # False: the event came too late for the call's state and changed nothing
    warnings: tuple[str, ...] = ()


class Replayed(Exception):
    """The event id was received before from this connector."""


def _agent_by_email(email: str) -> User | None:
    if not email:
        return None
    return User.objects.filter(email__iexact=email, role__in=list(STAFF_ROLES), is_active=True).order_by("id").first()


def _new_call(connector: PhoneConnector, ev: CallEvent, agent: User | None) -> Call:
    errors: dict[str, list[str]] = {}
    key = "from" if ev.direction == Direction.INBOUND else "to"
    if ev.type == "recording":
        errors["call_id"] = ["No such call: a recording comes after the call's other events."]
    ticket = None
    if ev.ticket_id is not None:
        ticket = Ticket.objects.filter(pk=ev.ticket_id).select_related("requester").first()
        if ticket is None or ticket.status_category == StatusCategory.CLOSED or ticket.merged_into_id:
            errors["ticket_id"] = ["No open ticket with this number."]
    elif ev.type != "recording" and not ev.number:
        errors[key] = ["The first event of a call needs the customer's number."]
    if errors:
        raise ValidationError(errors)
    started = min(ev.started_at or ev.at, ev.at)
    if ticket is not None:
        customer = ticket.requester
    else:
        customer = customer_for_number(number=ev.number, name=ev.caller_name)
        with_ = "from" if ev.direction == Direction.INBOUND else "to"
        ticket = ticket_create(
            requester=customer, subject=f"Call {with_} {customer.name}"[:250], actor=None, channel=Channel.PHONE,
            queue=connector.queue, notify=False, at=started,
            body=f"{Direction(ev.direction).label} call {with_} {ev.number or customer.name} via {connector.name}.",
        )
    return Call.objects.create(
        ticket=ticket, connector=connector, external_id=ev.call_id, source=CallSource.WEBHOOK, direction=ev.direction,
        state=CallState.RINGING, customer=customer, number=ev.number or customer.phone[:40], agent=agent,
        started_at=started, created_at=ev.at,
    )


def _receipt(connector: PhoneConnector, event_id: str, at: datetime) -> None:
    try:
        with transaction.atomic():
            PhoneReceipt.objects.create(connector=connector, event_id=event_id, received_at=at)
    except IntegrityError:
        raise Replayed(event_id) from None


@transaction.atomic
def call_event_apply(*, connector: PhoneConnector, event: CallEvent, received_at: datetime | None = None) -> CallEventResult:
    """Apply one verified call event: the call (and its ticket) made on its first event, then moved on.

    ringing → answered → ended; missed / abandoned instead of answered. An event that comes after the
    call reached a later state changes nothing (``applied`` False); a recording URL is kept at any time.
    Replayed (an event id seen before) and ValidationError (e.g. an unknown call for a recording)
    roll everything back.
    """
    received_at = _now(received_at)
    ev = event
    _receipt(connector, ev.event_id, received_at)
    warnings: list[str] = []
    agent = _agent_by_email(ev.agent_email)
    if ev.agent_email and agent is None:
        warnings.append(f"agent_email: no active agent has {ev.agent_email}; the call is kept without an agent.")
    call = Call.objects.select_for_update().filter(connector=connector, external_id=ev.call_id).first()
    if call is None:  # a new call: one at a time per connector, so two first events make one call
        PhoneConnector.objects.select_for_update().filter(pk=connector.pk).values_list("pk", flat=True).first()
        call = Call.objects.filter(connector=connector, external_id=ev.call_id).first()
    if call is None:
        call = _new_call(connector, ev, agent)
    call = Call.objects.select_for_update(of=("self",)).select_related("ticket", "customer", "agent").get(pk=call.pk)
    if ev.type == "recording":
        call.recording_url = ev.recording_url
        call.save(update_fields=["recording_url"])
        return CallEventResult(call, True, tuple(warnings))
    target = CallState(ev.type)
    if _ORDER[target] <= _ORDER[CallState(call.state)] and not (target == CallState.RINGING and call.state == CallState.RINGING):
        return CallEventResult(call, False, tuple(warnings))
    if target == CallState.RINGING:
        return CallEventResult(call, True, tuple(warnings))
    if agent is not None:
        call.agent = agent
    if ev.disposition:
        call.disposition = ev.disposition
    if ev.notes:
        call.notes = ev.notes
    if ev.recording_url:
        call.recording_url = ev.recording_url
    if target == CallState.ANSWERED:
        _answered(call, ev.at)
    elif target == CallState.ENDED and call.answered_at is None:
        _missed(call, CallState.MISSED, ev.at)  # hung up before anyone answered
    elif target == CallState.ENDED:
        _ended(call, ev)
    else:
        _missed(call, target, ev.at)
    return CallEventResult(call, True, tuple(warnings))


def _answered(call: Call, at: datetime) -> None:
    call.state, call.answered_at = CallState.ANSWERED, at
    call.wait_seconds = max(0, int((at - call.started_at).total_seconds()))
    call.save(update_fields=["state", "answered_at", "wait_seconds", "agent", "disposition", "notes", "recording_url"])
    if call.agent is not None and call.ticket.assignee_id != call.agent_id:
        ticket_assign(ticket=call.ticket, assignee=call.agent, actor=None, at=at)


def _ended(call: Call, ev: CallEvent) -> None:
    assert call.answered_at is not None
    call.state, call.ended_at = CallState.ENDED, max(ev.at, call.answered_at)
    call.talk_seconds = ev.talk_seconds if ev.talk_seconds is not None else int((call.ended_at - call.answered_at).total_seconds())
    call.wrap_seconds = min(ev.wrap_seconds or 0, HANDLE_SECONDS_MAX - min(call.talk_seconds, HANDLE_SECONDS_MAX))
    call.talk_seconds = min(call.talk_seconds, HANDLE_SECONDS_MAX)
    call.save(update_fields=["state", "ended_at", "talk_seconds", "wrap_seconds", "agent", "disposition", "notes",
                             "recording_url"])
    if call.agent is not None:
        _write_record(call, call.agent, call.ended_at)
    else:
        _logged_event(call, None, call.ended_at)


def _missed(call: Call, state: str, at: datetime) -> None:
    call.state, call.ended_at = state, max(at, call.started_at)
    call.wait_seconds = int((call.ended_at - call.started_at).total_seconds())
    call.save(update_fields=["state", "ended_at", "wait_seconds", "agent", "disposition", "notes", "recording_url"])
    waited = formats.duration(call.wait_seconds)
    if state == CallState.ABANDONED:
        summary = f"Abandoned call: {call.number or call.customer.name} hung up after {waited} waiting."
    else:
        summary = f"Missed call from {call.number or call.customer.name}: not answered after {waited}."
    _event(call.ticket, EventKind.CALL_MISSED, None, call.ended_at, call_id=call.pk, reason=state,
           direction=call.direction, wait_seconds=call.wait_seconds, number=call.number, summary=summary)


# --- connectors (managers and admins) ---------------------------------------------------------------------------


def _require_config(actor: User) -> None:
    if actor.role not in (Role.MANAGER, Role.ADMIN) or not actor.is_active:
        raise PermissionDenied("Managers and admins configure connectors.")


@dataclass(frozen=True)
class ConnectorWithSecret:
    connector: PhoneConnector
    secret: str  # shown once


def _slug(name: str, slug: str) -> str:
    slug = slugify(slug or name)[:50]
    if not slug:
        raise ValidationError({"slug": ["Give a name or slug of letters, digits or dashes."]})
    return slug


@transaction.atomic
def connector_create(*, actor: User, name: str, slug: str = "", queue: Queue | None = None,
                     at: datetime | None = None) -> ConnectorWithSecret:
    """A new telephony connector and its secret (returned once; the page shows it once)."""
    _require_config(actor)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Give a name of at most 100 characters."]})
    slug = _slug(name, slug)
    if PhoneConnector.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f"A connector with the address …/{slug}/ exists already."]})
    secret = webhooks.secret_new()
    connector = PhoneConnector.objects.create(name=name, slug=slug, queue=queue, secret=secret, created_at=_now(at))
    return ConnectorWithSecret(connector, secret)


@transaction.atomic
def connector_update(*, actor: User, connector: PhoneConnector, name: str, queue: Queue | None, enabled: bool) -> PhoneConnector:
    _require_config(actor)
    name = " ".join(name.split())
    if not name or len(name) > 100:
        raise ValidationError({"name": ["Give a name of at most 100 characters."]})
    connector.name, connector.queue, connector.enabled = name, queue, enabled
    connector.save(update_fields=["name", "queue", "enabled"])
    return connector


@transaction.atomic
def connector_rotate_secret(*, actor: User, connector: PhoneConnector, keep_previous: bool = True,
                            at: datetime | None = None) -> ConnectorWithSecret:
    """A new secret; with ``keep_previous`` the old one verifies for ROTATION_GRACE more (time to update the sender)."""
    _require_config(actor)
    at = _now(at)
    connector = PhoneConnector.objects.select_for_update().get(pk=connector.pk)
    secret = webhooks.rotate(connector, keep_previous=keep_previous, at=at, grace=ROTATION_GRACE)
    connector.save(update_fields=webhooks.ROTATED_FIELDS)
    return ConnectorWithSecret(connector, secret)
