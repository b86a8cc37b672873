"""Customer and company endpoints through HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from frontline.customers.models import Company, Customer
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of

pytestmark = pytest.mark.django_db


def test_staff_list_customers_filtered_by_words_and_company() -> None:
    acme = f.company(name="Acme")
    ann = f.customer(company=acme, email="ann@acme.example")
    f.customer(email="bob@other.example")
    api = ApiClient(f.agent())
    assert [c["id"] for c in api.get("/customers", {"q": "acme"}).json()["items"]] == [ann.pk]
    assert [c["id"] for c in api.get("/customers", {"company_id": acme.pk}).json()["items"]] == [ann.pk]
    assert len(api.get("/customers").json()["items"]) == 2


def test_a_customer_cannot_list_customers_or_companies() -> None:
    me = f.customer(with_login=True)
    api = ApiClient(me.user)
    assert api.get("/customers").status_code == 403
    assert api.get("/companies").status_code == 403


def test_a_customer_reads_their_own_record_and_company_only() -> None:
    company = f.company()
    me = f.customer(with_login=True, company=company)
    other = f.customer(company=f.company())
    api = ApiClient(me.user)
    assert api.get(f"/customers/{me.pk}").json()["email"] == me.email
    assert api.get(f"/customers/{other.pk}").status_code == 404
    assert api.get(f"/companies/{company.pk}").json()["name"] == company.name
    assert api.get(f"/companies/{other.company_id}").status_code == 404


def test_a_customer_reading_their_record_and_company_sees_no_tier_or_revenue() -> None:
    company = f.company(tier="gold", lifetime_revenue=Decimal("125000.00"))
    me = f.customer(with_login=True, company=company)
    api = ApiClient(me.user)
    mine, theirs = api.get(f"/customers/{me.pk}").json(), api.get(f"/companies/{company.pk}").json()
    assert set(mine) == {"id", "name", "email", "phone", "company_id", "language", "time_zone", "created_at"}
    assert set(theirs) == {"id", "name", "domain", "share_tickets", "created_at"}
    staff = ApiClient(f.agent())
    assert {"tier", "lifetime_revenue"} <= set(staff.get(f"/customers/{me.pk}").json())
    assert staff.get(f"/companies/{company.pk}").json()["tier"] == "gold"


def test_staff_create_and_update_a_customer() -> None:
    company = f.company(tier="gold")
    api = ApiClient(f.agent())
    created = api.post("/customers", {"name": "Cy", "email": "CY@Example.com", "company_id": company.pk})
    assert created.status_code == 201
    body = created.json()
    assert (body["email"], body["company_id"], body["tier"]) == ("cy@example.com", company.pk, "gold")
    patched = api.patch(f"/customers/{body['id']}", {"phone": "+44 1", "company_id": None, "tier": "silver"})
    assert patched.status_code == 200
    customer = Customer.objects.get(pk=body["id"])
    assert (customer.phone, customer.company, customer.tier) == ("+44 1", None, "silver")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "No email"}, "email"),
        ({"email": "nope"}, "email"),
        ({"email": "a@example.com", "tier": "diamond"}, "tier"),
        ({"email": "a@example.com", "company_id": 4242}, "company_id"),
        ({"email": "a@example.com", "lifetime_revenue": "lots"}, "lifetime_revenue"),
    ],
)
def test_a_malformed_customer_is_422_naming_the_field(body: dict[str, object], field: str) -> None:
    response = ApiClient(f.agent()).post("/customers", body)
    assert response.status_code == 422
    assert fields_of(response) == {field}


def test_a_duplicate_customer_email_is_422() -> None:
    f.customer(email="dup@example.com")
    response = ApiClient(f.agent()).post("/customers", {"email": "dup@example.com"})
    assert response.status_code == 422
    assert fields_of(response) == {"email"}


def test_a_customer_cannot_create_or_patch_customers() -> None:
    me = f.customer(with_login=True)
    api = ApiClient(me.user)
    assert api.post("/customers", {"email": "x@example.com"}).status_code == 403
    assert api.patch(f"/customers/{me.pk}", {"tier": "platinum"}).status_code == 403
    assert Customer.objects.get(pk=me.pk).tier == "standard"


def test_patching_an_unknown_customer_is_404() -> None:
    assert ApiClient(f.agent()).patch("/customers/99999", {"phone": "1"}).status_code == 404


def test_patching_a_customer_name_to_null_is_422() -> None:
    customer = f.customer()
    response = ApiClient(f.agent()).patch(f"/customers/{customer.pk}", {"name": None})
    assert response.status_code == 422
    assert fields_of(response) == {"name"}


def test_staff_list_create_and_update_companies() -> None:
    f.company(name="Globex")
    api = ApiClient(f.manager())
    created = api.post("/companies", {"name": "Initech", "domain": "Initech.example", "share_tickets": True})
    assert created.status_code == 201
    company_id = created.json()["id"]
    assert [c["name"] for c in api.get("/companies", {"q": "init"}).json()["items"]] == ["Initech"]
    patched = api.patch(f"/companies/{company_id}", {"tier": "platinum"})
    assert patched.json()["tier"] == "platinum"
    assert Company.objects.get(pk=company_id).domain == "initech.example"


def test_a_duplicate_company_name_is_422_on_create_and_on_rename() -> None:
    f.company(name="Globex")
    other = f.company(name="Hooli")
    api = ApiClient(f.manager())
    created = api.post("/companies", {"name": "globex"})
    assert created.status_code == 422
    assert fields_of(created) == {"name"}
    renamed = api.patch(f"/companies/{other.pk}", {"name": "Globex"})
    assert renamed.status_code == 422
    assert fields_of(renamed) == {"name"}
    assert Company.objects.get(pk=other.pk).name == "Hooli"
