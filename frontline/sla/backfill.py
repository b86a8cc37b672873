"""Apply the SLA policies to tickets that have history already, in bulk (a services-layer write).

For tickets written without the desk's hook — the demo's bulk writer, or tickets that existed
before the first policy was configured. Each ticket gets the policy its current properties
match, applied as of its creation, and its clocks derived from its events as at ``now``; the
``sla_at_risk`` / ``sla_breached`` events the periodic check would have written are written at
the moment each clock went at risk or breached (so history reads as if the check had run every
minute). Tickets that already have an applied policy are left alone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.db import transaction

from frontline.desk.models import EventKind, Ticket, TicketEvent
from frontline.people.models import STAFF_ROLES

from .clocks import Fact, engine_calendar, spans_from
from .models import ClockState, SLAApplication, SLAClock, SLAPolicy
from .services import CLOCK_EVENTS, ClockFigures, clock_figures, policy_matches


@transaction.atomic
def sla_backfill(*, now: datetime, ticket_ids: Iterable[int] | None = None, batch: int = 2000) -> int:
    """Apply policies and derive clocks for tickets with no applied policy; returns how many got one."""
    policies = list(SLAPolicy.objects.filter(active=True).select_related("calendar").prefetch_related("companies", "queues"))
    if not policies:
        return 0
    tickets = Ticket.objects.exclude(sla_applications__isnull=False).select_related("requester", "company").order_by("pk")
    if ticket_ids is not None:
        tickets = tickets.filter(pk__in=list(ticket_ids))
    ids = list(tickets.values_list("pk", flat=True))
    applied = 0
    for first in range(0, len(ids), batch):
        chunk = list(tickets.filter(pk__in=ids[first:first + batch]))
        applied += _backfill_chunk(chunk, policies, now)
    return applied


def _backfill_chunk(tickets: list[Ticket], policies: list[SLAPolicy], now: datetime) -> int:
    facts: dict[int, list[Fact]] = defaultdict(list)
    rows = (
        TicketEvent.objects.filter(ticket_id__in=[t.pk for t in tickets], kind__in=[EventKind.CREATED, *CLOCK_EVENTS])
        .order_by("ticket_id", "created_at", "id").values_list("ticket_id", "kind", "created_at", "actor__role", "payload")
    )
    for ticket_id, kind, at, role, payload in rows:
        category = payload.get("status_category") if kind == EventKind.CREATED else payload.get("to_category")
        facts[ticket_id].append(Fact(kind=kind, at=at, by_agent=role in STAFF_ROLES, to_category=category))
    applications = []
    for ticket in tickets:
        policy = next((p for p in policies if policy_matches(policy=p, ticket=ticket)), None)
        if policy is not None:
            applications.append(SLAApplication(
                ticket=ticket, policy=policy, policy_name=policy.name, calendar_name=policy.calendar.name,
                calendar=policy.calendar.as_dict(), first_reply_minutes=policy.first_reply_minutes,
                next_reply_minutes=policy.next_reply_minutes, resolution_minutes=policy.resolution_minutes,
                at_risk_percent=policy.at_risk_percent, applied_at=ticket.created_at,
            ))
    SLAApplication.objects.bulk_create(applications)
    applications = list(SLAApplication.objects.filter(ticket__in=[a.ticket_id for a in applications], superseded_at__isnull=True))
    clocks: list[SLAClock] = []
    events: list[TicketEvent] = []
    for application in applications:
        events.append(TicketEvent(ticket_id=application.ticket_id, kind=EventKind.SLA_APPLIED, created_at=application.applied_at,
                                  payload={"policy": application.policy_name, "application": application.pk}))
        calendar = engine_calendar(application.calendar)
        for span in spans_from(facts[application.ticket_id]):
            target = application.target(span.kind)
            if target is None:
                continue
            figures = clock_figures(span=span, target=target, at_risk_percent=application.at_risk_percent,
                                    calendar=calendar, now=now)
            clocks.append(_clock(application, span.kind, span.sequence, target, span.started, span.stopped, figures, now))
    SLAClock.objects.bulk_create(clocks)
    for clock in SLAClock.objects.filter(application__in=applications).exclude(at_risk_event_at=None, breach_event_at=None):
        for at, kind in ((clock.at_risk_event_at, EventKind.SLA_AT_RISK), (clock.breach_event_at, EventKind.SLA_BREACHED)):
            if at is not None:
                events.append(TicketEvent(
                    ticket_id=clock.ticket_id, kind=kind, created_at=at,
                    payload={"target": clock.kind, "sequence": clock.sequence, "clock": clock.pk,
                             "due": clock.due_at.isoformat() if clock.due_at else None,
                             "breached_at": clock.breached_at.isoformat() if clock.breached_at else None},
                ))
    TicketEvent.objects.bulk_create(events)
    return len(applications)


def _clock(application: SLAApplication, kind: str, sequence: int, target: int, started: datetime,
           stopped: datetime | None, figures: ClockFigures, now: datetime) -> SLAClock:
    due, risk = figures.due_at, figures.at_risk_at
    end = stopped or now
    if due is None:
        state, breached_at = (ClockState.PAUSED, None)
    elif (stopped is not None and stopped > due) or (stopped is None and due <= now):
        state, breached_at = ClockState.BREACHED, due
    elif stopped is not None:
        state, breached_at = ClockState.MET, None
    else:
        state, breached_at = ClockState.RUNNING, None
    return SLAClock(
        ticket_id=application.ticket_id, application=application, kind=kind, sequence=sequence, target_minutes=target,
        started_at=started, stopped_at=stopped, paused_minutes=round(figures.paused_minutes, 3), due_at=due,
        at_risk_at=risk, state=state, breached_at=breached_at,
        at_risk_event_at=risk if risk is not None and risk <= end else None,
        breach_event_at=breached_at,
    )
