"""Customer pages for staff."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from frontline.desk.selectors import ticket_queryset_for_viewer
from frontline.desk.views import staff_required

from .selectors import customer_get_for_viewer, customer_list_for_viewer


@require_GET
@staff_required
def customer_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    page = Paginator(customer_list_for_viewer(viewer=request.user, q=q), 50).get_page(request.GET.get("page"))
    return render(request, "customers/customer_list.html", {"nav": "customers", "page": page, "q": q})


@require_GET
@staff_required
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    customer = customer_get_for_viewer(customer_id=customer_id, viewer=request.user)
    tickets = ticket_queryset_for_viewer(viewer=request.user).filter(requester=customer).select_related("status", "assignee").order_by("-updated_at")
    page = Paginator(tickets, 25).get_page(request.GET.get("page"))
    return render(request, "customers/customer_detail.html", {"nav": "customers", "customer": customer, "page": page})
