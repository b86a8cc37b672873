"""The demo's email: disabled mailboxes per queue (no fetch, no fetch errors) and the originals of
recent email tickets, which threads a customer's answer and shows on the ticket page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from frontline.demo.generator import demo_generate, demo_reset
from frontline.demo.mail import MAIL_DOMAIN, PASSWORD_ENV
from frontline.mail.fetch import mailboxes_fetch_due
from frontline.mail.models import Direction, InboundEmail, Mailbox, MessageIdRecord
from frontline.mail.services import email_ingest
from frontline.people.models import User

ANCHOR = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    demo_generate(seed=3, days=7, scale=0.08, anchor=ANCHOR)


def test_a_disabled_mailbox_per_queue_that_the_fetch_skips(demo) -> None:  # type: ignore[no-untyped-def]
    boxes = list(Mailbox.objects.order_by("address").values_list("address", "enabled", "imap_host", "password_env",
                                                                  "queue__name"))
    assert boxes == [
        (f"accounts@{MAIL_DOMAIN}", False, "127.0.0.1", PASSWORD_ENV, "Accounts"),
        (f"billing@{MAIL_DOMAIN}", False, "127.0.0.1", PASSWORD_ENV, "Billing"),
        (f"orders@{MAIL_DOMAIN}", False, "127.0.0.1", PASSWORD_ENV, "Orders"),
        (f"support@{MAIL_DOMAIN}", False, "127.0.0.1", PASSWORD_ENV, "Technical"),
    ]
    assert mailboxes_fetch_due(at=ANCHOR) == []
    assert not Mailbox.objects.exclude(last_error="").exists()


def test_recent_email_tickets_have_their_original_and_message_ids(demo, client) -> None:  # type: ignore[no-untyped-def]
    inbound = InboundEmail.objects.filter(desk_message__isnull=False).select_related("desk_message").first()
    assert inbound is not None
    assert MessageIdRecord.objects.filter(message_id=inbound.message_id, ticket=inbound.ticket,
                                          direction=Direction.IN).exists()
    client.force_login(User.objects.get(username="manager"))
    page = client.get(reverse("desk:ticket_detail", args=[inbound.ticket_id])).content.decode()
    original = client.get(reverse("mail:original", args=[inbound.desk_message_id]))
    raw = client.get(reverse("mail:original_raw", args=[inbound.desk_message_id]))
    assert reverse("mail:original", args=[inbound.desk_message_id]) in page
    assert (original.status_code, raw.status_code) == (200, 200)
    assert f"Message-ID: <{inbound.message_id}>".encode() in raw.content
    assert inbound.desk_message.body_text.split("\n")[0].encode() in raw.content


def test_a_customers_answer_to_a_demo_email_threads_onto_its_ticket(demo) -> None:  # type: ignore[no-untyped-def]
    inbound = InboundEmail.objects.filter(desk_message__isnull=False).first()
    assert inbound is not None
    answer = (f"From: {inbound.from_email}\r\nTo: {inbound.headers['To']}\r\nSubject: Re: {inbound.subject}\r\n"
              f"Message-ID: <answer.1@{inbound.from_email.rsplit('@', 1)[1]}>\r\n"
              f"In-Reply-To: <{inbound.message_id}>\r\n\r\nThanks, that helps.\r\n").encode()
    result = email_ingest(raw=answer, source="test")
    assert (result.outcome, result.ticket) == ("threaded", inbound.ticket_id)


def test_reset_removes_the_mailboxes_and_originals(demo) -> None:  # type: ignore[no-untyped-def]
    demo_reset()
    assert (Mailbox.objects.count(), InboundEmail.objects.count(), MessageIdRecord.objects.count()) == (0, 0, 0)
