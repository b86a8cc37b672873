"""Escalation pages: a level's queue, escalating a ticket with a reason, de-escalating, resolving."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import STAFF_ROLES, Role

from . import services
from .models import Escalation, Level
from .selectors import (
    escalation_open_for_ticket,
    escalation_path,
    escalation_queue_for_viewer,
    escalation_waited,
)

READERS = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
FIELD_NAMES = {"note": "Note", "reason": "Reason"}


@require_GET
@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    viewer = request.user
    if viewer.role not in READERS:  # type: ignore[union-attr]
        raise PermissionDenied("The escalation queues are for team leads and managers.")
    default = Level.TEAM_LEAD if viewer.role == Role.TEAM_LEAD else Level.MANAGER  # type: ignore[union-attr]
    level = request.GET.get("level", default)
    level = level if level in Level.values else default
    rows = [(e, escalation_path(e), escalation_waited(e)) for e in escalation_queue_for_viewer(viewer=viewer, level=level)]  # type: ignore[arg-type]
    return render(request, "escalations/escalation_list.html", {"nav": "escalations", "rows": rows, "level": level,
                                                                 "levels": Level.choices})


def _staff_ticket(request: HttpRequest, ticket_id: int):  # type: ignore[no-untyped-def]
    if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("Only support staff escalate tickets.")
    return ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)  # type: ignore[arg-type]


@require_http_methods(["GET", "POST"])
@login_required
def ticket_escalate(request: HttpRequest, ticket_id: int) -> HttpResponse:
    ticket = _staff_ticket(request, ticket_id)
    context = {"nav": "tickets", "ticket": ticket, "current": escalation_open_for_ticket(ticket_id=ticket.pk),
               "reason": request.POST.get("reason", ""), "errors": {}}
    if request.method == "POST":
        try:
            services.escalation_raise(ticket=ticket, trigger="manual", actor=request.user,  # type: ignore[arg-type]
                                      reason=request.POST.get("reason", ""))
        except ValidationError as error:
            context["errors"] = error.message_dict
            return render(request, "escalations/escalate.html", context, status=422)
        messages.success(request, f"Ticket #{ticket.pk} is escalated.")
        return redirect("desk:ticket_detail", ticket.pk)
    return render(request, "escalations/escalate.html", context)


def _escalation(request: HttpRequest, escalation_id: int) -> Escalation:
    escalation = Escalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        raise Http404("No such escalation.")
    _staff_ticket(request, escalation.ticket_id)  # 404 when the viewer may not see the ticket
    return escalation


def _step(request: HttpRequest, escalation_id: int, action: str) -> HttpResponse:
    escalation = _escalation(request, escalation_id)
    service = services.escalation_de_escalate if action == "de-escalate" else services.escalation_resolve
    try:
        service(escalation=escalation, actor=request.user, note=request.POST.get("note", ""))  # type: ignore[arg-type]
    except ValidationError as error:
        problems = [(FIELD_NAMES.get(field, ""), m) for field, ms in error.message_dict.items() for m in ms]
        return render(request, "escalations/problem.html", {"nav": "escalations", "problems": problems,
                                                             "ticket_id": escalation.ticket_id,
                                                             "note": request.POST.get("note", "")}, status=422)
    messages.success(request, f"Escalation of ticket #{escalation.ticket_id}: {'de-escalated' if action == 'de-escalate' else 'resolved'}.")
    return redirect("desk:ticket_detail", escalation.ticket_id)


@require_POST
@login_required
def escalation_de_escalate(request: HttpRequest, escalation_id: int) -> HttpResponse:
    return _step(request, escalation_id, "de-escalate")


@require_POST
@login_required
def escalation_resolve(request: HttpRequest, escalation_id: int) -> HttpResponse:
    return _step(request, escalation_id, "resolve")
