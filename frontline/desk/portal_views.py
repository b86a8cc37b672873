"""The customer portal: submit a request, follow your requests, reply."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from frontline.customers.models import Customer
from frontline.people.models import STAFF_ROLES

from . import services
from .errors import TransitionNotAllowed
from .forms import CustomerReplyForm, PortalRequestForm, add_service_errors, uploads_from
from .models import Channel, CustomerState
from .selectors import (
    CustomerTicketFilters,
    ticket_get_for_viewer,
    ticket_list_for_customer,
    ticket_messages_for_viewer,
)

# The portal's "State" choice, as customer states.
PORTAL_STATES = {
    "open": frozenset({CustomerState.AWAITING_US, CustomerState.AWAITING_YOU}),
    "solved": frozenset({CustomerState.SOLVED, CustomerState.CLOSED}),
}


def _customer(request: HttpRequest) -> Customer:
    if request.user.role in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("The portal is for customers; staff work in the desk.")
    customer = Customer.objects.filter(user=request.user).select_related("company").first()
    if customer is None:
        raise PermissionDenied("Your sign-in is not linked to a customer record yet; contact support.")
    return customer


@require_GET
@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    scope = request.GET.get("scope", "mine")
    state = request.GET.get("state", "")
    q = request.GET.get("q", "").strip()[:200]
    filters = CustomerTicketFilters(
        requester_id=None if scope == "company" else customer.pk, states=PORTAL_STATES.get(state, frozenset()), q=q,
    )
    tickets = ticket_list_for_customer(viewer=request.user, filters=filters)
    page = Paginator(tickets, 20).get_page(request.GET.get("page"))
    company_visible = bool(customer.company and customer.company.share_tickets and customer.sees_company_tickets)
    return render(request, "portal/request_list.html", {
        "nav": "portal", "page": page, "scope": scope, "state": state, "q": q, "customer": customer,
        "company_visible": company_visible,
    })


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    customer = _customer(request)
    form = PortalRequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.ticket_create(
                requester=customer, subject=form.cleaned_data["subject"], body=form.cleaned_data["body"],
                actor=request.user, channel=Channel.WEB, attachments=uploads_from(form.cleaned_data["attachments"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc.message_dict)
        else:
            messages.success(request, f"Thanks — your request #{ticket.pk} is with our team. We'll reply here and by email.")
            return redirect("portal:request_detail", ticket_id=ticket.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "portal/request_new.html", {"nav": "portal", "form": form}, status=status)


def _detail(request: HttpRequest, ticket_id: int, form: CustomerReplyForm | None = None, status: int = 200) -> HttpResponse:
    _customer(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    return render(request, "portal/request_detail.html", {
        "nav": "portal", "ticket": ticket, "conversation": ticket_messages_for_viewer(ticket=ticket, viewer=request.user),
        "form": form or CustomerReplyForm(),
    }, status=status)


@require_GET
@login_required
def request_detail(request: HttpRequest, ticket_id: int) -> HttpResponse:
    return _detail(request, ticket_id)


@require_POST
@login_required
def request_reply(request: HttpRequest, ticket_id: int) -> HttpResponse:
    _customer(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=request.user)
    form = CustomerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _detail(request, ticket_id, form, status=422)
    try:
        services.ticket_reply(ticket=ticket, author=request.user, body=form.cleaned_data["body"],
                              attachments=uploads_from(form.cleaned_data["attachments"]))
    except ValidationError as exc:
        add_service_errors(form, exc.message_dict)
        return _detail(request, ticket_id, form, status=422)
    except TransitionNotAllowed as exc:
        form.add_error(None, exc.reason)
        return _detail(request, ticket_id, form, status=409)
    messages.success(request, "Your reply was sent.")
    return redirect("portal:request_detail", ticket_id=ticket.pk)
