"""The demo's service standards: a business calendar per team, SLA policies by priority and tier,
the clocks, at-risk and breach events of the replayed history (``sla.backfill``), escalation
settings per team and a few live escalations at each level."""

from __future__ import annotations

from datetime import datetime, timedelta

from frontline.desk.models import UNRESOLVED_CATEGORIES, Queue, Ticket
from frontline.escalations.models import Escalation, EscalationSettings, Trigger
from frontline.escalations.services import escalation_raise
from frontline.people.models import Team
from frontline.sla.backfill import sla_backfill
from frontline.sla.models import BusinessCalendar, ClockState, SLAApplication, SLAClock, SLAPolicy

from . import names

WEEKDAYS = range(5)
# Team → (hours, holiday country, subdivision): London with a Saturday morning, Berlin's split
# shift around lunch, New York's long day.
CALENDARS = {
    "Orders & Billing": ({**{str(d): [["08:00", "18:00"]] for d in WEEKDAYS}, "5": [["10:00", "14:00"]]}, "GB", "ENG"),
    "Technical": ({str(d): [["08:00", "12:00"], ["13:00", "19:00"]] for d in WEEKDAYS}, "DE", "BE"),
    "Accounts": ({str(d): [["08:00", "20:00"]] for d in WEEKDAYS}, "US", "NY"),
}
ALWAYS = "Around the clock (UTC)"
# (name suffix, conditions, first reply, next reply, resolution) in business minutes.
TIERS = [
    ("high priority", {"priorities": ["high"]}, 120, 240, 960),
    ("gold & platinum", {"tiers": ["gold", "platinum"]}, 120, 240, 1440),
    ("standard", {}, 480, 480, 2880),
]


def _calendar_name(team: str) -> str:
    return f"{team} hours"


def demo_sla(*, anchor: datetime) -> int:
    """Create the calendars and policies, then apply them to the history; returns tickets with a policy."""
    always = BusinessCalendar.objects.create(name=ALWAYS, time_zone="UTC", hours="24x7")
    SLAPolicy.objects.create(name="Urgent", position=1, priorities=["urgent"], calendar=always,
                             first_reply_minutes=60, next_reply_minutes=120, resolution_minutes=480)
    for index, spec in enumerate(names.TEAMS):
        hours, country, subdivision = CALENDARS[spec.name]
        calendar = BusinessCalendar.objects.create(name=_calendar_name(spec.name), time_zone=spec.time_zone, hours=hours,
                                                   holiday_country=country, holiday_subdivision=subdivision)
        queues = list(Queue.objects.filter(team__name=spec.name))
        for level, (suffix, conditions, first, following, resolution) in enumerate(TIERS):
            policy = SLAPolicy.objects.create(
                name=f"{spec.name}: {suffix}", position=10 * (level + 1) + index, calendar=calendar,
                first_reply_minutes=first, next_reply_minutes=following, resolution_minutes=resolution, **conditions,
            )
            policy.queues.set(queues)
    SLAPolicy.objects.create(name="Any other ticket", position=99, calendar=BusinessCalendar.objects.get(
        name=_calendar_name(names.TEAMS[0].name)), first_reply_minutes=480, next_reply_minutes=480, resolution_minutes=2880)
    return sla_backfill(now=anchor)


def demo_escalations(*, anchor: datetime) -> int:
    """Escalation settings per team and a few live escalations: per team, the three oldest unresolved
    tickets with a breached SLA go to the team lead; the oldest of them on to a manager."""
    raised = 0
    for team in Team.objects.filter(name__in=[t.name for t in names.TEAMS]).order_by("name"):
        EscalationSettings.objects.create(team=team, reopen_limit=2, vip_tiers=["platinum"])
        breached = (
            SLAClock.objects.filter(ticket__team=team, state=ClockState.BREACHED, ticket__status_category__in=UNRESOLVED_CATEGORIES)
            .order_by("ticket__created_at", "ticket_id").values_list("ticket_id", flat=True).distinct()
        )
        ids = list(dict.fromkeys(breached))[:3]
        for n, ticket in enumerate(Ticket.objects.filter(pk__in=ids).order_by("created_at", "pk")):
            at = anchor - timedelta(minutes=90 - 10 * n)
            escalation_raise(ticket=ticket, trigger=Trigger.SLA_BREACHED, actor=None, at=at, notify=False)
            raised += 1
            if n == 0 and team.lead is not None:
                escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=team.lead, at=at + timedelta(minutes=30),
                                 reason="The customer is threatening to cancel; a goodwill credit above my limit is needed.",
                                 notify=False)
    return raised


def sla_reset() -> None:
    """Delete the demo's SLA records (before its tickets go: the demo deletes tickets in bulk)."""
    Escalation.objects.all().delete()
    SLAClock.objects.all().delete()
    SLAApplication.objects.all().delete()
    SLAPolicy.objects.filter(calendar__name__in=[ALWAYS, *(_calendar_name(t.name) for t in names.TEAMS)]).delete()
    BusinessCalendar.objects.filter(name__in=[ALWAYS, *(_calendar_name(t.name) for t in names.TEAMS)]).delete()
