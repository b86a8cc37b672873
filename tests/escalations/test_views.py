"""Escalation pages through HTTP: the level queues, escalating with a reason, de-escalating, resolving."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.escalations import services
from frontline.escalations.models import Escalation, EscalationState, Trigger
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    team = f.team()
    f.lead(leads=[team])
    return team


def test_the_managers_queue_lists_escalations_beyond_the_lead_with_path_and_wait(team, login):  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team, subject="Refund never came")
    at = timezone.now() - timedelta(hours=3)
    services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Angry", at=at)
    services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Legal threat",
                              at=at + timedelta(hours=1))
    lead_only = f.ticket(team=team, subject="Only with the lead")
    services.escalation_raise(ticket=lead_only, trigger=Trigger.MANUAL, actor=agent, reason="Tricky")
    page = login(f.manager()).get("/escalations/").content.decode()
    assert ("Refund never came" in page, "Only with the lead" in page, "Team lead" in page and "Manager" in page,
            "2 h" in page) == (True, False, True, True)


def test_a_lead_sees_their_teams_lead_level_queue_only(team, login):  # type: ignore[no-untyped-def]
    other = f.team()
    f.lead(leads=[other])
    mine = f.ticket(team=team, subject="Mine to handle")
    theirs = f.ticket(team=other, subject="Someone else's")
    for t in (mine, theirs):
        services.escalation_raise(ticket=t, trigger=Trigger.MANUAL, actor=f.agent(), reason="Help")
    page = login(team.lead).get("/escalations/").content.decode()
    assert ("Mine to handle" in page, "Someone else's" in page) == (True, False)


def test_agents_and_customers_are_refused_the_queues(login):  # type: ignore[no-untyped-def]
    assert [login(u).get("/escalations/").status_code for u in (f.agent(), f.customer(with_login=True).user)] == [403, 403]


def test_an_agent_escalates_with_a_reason_and_the_ticket_page_shows_it(team, login):  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team)
    client = login(agent)
    response = client.post(f"/escalations/tickets/{ticket.pk}/escalate/", {"reason": "Threatening to cancel"})
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert (response.status_code, "With the <strong>team lead</strong>" in page, "Threatening to cancel" in page) == (
        302, True, True,
    )


def test_escalating_without_a_reason_is_422_and_changes_nothing(team, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    response = login(f.agent(teams=[team])).post(f"/escalations/tickets/{ticket.pk}/escalate/", {"reason": ""})
    assert (response.status_code, "Reason: Say why" in response.content.decode(), Escalation.objects.count()) == (422, True, 0)


def test_a_customer_cannot_escalate_through_the_page(team, login):  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer, team=team)
    response = login(customer.user).post(f"/escalations/tickets/{ticket.pk}/escalate/", {"reason": "Now"})
    assert (response.status_code, Escalation.objects.count()) == (403, 0)


def test_an_agent_outside_the_team_gets_404(team, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    response = login(f.agent(teams=[f.team()])).post(f"/escalations/tickets/{ticket.pk}/escalate/", {"reason": "x"})
    assert response.status_code == 404


def test_the_lead_resolves_and_an_agent_may_not(team, login):  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team)
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Help")
    refused = login(agent).post(f"/escalations/{escalation.pk}/resolve/").status_code
    done = login(team.lead).post(f"/escalations/{escalation.pk}/resolve/").status_code
    again = login(team.lead).post(f"/escalations/{escalation.pk}/resolve/")
    assert (refused, done, again.status_code, Escalation.objects.get().state) == (403, 302, 422, EscalationState.RESOLVED)


def test_a_manager_de_escalates_to_the_lead(team, login):  # type: ignore[no-untyped-def]
    agent = f.agent(teams=[team])
    ticket = f.ticket(team=team)
    services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="One")
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=agent, reason="Two")
    login(f.manager()).post(f"/escalations/{escalation.pk}/de-escalate/", {"note": "The lead can settle it"})
    assert Escalation.objects.get().level == "team_lead"


def test_de_escalating_without_a_note_is_422_naming_the_note_and_changes_nothing(team, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=team)
    escalation = services.escalation_raise(ticket=ticket, trigger=Trigger.MANUAL, actor=f.agent(teams=[team]), reason="Help")
    response = login(team.lead).post(f"/escalations/{escalation.pk}/de-escalate/", {"note": "  "})
    assert (response.status_code, "Note: Say why" in response.content.decode(), Escalation.objects.get().state) == (
        422, True, EscalationState.OPEN)
