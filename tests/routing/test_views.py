"""Routing pages: who reads and who changes; bad input is a form error; the log is scoped."""

from __future__ import annotations

import pytest

from frontline.routing import services
from frontline.routing.models import AgentCapacity, AgentSkill, Mode, QueueRouting
from tests import factories as f
from tests.routing.conftest import online, routed_queue

pytestmark = pytest.mark.django_db


def test_managers_change_a_queues_routing(login, team):
    queue = f.queue(team=team)
    page = login(f.manager()).post(f"/routing/queues/{queue.pk}/", {
        "mode": Mode.SKILLS, "requirements": "language={customer.language} required\nproduct=billing>=3 preferred",
        "drop_preferred_after_s": "60", "widen_after_s": "300", "offline_action": "return", "offline_grace_s": "90"})
    config = QueueRouting.objects.get(queue=queue)
    assert page.status_code == 302
    assert (config.mode, config.requirements[1], config.widen_after_s) == (
        Mode.SKILLS, {"name": "product", "value": "billing", "min_level": 3, "required": False}, 300)


@pytest.mark.parametrize(("data", "error"), [
    ({"mode": "skills", "requirements": ""}, "needs at least one requirement"),
    ({"mode": "skills", "requirements": "language"}, "Line 1"),
    ({"mode": "teleport"}, "Select a valid choice"),
    ({"mode": "least_loaded", "drop_preferred_after_s": "300", "widen_after_s": "60"}, "not before"),
    ({"mode": "least_loaded", "offline_grace_s": "-5"}, "greater than or equal to 0"),
])
def test_bad_settings_are_form_errors_and_nothing_is_saved(login, data, error):
    queue = f.queue()
    form = {"offline_action": "keep", "offline_grace_s": "120", **data}
    page = login(f.manager()).post(f"/routing/queues/{queue.pk}/", form)
    assert page.status_code == 422 and error in page.content.decode()
    assert not QueueRouting.objects.filter(queue=queue).exists()


@pytest.mark.parametrize("role", ["agent", "lead"])
def test_only_managers_and_admins_change_routing(login, role):
    queue = f.queue()
    user = f.agent() if role == "agent" else f.lead(leads=[f.team()])
    client = login(user)
    assert client.get(f"/routing/queues/{queue.pk}/").status_code == 403
    assert client.post(f"/routing/queues/{queue.pk}/", {"mode": "round_robin", "offline_action": "keep",
                                                        "offline_grace_s": "0"}).status_code == 403
    assert not QueueRouting.objects.exists()
    assert "Change</a>" not in client.get("/routing/").content.decode()


def test_customers_get_403_everywhere(login):
    client = login(f.customer(with_login=True).user)
    for path in ("/routing/", "/routing/agents/", "/routing/log/", "/routing/agents/1/"):
        assert client.get(path).status_code == 403


def test_agents_see_their_own_skills_only_and_cannot_change_them(login, team):
    me, other = f.agent(teams=[team]), f.agent(teams=[team])
    AgentSkill.objects.create(agent=me, name="language", value="de", level=4)
    AgentSkill.objects.create(agent=other, name="language", value="secretish", level=5)
    client = login(me)
    listing = client.get("/routing/agents/").content.decode()
    assert "language=de (4)" in listing and "secretish" not in listing
    assert client.get(f"/routing/agents/{other.pk}/").status_code == 404
    assert client.get(f"/routing/agents/{me.pk}/").status_code == 200
    assert client.post(f"/routing/agents/{me.pk}/", {"skills": "language=de:5"}).status_code == 403
    assert AgentSkill.objects.get(agent=me).level == 4


def test_leads_see_their_teams_agents_not_others(login, team):
    lead = f.lead(leads=[team])
    mine, stranger = f.agent(teams=[team]), f.agent(teams=[f.team()])
    client = login(lead)
    assert client.get(f"/routing/agents/{mine.pk}/").status_code == 200
    assert client.get(f"/routing/agents/{stranger.pk}/").status_code == 404
    assert stranger.display_name not in client.get("/routing/agents/").content.decode()


