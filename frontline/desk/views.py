"""Agent pages: queues, the ticket workspace, new tickets. Each view parses, checks access,
calls one service or selector, and renders (the full page, or the htmx partial)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, F, IntegerField, QuerySet, Value, When
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from frontline.escalations.selectors import escalation_open_for_ticket, escalation_path
from frontline.people.models import STAFF_ROLES, Team, User
from frontline.sla.selectors import sla_for_tickets, tickets_with_sla_due

from . import services
from .errors import Conflict, TransitionNotAllowed
from .forms import (
    MergeForm,
    NewTicketForm,
    ReplyForm,
    TicketPropertiesForm,
    add_service_errors,
    uploads_from,
)
from .models import Attachment, Channel, Message, Priority, Queue, Ticket, TicketType
from .selectors import (
    VIEWS,
    TicketFilters,
    ticket_counts_for_viewer,
    ticket_events_for_viewer,
    ticket_get_for_viewer,
    ticket_list_for_viewer,
    ticket_messages_after_for_viewer,
    ticket_messages_for_viewer,
    ticket_queryset_for_viewer,
    ticket_status_category_choices,
)

PAGE_SIZES = (25, 50, 100)
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
SORTS = {
    "updated": ("updated_at", "id"),
    "created": ("created_at", "id"),
    "id": ("id",),
    "subject": ("subject", "id"),
    "priority": ("priority_rank", "updated_at"),
    "due": ("sla_due", "id"),  # the soonest SLA due time (frontline.sla); no clock sorts last
}


def staff_required(view):  # type: ignore[no-untyped-def]
    """Signed-in staff only; customers are sent to the portal's equivalent (403 for others)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
            raise PermissionDenied("This page is for support staff.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


MAX_ID = 2**63 - 1
# Days outside these bounds name no ticket (and would overflow a database's time range).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
FILTER_PARAMS = ("status", "priority", "type", "channel", "assignee", "team", "queue", "tag", "q", "requester", "company",
                 "created_from", "created_to", "updated_from", "updated_to", "ids")
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
    view = request.GET.get("view", "mine")
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


def _workspace_context(request: HttpRequest, ticket: Ticket, *, reply_form: ReplyForm | None = None,
                       props_form: TicketPropertiesForm | None = None, merge_form: MergeForm | None = None,
                       opened: str | None = None, sent: str = "") -> dict[str, Any]:
    """The workspace's context. ``opened``: the reply form's handle-time token to keep (from the
    properties or merge form, which carry it so that saving them does not restart the clock).
    ``sent``: "reply" or "note" right after one was sent (the page's script then drops that draft)."""
    events = list(ticket_events_for_viewer(ticket=ticket, viewer=request.user))
    user_ids = {e.payload.get(k) for e in events for k in ("from", "to") if e.kind == "assigned"}
    team_ids = {e.payload.get(k) for e in events for k in ("from", "to") if e.kind == "team_changed"}
    queue_ids = {e.payload.get(k) for e in events for k in ("from", "to") if e.kind == "queue_changed"}
    names = {
        "user": {u.pk: u.display_name for u in User.objects.filter(pk__in=[i for i in user_ids if i])},
        "team": dict(Team.objects.filter(pk__in=[i for i in team_ids if i]).values_list("pk", "name")),
        "queue": dict(Queue.objects.filter(pk__in=[i for i in queue_ids if i]).values_list("pk", "name")),
    }
    if props_form is None:
        initial = {
            "status": ticket.status_id, "priority": ticket.priority, "ticket_type": ticket.ticket_type,
            "assignee": ticket.assignee_id, "team": ticket.team_id, "queue": ticket.queue_id,
            "tags": ", ".join(t.name for t in ticket.tags.all()),
            **{f"cf_{k}": v for k, v in ticket.custom_fields.items()},
        }
        props_form = TicketPropertiesForm(initial=initial)
    conversation = list(ticket_messages_for_viewer(ticket=ticket, viewer=request.user))
    escalation = escalation_open_for_ticket(ticket_id=ticket.pk)
    handle_total, handle_measured, agent_messages = services.handle_seconds_total(conversation)
    return {
        "nav": "tickets",
        "ticket": ticket,
        "conversation": conversation,
        "handle_total": handle_total,
        "handle_measured": handle_measured,
        "agent_messages": agent_messages,
        "handle_cap": services.CAPTURE_CAP_SECONDS,
        "events": events,
        "names": names,
        "reply_form": _with_seen(reply_form or ReplyForm(user_id=request.user.pk, ticket_id=ticket.pk, opened=opened),
                                 conversation),
        "note_mode": _note_mode(reply_form),
        "sent": sent,
        "props_form": props_form,
        "merge_form": merge_form or MergeForm(),
        "merged_from": list(ticket.merged_from.values_list("pk", "subject")),
        "sla": sla_for_tickets(ticket_ids=[ticket.pk])[ticket.pk],
        "escalation": escalation,
        "escalation_steps": escalation_path(escalation) if escalation else [],
        "requester_open": ticket_queryset_for_viewer(viewer=request.user)
        .filter(requester_id=ticket.requester_id).exclude(pk=ticket.pk).order_by("-updated_at")[:5],
    }


def _with_seen(form: ReplyForm, conversation: list[Message]) -> ReplyForm:
    """An unbound reply form remembers the newest message on screen (collision detection)."""
    if not form.is_bound and conversation:
        form.initial["seen_message"] = max(m.pk for m in conversation)
    return form


def _held_for_newer(request: HttpRequest, ticket: Ticket, form: ReplyForm) -> ReplyForm | None:
    """Collision detection: when others wrote on the ticket after the message the agent last saw,
    the reply is not sent; the form comes back (now marking those messages seen) with a warning
    that quotes them, and sending again sends it."""
    seen = form.cleaned_data.get("seen_message")
    if seen is None:
        return None
    newer = ticket_messages_after_for_viewer(ticket=ticket, viewer=request.user, after_id=seen)
    if not newer:
        return None
    data = request.POST.copy()
    data["seen_message"] = str(max(m.pk for m in newer))
    held = ReplyForm(data, user_id=request.user.pk, ticket_id=ticket.pk)
    held.is_valid()
    quoted = "; ".join(
        f"{m.author_customer.name if m.author_customer else m.author_user.display_name if m.author_user else 'Frontline'}"
        f"{'' if m.is_public else ' (internal note)'}: “{m.body_text[:140]}{'…' if len(m.body_text) > 140 else ''}”"
        for m in newer[-3:])
    count = len(newer)
    held.add_error(None, f"Not sent yet: {count} new message{'s' if count != 1 else ''} arrived since you opened this "
                         f"ticket ({quoted}). Read {'them' if count != 1 else 'it'} above (Properties now show the ticket as it is); "
                         f"send again to send your "
                         f"{'reply' if form.cleaned_data['public'] else 'note'} as it is"
                         f"{' (attach your files again)' if form.cleaned_data['attachments'] else ''}.")
    return held


def _note_mode(form: ReplyForm | None) -> bool:
    """Whether the reply form shows as an internal note (posted so, or offered so after a note)."""
    if form is None:
        return False
    value = form.data.get("public") if form.is_bound else form.initial.get("public")
    return value == "0"


def _render_workspace(request: HttpRequest, ticket: Ticket, status: int = 200, **forms: Any) -> HttpResponse:
    ticket = ticket_get_for_viewer(ticket_id=ticket.pk, viewer=request.user)
    context = _workspace_context(request, ticket, **forms)
    template = "desk/partials/ticket_workspace.html" if request.htmx else "desk/ticket_detail.html"
    return render(request, template, context, status=status)


@require_GET
@staff_required
def ticket_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    return render(request, "desk/ticket_detail.html", _workspace_context(request, ticket))


def _done(request: HttpRequest, ticket: Ticket, text: str, opened: str | None = None) -> HttpResponse:
    if request.htmx:
        messages.success(request, text)
        return _render_workspace(request, ticket, opened=opened)
    messages.success(request, text)
    return redirect("desk:ticket_detail", ticket_id=ticket.pk)


@require_POST
@staff_required
def ticket_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Send a reply or add a note. With JavaScript the Properties form's fields travel along
    (``with_properties``): edits the agent made there and did not save go out with the reply,
    in one transaction, instead of being lost."""
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    form = ReplyForm(request.POST, request.FILES, user_id=request.user.pk, ticket_id=ticket.pk)
    props_form = TicketPropertiesForm(request.POST) if request.POST.get("with_properties") else None
    if not form.is_valid() or (props_form is not None and not props_form.is_valid()):
        return _render_workspace(request, ticket, status=422, reply_form=form, props_form=props_form)
    held = _held_for_newer(request, ticket, form)
    if held is not None:  # Properties show the ticket as it is now: the new message may have changed it
        return _render_workspace(request, ticket, status=409, reply_form=held)
    changes = props_form.changes_from(ticket) if props_form is not None else None
    changed = changes is not None and changes != services.TicketChanges()
    try:
        services.ticket_reply(
            ticket=ticket, author=request.user, body=form.cleaned_data["body"], public=form.cleaned_data["public"],
            attachments=uploads_from(form.cleaned_data["attachments"]), then_status=form.cleaned_data["then_status"],
            handle_seconds=form.handle_seconds(), changes=changes if changed else None,
        )
    except ValidationError as exc:
        _add_errors(exc.message_dict, reply_form=form, props_form=props_form)
        return _render_workspace(request, ticket, status=422, reply_form=form, props_form=props_form)
    except TransitionNotAllowed as exc:
        form.add_error(None, exc.reason)
        return _render_workspace(request, ticket, status=409, reply_form=form, props_form=props_form)
    public = form.cleaned_data["public"]
    text = "Reply sent." if public else "Note added."
    messages.success(request, f"{text[:-1]}; ticket updated." if changed else text)
    if not request.htmx:
        return redirect("desk:ticket_detail", ticket_id=ticket.pk)
    # The form comes back empty, in the mode the agent chose; the page's script drops the draft.
    fresh = ReplyForm(user_id=request.user.pk, ticket_id=ticket.pk, initial={"public": "1" if public else "0"})
    return _render_workspace(request, ticket, reply_form=fresh, sent="reply" if public else "note")


def _add_errors(errors: dict[str, list[str]], *, reply_form: ReplyForm, props_form: TicketPropertiesForm | None) -> None:
    """A service's field errors on the form that has the field (the reply form otherwise)."""
    for field, field_errors in errors.items():
        target = props_form if props_form is not None and (field in props_form.fields or field.startswith("custom_fields.")) else reply_form
        add_service_errors(target, {field: field_errors})


@require_POST
@staff_required
def ticket_take(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """"Take it": assign the ticket to the viewer in one click, from the ticket or a queue row.
    From the ticket (htmx) the Properties form's unsaved edits travel along and are saved too."""
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    opened = request.POST.get("opened")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("desk:ticket_detail", kwargs={"ticket_id": ticket.pk})
    props_form = TicketPropertiesForm(request.POST) if request.POST.get("with_properties") else None
    if props_form is not None and not props_form.is_valid():
        return _render_workspace(request, ticket, status=422, props_form=props_form, opened=opened)
    pending = props_form.changes_from(ticket) if props_form is not None else services.TicketChanges()
    try:
        services.ticket_update(ticket=ticket, changes=replace(pending, assignee=request.user), actor=request.user)
    except ValidationError as exc:
        messages.error(request, f"Ticket #{ticket.pk}: {' '.join(exc.messages)}")
        status = 422
    except TransitionNotAllowed as exc:
        messages.error(request, f"Ticket #{ticket.pk}: {exc.reason}")
        status = 409
    else:
        messages.success(request, f"Ticket #{ticket.pk} is yours.")
        status = 200
    if request.htmx:
        return _render_workspace(request, ticket, status=status, opened=opened)
    return redirect(back)


@require_POST
@staff_required
def ticket_update(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    form = TicketPropertiesForm(request.POST)
    opened = request.POST.get("opened")
    if not form.is_valid():
        return _render_workspace(request, ticket, status=422, props_form=form, opened=opened)
    data = form.cleaned_data
    changes = services.TicketChanges(
        status=data["status"], priority=data["priority"], ticket_type=data["ticket_type"], assignee=data["assignee"],
        team=data["team"], queue=data["queue"], tags=form.tag_names(), custom_fields=form.custom_values(),
    )
    try:
        services.ticket_update(ticket=ticket, changes=changes, actor=request.user)
    except ValidationError as exc:
        add_service_errors(form, exc.message_dict)
        return _render_workspace(request, ticket, status=422, props_form=form, opened=opened)
    except (TransitionNotAllowed, Conflict) as exc:
        form.add_error(None, exc.reason)
        return _render_workspace(request, ticket, status=409, props_form=form, opened=opened)
    return _done(request, ticket, "Ticket updated.", opened=opened)


@require_POST
@staff_required
def ticket_merge(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    form = MergeForm(request.POST)
    opened = request.POST.get("opened")
    if not form.is_valid():
        return _render_workspace(request, ticket, status=422, merge_form=form, opened=opened)
    try:
        target = ticket_get_for_viewer(ticket_id=form.cleaned_data["into"], viewer=request.user)
    except Http404:
        form.add_error("into", "No ticket with that number that you can see.")
        return _render_workspace(request, ticket, status=422, merge_form=form, opened=opened)
    try:
        services.ticket_merge(source=ticket, target=target, actor=request.user)
    except Conflict as exc:
        form.add_error(None, exc.reason)
        return _render_workspace(request, ticket, status=409, merge_form=form, opened=opened)
    messages.success(request, f"Ticket #{ticket.pk} was merged into this one.")
    url = reverse("desk:ticket_detail", kwargs={"ticket_id": target.pk})
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@staff_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = NewTicketForm(request.POST or None, request.FILES or None, user_id=request.user.pk, ticket_id=None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = services.ticket_create_for_contact(
                email=data["requester_email"], name=data["requester_name"],
                subject=data["subject"], body=data["body"], actor=request.user,
                channel=data["channel"], priority=data["priority"], ticket_type=data["ticket_type"],
                queue=data["queue"], assignee=data["assignee"], attachments=uploads_from(data["attachments"]),
                handle_seconds=form.handle_seconds(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc.message_dict)
        else:
            messages.success(request, f"Ticket #{ticket.pk} created.")
            return redirect("desk:ticket_detail", ticket_id=ticket.pk)
    status = 422 if request.method == "POST" else 200
    context = {"nav": "tickets", "form": form, "handle_cap": services.CAPTURE_CAP_SECONDS}
    return render(request, "desk/ticket_new.html", context, status=status)


@require_GET
@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment, if the viewer may see its message (customers: public messages only)."""
    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such attachment.")
    ticket_get_for_viewer(ticket_id=attachment.message.ticket_id, viewer=request.user)  # 404 unless visible
    if not attachment.message.is_public and request.user.role not in STAFF_ROLES:
        raise Http404("No such attachment.")
    inline = attachment.content_type.startswith("image/") or attachment.content_type == "application/pdf"
    response = FileResponse(attachment.file.open("rb"), as_attachment=not inline, filename=attachment.filename,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
