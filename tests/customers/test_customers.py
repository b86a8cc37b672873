"""Customer services and pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from frontline.customers.services import customer_create, customer_for_email, customer_update
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_first_contact_creates_the_customer_and_matches_the_company_by_domain():
    acme = f.company(name="Acme", domain="acme.test")
    customer = customer_for_email(email="  Jo@ACME.test ", name="Jo")
    assert customer.email == "jo@acme.test" and customer.company == acme
    assert customer_for_email(email="jo@acme.test") == customer


def test_customer_create_validates_email_and_uniqueness():
    with pytest.raises(ValidationError) as exc:
        customer_create(name="x", email="not-an-email")
    assert "email" in exc.value.message_dict
    customer_create(name="x", email="a@b.test")
    with pytest.raises(ValidationError):
        customer_create(name="y", email="A@B.test")


def test_customer_list_search_and_query_count(login, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    agent = f.agent()
    client = login(agent)
    company = f.company()
    for i in range(5):
        f.customer(company=company, email=f"person{i}@shop.test")
    with django_assert_max_num_queries(12) as few:
        assert client.get("/customers/").status_code == 200
    for i in range(20):
        f.customer(company=company, email=f"more{i}@shop.test")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/customers/?q=person3").content.decode()
    assert "person3@shop.test" in page and "person2@shop.test" not in page


def test_customer_page_lists_only_tickets_the_viewer_may_see(login):  # type: ignore[no-untyped-def]
    mine, other = f.team(), f.team()
    agent = f.agent(teams=[mine])
    customer = f.customer()
    visible = f.ticket(requester=customer, team=mine, subject="Visible one")
    hidden = f.ticket(requester=customer, team=other, subject="Hidden one")
    page = login(agent).get(f"/customers/{customer.pk}/").content.decode()
    assert visible.subject in page and hidden.subject not in page
    assert login(agent).get("/customers/999999/").status_code == 404


def test_company_rename_refuses_a_case_variant_of_another_company():
    from frontline.customers.services import company_update

    f.company(name="Globex")
    other = f.company(name="Initech")
    with pytest.raises(ValidationError):
        company_update(company=other, name="globex")
    company_update(company=other, domain="  INITECH.test ")
    other.refresh_from_db()
    assert other.domain == "initech.test"


def test_customer_update_checks_name_and_time_zone():
    from frontline.customers.services import customer_update

    customer = f.customer()
    with pytest.raises(ValidationError):
        customer_update(customer=customer, name="  ")
    with pytest.raises(ValidationError):
        customer_update(customer=customer, time_zone="Mars/Olympus")
    customer_update(customer=customer, time_zone="Europe/Berlin")


@override_settings(CURRENCY="GBP")
def test_customer_pages_show_revenue_with_the_currency_code(login):  # type: ignore[no-untyped-def]
    customer = f.customer(email="rich@shop.test")
    customer_update(customer=customer, lifetime_revenue=Decimal("12345.60"))
    client = login(f.agent())
    assert "GBP 12,346" in client.get("/customers/?q=rich").content.decode()
    assert "lifetime revenue GBP 12,346" in client.get(f"/customers/{customer.pk}/").content.decode()
