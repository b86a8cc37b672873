"""Phone pages (calls per day, log a call, connectors) and the telephony webhook.

Thin: each view parses, checks access, calls one service or selector, renders. Agents log calls on
tickets they can see (``ticket_get_for_viewer``: 404 otherwise); managers and admins configure
connectors (403 otherwise).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import charts, webhooks
from frontline.core.days import last_days
from frontline.core.http import config_user, json_error
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import STAFF_ROLES, User

from . import selectors, services
from .forms import CallForm, ConnectorEditForm, ConnectorForm, NewCallForm
from .models import PhoneConnector

BODY_MAX_BYTES = 64 * 1024
DAYS_CHOICES = (7, 14, 30, 90)


def _staff(request: HttpRequest) -> User:
    user = request.user
    if user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("Calls are for support staff.")
    return user  # type: ignore[return-value]


# --- the webhook ------------------------------------------------------------------------------------------------


@csrf_exempt
def webhook(request: HttpRequest, slug: str) -> HttpResponse:
    """``POST /webhooks/phone/<slug>/``: one signed call event (docs/phone.md). 401/403 store nothing; 422 names fields."""
    if request.method != "POST":
        return json_error(405, "POST a signed call event.")
    connector = PhoneConnector.objects.filter(slug=slug, enabled=True).first()
    if connector is None:
        return json_error(404, "No such telephony connector.")
    now = timezone.now()
    got = webhooks.receive(secrets_=selectors.connector_secrets(connector=connector, now=now),
                           timestamp=request.headers.get(webhooks.TIMESTAMP_HEADER),
                           sig=request.headers.get(webhooks.SIGNATURE_HEADER), body=request.body, now=time.time(),
                           max_bytes=BODY_MAX_BYTES)
    if got.status:
        return json_error(got.status, got.detail, got.errors)
    data = got.data
    try:
        event = services.call_event_parse(data, now=now)
        result = services.call_event_apply(connector=connector, event=event, received_at=now)
    except ValidationError as exc:
        return json_error(422, "The call event is not valid.", exc.message_dict)
    except services.Replayed:
        return json_error(403, "This event_id was received before: a replay. Nothing was changed.")
    except (Conflict, TransitionNotAllowed) as exc:
        return json_error(409, exc.reason)
    call = result.call
    return JsonResponse({"call": call.pk, "ticket": call.ticket_id, "state": call.state, "applied": result.applied,
                         "warnings": list(result.warnings)})


# --- pages ------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Calls per day (inbound offered, answered, missed, abandoned; outbound), each count linked to its tickets."""
    viewer = _staff(request)
    tz = timezone.get_current_timezone()
    days, first, last = last_days(request.GET.get("days"), choices=DAYS_CHOICES, default=14, tz=tz)
    rows = selectors.call_counts_per_day(viewer=viewer, first=first, last=last, tz=tz)
    totals = selectors.call_totals(rows)
    chart = charts.outcomes_per_day(
        rows, outcomes=[("answered", "Answered", "#2563eb"), ("missed", "Missed", "#f59e0b"),
                        ("abandoned", "Abandoned", "#ef4444")],
        unit="calls", title="Inbound calls per day by outcome") if totals.offered or totals.outbound else None
    recent = list(selectors.calls_for_viewer(viewer=viewer).order_by("-started_at", "-id")[:25])
    return render(request, "phone/overview.html", {
        "nav": "phone", "rows": rows, "totals": totals, "days": days, "days_choices": DAYS_CHOICES, "chart": chart,
        "recent": recent, "tz_name": str(tz),
    })


def _call_input(form: CallForm) -> services.CallInput:
    started, talk, wrap = form.call_times()
    return services.call_input_clean(direction=form.cleaned_data["direction"], started_at=started,
                                     talk_seconds=talk, wrap_seconds=wrap,
                                     disposition=form.cleaned_data.get("disposition") or "",
                                     notes=form.cleaned_data.get("notes") or "")


