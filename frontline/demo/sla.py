"""The demo's service standards: a business calendar per team, SLA policies by priority and tier,
and the clocks, at-risk and breach events of the replayed history (``sla.backfill``)."""

from __future__ import annotations

from datetime import datetime

from frontline.desk.models import Queue
from frontline.sla.backfill import sla_backfill
from frontline.sla.models import BusinessCalendar, SLAApplication, SLAClock, SLAPolicy

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


def sla_reset() -> None:
    """Delete the demo's SLA records (before its tickets go: the demo deletes tickets in bulk)."""
    SLAClock.objects.all().delete()
    SLAApplication.objects.all().delete()
    SLAPolicy.objects.filter(calendar__name__in=[ALWAYS, *(_calendar_name(t.name) for t in names.TEAMS)]).delete()
    BusinessCalendar.objects.filter(name__in=[ALWAYS, *(_calendar_name(t.name) for t in names.TEAMS)]).delete()
