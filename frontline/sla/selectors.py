"""Reads of the SLA app: clocks as staff see them, the policies in words."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from frontline.desk.models import Ticket
from frontline.engine.businesstime import business_minutes_between
from frontline.engine.businesstime.calendar import WEEKDAYS

from .clocks import engine_calendar
from .models import ClockState, SLAApplication, SLAClock, SLAPolicy

LIVE = (ClockState.RUNNING, ClockState.PAUSED, ClockState.BREACHED)


@dataclass(frozen=True)
class ClockView:
    """One clock as a page shows it; ``minutes`` are business minutes: left, or past due when breached;
    for a stopped clock that was breached, how late it stopped (``None`` for a clock met in time)."""

    kind: str
    label: str
    sequence: int
    state: str
    at_risk: bool
    target_minutes: int
    started_at: datetime
    stopped_at: datetime | None
    due_at: datetime | None
    breached_at: datetime | None
    minutes: float | None


@dataclass(frozen=True)
class TicketSla:
    policy_name: str | None
    applied_at: datetime | None
    clocks: list[ClockView]

    @property
    def live(self) -> list[ClockView]:
        """Clocks still running, paused, or breached and not yet stopped."""
        return [c for c in self.clocks if c.stopped_at is None and c.state in LIVE]

    @property
    def next(self) -> ClockView | None:
        """The live clock due soonest (what a queue column shows)."""
        dated = sorted((c for c in self.live if c.due_at), key=lambda c: c.due_at)  # type: ignore[arg-type, return-value]
        return dated[0] if dated else (self.live[0] if self.live else None)


def _view(clock: SLAClock, application: SLAApplication, now: datetime) -> ClockView:
    minutes = None
    live = clock.stopped_at is None and clock.due_at is not None
    if live:
        calendar = engine_calendar(application.calendar)
        due = clock.due_at
        assert due is not None
        minutes = business_minutes_between(start=min(now, due), end=max(now, due), calendar=calendar)
    elif clock.stopped_at is not None and clock.due_at is not None and clock.stopped_at > clock.due_at:
        minutes = business_minutes_between(start=clock.due_at, end=clock.stopped_at,
                                           calendar=engine_calendar(application.calendar))
    state = clock.state
    if state == ClockState.RUNNING and clock.due_at is not None and clock.due_at <= now:
        state = ClockState.BREACHED  # the periodic check stores it within a minute
    at_risk = state == ClockState.RUNNING and clock.at_risk_at is not None and clock.at_risk_at <= now
    return ClockView(
        kind=clock.kind, label=clock.get_kind_display() + (f" #{clock.sequence}" if clock.sequence > 1 else ""),
        sequence=clock.sequence, state=state, at_risk=at_risk, target_minutes=clock.target_minutes,
        started_at=clock.started_at, stopped_at=clock.stopped_at, due_at=clock.due_at,
        breached_at=clock.breached_at or (clock.due_at if state == ClockState.BREACHED else None), minutes=minutes,
    )


def sla_for_tickets(*, ticket_ids: Iterable[int], now: datetime | None = None) -> dict[int, TicketSla]:
    """Each ticket's current policy and clocks (staff only: callers check the viewer). Two queries."""
    now = now or timezone.now()
    ids = list(ticket_ids)
    applications = {a.ticket_id: a for a in SLAApplication.objects.filter(ticket_id__in=ids, superseded_at__isnull=True)}
    by_pk = {a.pk: a for a in applications.values()}
    clocks: dict[int, list[ClockView]] = {i: [] for i in ids}
    for clock in SLAClock.objects.filter(ticket_id__in=ids).exclude(state=ClockState.CANCELLED).order_by("started_at", "kind", "sequence"):
        application = by_pk.get(clock.application_id) or applications.get(clock.ticket_id)
        if application is None:
            application = SLAApplication.objects.get(pk=clock.application_id)
            by_pk[application.pk] = application
        clocks[clock.ticket_id].append(_view(clock, application, now))
    return {
        i: TicketSla(
            policy_name=applications[i].policy_name if i in applications else None,
            applied_at=applications[i].applied_at if i in applications else None,
            clocks=clocks[i],
        )
        for i in ids
    }


def tickets_with_sla_due(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    """``tickets`` annotated with ``sla_due``: the soonest due time of a clock still running (or breached)."""
    due = (
        SLAClock.objects.filter(ticket=OuterRef("pk"), stopped_at__isnull=True,
                                state__in=[ClockState.RUNNING, ClockState.BREACHED])
        .order_by("due_at").values("due_at")[:1]
    )
    return tickets.annotate(sla_due=Subquery(due))


def _minutes_words(minutes: int | None) -> str:
    if minutes is None:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest} min" if rest else "")


def _calendar_words(data: dict) -> str:  # type: ignore[type-arg]
    hours = data.get("hours")
    if hours == "24x7":
        text = "24x7"
    else:
        text = "; ".join(
            f"{WEEKDAYS[int(d)]} " + ", ".join(f"{a}-{b}" for a, b in pairs)
            for d, pairs in sorted(hours.items()) if pairs  # type: ignore[union-attr]
        )
    text += f" ({data['tz']})"
    if data.get("country"):
        text += f", public holidays of {data['country']}" + (f"-{data['subdivision']}" if data.get("subdivision") else "")
    if data.get("holidays"):
        text += f", {len(data['holidays'])} other closed day(s)"
    return text


@dataclass(frozen=True)
class PolicyWords:
    position: int
    name: str
    active: bool
    when: str
    targets: list[str]
    calendar_name: str
    calendar: str
    at_risk_percent: int


def sla_policies_in_words() -> list[PolicyWords]:
    """Every policy, in the order they are tried, described in plain words."""
    out = []
    for policy in SLAPolicy.objects.select_related("calendar").prefetch_related("companies", "queues"):
        conditions = []
        for label, values, choices in (
            ("priority", policy.priorities, dict(Ticket._meta.get_field("priority").choices)),  # type: ignore[arg-type]
            ("channel", policy.channels, dict(Ticket._meta.get_field("channel").choices)),  # type: ignore[arg-type]
            ("type", policy.ticket_types, dict(Ticket._meta.get_field("ticket_type").choices)),  # type: ignore[arg-type]
            ("customer tier", policy.tiers, None),
        ):
            if values:
                names = [str(choices.get(v, v)) if choices else v.title() for v in values]
                conditions.append(f"{label} is {' or '.join(names)}")
        companies = [c.name for c in policy.companies.all()]
        queues = [q.name for q in policy.queues.all()]
        if companies:
            conditions.append(f"company is {' or '.join(companies)}")
        if queues:
            conditions.append(f"queue is {' or '.join(queues)}")
        targets = [
            f"{label} within {_minutes_words(minutes)}"
            for label, minutes in (("first reply", policy.first_reply_minutes), ("next reply", policy.next_reply_minutes),
                                   ("resolution", policy.resolution_minutes)) if minutes
        ]
        out.append(PolicyWords(
            position=policy.position, name=policy.name, active=policy.active,
            when=("when " + " and ".join(conditions)) if conditions else "every ticket not matched above",
            targets=targets, calendar_name=policy.calendar.name, calendar=_calendar_words(policy.calendar.as_dict()),
            at_risk_percent=policy.at_risk_percent,
        ))
    return out


def sla_active_policy_count() -> int:
    """How many SLA policies are active (the backfill command says what to do when none is)."""
    return SLAPolicy.objects.filter(active=True).count()
