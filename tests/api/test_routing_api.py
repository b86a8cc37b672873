"""/api/v1/routing: managers read and set queues' routing; staff read the routing decisions of the
tickets they may see and the availability, capacity and load of the agents they may see (a load
counts only visible tickets)."""

from __future__ import annotations

import json

import pytest

from frontline.desk.models import Channel
from frontline.desk.services import ticket_assign
from frontline.routing import services
from frontline.routing.models import AgentCapacity, AgentSkill, Mode, QueueRouting
from tests import factories as f
from tests.api.conftest import ApiClient, fields_of
from tests.routing.conftest import online, routed_queue

pytestmark = pytest.mark.django_db

SKILLS = {"mode": "skills", "requirements": [{"name": "language", "value": "{customer.language}", "min_level": 2},
                                              {"name": "product", "value": "billing", "required": False}],
          "drop_preferred_after_s": 60, "widen_after_s": 300, "offline_action": "return", "offline_grace_s": 90}


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Support")


def put(user, path: str, body):  # type: ignore[no-untyped-def]
    api = ApiClient(user)
    return api.client.put("/api/v1" + path, json.dumps(body), content_type="application/json", headers=api.headers)


def test_managers_read_and_set_a_queues_routing(team):  # type: ignore[no-untyped-def]
    queue = f.queue(team=team)
    manager = f.manager()
    api = ApiClient(manager)
    assert api.get(f"/routing/queues/{queue.pk}").json()["mode"] == "manual"
    response = put(manager, f"/routing/queues/{queue.pk}", SKILLS)
    assert response.status_code == 200, response.content
    config = QueueRouting.objects.get(queue=queue)
    assert (config.mode, config.requirements[0], config.requirements[1]["required"], config.offline_grace_s,
            config.updated_by) == (Mode.SKILLS, {"name": "language", "value": "{customer.language}", "min_level": 2,
                                                 "required": True}, False, 90, manager)
    listed = {q["queue_id"]: q for q in api.get("/routing/queues").json()}
    assert listed[queue.pk]["requirements"] == response.json()["requirements"]


def test_only_managers_and_admins_read_or_change_routing(team):  # type: ignore[no-untyped-def]
    queue = f.queue(team=team)
    customer = f.customer(with_login=True)
    for user in (f.agent(teams=[team]), f.lead(leads=[team]), customer.user):
        api = ApiClient(user)
        assert api.get("/routing/queues").status_code == 403
        assert api.get(f"/routing/queues/{queue.pk}").status_code == 403
        assert put(user, f"/routing/queues/{queue.pk}", SKILLS).status_code == 403
    assert not QueueRouting.objects.exists()
    assert ApiClient(f.user(role="admin")).get(f"/routing/queues/{queue.pk}").status_code == 200
    assert ApiClient(f.manager()).get("/routing/queues/999999").status_code == 404


@pytest.mark.parametrize(("change", "fields"), [
    ({"requirements": []}, {"requirements"}),
    ({"requirements": [{"name": "language", "value": "{customer.secret}"}]}, {"requirements.0.value"}),
    ({"requirements": [{"name": "9lives", "value": "x"}]}, {"requirements.0.name"}),
    ({"requirements": [{"name": "language", "value": "de", "min_level": 6}]}, {"requirements.0.min_level"}),
    ({"requirements": [{"name": "language", "value": "de"}] * 11}, {"requirements"}),
    ({"widen_after_s": 30}, {"widen_after_s"}),
    ({"offline_grace_s": -1}, {"offline_grace_s"}),
    ({"mode": "random"}, {"mode"}),
    ({"offline_action": "delete"}, {"offline_action"}),
])
def test_bad_routing_is_422_naming_the_fields_and_changes_nothing(team, change, fields):  # type: ignore[no-untyped-def]
    queue = f.queue(team=team)
    response = put(f.manager(), f"/routing/queues/{queue.pk}", {**SKILLS, **change})
    assert (response.status_code, fields_of(response)) == (422, fields)
    assert not QueueRouting.objects.exists()


