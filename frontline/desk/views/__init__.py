"""Agent pages: queues, the ticket workspace, new tickets. Each view parses, checks access,
calls one service or selector, and renders (the full page, or the htmx partial).

Package map: this module holds the ticket list (``ticket_list``: queues, views, filters, sort,
search) and its capped paginator (``COUNT_CAP`` is read here, where tests lower it);
``workspace`` (``ticket_detail``, ``ticket_reply``, ``ticket_take``, ``ticket_update``,
``ticket_merge``), ``new`` (``ticket_new``, ``attachment_download``), and ``_common``
(``staff_required``, used by other apps' pages too). Import from ``frontline.desk.views``.
"""

from __future__ import annotations

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from frontline.people.models import STAFF_ROLES, Team, User
from frontline.sla.selectors import sla_for_tickets, tickets_with_sla_due

from ..models import Channel, Priority, Queue, Ticket, TicketType
from ..selectors import (
    VIEWS,
    TicketFilters,
    ticket_counts_for_viewer,
    ticket_list_for_viewer,
    ticket_status_category_choices,
)
from ._common import (
    FILTER_PARAMS,
    FIRST_DAY,
    LAST_DAY,
    MAX_ID,
    PAGE_SIZES,
    SORTS,
    staff_required,
)
from .new import (
    attachment_download,
    ticket_new,
)
from .workspace import (
    ticket_detail,
    ticket_merge,
    ticket_reply,
    ticket_take,
    ticket_update,
)

# Counting a million visible tickets costs more than the page itself; count at most this many.
COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (the page says "10,000+"), so a queue page's
    cost does not grow with the history behind it."""

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        return self.object_list.order_by()[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP
# At most this many ids in ``?ids=1,2,3`` (links from a metric to the tickets behind it).
MAX_IDS = 1000


def _int_or_none(value: str | None) -> int | None:
    """A database id from a query parameter, or None when it is not one."""
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def _filters_from(request: HttpRequest) -> TicketFilters:
    g = request.GET
    assignee = g.get("assignee", "")
    return TicketFilters(
        status_category=g.get("status", "") if g.get("status", "") in dict(ticket_status_category_choices()) else "",
        priority=g.get("priority", "") if g.get("priority", "") in Priority.values else "",
        ticket_type=g.get("type", "") if g.get("type", "") in TicketType.values else "",
        channel=g.get("channel", "") if g.get("channel", "") in Channel.values else "",
        unassigned=assignee == "none",
        assignee_id=_int_or_none(assignee) if assignee != "none" else None,
        team_id=_int_or_none(g.get("team")),
        queue_id=_int_or_none(g.get("queue")),
        requester_id=_int_or_none(g.get("requester")),
        company_id=_int_or_none(g.get("company")),
        tag=g.get("tag", "").strip()[:60],
        q=g.get("q", "").strip()[:200],
        created_from=_day_or_none(g.get("created_from")),
        created_to=_day_or_none(g.get("created_to")),
        updated_from=_day_or_none(g.get("updated_from")),
        updated_to=_day_or_none(g.get("updated_to")),
        ids=_ids(g.get("ids", "")),
    )


def _ids(value: str) -> frozenset[int]:
    """Ticket ids from ``1,2,3`` (ids that are not ids are dropped; at most MAX_IDS)."""
    found = (_int_or_none(part.strip()) for part in value.split(",")[:MAX_IDS])
    return frozenset(i for i in found if i is not None)


def _day_or_none(value: str | None) -> date | None:
    """A day (YYYY-MM-DD, the date input's format) from a query parameter, or None when it is not one."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _sorted(tickets: QuerySet[Ticket], sort: str) -> QuerySet[Ticket]:
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "updated", "-updated"
    descending = sort.startswith("-")
    if key == "priority":
        ranks = [When(priority=p, then=Value(i)) for i, p in enumerate(["low", "normal", "high", "urgent"])]
        tickets = tickets.annotate(priority_rank=Case(*ranks, output_field=IntegerField()))
    if key == "due":
        tickets = tickets_with_sla_due(tickets)
        due = F("sla_due").desc(nulls_last=True) if descending else F("sla_due").asc(nulls_last=True)
        return tickets.order_by(due, "-id" if descending else "id")
    order = [f"-{f}" if descending else f for f in SORTS[key]]
    return tickets.order_by(*order)


@require_GET
@staff_required
def ticket_list(request: HttpRequest) -> HttpResponse:
    # A link to chosen tickets (``?ids=``, from a number on another page) lists them whoever holds them
    # (the "all" view: everything the viewer may see), not only the viewer's own.
    view = request.GET.get("view") or ("all" if request.GET.get("ids") else "mine")
    if view not in VIEWS:
        view = "mine"
    filters = _filters_from(request)
    sort = request.GET.get("sort", "-updated")
    tickets = _sorted(ticket_list_for_viewer(viewer=request.user, view=view, filters=filters), sort).prefetch_related("tags")
    per_page = _int_or_none(request.GET.get("per_page")) or 25
    per_page = per_page if per_page in PAGE_SIZES else 25
    page = CappedPaginator(tickets, per_page).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    slas = sla_for_tickets(ticket_ids=[t.pk for t in page.object_list])
    for t in page.object_list:
        t.sla = slas[t.pk]
    # Links carry each parameter once (the last value, as the page reads it): a URL with repeats,
    # from a bookmark of an earlier version, heals instead of growing with every click.
    # An empty filter is no filter: it is left out, so the address the agent copies or bookmarks
    # names only what was chosen (the filter form sends every field, empty or not).
    query = QueryDict(mutable=True)
    for key in request.GET:
        if request.GET[key] != "":
            query[key] = request.GET[key]
    page_number = query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    size_query = query.copy()
    size_query.pop("per_page", None)
    context = {
        "nav": "tickets",
        "view": view,
        "views": VIEWS,
        "counts": ticket_counts_for_viewer(viewer=request.user),
        "page": page,
        "filters": filters,
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
        "size_query": size_query.urlencode(),
        "per_page": per_page,
        "page_sizes": PAGE_SIZES,
        "count_cap": COUNT_CAP,
        "status_choices": ticket_status_category_choices(),
        "priority_choices": Priority.choices,
        "type_choices": TicketType.choices,
        "channel_choices": Channel.choices,
        "teams": Team.objects.order_by("name"),
        "queues": Queue.objects.order_by("name"),
        "agents": User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("first_name", "last_name"),
        "has_filters": any(request.GET.get(k) for k in FILTER_PARAMS),
        "ids_param": ",".join(str(i) for i in sorted(filters.ids)),
    }
    if request.htmx and request.htmx.target == "ticket-table":
        response = render(request, "desk/partials/ticket_table.html", context)
        pushed = query.copy()
        if page_number:
            pushed["page"] = page_number[-1]
        response["HX-Push-Url"] = f"{request.path}?{pushed.urlencode()}" if pushed else request.path
        return response
    return render(request, "desk/ticket_list.html", context)


__all__ = [
    "COUNT_CAP",
    "FILTER_PARAMS",
    "MAX_ID",
    "MAX_IDS",
    "PAGE_SIZES",
    "SORTS",
    "CappedPaginator",
    "attachment_download",
    "staff_required",
    "ticket_detail",
    "ticket_list",
    "ticket_merge",
    "ticket_new",
    "ticket_reply",
    "ticket_take",
    "ticket_update",
]
