"""Writes of the SLA app: applying policies to tickets, keeping their clocks, the periodic check.

The desk calls ``sla_on_ticket_event`` with every TicketEvent it writes, in the same transaction
(``frontline.desk.hooks``; registered in ``apps.py``), so clocks commit with the change that moved
them. The desk never imports this app. Clocks are re-derived from the ticket's events each time
(``clocks.spans_from``); due times come from the business-time engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from frontline.desk.hooks import ticket_event_written
from frontline.desk.models import EventKind, Ticket, TicketEvent
from frontline.engine.businesstime import (
    BusinessCalendar as EngineCalendar,
)
from frontline.engine.businesstime import Pause, business_due, business_minutes_between
from frontline.people.models import STAFF_ROLES

from .clocks import Fact, Span, engine_calendar, spans_from
from .models import ClockState, SLAApplication, SLAClock, SLAPolicy

# The ticket properties policy conditions read; an event changing one re-evaluates the policy.
REEVALUATING = frozenset({EventKind.CREATED, EventKind.PRIORITY_CHANGED, EventKind.TYPE_CHANGED, EventKind.QUEUE_CHANGED})
CLOCK_EVENTS = frozenset({EventKind.REPLIED, EventKind.CUSTOMER_REPLIED, EventKind.STATUS_CHANGED})


def policy_matches(*, policy: SLAPolicy, ticket: Ticket) -> bool:
    """Whether every condition of ``policy`` holds for ``ticket`` (an empty one always holds)."""
    tiers = {ticket.requester.tier} | ({ticket.company.tier} if ticket.company_id else set())
    checks = [
        (policy.priorities, ticket.priority in policy.priorities),
        (policy.channels, ticket.channel in policy.channels),
        (policy.ticket_types, ticket.ticket_type in policy.ticket_types),
        (policy.tiers, bool(tiers & set(policy.tiers))),
    ]
    if not all(ok for values, ok in checks if values):
        return False
    companies = {c.pk for c in policy.companies.all()}
    queues = {q.pk for q in policy.queues.all()}
    return (not companies or ticket.company_id in companies) and (not queues or ticket.queue_id in queues)


def policy_for_ticket(*, ticket: Ticket) -> SLAPolicy | None:
    """The first active policy, by position, whose conditions hold for ``ticket``; None if none does."""
    policies = SLAPolicy.objects.filter(active=True).select_related("calendar").prefetch_related("companies", "queues")
    return next((p for p in policies if policy_matches(policy=p, ticket=ticket)), None)


def _current(ticket: Ticket) -> SLAApplication | None:
    return SLAApplication.objects.filter(ticket=ticket, superseded_at__isnull=True).first()


def sla_policy_apply(*, ticket: Ticket, at: datetime) -> SLAApplication | None:
    """(Re-)evaluate which policy applies to ``ticket`` and record it when it changed.

    The new application snapshots the policy's targets and calendar; earlier applications are
    kept (superseded at ``at``). Clocks keep their start: elapsed time counts against the new
    targets. Returns the current application (None: no policy applies).
    """
    current = _current(ticket)
    policy = policy_for_ticket(ticket=ticket)
    if current is not None and policy is not None and current.policy_id == policy.pk:
        return current
    if current is None and policy is None:
        return None
    if current is not None:
        current.superseded_at = at
        current.save(update_fields=["superseded_at"])
    if policy is None:
        return None
    application = SLAApplication.objects.create(
        ticket=ticket, policy=policy, policy_name=policy.name, calendar_name=policy.calendar.name,
        calendar=policy.calendar.as_dict(), first_reply_minutes=policy.first_reply_minutes,
        next_reply_minutes=policy.next_reply_minutes, resolution_minutes=policy.resolution_minutes,
        at_risk_percent=policy.at_risk_percent, applied_at=at,
    )
    TicketEvent.objects.create(ticket=ticket, kind=EventKind.SLA_APPLIED, actor=None, created_at=at,
                               payload={"policy": policy.name, "application": application.pk})
    return application


def sla_on_ticket_event(event: TicketEvent) -> None:
    """The desk's hook: re-evaluate the policy or move the clocks as ``event`` requires."""
    if event.kind not in REEVALUATING and event.kind not in CLOCK_EVENTS:
        return
    has_application = SLAApplication.objects.filter(ticket_id=event.ticket_id).exists()
    if event.kind in REEVALUATING:
        if not has_application and not SLAPolicy.objects.filter(active=True).exists():
            return
        ticket = Ticket.objects.select_related("requester", "company").get(pk=event.ticket_id)
        sla_policy_apply(ticket=ticket, at=event.created_at)
        sla_clocks_refresh(ticket=ticket, now=event.created_at)
    elif has_application:
        sla_clocks_refresh(ticket=event.ticket, now=event.created_at)


def _facts(ticket: Ticket) -> list[Fact]:
    events = (
        TicketEvent.objects.filter(ticket=ticket, kind__in=[EventKind.CREATED, *CLOCK_EVENTS])
        .select_related("actor").order_by("created_at", "id")
    )
    return [
        Fact(
            kind=e.kind, at=e.created_at,
            by_agent=e.actor is not None and e.actor.role in STAFF_ROLES,
            to_category=e.payload.get("to_category") if e.kind != EventKind.CREATED else e.payload.get("status_category"),
            from_category=e.payload.get("from_category"),
        )
        for e in events
    ]


@dataclass(frozen=True)
class ClockFigures:
    due_at: datetime | None
    at_risk_at: datetime | None
    paused_minutes: float


