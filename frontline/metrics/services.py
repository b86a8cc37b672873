"""Per-ticket facts from the event log, and the hourly rollups summed from them.

The KPI definitions live once, in :mod:`frontline.engine.kpis`: a ticket's events (read by
``desk.selectors.metrics_event_rows``, the same rows ``frontline metrics export`` writes) are
replayed by :func:`ticket_facts`, and what it returns is stored as is. On top, the facts the
engine does not know: business minutes on the ticket's SLA calendar (the calendar of the policy
currently applied to it), handle time (the agent time measured on its messages) and whether it was
ever escalated.

Writes only (the listener, the refresh, the rebuild); reads are in ``selectors``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone as dj_timezone

from frontline.customers.models import Tier
from frontline.desk.models import AuthorKind, EventKind, Message, Ticket, TicketEvent
from frontline.desk.selectors import metrics_event_rows
from frontline.engine.businesstime import business_minutes_between
from frontline.engine.kpis import Event, TicketFacts, ticket_facts
from frontline.people.models import STAFF_ROLES, Role, Team, User
from frontline.people.selectors import team_ids_led_by
from frontline.sla.clocks import engine_calendar
from frontline.sla.models import SLAApplication

from .models import DirtyTicket, HourlyRollup, Kpi, Target, TargetPeriod, TeamHourSample, TicketFact
from .samples import SAMPLE_COLUMNS, team_hour_sample, team_hours_sql

CHUNK = 1000
_TIER_RANK = {tier: rank for rank, tier in enumerate(Tier.values)}


def metrics_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook: mark the event's ticket dirty, in the desk's transaction (one upsert).

    Updating ``marked_at`` on a conflict takes the row's lock, so a refresh that is deleting the
    mark waits for this transaction and then reads its events.
    """
    DirtyTicket.objects.bulk_create(
        [DirtyTicket(ticket_id=event.ticket_id, marked_at=event.created_at)],
        update_conflicts=True, unique_fields=["ticket_id"], update_fields=["marked_at"],
    )


def metrics_refresh_dirty(*, limit: int = 5000) -> int:
    """Recompute the facts (and the rollup hours they touch) of up to ``limit`` dirty tickets."""
    with transaction.atomic():
        ids = list(DirtyTicket.objects.order_by("marked_at").values_list("ticket_id", flat=True)[:limit])
        if not ids:
            return 0
        DirtyTicket.objects.filter(ticket_id__in=ids).delete()
        facts_refresh(ticket_ids=ids)
    return len(ids)


@transaction.atomic
def facts_refresh(*, ticket_ids: Sequence[int]) -> None:
    """Recompute the facts of ``ticket_ids`` from their events, then the rollup hours old or new facts sit in."""
    ids = sorted(set(ticket_ids))
    old_hours = set(TicketFact.objects.filter(ticket_id__in=ids).values_list("hour", flat=True))
    rows = list(_facts_for(ids))
    TicketFact.objects.filter(ticket_id__in=ids).delete()
    TicketFact.objects.bulk_create(rows, batch_size=CHUNK)
    rollups_refresh(hours=old_hours | {row.hour for row in rows})


@transaction.atomic
def metrics_rebuild() -> int:
    """Throw away every fact and rollup and compute them again from the events; returns the ticket count."""
    DirtyTicket.objects.all().delete()
    HourlyRollup.objects.all().delete()
    TeamHourSample.objects.all().delete()
    TicketFact.objects.all().delete()
    ids = list(Ticket.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):
        TicketFact.objects.bulk_create(list(_facts_for(ids[start:start + CHUNK])), batch_size=CHUNK)
    _rollups_insert(TicketFact.objects.all())
    return len(ids)


def metrics_reset() -> None:
    """Delete every fact, rollup and dirty mark (the demo's reset, before tickets go)."""
    DirtyTicket.objects.all().delete()
    HourlyRollup.objects.all().delete()
    TeamHourSample.objects.all().delete()
    TicketFact.objects.all().delete()


def rollups_refresh(*, hours: Iterable[datetime]) -> None:
    """Sum the rollup rows of ``hours`` again from the facts."""
    hours = sorted(set(hours))
    for start in range(0, len(hours), 500):
        chunk = hours[start:start + 500]
        HourlyRollup.objects.filter(hour__in=chunk).delete()
        TeamHourSample.objects.filter(hour__in=chunk).delete()
        _rollups_insert(TicketFact.objects.filter(hour__in=chunk))


def _rollups_insert(facts) -> None:  # type: ignore[no-untyped-def]
    """Insert the rollup rows (HourlyRollup, TeamHourSample) of ``facts``, whole hours of them."""
    _hourly_insert(facts)
    _team_hours_insert(facts)


