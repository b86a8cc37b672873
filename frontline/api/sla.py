"""The SLA of a ticket (staff only): the applied policy and its clocks, times left in business minutes."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from frontline.desk.selectors import ticket_get_for_viewer
from frontline.sla.selectors import sla_for_tickets

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id

router = Router(tags=["sla"])


class ClockOut(Schema):
    target: str = Field(description="first_reply, next_reply or resolution.")
    sequence: int = Field(description="0 for first reply and resolution; 1, 2, … for next-reply clocks.")
    state: str = Field(description="running, paused, met, breached.")
    at_risk: bool = Field(description="Running with the policy's at-risk share of its target used.")
    target_minutes: int = Field(description="The target in business minutes.")
    started_at: datetime
    stopped_at: datetime | None
    due_at: datetime | None = Field(description="Empty while paused (pending or on hold).")
    breached_at: datetime | None
    business_minutes: float | None = Field(
        description="Running: business minutes left; breached and running: business minutes past due; else empty.")


class TicketSlaOut(Schema):
    policy: str | None = Field(description="The applied policy's name as it was applied; empty: no policy applies.")
    applied_at: datetime | None
    clocks: list[ClockOut]


@router.get("/tickets/{ticket_id}", response={200: TicketSlaOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="A ticket's SLA policy and clocks (staff)")
def ticket_sla(request: HttpRequest, ticket_id: int) -> TicketSlaOut:
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer_of(request))
    sla = sla_for_tickets(ticket_ids=[ticket.pk])[ticket.pk]
    return TicketSlaOut(policy=sla.policy_name, applied_at=sla.applied_at, clocks=[
        ClockOut(target=c.kind, sequence=c.sequence, state=c.state, at_risk=c.at_risk, target_minutes=c.target_minutes,
                 started_at=c.started_at, stopped_at=c.stopped_at, due_at=c.due_at, breached_at=c.breached_at,
                 business_minutes=round(c.minutes, 3) if c.minutes is not None else None)
        for c in sla.clocks
    ])
