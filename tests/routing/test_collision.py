"""Collision detection: who else views and types (the presence endpoint and the ticket page), and a
reply held once when a new message arrived since the agent opened the ticket."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from frontline.desk.models import Message
from frontline.desk.services import ticket_reply
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()


@pytest.fixture
def ticket(team):  # type: ignore[no-untyped-def]
    return f.ticket(queue=f.queue(team=team), subject="Broken invoice")


def test_the_ticket_page_shows_who_else_is_viewing_and_typing(login, team, ticket):
    ana, ben = f.agent(teams=[team], first_name="Ana"), f.agent(teams=[team], first_name="Ben")
    first, second = login(ana), login(ben)
    assert "Nobody else is viewing" in first.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "Ana Tester is viewing" in second.get(f"/tickets/{ticket.pk}/").content.decode()
    first.post(f"/routing/presence/{ticket.pk}/", {"typing": "1"})
    assert "Ana Tester is typing a reply" in second.get(f"/routing/presence/{ticket.pk}/").content.decode()
    first.post(f"/routing/presence/{ticket.pk}/", {"left": "1"})
    assert "Nobody else is viewing" in second.get(f"/routing/presence/{ticket.pk}/").content.decode()


def test_presence_of_a_ticket_the_viewer_may_not_see_is_404_and_customers_get_403(login, ticket):
    outsider = login(f.agent(teams=[f.team()]))
    assert outsider.get(f"/routing/presence/{ticket.pk}/").status_code == 404
    assert outsider.post(f"/routing/presence/{ticket.pk}/", {"typing": "1"}).status_code == 404
    assert login(f.customer(with_login=True).user).get(f"/routing/presence/{ticket.pk}/").status_code == 403
    assert cache.get(f"presence:ticket:{ticket.pk}") is None


def test_a_reply_after_a_new_customer_message_is_held_once_then_sent(login, team, ticket):
    agent = f.agent(teams=[team])
    client = login(agent)
    seen = ticket.messages.order_by("-id").first().pk
    ticket_reply(ticket=ticket, author=None, customer=ticket.requester, body="Actually, it was the second invoice.")
    held = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Refunded the first one.", "public": "1",
                                                         "seen_message": seen})
    html = held.content.decode()
    newest = ticket.messages.order_by("-id").first().pk
    assert held.status_code == 409
    assert "Not sent yet: 1 new message arrived" in html and "Actually, it was the second invoice." in html
    assert f'name="seen_message" value="{newest}"' in html and "Refunded the first one." in html
    assert not Message.objects.filter(body_text="Refunded the first one.").exists()
    sent = client.post(f"/tickets/{ticket.pk}/reply/", {"body": "Refunded the first one.", "public": "1",
                                                         "seen_message": newest})
    assert sent.status_code == 302 and Message.objects.filter(body_text="Refunded the first one.").exists()


def test_the_agents_own_messages_and_notes_they_cannot_see_do_not_hold_a_reply(login, team, ticket):
    agent = f.agent(teams=[team])
    seen = ticket.messages.order_by("-id").first().pk
    ticket_reply(ticket=ticket, author=agent, body="First part.", public=True)
    sent = login(agent).post(f"/tickets/{ticket.pk}/reply/", {"body": "Second part.", "public": "1",
                                                                "seen_message": seen})
    assert sent.status_code == 302


def test_the_page_carries_the_newest_message_seen(login, team, ticket):
    html = login(f.agent(teams=[team])).get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'name="seen_message" value="{ticket.messages.get().pk}"' in html
