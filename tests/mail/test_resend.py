"""Sending again an email whose delivery is uncertain or gave up: the button on the ticket page,
who may press it (manager, admin, the message's author: else 403; not seeing the ticket: 404),
which statuses (else 422), and that it goes out again with the same Message-ID."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from frontline.desk import services as desk
from frontline.mail.models import Delivery, OutgoingEmail
from frontline.mail.outgoing import message_send
from tests import factories as f
from tests.smtp import smtp_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team()


@pytest.fixture
def author(team):  # type: ignore[no-untyped-def]
    return f.agent(teams=[team])


@pytest.fixture
def reply(team, author):  # type: ignore[no-untyped-def]
    """An agent's public reply whose email gave up."""
    ticket = f.ticket(team=team, requester=f.customer(email="alice@example.com"))
    message = desk.ticket_reply(ticket=ticket, author=author, body="A new kettle is on its way.", notify=False)
    message_send(message_id=message.pk)
    OutgoingEmail.objects.filter(desk_message=message).update(status=Delivery.GAVE_UP, attempts=8,
                                                              last_error="SMTPServerDisconnected: gone")
    return message


def _resend(client, message) -> Any:  # type: ignore[no-untyped-def]
    return client.post(reverse("mail:resend", args=[message.pk]))


def test_the_ticket_page_offers_the_author_the_button(login, reply, author):  # type: ignore[no-untyped-def]
    page = login(author).get(reverse("desk:ticket_detail", args=[reply.ticket_id])).content.decode()
    assert (reverse("mail:resend", args=[reply.pk]) in page, "Send email again" in page) == (True, True)


def test_a_colleague_who_is_not_the_author_sees_no_button_and_gets_403(login, reply, team):  # type: ignore[no-untyped-def]
    client = login(f.agent(teams=[team]))
    page = client.get(reverse("desk:ticket_detail", args=[reply.ticket_id])).content.decode()
    assert ("Send email again" in page, _resend(client, reply).status_code) == (False, 403)
    assert OutgoingEmail.objects.get(desk_message=reply).status == Delivery.GAVE_UP


@pytest.mark.parametrize("status", [Delivery.GAVE_UP, Delivery.UNCERTAIN])
def test_the_author_resends_and_it_goes_out_with_the_same_message_id(  # type: ignore[no-untyped-def]
        login, reply, author, status, django_capture_on_commit_callbacks):
    OutgoingEmail.objects.filter(desk_message=reply).update(status=status)
    before = OutgoingEmail.objects.get(desk_message=reply)
    with django_capture_on_commit_callbacks() as callbacks:
        response = _resend(login(author), reply)
    queued = OutgoingEmail.objects.get(desk_message=reply)
    assert (response.status_code, response["Location"], len(callbacks)) == (
        302, f"{reverse('desk:ticket_detail', args=[reply.ticket_id])}#message-{reply.pk}", 1)
    assert (queued.status, queued.attempts, "Sending again" in queued.last_error) == (Delivery.FAILED, 0, True)
    with smtp_server() as inbox:
        assert message_send(message_id=reply.pk) == Delivery.SENT
    [sent] = inbox.messages
    assert (sent["To"], sent["Message-ID"]) == ("alice@example.com", f"<{before.message_id}>")
    assert OutgoingEmail.objects.get(desk_message=reply).status == Delivery.SENT


@pytest.mark.parametrize("role", ["manager", "admin"])
def test_managers_and_admins_may_resend_anyones(login, reply, role):  # type: ignore[no-untyped-def]
    user = f.manager() if role == "manager" else f.user(role="admin")
    assert _resend(login(user), reply).status_code == 302


@pytest.mark.parametrize("status", [Delivery.SENT, Delivery.FAILED, Delivery.SENDING, Delivery.SKIPPED])
def test_any_other_status_is_422_with_the_reason(login, reply, author, status):  # type: ignore[no-untyped-def]
    OutgoingEmail.objects.filter(desk_message=reply).update(status=status)
    response = _resend(login(author), reply)
    assert (response.status_code, "only an uncertain or undelivered email" in response.content.decode()) == (422, True)
    assert OutgoingEmail.objects.get(desk_message=reply).status == status


def test_someone_who_cannot_see_the_ticket_gets_404(login, reply):  # type: ignore[no-untyped-def]
    outsider = f.agent(teams=[f.team()])
    customer = f.customer(with_login=True)
    assert (_resend(login(outsider), reply).status_code, _resend(login(customer.user), reply).status_code) == (404, 404)


def test_a_message_without_an_email_is_404_and_get_is_refused(login, reply):  # type: ignore[no-untyped-def]
    opening = reply.ticket.messages.exclude(pk=reply.pk).get()  # the customer's, never emailed out
    client = login(f.manager())
    statuses = (_resend(client, opening).status_code, client.get(reverse("mail:resend", args=[reply.pk])).status_code)
    assert statuses == (404, 405)
