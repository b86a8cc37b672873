"""Phone calls (staff): list calls with filters, read one, log a call on a ticket or as a new
ticket, change a call's disposition and notes.

A call is seen by whoever may see its ticket (``phone.selectors.calls_for_viewer``): every list,
filter and order runs inside that scope. Writes are ``phone.services`` (``call_log``,
``call_log_new_ticket``, ``call_update``); a logged call's talk + wrap-up is the handle time of the
internal note that records it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from frontline.customers.models import Customer
from frontline.desk.models import Queue
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.desk.services.handle_time import HANDLE_SECONDS_MAX
from frontline.phone import selectors, services
from frontline.phone.models import Call, CallSource, CallState, Direction
from frontline.phone.services import NOTES_MAX

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import referenced, valid_id
from .pagination import PageParams, by_time, paginate
from .schemas import CustomerRef, Id, Moment, PersonRef

router = Router(tags=["phone"])

BY_STARTED_DESC = by_time("started_at", descending=True)
BY_STARTED_ASC = by_time("started_at", descending=False)
DirectionName = Literal["inbound", "outbound"]
DispositionName = Literal["", "resolved", "follow_up", "callback", "escalated", "voicemail", "no_answer",
                          "wrong_number", "other"]
CallSeconds = Annotated[int, Field(strict=True, ge=0, le=HANDLE_SECONDS_MAX)]
Notes = Annotated[str, Field(max_length=NOTES_MAX)]


class CallOut(Schema):
    id: int
    ticket_id: int
    source: CallSource = Field(description="logged (by an agent) or webhook (a telephony system).")
    direction: Direction
    state: CallState
    customer: CustomerRef
    number: str
    agent: PersonRef | None
    connector_id: int | None
    external_id: str
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    talk_seconds: int
    wrap_seconds: int
    wait_seconds: int
    handle_seconds: int = Field(description="talk + wrap-up.")
    disposition: str
    notes: str
    recording_url: str
    created_at: datetime


class CallPage(Schema):
    items: list[CallOut]
    next_cursor: str | None


class CallListParams(PageParams):
    ticket_id: Id | None = None
    agent_id: Id | None = None
    customer_id: Id | None = None
    direction: DirectionName | None = None
    state: Literal["ringing", "answered", "ended", "missed", "abandoned"] | None = None
    source: Literal["logged", "webhook"] | None = None
    disposition: DispositionName | None = None
    started_from: Moment | None = Field(None, description="Started at or after this time.")
    started_to: Moment | None = Field(None, description="Started before this time.")


class CallLogIn(Schema):
    direction: DirectionName = "inbound"
    started_at: Moment
    ended_at: Moment | None = None
    talk_seconds: CallSeconds | None = Field(None, description="Empty: ended_at - started_at.")
    wrap_seconds: CallSeconds = 0
    disposition: DispositionName = ""
    notes: Notes = ""
    number: Annotated[str, Field(max_length=40)] = Field("", description="The customer's number; empty: theirs on file.")


class CallNewTicketIn(CallLogIn):
    subject: Annotated[str, Field(max_length=250)] = ""
    customer_id: Id | None = Field(None, description="The customer; else by email, else by number.")
    email: Annotated[str, Field(max_length=254)] = ""
    name: Annotated[str, Field(max_length=100)] = ""
    queue_id: Id | None = None


class CallPatchIn(Schema):
    disposition: DispositionName | None = None
    notes: Notes | None = None


def call_out(call: Call) -> CallOut:
    return CallOut(
        id=call.pk, ticket_id=call.ticket_id, source=call.source, direction=call.direction, state=call.state,
        customer=CustomerRef(id=call.customer.pk, name=call.customer.name, email=call.customer.email),
        number=call.number, agent=PersonRef(id=call.agent.pk, name=call.agent.display_name) if call.agent else None,
        connector_id=call.connector_id, external_id=call.external_id, started_at=call.started_at,
        answered_at=call.answered_at, ended_at=call.ended_at, talk_seconds=call.talk_seconds,
        wrap_seconds=call.wrap_seconds, wait_seconds=call.wait_seconds, handle_seconds=call.handle_seconds,
        disposition=call.disposition, notes=call.notes, recording_url=call.recording_url, created_at=call.created_at,
    )


def _call(request: HttpRequest, call_id: int) -> Call:
    if not valid_id(call_id):
        raise Http404("No such call.")
    return selectors.call_get_for_viewer(call_id=call_id, viewer=viewer_of(request))


def _input(payload: CallLogIn) -> services.CallInput:
    return services.call_input_clean(direction=payload.direction, started_at=payload.started_at,
                                     ended_at=payload.ended_at, talk_seconds=payload.talk_seconds,
                                     wrap_seconds=payload.wrap_seconds, disposition=payload.disposition,
                                     notes=payload.notes)


@router.get("/calls", response={200: CallPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Calls on the tickets you may see, newest first (staff)")
def call_list(request: HttpRequest, params: Query[CallListParams]) -> CallPage:
    calls = selectors.calls_for_viewer(viewer=viewer_of(request))
    exact = {"ticket_id": params.ticket_id, "agent_id": params.agent_id, "customer_id": params.customer_id,
             "direction": params.direction, "state": params.state, "source": params.source,
             "disposition": params.disposition, "started_at__gte": params.started_from,
             "started_at__lt": params.started_to}
    calls = calls.filter(**{k: v for k, v in exact.items() if v is not None})
    page = paginate(calls, keyset=BY_STARTED_DESC, limit=params.limit, cursor=params.cursor)
    return CallPage(items=[call_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.get("/calls/{call_id}", response={200: CallOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="Read a call (staff)")
def call_read(request: HttpRequest, call_id: int) -> CallOut:
    return call_out(_call(request, call_id))


@router.patch("/calls/{call_id}", response={200: CallOut, **error_responses(403, 404, 409, 422)}, auth=staff_auth,
              summary="Change a call's disposition or notes (its agent, leads, managers)")
def call_patch(request: HttpRequest, call_id: int, payload: CallPatchIn) -> CallOut:
    """Times stay as logged (they are already counted as handle time); the change is an internal note."""
    call = _call(request, call_id)
    updated = services.call_update(
        actor=viewer_of(request), call=call,
        disposition=call.disposition if payload.disposition is None else payload.disposition,
        notes=call.notes if payload.notes is None else payload.notes)
    return call_out(selectors.call_get_for_viewer(call_id=updated.pk, viewer=viewer_of(request)))


@router.post("/calls", response={201: CallOut, **error_responses(403, 422)}, auth=staff_auth,
             summary="Log a call as a new ticket (staff)")
def call_log_new(request: HttpRequest, payload: CallNewTicketIn) -> Status[CallOut]:
    """A new phone ticket assigned to you; the customer by id, else email, else number (made on first call)."""
    viewer = viewer_of(request)
    customer = referenced(Customer.objects.all(), payload.customer_id, field="customer_id", noun="customer") \
        if payload.customer_id is not None else None
    queue = referenced(Queue.objects.all(), payload.queue_id, field="queue_id", noun="queue") \
        if payload.queue_id is not None else None
    call = services.call_log_new_ticket(agent=viewer, call=_input(payload), subject=payload.subject, customer=customer,
                                        number=payload.number, name=payload.name, email=payload.email, queue=queue)
    return Status(201, call_out(call))


@router.get("/tickets/{ticket_id}/calls", response={200: CallPage, **error_responses(403, 404, 422)},
            auth=staff_auth, summary="A ticket's calls, oldest first (staff)")
def ticket_calls(request: HttpRequest, ticket_id: int, params: Query[PageParams]) -> CallPage:
    viewer = viewer_of(request)
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    calls = selectors.calls_for_viewer(viewer=viewer).filter(ticket=ticket)
    page = paginate(calls, keyset=BY_STARTED_ASC, limit=params.limit, cursor=params.cursor)
    return CallPage(items=[call_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.post("/tickets/{ticket_id}/calls", response={201: CallOut, **error_responses(403, 404, 409, 422)},
             auth=staff_auth, summary="Log a call on a ticket (staff)")
def ticket_call_log(request: HttpRequest, ticket_id: int, payload: CallLogIn) -> Status[CallOut]:
    """An internal note records the call and carries talk + wrap-up as its handle time (a ``call_logged`` event)."""
    viewer = viewer_of(request)
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    call = services.call_log(agent=viewer, ticket=ticket, call=_input(payload), number=payload.number)
    return Status(201, call_out(selectors.call_get_for_viewer(call_id=call.pk, viewer=viewer)))
