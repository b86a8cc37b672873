"""Customer and company endpoints. Lists and writes are for staff; a customer may read their own record."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from frontline.customers.models import Company, Customer
from frontline.customers.selectors import (
    company_get_for_viewer,
    company_list_for_viewer,
    customer_get_for_viewer,
    customer_list_for_viewer,
)
from frontline.customers.services import (
    company_create,
    company_update,
    customer_create,
    customer_update,
)
from frontline.people.models import STAFF_ROLES

from .auth import any_auth, staff_auth, viewer_of
from .errors import error_responses
from .lookups import referenced, valid_id
from .pagination import BY_ID_ASC, paginate
from .schemas import (
    CompanyCreateIn,
    CompanyListParams,
    CompanyOut,
    CompanyPage,
    CompanyPatchIn,
    CustomerCreateIn,
    CustomerListParams,
    CustomerOut,
    CustomerPage,
    CustomerPatchIn,
    OwnCompanyOut,
    OwnCustomerOut,
)

router = Router(tags=["customers"])

CUSTOMER_NOT_NULLABLE = ("name", "phone", "tier", "lifetime_revenue", "sees_company_tickets", "language", "time_zone")
COMPANY_NOT_NULLABLE = ("name", "domain", "tier", "lifetime_revenue", "share_tickets")


def customer_out(customer: Customer) -> CustomerOut:
    return CustomerOut(
        id=customer.pk, name=customer.name, email=customer.email, phone=customer.phone,
        company_id=customer.company_id, tier=customer.tier, lifetime_revenue=customer.lifetime_revenue,
        sees_company_tickets=customer.sees_company_tickets, language=customer.language,
        time_zone=customer.time_zone, created_at=customer.created_at,
    )


def company_out(company: Company) -> CompanyOut:
    return CompanyOut(
        id=company.pk, name=company.name, domain=company.domain, tier=company.tier,
        lifetime_revenue=company.lifetime_revenue, share_tickets=company.share_tickets, created_at=company.created_at,
    )


def _changes(payload: Any, not_nullable: tuple[str, ...]) -> dict[str, Any]:
    given: dict[str, Any] = {name: getattr(payload, name) for name in payload.model_fields_set}
    nulls = sorted(name for name in not_nullable if name in given and given[name] is None)
    if nulls:
        raise ValidationError({name: ["This field cannot be null."] for name in nulls})
    return given


def _company_ref(pk: int) -> Company:
    return referenced(Company.objects.all(), pk, field="company_id", noun="company")


def _customer(viewer: Any, customer_id: int) -> Customer:
    if not valid_id(customer_id):
        raise Http404("No such customer.")
    return customer_get_for_viewer(customer_id=customer_id, viewer=viewer)


def _company(viewer: Any, company_id: int) -> Company:
    if not valid_id(company_id):
        raise Http404("No such company.")
    return company_get_for_viewer(company_id=company_id, viewer=viewer)


# --- customers ------------------------------------------------------------------------------------


@router.get("/customers", response={200: CustomerPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="List customers")
def customer_list(request: HttpRequest, params: Query[CustomerListParams]) -> CustomerPage:
    """Oldest first (by id)."""
    customers = customer_list_for_viewer(viewer=viewer_of(request), q=params.q or "", company_id=params.company_id)
    page = paginate(customers, keyset=BY_ID_ASC, limit=params.limit, cursor=params.cursor)
    return CustomerPage(items=[customer_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.get("/customers/{customer_id}", response={200: CustomerOut | OwnCustomerOut, **error_responses(404)},
            auth=any_auth, summary="Read a customer")
def customer_read(request: HttpRequest, customer_id: int) -> CustomerOut | OwnCustomerOut:
    """Staff read any customer (``CustomerOut``); a customer reads only their own record (``OwnCustomerOut``)."""
    viewer = viewer_of(request)
    customer = _customer(viewer, customer_id)
    if viewer.role in STAFF_ROLES:
        return customer_out(customer)
    return OwnCustomerOut(id=customer.pk, name=customer.name, email=customer.email, phone=customer.phone,
                          company_id=customer.company_id, language=customer.language, time_zone=customer.time_zone,
                          created_at=customer.created_at)


@router.post("/customers", response={201: CustomerOut, **error_responses(403, 422)}, auth=staff_auth,
             summary="Create a customer")
def customer_add(request: HttpRequest, payload: CustomerCreateIn) -> Status[CustomerOut]:
    company = _company_ref(payload.company_id) if payload.company_id is not None else None
    customer = customer_create(
        name=payload.name, email=payload.email, company=company, phone=payload.phone, tier=payload.tier,
        lifetime_revenue=payload.lifetime_revenue, sees_company_tickets=payload.sees_company_tickets,
        language=payload.language, time_zone=payload.time_zone,
    )
    return Status(201, customer_out(customer))


@router.patch("/customers/{customer_id}", response={200: CustomerOut, **error_responses(403, 404, 409, 422)},
              auth=staff_auth, summary="Update a customer")
def customer_patch(request: HttpRequest, customer_id: int, payload: CustomerPatchIn) -> CustomerOut:
    customer = _customer(viewer_of(request), customer_id)
    changes = _changes(payload, CUSTOMER_NOT_NULLABLE)
    if "company_id" in changes:
        company_id = changes.pop("company_id")
        changes["company"] = None if company_id is None else _company_ref(company_id)
    return customer_out(customer_update(customer=customer, **changes))


# --- companies ------------------------------------------------------------------------------------


@router.get("/companies", response={200: CompanyPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="List companies")
def company_list(request: HttpRequest, params: Query[CompanyListParams]) -> CompanyPage:
    companies = company_list_for_viewer(viewer=viewer_of(request), q=params.q or "")
    page = paginate(companies, keyset=BY_ID_ASC, limit=params.limit, cursor=params.cursor)
    return CompanyPage(items=[company_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.get("/companies/{company_id}", response={200: CompanyOut | OwnCompanyOut, **error_responses(404)},
            auth=any_auth, summary="Read a company")
def company_read(request: HttpRequest, company_id: int) -> CompanyOut | OwnCompanyOut:
    """Staff read any company (``CompanyOut``); a customer reads only their own company (``OwnCompanyOut``)."""
    viewer = viewer_of(request)
    company = _company(viewer, company_id)
    if viewer.role in STAFF_ROLES:
        return company_out(company)
    return OwnCompanyOut(id=company.pk, name=company.name, domain=company.domain, share_tickets=company.share_tickets,
                         created_at=company.created_at)


@router.post("/companies", response={201: CompanyOut, **error_responses(403, 422)}, auth=staff_auth,
             summary="Create a company")
def company_add(request: HttpRequest, payload: CompanyCreateIn) -> Status[CompanyOut]:
    company = company_create(name=payload.name, domain=payload.domain, tier=payload.tier,
                             lifetime_revenue=payload.lifetime_revenue, share_tickets=payload.share_tickets)
    return Status(201, company_out(company))


@router.patch("/companies/{company_id}", response={200: CompanyOut, **error_responses(403, 404, 409, 422)},
              auth=staff_auth, summary="Update a company")
def company_patch(request: HttpRequest, company_id: int, payload: CompanyPatchIn) -> CompanyOut:
    company = _company(viewer_of(request), company_id)
    return company_out(company_update(company=company, **_changes(payload, COMPANY_NOT_NULLABLE)))
