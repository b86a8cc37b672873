"""Reads of the phone channel: connector secrets, a ticket's calls, calls per day (abandoned counted).

Every list and count is scoped by the desk's ticket visibility (``ticket_visibility_q``): a call is
seen by whoever may see its ticket.

Definitions (the same in docs/phone.md), per day in the viewer's time zone, by the day the call started:

- **inbound calls offered**: inbound calls that reached a final state (answered and ended, missed or abandoned);
- **answered**: of those, the ones an agent answered; **missed**, **abandoned**: the others (see services);
- **abandon rate** = abandoned / offered; **answer rate** = answered / offered (— when none were offered);
- **outbound**: calls agents made (logged or reported).

Calls still ringing or in progress are not counted yet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo

from django.db.models import QuerySet
from django.http import Http404

from frontline.core.days import days_from, local_window
from frontline.desk.models import Ticket
from frontline.desk.selectors import ticket_visibility_q
from frontline.people.models import User

from .models import FINAL_STATES, Call, CallState, Direction, PhoneConnector


def connector_secrets(*, connector: PhoneConnector, now: datetime) -> list[str]:
    """The secrets a request may be signed with now: the current one, and the previous during a rotation."""
    found = [connector.secret]
    if connector.previous_secret and connector.previous_secret_until and now < connector.previous_secret_until:
        found.append(connector.previous_secret)
    return found


def calls_for_viewer(*, viewer: User) -> QuerySet[Call]:
    q = ticket_visibility_q(viewer=viewer)
    calls = Call.objects.select_related("ticket", "customer", "agent", "connector")
    return calls if q is None else calls.filter(ticket__in=Ticket.objects.filter(q))


def call_get_for_viewer(*, call_id: int, viewer: User) -> Call:
    """The call, if the viewer may see its ticket; otherwise Http404 (as if it did not exist)."""
    call = calls_for_viewer(viewer=viewer).filter(pk=call_id).first()
    if call is None:
        raise Http404("No such call.")
    return call


def calls_for_ticket(*, ticket: Ticket) -> list[Call]:
    """The calls on one ticket (the caller already may see the ticket), oldest first."""
    return list(Call.objects.filter(ticket=ticket).select_related("agent").order_by("started_at", "id"))


@dataclass
class DayCounts:
    day: date
    offered: list[int] = field(default_factory=list)  # ticket ids, one per call
    answered: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    abandoned: list[int] = field(default_factory=list)
    outbound: list[int] = field(default_factory=list)
    handled: list[int] = field(default_factory=list)  # calls with talk or wrap-up time (what the times add up)
    talk_seconds: int = 0
    wrap_seconds: int = 0

    @property
    def abandon_rate(self) -> float | None:
        return len(self.abandoned) / len(self.offered) if self.offered else None

    @property
    def answer_rate(self) -> float | None:
        return len(self.answered) / len(self.offered) if self.offered else None


def call_counts_per_day(*, viewer: User, first: date, last: date, tz: tzinfo) -> list[DayCounts]:
    """Inbound offered / answered / missed / abandoned and outbound calls per day from ``first`` to ``last`` (in ``tz``)."""
    start, end = local_window(first, last, tz)
    days = {d: DayCounts(d) for d in days_from(first, last)}
    rows = (calls_for_viewer(viewer=viewer).filter(started_at__gte=start, started_at__lt=end, state__in=list(FINAL_STATES))
            .values_list("started_at", "direction", "state", "ticket_id", "talk_seconds", "wrap_seconds"))
    for started, direction, state, ticket_id, talk, wrap in rows:
        counts = days.get(started.astimezone(tz).date())
        if counts is None:
            continue
        counts.talk_seconds += talk
        counts.wrap_seconds += wrap
        if talk or wrap:
            counts.handled.append(ticket_id)
        if direction == Direction.OUTBOUND:
            counts.outbound.append(ticket_id)
            continue
        counts.offered.append(ticket_id)
        {CallState.ENDED: counts.answered, CallState.MISSED: counts.missed,
         CallState.ABANDONED: counts.abandoned}[state].append(ticket_id)
    return [days[d] for d in sorted(days)]


def call_totals(days: list[DayCounts]) -> DayCounts:
    """The days summed (``day`` is the first day)."""
    total = DayCounts(days[0].day if days else date.min)
    for d in days:
        for name in ("offered", "answered", "missed", "abandoned", "outbound", "handled"):
            getattr(total, name).extend(getattr(d, name))
        total.talk_seconds += d.talk_seconds
        total.wrap_seconds += d.wrap_seconds
    return total


def abandoned_count(*, viewer: User, since: datetime, until: datetime) -> int:
    """Abandoned inbound calls that started in [since, until) on tickets the viewer may see."""
    return calls_for_viewer(viewer=viewer).filter(state=CallState.ABANDONED, direction=Direction.INBOUND,
                                                  started_at__gte=since, started_at__lt=until).count()
