"""Trying to break escalation access: other teams, levels above one's own, customers.

The rule (docs/escalations.md, "De-escalation and resolution"): nobody undoes a level above
their own. Agents escalate but never de-escalate or resolve; a team lead acts only on their own
team's escalations at team-lead level; managers and admins act at any level. A viewer who may not
see the ticket (an agent or lead of another team) gets 404. A refused action changes nothing.
"""

from __future__ import annotations

import pytest

from frontline.desk.models import EventKind, TicketEvent
from frontline.escalations import services
from frontline.escalations.models import Escalation, EscalationState, Level, Trigger
from tests import factories as f

pytestmark = pytest.mark.django_db
REASON = "Customer threatens legal action over invoice 4471"


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    team = f.team()
    f.lead(leads=[team])
    return team


def _escalated(team, *, times: int = 1, requester=None):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team, **({"requester": requester} if requester else {}))
    agent = f.agent(teams=[team])
    for _ in range(times):
        escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason=REASON)
    return escalation


def _unchanged(escalation: Escalation) -> tuple:  # type: ignore[type-arg]
    now = Escalation.objects.get(pk=escalation.pk)
    events = TicketEvent.objects.filter(ticket_id=escalation.ticket_id, kind__in=[EventKind.DE_ESCALATED,
                                                                                    EventKind.ESCALATION_RESOLVED]).count()
    return now.level, now.state, events


def _actions(escalation: Escalation) -> list[str]:
    return [f"/escalations/{escalation.pk}/de-escalate/", f"/escalations/{escalation.pk}/resolve/"]


def test_an_agent_of_another_team_gets_404_on_every_escalation_action(team, login):  # type: ignore[no-untyped-def]
    escalation = _escalated(team)
    outsider = login(f.agent(teams=[f.team()]))
    codes = [outsider.get(f"/escalations/tickets/{escalation.ticket_id}/escalate/").status_code,
             outsider.post(f"/escalations/tickets/{escalation.ticket_id}/escalate/", {"reason": "Me too"}).status_code,
             *[outsider.post(url, {"note": "Not mine"}).status_code for url in _actions(escalation)]]
    assert (codes, _unchanged(escalation)) == ([404, 404, 404, 404], (Level.TEAM_LEAD, EscalationState.OPEN, 0))


def test_an_agent_of_the_team_may_not_de_escalate_or_resolve(team, login):  # type: ignore[no-untyped-def]
    escalation = _escalated(team)
    client = login(f.agent(teams=[team]))
    codes = [client.post(url, {"note": "I can handle it"}).status_code for url in _actions(escalation)]
    assert (codes, _unchanged(escalation)) == ([403, 403], (Level.TEAM_LEAD, EscalationState.OPEN, 0))


def test_a_lead_may_not_de_escalate_or_resolve_what_is_with_the_managers(team, login):  # type: ignore[no-untyped-def]
    escalation = _escalated(team, times=2)
    client = login(team.lead)
    codes = [client.post(url, {"note": "Leave it to me"}).status_code for url in _actions(escalation)]
    assert (codes, _unchanged(escalation)) == ([403, 403], (Level.MANAGER, EscalationState.OPEN, 0))


def test_a_lead_of_another_team_gets_404_on_its_escalations(team, login):  # type: ignore[no-untyped-def]
    escalation = _escalated(team)
    other_lead = f.lead(leads=[f.team()])
    codes = [login(other_lead).post(url, {"note": "Mine now"}).status_code for url in _actions(escalation)]
    assert (codes, _unchanged(escalation)) == ([404, 404], (Level.TEAM_LEAD, EscalationState.OPEN, 0))


def test_the_ticket_page_offers_de_escalate_only_to_who_may_use_it(team, login):  # type: ignore[no-untyped-def]
    escalation = _escalated(team, times=2)
    pages = [login(u).get(f"/tickets/{escalation.ticket_id}/").content.decode()
             for u in (f.agent(teams=[team]), team.lead, f.manager())]
    assert ["De-escalate</button>" in page for page in pages] == [False, False, True]


def test_a_customer_is_refused_every_escalation_action(team, login):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    escalation = _escalated(team, requester=customer)
    client = login(customer.user)
    codes = [client.get("/escalations/").status_code,
             client.post(f"/escalations/tickets/{escalation.ticket_id}/escalate/", {"reason": "Now!"}).status_code,
             *[client.post(url, {"note": "Done"}).status_code for url in _actions(escalation)]]
    assert (codes, _unchanged(escalation)) == ([403, 403, 403, 403], (Level.TEAM_LEAD, EscalationState.OPEN, 0))


def test_a_customer_sees_no_escalation_in_the_portal_api_or_search(team, login):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    escalation = _escalated(team, requester=customer)
    client = login(customer.user)
    seen = "".join([
        client.get(f"/portal/requests/{escalation.ticket_id}/").content.decode(),
        client.get("/portal/?sort=due").content.decode(),
        client.get(f"/api/v1/tickets/{escalation.ticket_id}").content.decode(),
        client.get("/api/v1/tickets").content.decode(),
    ]).lower()
    found = [client.get("/portal/", {"q": "legal action"}).content.decode().count(f"/portal/requests/{escalation.ticket_id}/"),
             len(client.get("/api/v1/tickets", {"q": "legal action"}).json()["items"])]
    events = client.get(f"/api/v1/tickets/{escalation.ticket_id}/events").status_code
    assert ("escalat" in seen, "legal action" in seen, "team lead" in seen, found, events) == (
        False, False, False, [0, 0], 403)
