"""The telephony webhook: call events parsed and applied (ringing, answered, ended, missed, abandoned, recording)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.core import formats
from frontline.desk.models import (
    Channel,
    EventKind,
    StatusCategory,
    Ticket,
)
from frontline.desk.services import HANDLE_SECONDS_MAX, ticket_assign, ticket_create
from frontline.people.models import STAFF_ROLES, User

from ..models import (
    Call,
    CallSource,
    CallState,
    Direction,
    Disposition,
    PhoneConnector,
    PhoneReceipt,
)
from ._common import NAME_MAX, NOTES_MAX, _event, _now
from .calls import _logged_event, _write_record
from .numbers import customer_for_number, number_normalise

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
