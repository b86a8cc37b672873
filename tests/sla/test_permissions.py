"""Trying to read SLA data without the right: customers (portal, API, search, sorting by due) and
agents of another team."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket():  # type: ignore[no-untyped-def]
    sf.policy(name="Platinum promise", first_reply=60)
    customer = f.customer(with_login=True)
    return f.ticket(requester=customer, actor=customer.user, team=f.team(), subject="Printer on fire")


def test_a_customer_reads_no_sla_anywhere(ticket, login):  # type: ignore[no-untyped-def]
    client = login(ticket.requester.user)
    seen = "".join(client.get(url).content.decode() for url in (
        f"/portal/requests/{ticket.pk}/", "/portal/?sort=due", "/portal/?q=printer&sort=-due",
        f"/api/v1/tickets/{ticket.pk}", "/api/v1/tickets?q=printer", "/api/v1/tickets?sort=due",
    )).lower()
    # "sla" as a word: generated names (Vladislav, Islay...) may hold the letters
    assert ("platinum promise" in seen, bool(re.search(r"\bsla\b", seen)), "due in" in seen, "business time" in seen) == (
        False, False, False, False)


def test_a_customer_is_refused_the_staff_sla_views(ticket, login):  # type: ignore[no-untyped-def]
    client = login(ticket.requester.user)
    codes = [client.get(url).status_code for url in (
        f"/api/v1/sla/tickets/{ticket.pk}", "/tickets/?sort=due", "/sla/policies/")]
    assert codes == [403, 403, 403]


def test_an_agent_of_another_team_gets_404_for_the_tickets_sla(ticket, login):  # type: ignore[no-untyped-def]
    client = login(f.agent(teams=[f.team()]))
    responses = [client.get(f"/api/v1/sla/tickets/{ticket.pk}"), client.get(f"/tickets/{ticket.pk}/")]
    assert ([r.status_code for r in responses], any("Platinum promise" in r.content.decode() for r in responses)) == (
        [404, 404], False)


def test_sorting_by_due_never_lists_another_teams_tickets(ticket, login):  # type: ignore[no-untyped-def]
    page = login(f.agent(teams=[f.team()])).get("/tickets/?view=all&sort=due").content.decode()
    assert ("Printer on fire" in page, f"/tickets/{ticket.pk}/" in page) == (False, False)
