"""Reads of tickets, scoped to the viewer. Nothing here writes.

Visibility rules (tested in tests/desk/test_permissions.py):
- managers and admins see every ticket;
- team leads see tickets of the teams they lead (and their sub-teams) or belong to, tickets
  with no team (the triage pool) and tickets assigned to them;
- agents see tickets of their teams, tickets with no team and tickets assigned to them;
- customers see tickets they requested and, where their company shares tickets and they are
  allowed to, the company's tickets; never internal notes. Customers list and search through
  ``ticket_list_for_customer``, which reads only what they can see (public search text and
  counts, the last visible change): staff-only data never decides what a customer's query returns.
A ticket a viewer may not see is reported as missing (404), so its existence does not leak.
(One read is not scoped: ``metrics_event_rows``, for the operator command ``frontline metrics export``.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify

from frontline.customers.models import Customer
from frontline.people.models import STAFF_ROLES, User
from frontline.people.selectors import team_ids_for_viewer

from .models import (
    CUSTOMER_STATE,
    UNRESOLVED_CATEGORIES,
    EventKind,
    Message,
    StatusCategory,
    Ticket,
    TicketEvent,
)


def ticket_visibility_q(*, viewer: User) -> Q | None:
    """A filter for the tickets ``viewer`` may see; None means all of them."""
    if not viewer.is_authenticated or not viewer.is_active:
        return Q(pk__in=[])
    if viewer.role in STAFF_ROLES:
        team_ids = team_ids_for_viewer(viewer=viewer)
        if team_ids is None:
            return None
        return Q(team_id__in=team_ids) | Q(team__isnull=True) | Q(assignee_id=viewer.pk)
    customer = Customer.objects.filter(user=viewer).select_related("company").first()
    if customer is None:
        return Q(pk__in=[])
    visible = Q(requester_id=customer.pk)
    if customer.company_id and customer.sees_company_tickets and customer.company.share_tickets:
        visible |= Q(company_id=customer.company_id)
    return visible


def ticket_queryset_for_viewer(*, viewer: User) -> QuerySet[Ticket]:
    q = ticket_visibility_q(viewer=viewer)
    tickets = Ticket.objects.all()
    return tickets if q is None else tickets.filter(q)


def ticket_get_for_viewer(*, ticket_id: int, viewer: User) -> Ticket:
    """The ticket, if the viewer may see it; otherwise Http404."""
    try:
        return ticket_queryset_for_viewer(viewer=viewer).select_related(
            "status", "requester", "requester__company", "assignee", "team", "queue", "merged_into"
        ).get(pk=ticket_id)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404("No such ticket.") from None


VIEWS = {
    "mine": "My open tickets",
    "unassigned": "Unassigned",
    "team": "My teams",
    "all": "All tickets",
    "recent": "Recently updated",
}


@dataclass(frozen=True)
class TicketFilters:
    """Filters a queue page or the API applies on top of visibility."""

    status_category: str = ""
    states: frozenset[str] = frozenset()  # CustomerState values
    priority: str = ""
    ticket_type: str = ""
    channel: str = ""
    assignee_id: int | None = None
    unassigned: bool = False
    team_id: int | None = None
    queue_id: int | None = None
    requester_id: int | None = None
    company_id: int | None = None
    tag: str = ""
    q: str = ""
    created_from: date | None = None  # days in the current time zone, both ends included
    created_to: date | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    updated_since: datetime | None = None
    ids: frozenset[int] = frozenset()  # only these tickets (a metric's "the tickets behind this number")


def ticket_list_for_viewer(*, viewer: User, view: str = "all", filters: TicketFilters | None = None) -> QuerySet[Ticket]:
    """Tickets for a queue page or the staff API: visibility, then the view, then filters.

    Staff only: these filters read staff data (notes, tags, assignees); customers list through
    ``ticket_list_for_customer``.
    """
    if getattr(viewer, "role", None) not in STAFF_ROLES:
        raise PermissionDenied("Customers list their tickets through the portal or the customer API.")
    filters = filters or TicketFilters()
    tickets = ticket_queryset_for_viewer(viewer=viewer)
    if view == "mine":
        tickets = tickets.filter(assignee_id=viewer.pk, status_category__in=UNRESOLVED_CATEGORIES)
    elif view == "unassigned":
        tickets = tickets.filter(assignee__isnull=True, status_category__in=UNRESOLVED_CATEGORIES)
    elif view == "team":
        team_ids = team_ids_for_viewer(viewer=viewer)
        team_filter = Q() if team_ids is None else Q(team_id__in=team_ids)
        tickets = tickets.filter(team_filter, team__isnull=False, status_category__in=UNRESOLVED_CATEGORIES)
    elif view == "recent":
        tickets = tickets.filter(updated_at__gte=timezone.now() - timedelta(days=7))
    elif view != "all":
        raise ValueError(f"view: unknown view {view!r}")
    tickets = _apply_filters(tickets, filters)
    return tickets.select_related("status", "requester", "assignee", "team").order_by("-updated_at", "-id")


def _apply_filters(tickets: QuerySet[Ticket], f: TicketFilters) -> QuerySet[Ticket]:
    if f.status_category == "unresolved":
        tickets = tickets.filter(status_category__in=UNRESOLVED_CATEGORIES)
    elif f.status_category == "resolved":
        tickets = tickets.exclude(status_category__in=UNRESOLVED_CATEGORIES)
    elif f.status_category:
        tickets = tickets.filter(status_category=f.status_category)
    if f.states:
        tickets = tickets.filter(status_category__in=_categories_of(f.states))
    if f.priority:
        tickets = tickets.filter(priority=f.priority)
    if f.ticket_type:
        tickets = tickets.filter(ticket_type=f.ticket_type)
    if f.channel:
        tickets = tickets.filter(channel=f.channel)
    if f.unassigned:
        tickets = tickets.filter(assignee__isnull=True)
    elif f.assignee_id is not None:
        tickets = tickets.filter(assignee_id=f.assignee_id)
    if f.team_id is not None:
        tickets = tickets.filter(team_id=f.team_id)
    if f.queue_id is not None:
        tickets = tickets.filter(queue_id=f.queue_id)
    if f.requester_id is not None:
        tickets = tickets.filter(requester_id=f.requester_id)
    if f.company_id is not None:
        tickets = tickets.filter(company_id=f.company_id)
    if f.tag:
        tickets = tickets.filter(tags__name=slugify(f.tag, allow_unicode=True))
    tickets = tickets.filter(_day_range_q("created_at", f.created_from, f.created_to))
    tickets = tickets.filter(_day_range_q("updated_at", f.updated_from, f.updated_to))
    if f.updated_since:
        tickets = tickets.filter(updated_at__gte=f.updated_since)
    if f.ids:
        tickets = tickets.filter(pk__in=sorted(f.ids))
    if f.q:
        tickets = ticket_search(tickets=tickets, query=f.q)
    return tickets


def _categories_of(states: frozenset[str]) -> list[str]:
    """The status categories a customer is told ``states`` for (see CUSTOMER_STATE)."""
    return [category for category, state in CUSTOMER_STATE.items() if state in states]


def _day_range_q(column: str, first: date | None, last: date | None) -> Q:
    """``column`` within the days ``first`` to ``last`` (both included) of the current time zone."""
    zone = timezone.get_current_timezone()
    q = Q()
    if first:
        q &= Q(**{f"{column}__gte": datetime.combine(first, time.min, tzinfo=zone)})
    if last and last < date.max:
        q &= Q(**{f"{column}__lt": datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)})
    return q


@dataclass(frozen=True)
class CustomerTicketFilters:
    """The filters a customer may apply: only on what a customer can see of a ticket.

    ``states`` are CustomerState values; words search subjects and public messages; the
    ``updated`` bounds and ``recent`` read the time of the last change the customer could see.
    """

    states: frozenset[str] = frozenset()
    channel: str = ""
    requester_id: int | None = None
    company_id: int | None = None
    q: str = ""
    created_from: date | None = None
    created_to: date | None = None
    updated_from: date | None = None
    updated_to: date | None = None
    updated_since: datetime | None = None
    recent: bool = False


def ticket_list_for_customer(*, viewer: User, filters: CustomerTicketFilters | None = None) -> QuerySet[Ticket]:
    """A customer's tickets (their own, and their company's where shared), by last visible change.

    Nothing staff-only takes part: not internal notes (search, count), not assignee, team, queue,
    tags or priority (filters), not the staff ``updated_at`` (sort order and the updated filters).
    """
    f = filters or CustomerTicketFilters()
    tickets = ticket_queryset_for_viewer(viewer=viewer)
    if f.states:
        tickets = tickets.filter(status_category__in=_categories_of(f.states))
    if f.channel:
        tickets = tickets.filter(channel=f.channel)
    if f.requester_id is not None:
        tickets = tickets.filter(requester_id=f.requester_id)
    if f.company_id is not None:
        tickets = tickets.filter(company_id=f.company_id)
    tickets = tickets.filter(_day_range_q("created_at", f.created_from, f.created_to))
    tickets = tickets.filter(_day_range_q("public_updated_at", f.updated_from, f.updated_to))
    if f.updated_since:
        tickets = tickets.filter(public_updated_at__gte=f.updated_since)
    if f.recent:
        tickets = tickets.filter(public_updated_at__gte=timezone.now() - timedelta(days=7))
    if f.q:
        tickets = ticket_search(tickets=tickets, query=f.q, column="public_search_text")
    return tickets.select_related("status", "requester").order_by("-public_updated_at", "-id")


MAX_TICKET_ID = 2**63 - 1


def ticket_search(*, tickets: QuerySet[Ticket], query: str, column: str = "search_text") -> QuerySet[Ticket]:
    """Every word must appear in ``column`` (lower-cased text); ``#123`` finds a ticket by number.

    A bare number finds the ticket with that number and the tickets whose text holds it (an order
    number in a message or a custom field, say).
    """
    query = query.strip()
    number = query.lstrip("#")
    if number.isascii() and number.isdigit():
        by_number = Q(pk=int(number)) if int(number) <= MAX_TICKET_ID else Q(pk__in=[])
        if query.startswith("#"):
            return tickets.filter(by_number)
        return tickets.filter(by_number | Q(**{f"{column}__contains": number}))
    for word in query.lower().split()[:8]:
        tickets = tickets.filter(**{f"{column}__contains": word})
    return tickets


def ticket_messages_for_viewer(*, ticket: Ticket, viewer: User) -> QuerySet[Message]:
    messages = ticket.messages.select_related("author_user", "author_customer").prefetch_related("attachments")
    if viewer.role not in STAFF_ROLES:
        messages = messages.filter(is_public=True)
    return messages.order_by("created_at", "id")


def ticket_messages_after_for_viewer(*, ticket: Ticket, viewer: User, after_id: int) -> list[Message]:
    """Messages the viewer may see that others wrote after message ``after_id`` (collision detection)."""
    return list(ticket_messages_for_viewer(ticket=ticket, viewer=viewer).filter(pk__gt=after_id)
                .exclude(author_user=viewer).select_related("author_user", "author_customer"))


def ticket_events_for_viewer(*, ticket: Ticket, viewer: User) -> QuerySet[TicketEvent]:
    if viewer.role not in STAFF_ROLES:
        return TicketEvent.objects.none()
    return ticket.events.select_related("actor").order_by("created_at", "id")


SIDEBAR_COUNT_CAP = 999


def ticket_counts_for_viewer(*, viewer: User) -> dict[str, str]:
    """Counts for the queue sidebar, one bounded query per view ("999+" past the cap): the open
    tickets of My / Unassigned / My teams, and every ticket of All and Recently updated."""
    counts = {}
    for view in VIEWS:
        n = ticket_list_for_viewer(viewer=viewer, view=view).order_by()[: SIDEBAR_COUNT_CAP + 1].count()
        counts[view] = f"{SIDEBAR_COUNT_CAP}+" if n > SIDEBAR_COUNT_CAP else str(n)
    return counts


def ticket_status_category_choices() -> list[tuple[str, str]]:
    return [("unresolved", "Unresolved"), ("resolved", "Solved or closed"), *StatusCategory.choices]


# ``frontline metrics export``: the event log in the CSV form of ``frontline metrics compute``.
METRICS_EVENT_COLUMNS = ("ticket", "at", "kind", "actor", "role", "value")
_METRICS_KINDS = {
    EventKind.CREATED: "created",
    EventKind.REPLIED: "public_reply",
    EventKind.CUSTOMER_REPLIED: "public_reply",
    EventKind.NOTE_ADDED: "note",
    EventKind.STATUS_CHANGED: "status",
    EventKind.ASSIGNED: "assign",
    EventKind.SURVEY_ANSWERED: "survey",
}


def metrics_event_rows(*, ticket_ids: Iterable[int] | None = None) -> Iterator[tuple[str, str, str, str, str, str]]:
    """Every ticket's events as ``ticket,at,kind,actor,role,value`` rows (docs/metrics.md).

    created -> ``created`` (value = channel; a ticket created in another category than new
    gets a ``status`` row at the same instant), replied -> ``public_reply`` by an agent,
    customer_replied -> ``public_reply`` by the customer, note_added -> ``note``,
    status_changed -> ``status`` (value = the new category), assigned -> ``assign`` (value =
    the new assignee's user id, empty = unassigned), survey_answered -> ``survey`` by the customer
    (value = ``csat:N``, ``ces:N`` or ``nps:N``; every answer, a changed one too: the KPIs count a
    ticket's latest answer per survey kind).  Other kinds (reopened, which repeats a
    status change; team, priority, tags, SLA, escalation ...) are not KPI events and are left
    out.  ``actor`` is the user id (empty for none); ``role`` is agent for staff, customer for a
    customer (and for a creation or customer reply with no user, e.g. by email), else system.
    Rows come per ticket in time order; instants are UTC.  ``ticket_ids``: only these tickets
    (the metrics app recomputes a ticket's facts from them).
    """
    events = TicketEvent.objects.filter(kind__in=list(_METRICS_KINDS))
    if ticket_ids is not None:
        events = events.filter(ticket_id__in=list(ticket_ids))
    events = (
        events
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "created_at", "kind", "actor_id", "actor__role", "payload")
    )
    for ticket_id, at, kind, actor_id, actor_role, payload in events.iterator(chunk_size=2000):
        ticket, instant, actor = str(ticket_id), at.isoformat(), "" if actor_id is None else str(actor_id)
        if actor_role in STAFF_ROLES:
            role = "agent"
        elif actor_role is not None or kind in (EventKind.CREATED, EventKind.CUSTOMER_REPLIED,
                                                EventKind.SURVEY_ANSWERED):
            role = "customer"
        else:
            role = "system"
        if kind == EventKind.NOTE_ADDED and payload.get("system"):
            role = "system"
        if kind == EventKind.CREATED:
            yield ticket, instant, "created", actor, role, str(payload.get("channel") or "")
            category = payload.get("status_category") or StatusCategory.NEW
            if category != StatusCategory.NEW:
                yield ticket, instant, "status", actor, role, str(category)
        elif kind == EventKind.STATUS_CHANGED:
            yield ticket, instant, "status", actor, role, str(payload.get("to_category") or "")
        elif kind == EventKind.ASSIGNED:
            to = payload.get("to")
            yield ticket, instant, "assign", actor, role, "" if to is None else str(to)
        elif kind == EventKind.SURVEY_ANSWERED:
            yield ticket, instant, "survey", actor, role, f"{payload.get('survey')}:{payload.get('score')}"
        else:
            yield ticket, instant, _METRICS_KINDS[kind], actor, role, ""