def test_managers_set_skills_and_capacities_with_errors_on_the_form(login):
    agent = f.agent()
    client = login(f.manager())
    ok = client.post(f"/routing/agents/{agent.pk}/", {"skills": "language=de:5\nproduct=billing", "capacity_email": "4"})
    assert ok.status_code == 302
    assert sorted(AgentSkill.objects.filter(agent=agent).values_list("name", "value", "level")) == [
        ("language", "de", 5), ("product", "billing", 3)]
    assert AgentCapacity.objects.get(agent=agent, channel="email").max_open == 4
    bad = client.post(f"/routing/agents/{agent.pk}/", {"skills": "language=de:9", "capacity_email": "-1"})
    assert bad.status_code == 422 and "Line 1" in bad.content.decode()
    assert AgentSkill.objects.filter(agent=agent).count() == 2


def test_the_log_shows_only_decisions_on_tickets_the_viewer_may_see(login, team):
    online(name="Ana", team=team)
    visible = f.ticket(queue=routed_queue(team), subject="Visible routed ticket")
    other_team = f.team()
    online(name="Olga", team=other_team)
    hidden = f.ticket(queue=routed_queue(other_team), subject="Hidden routed ticket")
    for t in (visible, hidden):
        services.route_ticket(ticket_id=t.pk)
    agent = f.agent(teams=[team])
    html = login(agent).get("/routing/log/").content.decode()
    assert "Visible routed ticket" in html and "Hidden routed ticket" not in html
    assert "Routed to Ana by least-loaded: 0 open of 10" in html
    manager_html = login(f.manager()).get(f"/routing/log/?queue={hidden.queue_id}&outcome=routed").content.decode()
    assert "Hidden routed ticket" in manager_html and "Visible routed ticket" not in manager_html


def test_the_overview_counts_waiting_tickets_the_viewer_may_see_and_links_them(login, team):
    queue = routed_queue(team)
    waiting = f.ticket(queue=queue)
    hidden_queue = routed_queue(f.team())
    f.ticket(queue=hidden_queue)
    client = login(f.agent(teams=[team]))
    html = client.get("/routing/").content.decode()
    assert f"?view=all&amp;ids={waiting.pk}\">1 ticket<" in html
    assert html.count("1 ticket<") == 1
    listed = client.get(f"/tickets/?view=all&ids={waiting.pk}").content.decode()  # the link lists it (unassigned)
    assert f'href="/tickets/{waiting.pk}/"' in listed
    assert "Only agents who are Online now" in html


def test_the_admin_lists_skills_and_shows_routing_read_only(login):
    admin_user = f.user(role="admin", is_staff=True, is_superuser=True)
    client = login(admin_user)
    AgentSkill.objects.create(agent=f.agent(), name="language", value="de", level=4)
    assert client.get("/admin/routing/agentskill/").status_code == 200
    assert client.get("/admin/routing/queuerouting/").status_code == 200
    assert client.get("/admin/routing/queuerouting/add/").status_code == 403


def test_capacities_are_shown_with_their_unit(login, settings):
    settings.ROUTING_CAPACITY_DEFAULT, settings.CHAT_MAX_PER_AGENT = 10, 3
    agent = f.agent(first_name="Uma", last_name="Unit")
    f.agent(first_name="Sol", last_name="One")  # no capacity of their own
    AgentCapacity.objects.create(agent=agent, channel="email", max_open=1)
    client = login(f.manager())
    listing = client.get("/routing/agents/").content.decode()
    row = listing[listing.index("Uma Unit"):]
    row = row[:row.index("</tr>")]
    assert "Email: 1 ticket · other channels: 10 tickets · Chat: 3 chats" in row
    row = listing[listing.index("Sol One"):]
    assert "Each channel: 10 tickets · Chat: 3 chats" in row[:row.index("</tr>")]
    detail = client.get(f"/routing/agents/{agent.pk}/").content.decode()
    assert "<li>Email: 1 ticket at once</li>" in detail and "<li>Chat: 3 chats at once</li>" in detail
    assert "<li>Web: 10 tickets at once</li>" in detail