def clock_figures(*, span: Span, target: int, at_risk_percent: int, calendar: EngineCalendar, now: datetime) -> ClockFigures:
    """Due time, at-risk time and business minutes paused so far, for one clock."""
    closed = [Pause(start=s, end=e) for s, e in span.pauses if e is not None and e > s]
    end = span.stopped or now
    measured = list(closed)
    open_since = next((s for s, e in span.pauses if e is None), None)
    if open_since is not None and end > open_since:
        measured.append(Pause(start=open_since, end=end))
    paused = 0.0
    if end > span.started:
        paused = business_minutes_between(start=span.started, end=end, calendar=calendar) - \
            business_minutes_between(start=span.started, end=end, calendar=calendar, pauses=measured)
    if span.paused_now:
        return ClockFigures(None, None, paused)
    due = business_due(start=span.started, minutes=target, calendar=calendar, pauses=closed)
    risk = business_due(start=span.started, minutes=target * at_risk_percent / 100, calendar=calendar, pauses=closed)
    return ClockFigures(due, risk, paused)


def sla_clocks_refresh(*, ticket: Ticket, now: datetime | None = None) -> list[SLAClock]:
    """Re-derive ``ticket``'s clocks from its events and the current application; store them.

    A stopped clock keeps its result (history is not rewritten by a later policy); a breach
    already announced by an ``sla_breached`` event stands. With no policy applying, clocks that
    were still running become "no longer applies".
    """
    now = now or timezone.now()
    application = _current(ticket)
    existing = {(c.kind, c.sequence): c for c in SLAClock.objects.filter(ticket=ticket)}
    if application is None:
        for clock in existing.values():
            if clock.stopped_at is None and clock.state != ClockState.CANCELLED:
                clock.state, clock.due_at, clock.at_risk_at = ClockState.CANCELLED, None, None
                clock.save(update_fields=["state", "due_at", "at_risk_at"])
        return list(existing.values())
    calendar = engine_calendar(application.calendar)
    kept = []
    for span in spans_from(_facts(ticket)):
        target = application.target(span.kind)
        clock = existing.get((span.kind, span.sequence))
        if target is None:
            continue
        if clock is not None and clock.stopped_at is not None and clock.stopped_at == span.stopped:
            kept.append(clock)
            continue
        figures = clock_figures(span=span, target=target, at_risk_percent=application.at_risk_percent,
                                calendar=calendar, now=now)
        if clock is None:
            clock = SLAClock(ticket=ticket, kind=span.kind, sequence=span.sequence)
        clock.application = application
        clock.target_minutes = target
        clock.started_at = span.started
        clock.stopped_at = span.stopped
        clock.paused_minutes = round(figures.paused_minutes, 3)
        announced = clock.breach_event_at is not None
        clock.due_at = clock.due_at if announced and figures.due_at is None else figures.due_at
        clock.at_risk_at = figures.at_risk_at
        clock.state, clock.breached_at = _result(clock, span, figures, now)
        clock.save()
        kept.append(clock)
    return kept


def _result(clock: SLAClock, span: Span, figures: ClockFigures, now: datetime) -> tuple[str, datetime | None]:
    if clock.breach_event_at is not None:
        return ClockState.BREACHED, clock.breached_at
    due = figures.due_at
    if span.stopped is not None:
        return (ClockState.MET, None) if due is not None and span.stopped <= due else (ClockState.BREACHED, due)
    if due is None:
        return ClockState.PAUSED, None
    if due <= now:
        return ClockState.BREACHED, due
    return ClockState.RUNNING, None


@dataclass(frozen=True)
class CheckResult:
    at_risk: int
    breached: int


def sla_clocks_check(*, now: datetime | None = None) -> CheckResult:
    """The periodic check: store breaches and write ``sla_at_risk`` / ``sla_breached`` events.

    Each event is written once per clock: the clock's ``*_event_at`` is claimed with a
    conditional update first, so two workers running the check at once write it once.
    """
    now = now or timezone.now()
    risky = 0
    breached = 0
    for clock in SLAClock.objects.filter(state=ClockState.RUNNING, due_at__lte=now):
        SLAClock.objects.filter(pk=clock.pk, state=ClockState.RUNNING).update(state=ClockState.BREACHED, breached_at=clock.due_at)
    for clock in SLAClock.objects.filter(state=ClockState.RUNNING, at_risk_at__lte=now, at_risk_event_at__isnull=True).iterator():
        with transaction.atomic():
            if SLAClock.objects.filter(pk=clock.pk, at_risk_event_at__isnull=True).update(at_risk_event_at=now):
                _clock_event(clock, EventKind.SLA_AT_RISK, now)
                risky += 1
    for clock in SLAClock.objects.filter(state=ClockState.BREACHED, breach_event_at__isnull=True).iterator():
        with transaction.atomic():
            if SLAClock.objects.filter(pk=clock.pk, breach_event_at__isnull=True).update(breach_event_at=now):
                _clock_event(clock, EventKind.SLA_BREACHED, now)
                breached += 1
    return CheckResult(at_risk=risky, breached=breached)


def _clock_event(clock: SLAClock, kind: str, now: datetime) -> None:
    event = TicketEvent.objects.create(
        ticket_id=clock.ticket_id, kind=kind, actor=None, created_at=now,
        payload={"target": clock.kind, "sequence": clock.sequence, "clock": clock.pk,
                 "due": clock.due_at.isoformat() if clock.due_at else None,
                 "breached_at": clock.breached_at.isoformat() if clock.breached_at else None},
    )
    ticket_event_written(event)  # listeners (escalations) react, in this transaction
