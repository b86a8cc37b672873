"""SLA on pages: the queue column and sort, the ticket page, the policies page; customers see none of it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.desk import services as desk
from tests import factories as f
from tests.sla import factories as sf

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():  # type: ignore[no-untyped-def]
    return f.agent(teams=[f.team()])


def test_the_ticket_page_shows_each_clock_in_business_time(agent, login):  # type: ignore[no-untyped-def]
    sf.policy(name="Standard", first_reply=60)
    ticket = f.ticket(team=agent.teams.first())
    page = login(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert ("Policy “Standard”" in page, "business time" in page, "First reply" in page, ">Due in 1 h</span> <span class=\"small muted\">(business time)</span>" in page) == (
        True, True, True, True,
    )


def test_the_ticket_page_says_when_no_policy_applies(agent, login):  # type: ignore[no-untyped-def]
    sf.policy(priorities=["urgent"])
    ticket = f.ticket(team=agent.teams.first(), priority="low")
    page = login(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert "No SLA policy applies to this ticket" in page


def test_the_queue_shows_a_breached_clock_and_sorts_due_soonest_first(agent, login):  # type: ignore[no-untyped-def]
    sf.policy(first_reply=60, next_reply=None, resolution=None)
    now = timezone.now()
    team = agent.teams.first()
    later = f.ticket(subject="Omega", team=team, at=now - timedelta(minutes=10))
    late = f.ticket(subject="Alpha", team=team, at=now - timedelta(minutes=90))
    page = login(agent).get("/tickets/?view=team&sort=due").content.decode()
    assert (page.index("Alpha") < page.index("Omega"), "Breached 30 min ago" in page, later.pk != late.pk) == (
        True, True, True,
    )


def test_the_queue_page_query_count_does_not_grow_with_clocked_tickets(agent, login, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    sf.policy()
    team = agent.teams.first()
    client = login(agent)
    f.ticket(team=team)
    with django_assert_max_num_queries(25) as small:
        client.get("/tickets/?view=team&sort=due")
    for _ in range(6):
        f.ticket(team=team)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/tickets/?view=team&sort=due")


def test_a_customer_sees_no_sla_on_the_portal(login):  # type: ignore[no-untyped-def]
    sf.policy(name="Secret standard")
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, actor=customer.user)
    desk.ticket_reply(ticket=ticket, author=f.agent(), body="Hello")
    page = login(customer.user).get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert ("SLA" in page, "Secret standard" in page, "sla_" in page) == (False, False, False)


def test_a_customer_reading_the_ticket_by_api_gets_no_sla(login):  # type: ignore[no-untyped-def]
    sf.policy(name="Secret standard")
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, actor=customer.user)
    body = login(customer.user).get(f"/api/v1/tickets/{ticket.pk}").content.decode()
    assert ("sla" in body.lower(), "Secret standard" in body) == (False, False)


def test_the_policies_page_lists_the_ordered_policies_in_words(login):  # type: ignore[no-untyped-def]
    cal = sf.calendar(hours=sf.OFFICE_HOURS, time_zone="Europe/Berlin", holiday_country="DE", holiday_subdivision="BE")
    sf.policy(name="VIP urgent", position=1, cal=cal, priorities=["urgent"], tiers=["gold"], first_reply=30, next_reply=None,
              resolution=240)
    sf.policy(name="Everything else", position=2, cal=cal)
    page = login(f.manager()).get("/sla/policies/").content.decode()
    assert (
        "when priority is Urgent and customer tier is Gold:" in page,
        "first reply within 30 min, resolution within 4 h of business time" in page,
        page.index("VIP urgent") < page.index("Everything else"),
        "every ticket not matched above" in page,
        "Monday 09:00-17:00" in page,
        "public holidays of DE-BE" in page,
    ) == (True, True, True, True, True, True)


@pytest.mark.parametrize("role", ["agent", "customer"])
def test_the_policies_page_is_refused_to_agents_and_customers(role, login):  # type: ignore[no-untyped-def]
    user = f.agent() if role == "agent" else f.customer(with_login=True).user
    assert login(user).get("/sla/policies/").status_code == 403


def test_the_policies_page_with_none_says_what_to_do(login):  # type: ignore[no-untyped-def]
    page = login(f.manager()).get("/sla/policies/").content.decode()
    assert "No SLA policies yet." in page
