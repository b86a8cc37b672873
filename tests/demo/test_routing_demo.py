"""The demo's routing: one queue per rule, skills on every agent, a reset that removes them, and a
routing decision on the demo's data that reads like the docs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from frontline.customers.models import Customer
from frontline.demo.generator import demo_generate, demo_reset
from frontline.desk.models import EventKind, Queue, TicketEvent
from frontline.people.models import STAFF_ROLES, Availability, User
from frontline.people.services import availability_set
from frontline.routing import services
from frontline.routing.models import AgentSkill, QueueRouting
from tests import factories as f

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    return demo_generate(seed=3, days=8, scale=0.1, anchor=ANCHOR)


def test_one_queue_per_rule_skills_on_agents_and_no_routing_of_the_history(demo) -> None:  # type: ignore[no-untyped-def]
    modes = dict(QueueRouting.objects.values_list("queue__name", "mode"))
    assert modes == {"Orders": "least_loaded", "Billing": "round_robin", "Technical": "skills", "Accounts": "manual"}
    staff = User.objects.filter(role__in=STAFF_ROLES)
    assert set(AgentSkill.objects.values_list("agent_id", flat=True).distinct()) == set(staff.values_list("pk", flat=True))
    assert not TicketEvent.objects.filter(kind=EventKind.ROUTED).exists()

    orders = Queue.objects.get(name="Orders")
    availability_set(user=User.objects.get(username="agent"), availability=Availability.ONLINE)
    online = set(User.objects.filter(teams=orders.team, agent_profile__availability=Availability.ONLINE)
                 .values_list("pk", flat=True))
    decision = services.route_ticket(ticket_id=f.ticket(queue=orders, requester=Customer.objects.first()).pk)
    assert decision.agent_id in online
    assert decision.summary.startswith(f"Routed to {decision.agent_name} by least-loaded: ")

    demo_reset()
    assert not QueueRouting.objects.exists() and not AgentSkill.objects.exists()
