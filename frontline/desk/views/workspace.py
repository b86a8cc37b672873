"""The ticket workspace: read, reply (held once when a newer message came), take, update, merge."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from frontline.escalations.selectors import escalation_open_for_ticket, escalation_path
from frontline.people.models import Team, User
from frontline.sla.selectors import sla_for_tickets

from .. import services
from ..errors import Conflict, TransitionNotAllowed
from ..forms import (
    MergeForm,
    ReplyForm,
    TicketPropertiesForm,
    add_service_errors,
    uploads_from,
)
from ..models import Message, Queue, Ticket
from ..selectors import (
    ticket_events_for_viewer,
    ticket_get_for_viewer,
    ticket_messages_after_for_viewer,
    ticket_messages_for_viewer,
    ticket_queryset_for_viewer,
)
from ._common import staff_required


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
