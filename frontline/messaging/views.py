"""Messaging pages (connectors, the delivery log, send again) and the inbound webhook.

Thin: parse, check access, call one service or selector, render. Managers and admins configure
connectors and read the delivery log (403 otherwise); a failed delivery is sent again by a
manager, an admin or the reply's author on a ticket they can see.
"""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import webhooks
from frontline.core.http import config_user, json_error
from frontline.desk.errors import TransitionNotAllowed
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import STAFF_ROLES

from . import selectors, services
from .forms import ConnectorEditForm, ConnectorForm
from .models import Delivery, DeliveryStatus, MessagingConnector

BODY_MAX_BYTES = 256 * 1024


@csrf_exempt
def webhook(request: HttpRequest, slug: str) -> HttpResponse:
    """``POST /webhooks/messages/<slug>/``: one signed inbound message (docs/messaging.md). 401/403 store nothing; 422 names fields."""
    if request.method != "POST":
        return json_error(405, "POST a signed message.")
    connector = MessagingConnector.objects.filter(slug=slug, enabled=True).first()
    if connector is None:
        return json_error(404, "No such messaging connector.")
    now = timezone.now()
    got = webhooks.receive(secrets_=selectors.connector_secrets(connector=connector, now=now),
                           timestamp=request.headers.get(webhooks.TIMESTAMP_HEADER),
                           sig=request.headers.get(webhooks.SIGNATURE_HEADER), body=request.body, now=time.time(),
                           max_bytes=BODY_MAX_BYTES)
    if got.status:
        return json_error(got.status, got.detail, got.errors)
    data = got.data
    try:
        received = services.message_receive(connector=connector, msg=services.message_parse(data), at=now)
    except ValidationError as exc:
        return json_error(422, "The message is not valid.", exc.message_dict)
    except services.Replayed:
        return json_error(403, "This event_id was received before: a replay. Nothing was changed.")
    except TransitionNotAllowed as exc:
        return json_error(409, exc.reason)
    return JsonResponse({"ticket": received.thread.ticket_id, "message": received.message.pk,
                         "new_ticket": received.new_ticket}, status=201 if received.new_ticket else 200)


@csrf_exempt
def echo(request: HttpRequest, slug: str) -> HttpResponse:
    """``POST /webhooks/messages/<slug>/echo/``: a test receiver for the connector's outbound webhook.

    Checks the signature of a reply as a platform adapter would (the current secret) and answers
    200, or 401 / 403; stores nothing. The demo's connectors deliver to it.
    """
    if request.method != "POST":
        return json_error(405, "POST a signed reply.")
    connector = MessagingConnector.objects.filter(slug=slug, enabled=True).first()
    if connector is None:
        return json_error(404, "No such messaging connector.")
    verdict = webhooks.verify(secrets_=[connector.secret], timestamp=request.headers.get(webhooks.TIMESTAMP_HEADER),
                              sig=request.headers.get(webhooks.SIGNATURE_HEADER), body=request.body, now=time.time())
    if not verdict.ok:
        return json_error(verdict.status, verdict.reason)
    return JsonResponse({"ok": True, "bytes": len(request.body)})


@require_http_methods(["GET", "POST"])
@login_required
def connector_list(request: HttpRequest) -> HttpResponse:
    actor = config_user(request, what="messaging connectors")
    form = ConnectorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.connector_create(actor=actor, name=data["name"], platform=data["platform"],
                                             slug=data.get("slug") or "", outbound_url=data.get("outbound_url") or "",
                                             queue=data.get("queue"))
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            request.session[f"messaging_secret_{made.connector.pk}"] = made.secret
            return redirect("messaging:connector_detail", made.connector.pk)
    return render(request, "messaging/connector_list.html", {
        "nav": "messaging", "form": form, "connectors": MessagingConnector.objects.select_related("queue"),
        "counts": selectors.delivery_counts(),
    }, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def connector_detail(request: HttpRequest, connector_id: int) -> HttpResponse:
    actor = config_user(request, what="messaging connectors")
    connector = MessagingConnector.objects.filter(pk=connector_id).select_related("queue").first()
    if connector is None:
        raise Http404("No such connector.")
    if request.method == "POST" and request.POST.get("action") == "rotate":
        made = services.connector_rotate_secret(actor=actor, connector=connector,
                                                keep_previous=request.POST.get("revoke") != "1")
        request.session[f"messaging_secret_{connector.pk}"] = made.secret
        return redirect("messaging:connector_detail", connector.pk)
    form = ConnectorEditForm(request.POST or None, initial={"name": connector.name, "outbound_url": connector.outbound_url,
                                                             "queue": connector.queue, "enabled": connector.enabled})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.connector_update(actor=actor, connector=connector, name=data["name"],
                                      outbound_url=data.get("outbound_url") or "", queue=data.get("queue"),
                                      enabled=data["enabled"])
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, "Saved.")
            return redirect("messaging:connector_detail", connector.pk)
    return render(request, "messaging/connector_detail.html", {
        "nav": "messaging", "connector": connector, "form": form,
        "secret": request.session.pop(f"messaging_secret_{connector.pk}", None),
        "webhook_url": request.build_absolute_uri(reverse("messaging_webhooks:receive", args=[connector.slug])),
        "deliveries": selectors.deliveries_log(connector_id=connector.pk)[:20], "now": timezone.now(),
    }, status=422 if form.errors else 200)


@require_GET
@login_required
def delivery_list(request: HttpRequest) -> HttpResponse:
    """Every reply sent through a connector: status, tries, last error; filter by status."""
    config_user(request, what="messaging connectors")
    status = request.GET.get("status", "")
    page = Paginator(selectors.deliveries_log(status=status), 50).get_page(request.GET.get("page"))
    return render(request, "messaging/delivery_list.html", {
        "nav": "messaging", "page": page, "status": status if status in DeliveryStatus.values else "",
        "statuses": DeliveryStatus.choices, "counts": selectors.delivery_counts(), "noun": "Deliveries",
        "query": urlencode({"status": status}) if status in DeliveryStatus.values else "",
    })


@require_POST
@login_required
def delivery_retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    user = request.user
    if user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("Staff only.")
    delivery = Delivery.objects.filter(pk=delivery_id).select_related("thread").first()
    if delivery is None:
        raise Http404("No such delivery.")
    ticket = ticket_get_for_viewer(ticket_id=delivery.thread.ticket_id, viewer=user)  # type: ignore[arg-type]
    try:
        services.delivery_retry(delivery=delivery, actor=user)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "The reply is being sent again.")
    return redirect(f"{reverse('desk:ticket_detail', args=[ticket.pk])}#messaging")
