"""Reads about customers and companies, scoped to the viewer."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from frontline.people.models import STAFF_ROLES, User

from .models import Company, Customer


def customer_list_for_viewer(*, viewer: User, q: str = "", company_id: int | None = None) -> QuerySet[Customer]:
    if viewer.role not in STAFF_ROLES:
        return Customer.objects.filter(user=viewer).select_related("company")
    customers = Customer.objects.select_related("company")
    if q:
        customers = customers.filter(Q(name__icontains=q) | Q(email__icontains=q))
    if company_id is not None:
        customers = customers.filter(company_id=company_id)
    return customers.order_by("name", "id")


def customer_get_for_viewer(*, customer_id: int, viewer: User) -> Customer:
    try:
        return customer_list_for_viewer(viewer=viewer).get(pk=customer_id)
    except (Customer.DoesNotExist, ValueError, TypeError):
        raise Http404("No such customer.") from None


def company_list_for_viewer(*, viewer: User, q: str = "") -> QuerySet[Company]:
    if viewer.role not in STAFF_ROLES:
        return Company.objects.filter(customers__user=viewer)
    companies = Company.objects.annotate(customer_count=Count("customers"))
    if q:
        companies = companies.filter(Q(name__icontains=q) | Q(domain__icontains=q))
    return companies.order_by("name", "id")


def company_get_for_viewer(*, company_id: int, viewer: User) -> Company:
    try:
        return company_list_for_viewer(viewer=viewer).get(pk=company_id)
    except (Company.DoesNotExist, ValueError, TypeError):
        raise Http404("No such company.") from None