def _form_errors(form: Any, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        target = {"started_at": "started", "ended_at": "started", "talk_seconds": "talk", "wrap_seconds": "wrap"}.get(name, name)
        for error in errors:
            form.add_error(target if target in form.fields else None, error)


@require_http_methods(["GET", "POST"])
@login_required
def log_call(request: HttpRequest) -> HttpResponse:
    """"Log a call": on a ticket by its number (one the agent may see), or as a new ticket."""
    agent = _staff(request)
    form = NewCallForm(request.POST or None, initial={"ticket": request.GET.get("ticket") or None})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            call = _call_input(form)
            if data.get("ticket"):
                ticket = ticket_get_for_viewer(ticket_id=data["ticket"], viewer=agent)
                record = services.call_log(agent=agent, ticket=ticket, call=call, number=data.get("number") or "")
            else:
                record = services.call_log_new_ticket(agent=agent, call=call, subject=data.get("subject") or "",
                                                      number=data.get("number") or "", email=data.get("email") or "",
                                                      name=data.get("name") or "", queue=data.get("queue"))
        except Http404:
            form.add_error("ticket", "No ticket with this number that you can see.")
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Call logged on ticket #{record.ticket_id}.")
            return redirect("desk:ticket_detail", record.ticket_id)
    return render(request, "phone/log_call.html", {"nav": "phone", "form": form}, status=422 if form.errors else 200)


@require_POST
@login_required
def ticket_log_call(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """The ticket page's form: a call on this ticket (404 when the agent may not see it)."""
    agent = _staff(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=agent)
    form = CallForm(request.POST)
    if form.is_valid():
        try:
            services.call_log(agent=agent, ticket=ticket, call=_call_input(form))
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Call logged.")
            return redirect("desk:ticket_detail", ticket.pk)
    return render(request, "phone/ticket_log_call.html", {"nav": "phone", "form": form, "ticket": ticket}, status=422)


@require_http_methods(["GET", "POST"])
@login_required
def connector_list(request: HttpRequest) -> HttpResponse:
    actor = config_user(request, what="telephony connectors")
    form = ConnectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.connector_create(actor=actor, name=form.cleaned_data["name"],
                                             slug=form.cleaned_data.get("slug") or "", queue=form.cleaned_data.get("queue"))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            request.session[f"phone_secret_{made.connector.pk}"] = made.secret
            return redirect("phone:connector_detail", made.connector.pk)
    return render(request, "phone/connector_list.html", {
        "nav": "phone", "form": form, "connectors": PhoneConnector.objects.select_related("queue"),
    }, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def connector_detail(request: HttpRequest, connector_id: int) -> HttpResponse:
    actor = config_user(request, what="telephony connectors")
    connector = PhoneConnector.objects.filter(pk=connector_id).select_related("queue").first()
    if connector is None:
        raise Http404("No such connector.")
    form = ConnectorEditForm(request.POST or None, initial={"name": connector.name, "queue": connector.queue,
                                                             "enabled": connector.enabled})
    if request.method == "POST" and request.POST.get("action") == "rotate":
        made = services.connector_rotate_secret(actor=actor, connector=connector,
                                                keep_previous=request.POST.get("revoke") != "1")
        request.session[f"phone_secret_{connector.pk}"] = made.secret
        return redirect("phone:connector_detail", connector.pk)
    if request.method == "POST" and form.is_valid():
        services.connector_update(actor=actor, connector=connector, name=form.cleaned_data["name"],
                                  queue=form.cleaned_data.get("queue"), enabled=form.cleaned_data["enabled"])
        messages.success(request, "Saved.")
        return redirect("phone:connector_detail", connector.pk)
    secret = request.session.pop(f"phone_secret_{connector.pk}", None)
    return render(request, "phone/connector_detail.html", {
        "nav": "phone", "connector": connector, "form": form, "secret": secret,
        "webhook_url": request.build_absolute_uri(reverse("phone_webhooks:receive", args=[connector.slug])),
        "receipts": connector.receipts.order_by("-received_at")[:20],
        "now": timezone.now(),
    }, status=422 if form.errors else 200)
