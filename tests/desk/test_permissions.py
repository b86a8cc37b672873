"""Every visibility and access rule, each with an attempt to break it, through HTTP."""

from __future__ import annotations

import pytest

from frontline.desk import services
from frontline.desk.content import Upload
from frontline.people.models import ApiToken
from frontline.people.services import api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():  # type: ignore[no-untyped-def]
    """Two teams under a parent; an agent in each; a lead of the parent; a manager."""
    parent = f.team(name="Support")
    billing = f.team(name="Billing", parent=parent)
    tech = f.team(name="Tech", parent=parent)
    other = f.team(name="Other")
    return {
        "billing": billing, "tech": tech, "other": other,
        "billing_agent": f.agent(teams=[billing]),
        "tech_agent": f.agent(teams=[tech]),
        "lead": f.lead(leads=[parent]),
        "other_lead": f.lead(leads=[other]),
        "manager": f.manager(),
    }


def test_agent_sees_own_team_and_pool_but_not_other_team(org, login):  # type: ignore[no-untyped-def]
    mine = f.ticket(team=org["billing"])
    pool = f.ticket()
    theirs = f.ticket(team=org["tech"])
    client = login(org["billing_agent"])
    assert client.get(f"/tickets/{mine.pk}/").status_code == 200
    assert client.get(f"/tickets/{pool.pk}/").status_code == 200
    assert client.get(f"/tickets/{theirs.pk}/").status_code == 404
    listing = client.get("/tickets/?view=all").content.decode()
    assert f"/tickets/{mine.pk}/" in listing and f"/tickets/{theirs.pk}/" not in listing


def test_agent_sees_a_ticket_of_another_team_assigned_to_them(org, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=org["tech"], assignee=org["billing_agent"])
    assert login(org["billing_agent"]).get(f"/tickets/{ticket.pk}/").status_code == 200


def test_agent_cannot_write_to_a_ticket_they_cannot_see(org, login):  # type: ignore[no-untyped-def]
    theirs = f.ticket(team=org["tech"])
    client = login(org["billing_agent"])
    assert client.post(f"/tickets/{theirs.pk}/reply/", {"body": "hi", "public": "1"}).status_code == 404
    assert client.post(f"/tickets/{theirs.pk}/update/", {"priority": "urgent"}).status_code == 404
    mine = f.ticket(team=org["billing"])
    assert client.post(f"/tickets/{mine.pk}/merge/", {"into": theirs.pk}).status_code == 422
    theirs.refresh_from_db()
    assert theirs.message_count == 1 and theirs.merged_from.count() == 0


def test_lead_sees_sub_teams_but_not_other_trees(org, login):  # type: ignore[no-untyped-def]
    billing = f.ticket(team=org["billing"])
    tech = f.ticket(team=org["tech"])
    other = f.ticket(team=org["other"])
    client = login(org["lead"])
    assert client.get(f"/tickets/{billing.pk}/").status_code == 200
    assert client.get(f"/tickets/{tech.pk}/").status_code == 200
    assert client.get(f"/tickets/{other.pk}/").status_code == 404


def test_manager_sees_everything(org, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=org["other"])
    assert login(org["manager"]).get(f"/tickets/{ticket.pk}/").status_code == 200


def test_customer_sees_only_own_requests(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    bob = f.customer(with_login=True)
    own = f.ticket(requester=alice)
    others = f.ticket(requester=bob)
    client = login(alice.user)
    assert client.get(f"/portal/requests/{own.pk}/").status_code == 200
    assert client.get(f"/portal/requests/{others.pk}/").status_code == 404
    assert client.post(f"/portal/requests/{others.pk}/reply/", {"body": "me too"}).status_code == 404
    others.refresh_from_db()
    assert others.message_count == 1


@pytest.mark.parametrize(("share", "sees", "visible"), [(True, True, 200), (True, False, 404), (False, True, 404)])
def test_company_tickets_need_sharing_and_permission(login, share, sees, visible):  # type: ignore[no-untyped-def]
    company = f.company(share_tickets=share)
    alice = f.customer(with_login=True, company=company, sees_company_tickets=sees)
    colleague = f.customer(company=company)
    ticket = f.ticket(requester=colleague)
    assert login(alice.user).get(f"/portal/requests/{ticket.pk}/").status_code == visible


def test_customer_never_sees_internal_notes_or_their_attachments(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    ticket = f.ticket(requester=alice)
    agent = f.agent()
    note = services.ticket_reply(ticket=ticket, author=agent, body="INTERNAL: refund abuse suspected", public=False,
                                 attachments=[Upload(filename="evidence.txt", content=b"secret")])
    client = login(alice.user)
    page = client.get(f"/portal/requests/{ticket.pk}/").content.decode()
    assert "INTERNAL" not in page
    attachment = note.attachments.get()
    assert client.get(f"/tickets/attachments/{attachment.pk}/").status_code == 404
    assert login(agent).get(f"/tickets/attachments/{attachment.pk}/").status_code == 200


def test_customer_cannot_use_desk_pages(login):  # type: ignore[no-untyped-def]
    alice = f.customer(with_login=True)
    ticket = f.ticket(requester=alice)
    client = login(alice.user)
    assert client.get("/tickets/").status_code == 403
    assert client.get(f"/tickets/{ticket.pk}/").status_code == 403
    assert client.post(f"/tickets/{ticket.pk}/update/", {"priority": "urgent"}).status_code == 403
    assert client.post(f"/tickets/{ticket.pk}/reply/", {"body": "x", "public": "0"}).status_code == 403
    assert client.get("/customers/").status_code == 403
    assert client.get("/people/").status_code == 403
    assert client.get("/people/me/tokens/").status_code == 403


def test_staff_are_sent_away_from_the_portal(org, login):  # type: ignore[no-untyped-def]
    assert login(org["billing_agent"]).get("/portal/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):  # type: ignore[no-untyped-def]
    for url in ("/tickets/", "/portal/", "/customers/", "/people/", "/tickets/1/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_people_page_scoped_to_lead_and_closed_to_agents(org, login):  # type: ignore[no-untyped-def]
    assert login(org["billing_agent"]).get("/people/").status_code == 403
    page = login(org["lead"]).get("/people/").content.decode()
    assert org["billing_agent"].email in page and org["tech_agent"].email in page
    other_agent = f.agent(teams=[org["other"]])
    assert other_agent.email not in page
    assert other_agent.email in login(org["manager"]).get("/people/").content.decode()


def test_tokens_are_personal(org, login):  # type: ignore[no-untyped-def]
    issued = api_token_create(user=org["tech_agent"], name="CRM")
    client = login(org["billing_agent"])
    assert client.post(f"/people/me/tokens/{issued.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get(pk=issued.token.pk).revoked_at is None
    assert issued.secret not in client.get("/people/me/tokens/").content.decode()


def test_forms_require_csrf(org, login):  # type: ignore[no-untyped-def]
    ticket = f.ticket(team=org["billing"])
    client = login(org["billing_agent"], enforce_csrf_checks=True)
    assert client.post(f"/tickets/{ticket.pk}/reply/", {"body": "x", "public": "1"}).status_code == 403
    ticket.refresh_from_db()
    assert ticket.message_count == 1
