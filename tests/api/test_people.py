"""Agent and team endpoints through HTTP (read-only, staff only)."""

from __future__ import annotations

import pytest

from frontline.people.models import AgentProfile
from tests import factories as f
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_staff_list_and_read_agents_with_their_profile() -> None:
    team = f.team()
    agent = f.agent(teams=[team])
    AgentProfile.objects.filter(user=agent).update(skills=["billing"], languages=["en", "de"], availability="online")
    api = ApiClient(f.agent())
    listed = api.get("/agents", {"team_id": team.pk}).json()["items"]
    assert [a["id"] for a in listed] == [agent.pk]
    body = api.get(f"/agents/{agent.pk}").json()
    assert (body["team_ids"], body["skills"], body["languages"], body["availability"], body["role"]) == (
        [team.pk], ["billing"], ["en", "de"], "online", "agent")


def test_customers_are_not_agents() -> None:
    me = f.customer(with_login=True)
    assert ApiClient(f.agent()).get(f"/agents/{me.user.pk}").status_code == 404


def test_staff_list_and_read_teams() -> None:
    parent = f.team(name="Support")
    team = f.team(name="Billing", parent=parent)
    boss = f.lead(leads=[team])
    member = f.agent(teams=[team])
    api = ApiClient(member)
    assert [t["name"] for t in api.get("/teams").json()["items"]] == ["Support", "Billing"]
    body = api.get(f"/teams/{team.pk}").json()
    assert (body["lead"]["id"], body["parent_id"], body["member_ids"]) == (boss.pk, parent.pk, [member.pk])


def test_an_unknown_team_or_agent_is_404() -> None:
    api = ApiClient(f.agent())
    assert api.get("/teams/4242").status_code == 404
    assert api.get("/agents/4242").status_code == 404


@pytest.mark.parametrize("path", ["/agents", "/teams"])
def test_a_customer_gets_403_from_agents_and_teams(path: str) -> None:
    me = f.customer(with_login=True)
    assert ApiClient(me.user).get(path).status_code == 403