def _team_hours_insert(facts) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":  # packed by the database, byte for byte as below
        sql, params = facts.order_by().values("ticket_id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(team_hours_sql(sql), params)
        return
    rows = facts.order_by("hour", "team_id", "ticket_id").values_list("hour", "team_id", *SAMPLE_COLUMNS)
    batch: list[TeamHourSample] = []
    for (hour, team_id), group in itertools.groupby(rows.iterator(chunk_size=CHUNK), key=lambda r: (r[0], r[1])):
        batch.append(team_hour_sample(hour=hour, team_id=team_id,
                                      rows=[dict(zip(SAMPLE_COLUMNS, r[2:], strict=True)) for r in group]))
        if len(batch) >= CHUNK:
            TeamHourSample.objects.bulk_create(batch)
            batch = []
    TeamHourSample.objects.bulk_create(batch)


def _hourly_insert(facts) -> None:  # type: ignore[no-untyped-def]
    zero = 0
    grouped = (
        facts.values("hour", "team_id", "agent_id", "channel", "queue_id", "priority", "tier")
        .order_by()
        .annotate(
            n_tickets=Count("pk"),
            n_solved=Count("pk", filter=Q(solved=True)),
            n_ever_solved=Count("pk", filter=Q(ever_solved=True)),
            n_reopened=Count("pk", filter=Q(ever_solved=True, reopens__gt=0)),
            n_one_touch=Count("pk", filter=Q(one_touch=True)),
            n_reassigned=Count("pk", filter=Q(reassigned=True)),
            n_replied=Count("pk", filter=Q(first_reply_at__isnull=False)),
            n_escalated=Count("pk", filter=Q(escalated=True)),
            s_agent_replies_solved=Coalesce(Sum("agent_replies", filter=Q(solved=True)), zero),
            s_handle_seconds=Coalesce(Sum("handle_seconds"), zero),
            s_first_reply=Coalesce(Sum("first_reply_minutes"), 0.0),
            s_resolution=Coalesce(Sum("resolution_minutes"), 0.0),
            n_csat=Count("csat"),
            n_csat_satisfied=Count("pk", filter=Q(csat__gte=4)),
            n_nps=Count("nps"),
            n_promoters=Count("pk", filter=Q(nps__gte=9)),
            n_detractors=Count("pk", filter=Q(nps__lte=6)),
            n_ces=Count("ces"),
            s_ces=Coalesce(Sum("ces"), zero),
        )
    )
    HourlyRollup.objects.bulk_create(
        [
            HourlyRollup(
                hour=g["hour"], team_id=g["team_id"], agent_id=g["agent_id"], channel=g["channel"],
                queue_id=g["queue_id"], priority=g["priority"], tier=g["tier"],
                tickets=g["n_tickets"], solved=g["n_solved"], ever_solved=g["n_ever_solved"],
                reopened=g["n_reopened"], one_touch=g["n_one_touch"], reassigned=g["n_reassigned"],
                replied=g["n_replied"], escalated=g["n_escalated"], agent_replies_solved=g["s_agent_replies_solved"],
                handle_seconds=g["s_handle_seconds"], first_reply_minutes_sum=g["s_first_reply"],
                resolution_minutes_sum=g["s_resolution"], csat_responses=g["n_csat"],
                csat_satisfied=g["n_csat_satisfied"], nps_responses=g["n_nps"], nps_promoters=g["n_promoters"],
                nps_detractors=g["n_detractors"], ces_responses=g["n_ces"], ces_sum=g["s_ces"],
            )
            for g in grouped
        ],
        batch_size=CHUNK,
    )


def _facts_for(ids: Sequence[int]) -> Iterable[TicketFact]:
    """The TicketFact rows of ``ids`` (tickets that no longer exist are skipped)."""
    if not ids:
        return
    tickets = {
        t["pk"]: t
        for t in Ticket.objects.filter(pk__in=ids).values(
            "pk", "team_id", "assignee_id", "channel", "queue_id", "priority", "requester__tier", "company__tier"
        )
    }
    events = [
        Event(ticket=ticket, at=datetime.fromisoformat(at), kind=kind, role=role, actor=actor, value=value)
        for ticket, at, kind, actor, role, value in metrics_event_rows(ticket_ids=list(tickets))
    ]
    engine = {int(f.ticket): f for f in ticket_facts(events=events)}
    calendars = dict(
        SLAApplication.objects.filter(ticket_id__in=list(tickets), superseded_at__isnull=True)
        .values_list("ticket_id", "calendar")
    )
    handle = dict(
        Message.objects.filter(ticket_id__in=list(tickets), author_kind=AuthorKind.AGENT, handle_seconds__isnull=False)
        .values("ticket_id").order_by().annotate(total=Sum("handle_seconds")).values_list("ticket_id", "total")
    )
    escalated = set(
        TicketEvent.objects.filter(ticket_id__in=list(tickets), kind=EventKind.ESCALATED).values_list("ticket_id", flat=True)
    )
    for pk, t in tickets.items():
        f = engine.get(pk)
        if f is None:  # a ticket without its created event: nothing to count
            continue
        yield _fact_row(pk, t, f, calendars.get(pk), handle.get(pk, 0), pk in escalated)


def _fact_row(pk: int, t: dict, f: TicketFacts, calendar: dict | None, handle_seconds: int, escalated: bool) -> TicketFact:
    created = f.created_at.astimezone(UTC)
    frb = rb = None
    if calendar is not None:
        cal = engine_calendar(calendar)
        if f.first_reply_at is not None:
            frb = business_minutes_between(start=f.created_at, end=f.first_reply_at, calendar=cal)
        if f.solved_at is not None:
            rb = business_minutes_between(start=f.created_at, end=f.solved_at, calendar=cal)
    tiers = [x for x in (t["requester__tier"], t["company__tier"]) if x]
    return TicketFact(
        ticket_id=pk,
        created_at=created,
        hour=created.replace(minute=0, second=0, microsecond=0),
        team_id=t["team_id"], agent_id=t["assignee_id"], channel=t["channel"], queue_id=t["queue_id"],
        priority=t["priority"], tier=max(tiers, key=lambda x: _TIER_RANK.get(x, -1)) if tiers else "",
        category=f.category, first_reply_at=f.first_reply_at, solved_at=f.solved_at, ever_solved=f.ever_solved,
        reopens=f.reopens, agent_replies=f.agent_replies, assignee_count=len(f.assignees),
        csat=f.csat, ces=f.ces, nps=f.nps,
        solved=f.solved, one_touch=f.one_touch, reassigned=f.reassigned,
        first_reply_minutes=f.first_reply_minutes, resolution_minutes=f.resolution_minutes,
        first_reply_business_minutes=frb, resolution_business_minutes=rb,
        handle_seconds=handle_seconds, escalated=escalated,
    )


# --- targets ----------------------------------------------------------------------------------------------------

RATE_KPIS = frozenset({Kpi.ONE_TOUCH_RATE, Kpi.REOPEN_RATE, Kpi.REASSIGNMENT_RATE, Kpi.ESCALATION_RATE, Kpi.CSAT})


@transaction.atomic
def target_set(*, actor: User, kpi: str, period: str, value: float, team: int | None = None, agent: int | None = None,
               at: datetime | None = None) -> Target:
    """Set the target of ``kpi`` per ``period`` for the department, a team or an agent.

    The current target of that KPI, period and scope (if any) is superseded, not changed, so the
    history stays. Rates are given in percent (80 means 80 %) and stored as fractions. Managers set
    any target; team leads only their teams' and their teams' agents'. PermissionDenied otherwise;
    ValidationError naming the field for a bad value.
    """
    if kpi not in Kpi.values:
        raise ValidationError({"kpi": "Choose a KPI from the list."})
    if period not in TargetPeriod.values:
        raise ValidationError({"period": "Choose week, month or quarter."})
    if team is not None and agent is not None:
        raise ValidationError({"agent": "Set a target for a team or for an agent, not both."})
    if not actor.sees_everything:
        if actor.role != Role.TEAM_LEAD:
            raise PermissionDenied("Team leads and managers set targets.")
        led = team_ids_led_by(user=actor)
        if team is None and agent is None:
            raise PermissionDenied("Department targets are set by managers.")
        if team is not None and team not in led:
            raise PermissionDenied("You set targets for the teams you lead.")
        if agent is not None and not User.objects.filter(pk=agent, teams__in=led).exists():
            raise PermissionDenied("You set targets for the agents of the teams you lead.")
    if kpi == Kpi.COST_PER_CONTACT:  # the budget is the managers' (docs/workforce/budget.md), kept per team
        if not actor.sees_everything:
            raise PermissionDenied("Cost per contact targets are set by managers (the budget is theirs).")
        if agent is not None:
            raise ValidationError({"agent": "Cost per contact is kept for the department or a team, not an agent."})
    if team is not None and not Team.objects.filter(pk=team).exists():
        raise ValidationError({"team": "No such team."})
    if agent is not None and not User.objects.filter(pk=agent, role__in=STAFF_ROLES).exists():
        raise ValidationError({"agent": "No such agent."})
    if not math.isfinite(value):
        raise ValidationError({"value": "Give a number."})
    if kpi in RATE_KPIS:
        if not 0 <= value <= 100:
            raise ValidationError({"value": "A rate is between 0 and 100 %."})
        value = value / 100
    elif kpi == Kpi.NPS:
        if not -100 <= value <= 100:
            raise ValidationError({"value": "NPS is between \u2212100 and 100."})
    elif kpi == Kpi.QA_SCORE:
        if not 0 <= value <= 100:
            raise ValidationError({"value": "A quality score is between 0 and 100."})
    elif value < 0:
        raise ValidationError({"value": "Must not be negative."})
    at = at or dj_timezone.now()
    current = Target.objects.select_for_update().filter(kpi=kpi, period=period, team_id=team, agent_id=agent,
                                                        superseded_at__isnull=True)
    current.update(superseded_at=at)
    return Target.objects.create(kpi=kpi, period=period, team_id=team, agent_id=agent, value=value, set_by=actor,
                                 created_at=at)