def test_a_tickets_decisions_are_its_routed_events_and_hidden_tickets_are_404(team):  # type: ignore[no-untyped-def]
    ana = online(name="Ana", team=team)
    queue = routed_queue(team)
    ticket = f.ticket(queue=queue, team=team)
    services.route_ticket(ticket_id=ticket.pk)
    body = ApiClient(ana).get(f"/routing/tickets/{ticket.pk}/decisions").json()
    assert [(d["rule"], d["agent_id"], d["queue_id"]) for d in body["items"]] == [("least-loaded", ana.pk, queue.pk)]
    assert body["items"][0]["summary"].startswith("Routed to Ana by least-loaded")
    outsider = f.agent(teams=[f.team()])
    assert ApiClient(outsider).get(f"/routing/tickets/{ticket.pk}/decisions").status_code == 404
    assert ApiClient(f.manager()).get(f"/routing/tickets/{ticket.pk}/decisions").json()["items"][0]["id"] == \
        body["items"][0]["id"]


def test_the_decision_log_holds_only_visible_tickets_whatever_the_filter(team):  # type: ignore[no-untyped-def]
    other = f.team(name="Other")
    online(name="Ana", team=team)
    online(name="Olga", team=other)
    mine, theirs = routed_queue(team), routed_queue(other)
    seen = f.ticket(queue=mine, team=team)
    hidden = f.ticket(queue=theirs, team=other)
    for t in (seen, hidden):
        services.route_ticket(ticket_id=t.pk)
    api = ApiClient(f.agent(teams=[team]))
    assert [d["ticket_id"] for d in api.get("/routing/decisions").json()["items"]] == [seen.pk]
    assert api.get("/routing/decisions", {"queue_id": theirs.pk}).json()["items"] == []
    assert api.get("/routing/decisions", {"outcome": "waiting"}).json()["items"] == []
    both = ApiClient(f.manager()).get("/routing/decisions", {"outcome": "routed", "limit": 1}).json()
    more = ApiClient(f.manager()).get("/routing/decisions", {"outcome": "routed", "cursor": both["next_cursor"]}).json()
    assert [d["ticket_id"] for d in both["items"] + more["items"]] == [hidden.pk, seen.pk]


def test_agents_availability_capacity_and_load_as_far_as_the_viewer_may_see(team):  # type: ignore[no-untyped-def]
    other = f.team(name="Other")
    ana = online(name="Ana", team=team)
    olga = f.agent(teams=[other])
    lead = f.lead(leads=[team])
    AgentSkill.objects.create(agent=ana, name="language", value="de", level=4)
    AgentCapacity.objects.create(agent=ana, channel=Channel.EMAIL, max_open=7)
    ticket_assign(ticket=f.ticket(team=team, channel=Channel.EMAIL), assignee=ana, actor=None)
    # Ana also holds a ticket of a team her lead does not see: it is not in the lead's count.
    ticket_assign(ticket=f.ticket(team=other, channel=Channel.EMAIL), assignee=ana, actor=None)

    def email(user, agent):  # type: ignore[no-untyped-def]
        body = ApiClient(user).get(f"/routing/agents/{agent.pk}").json()
        return body["availability"], body["skills"], next(c for c in body["channels"] if c["channel"] == "email")

    assert email(lead, ana) == ("online", [{"name": "language", "value": "de", "level": 4}],
                                {"channel": "email", "capacity": 7, "load": 1})
    assert email(f.manager(), ana)[2]["load"] == 2
    assert ApiClient(lead).get(f"/routing/agents/{olga.pk}").status_code == 404
    assert [a["id"] for a in ApiClient(ana).get("/routing/agents").json()["items"]] == [ana.pk]
    assert ApiClient(ana).get(f"/routing/agents/{olga.pk}").status_code == 404
    online_ids = [a["id"] for a in ApiClient(lead).get("/routing/agents", {"availability": "online"}).json()["items"]]
    assert online_ids == [ana.pk]
    customer = f.customer(with_login=True)
    assert ApiClient(customer.user).get("/routing/agents").status_code == 403


@pytest.mark.parametrize("count", [1, 6])
def test_the_agent_list_query_count_does_not_grow(team, count, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for i in range(count):
        agent = online(name=f"A{i}", team=team)
        AgentSkill.objects.create(agent=agent, name="language", value="en", level=3)
    manager = f.manager()
    api = ApiClient(manager)
    with django_assert_max_num_queries(9):
        assert len(api.get("/routing/agents").json()["items"]) == count + 1
