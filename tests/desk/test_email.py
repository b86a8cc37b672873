"""Customer notifications through a real SMTP server on loopback (aiosmtpd) and the task worker."""

from __future__ import annotations

from email import message_from_bytes

import pytest
from django.core.management import call_command
from django.test import override_settings

from frontline.desk import services
from tests import factories as f
from tests.smtp import smtp_server


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    with smtp_server() as inbox:
        yield inbox


@pytest.mark.django_db(transaction=True)
def test_agent_reply_is_delivered_by_the_task_worker(smtp):  # type: ignore[no-untyped-def]
    customer = f.customer(email="alice@example.com")
    ticket = f.ticket(requester=customer, subject="Broken kettle", notify=False)
    services.ticket_reply(ticket=ticket, author=f.agent(first_name="Sam"), body="A new kettle is on its way.")
    assert smtp.envelopes == []  # enqueued, not sent inside the request
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    [(_sender, recipients, raw)] = smtp.envelopes
    email = message_from_bytes(raw)
    assert recipients == ["alice@example.com"]
    assert email["Subject"] == f"Re: Broken kettle [#{ticket.pk}]"
    assert email["X-Frontline-Ticket"] == str(ticket.pk)
    assert "A new kettle is on its way." in email.get_payload(decode=True).decode()


@pytest.mark.django_db(transaction=True)
def test_new_request_gets_a_receipt_and_notes_send_nothing(smtp):  # type: ignore[no-untyped-def]
    customer = f.customer(email="bob@example.com")
    ticket = f.ticket(requester=customer, subject="Invoice copy")
    services.ticket_reply(ticket=ticket, author=f.agent(), body="internal only", public=False)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    subjects = [message_from_bytes(raw)["Subject"] for _, _, raw in smtp.envelopes]
    assert subjects == [f"We received your request: Invoice copy [#{ticket.pk}]"]


@pytest.mark.django_db
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend", FRONTLINE_BASE_URL="https://help.example.com")
def test_emails_send_the_customer_to_the_portal_not_to_reply_by_email():  # type: ignore[no-untyped-def]
    """Without a mailbox nothing reads replies to these emails, so they must not ask for one (#7)."""
    from django.core import mail

    from frontline.mail.tasks import message_notify_customer

    ticket = f.ticket(subject="Broken kettle", notify=False)
    reply = services.ticket_reply(ticket=ticket, author=f.agent(), body="A new kettle is on its way.", notify=False)
    receipt = ticket.messages.order_by("id").first()
    for message in (reply, receipt):
        assert message_notify_customer.call(message.pk) == "sent"
    for email in mail.outbox:
        assert "reply to this email" not in email.body.lower()
        assert "replies to this email are not read" in email.body
        assert f"https://help.example.com/portal/requests/{ticket.pk}/" in email.body
    assert len(mail.outbox) == 2
