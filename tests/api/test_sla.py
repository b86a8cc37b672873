"""GET /api/v1/sla/tickets/{id}: staff read a ticket's SLA; customers and other teams cannot."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests import factories as f
from tests.api.conftest import ApiClient
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db


def test_staff_read_the_policy_and_clocks_with_business_minutes_left():
    sf.policy(name="Standard", first_reply=60, next_reply=None, resolution=None)
    ticket = f.ticket(at=timezone.now() - timedelta(minutes=20))
    body = ApiClient(f.manager()).get(f"/sla/tickets/{ticket.pk}").json()
    clock = body["clocks"][0]
    assert (body["policy"], clock["target"], clock["state"], 39 < clock["business_minutes"] <= 40) == (
        "Standard", "first_reply", "running", True,
    )


def test_a_ticket_no_policy_matches_has_no_policy_and_no_clocks():
    ticket = f.ticket()
    assert ApiClient(f.manager()).get(f"/sla/tickets/{ticket.pk}").json() == {"policy": None, "applied_at": None, "clocks": []}


def test_a_customer_is_refused_even_for_their_own_ticket():
    sf.policy()
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, actor=customer.user)
    assert ApiClient(customer.user).get(f"/sla/tickets/{ticket.pk}").status_code == 403


def test_an_agent_outside_the_tickets_team_gets_404():
    sf.policy()
    ticket = f.ticket(team=f.team())
    assert ApiClient(f.agent(teams=[f.team()])).get(f"/sla/tickets/{ticket.pk}").status_code == 404
