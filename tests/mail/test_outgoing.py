"""Email out through a real SMTP server on loopback (aiosmtpd): threading headers, the mailbox's
address and signature, attachments, at most once, retries with backoff, and what the ticket shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from frontline.desk import services as desk
from frontline.desk.content import Upload
from frontline.desk.models import Ticket
from frontline.mail.models import Delivery, MailAddress, Mailbox, MessageIdRecord, OutgoingEmail
from frontline.mail.outgoing import message_send
from frontline.mail.services import email_ingest
from frontline.mail.tasks import mail_send_retry
from tests import factories as f
from tests.smtp import no_smtp_server, smtp_server

from .conftest import corpus_bytes


@pytest.fixture
def smtp():  # type: ignore[no-untyped-def]
    with smtp_server() as inbox:
        yield inbox


@pytest.fixture
def no_smtp():  # type: ignore[no-untyped-def]
    with no_smtp_server():
        yield


@pytest.fixture
def emailed_ticket(db):  # type: ignore[no-untyped-def]
    """A ticket opened by email to the support mailbox (01_plain.eml from alice@example.com)."""
    mailbox = Mailbox.objects.create(address="help@shop.example", from_name="Shop Support",
                                     signature="Shop Support · +49 30 0000")
    result = email_ingest(raw=corpus_bytes("01_plain.eml"), mailbox=mailbox)
    return Ticket.objects.get(pk=result.ticket)


def _reply(ticket, body="A new kettle is on its way.", **kw):  # type: ignore[no-untyped-def]
    return desk.ticket_reply(ticket=ticket, author=f.agent(first_name="Sam"), body=body, notify=False, **kw)


@pytest.mark.django_db(transaction=True)
def test_a_reply_goes_out_threaded_from_the_mailbox_with_signature_and_attachment(smtp, emailed_ticket):
    reply = _reply(emailed_ticket, attachments=[Upload(filename="label.pdf", content=b"%PDF-1.4\n%%EOF\n")])
    assert message_send(message_id=reply.pk) == "sent"
    [sent] = [m for m in smtp.messages if m["Subject"].startswith("Re:")]
    outgoing = OutgoingEmail.objects.get(desk_message=reply)
    assert sent["Subject"] == f"Re: Kettle broken [#{emailed_ticket.pk}]"
    assert (sent["From"], sent["To"]) == ("Shop Support <help@shop.example>", "alice@example.com")
    assert (sent["Message-ID"], sent["In-Reply-To"]) == (f"<{outgoing.message_id}>", "<c01-kettle@example.com>")
    assert "<c01-kettle@example.com>" in sent["References"]
    body, attachment = sent.get_payload()
    assert "Shop Support · +49 30 0000" in body.get_payload(decode=True).decode()
    assert "Reply to this email" in body.get_payload(decode=True).decode()
    assert attachment.get_filename() == "label.pdf"
    assert MessageIdRecord.objects.get(message_id=outgoing.message_id).ticket == emailed_ticket


@pytest.mark.django_db(transaction=True)
def test_the_customers_answer_to_a_sent_reply_threads_by_its_message_id(smtp, emailed_ticket):
    reply = _reply(emailed_ticket)
    message_send(message_id=reply.pk)
    ours = OutgoingEmail.objects.get(desk_message=reply).message_id
    answer = (f"From: alice@example.com\r\nTo: help@shop.example\r\nSubject: Re: thanks\r\n"
              f"Message-ID: <answer-1@example.com>\r\nIn-Reply-To: <{ours}>\r\n\r\nGot it, thanks.\r\n").encode()
    result = email_ingest(raw=answer)
    assert (result.outcome, result.ticket) == ("threaded", emailed_ticket.pk)


@pytest.mark.django_db(transaction=True)
def test_the_task_worker_sends_after_commit_and_a_second_run_sends_nothing(smtp, emailed_ticket):
    reply = desk.ticket_reply(ticket=emailed_ticket, author=f.agent(), body="On its way.")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    again = message_send(message_id=reply.pk)
    replies = [m for m in smtp.messages if m["Subject"].startswith("Re:")]
    assert (len(replies), again) == (1, "sent")


@pytest.mark.django_db(transaction=True)
def test_after_a_worker_crash_mid_send_it_is_never_sent_twice(smtp, emailed_ticket):
    reply = _reply(emailed_ticket)
    message_send(message_id=reply.pk)
    OutgoingEmail.objects.filter(desk_message=reply).update(status=Delivery.SENDING)  # the crash window
    before = len(smtp.messages)
    assert (message_send(message_id=reply.pk), len(smtp.messages)) == ("uncertain", before)


@pytest.mark.django_db(transaction=True)
def test_a_failed_send_is_retried_with_backoff_then_sent(no_smtp, emailed_ticket, settings):
    reply = _reply(emailed_ticket)
    at = timezone.now()
    assert message_send(message_id=reply.pk, at=at) == "failed"
    outgoing = OutgoingEmail.objects.get(desk_message=reply)
    assert (outgoing.attempts, outgoing.next_attempt_at, outgoing.last_error != "") == (1, at + timedelta(seconds=60), True)
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(next_attempt_at=at)  # the minute has passed
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail_send_retry.call() == "1 of 1 sent"
    assert OutgoingEmail.objects.get(pk=outgoing.pk).status == Delivery.SENT


@pytest.mark.django_db(transaction=True)
@override_settings(MAIL_SEND_ATTEMPTS=2)
def test_it_gives_up_after_the_last_attempt(no_smtp, emailed_ticket):
    reply = _reply(emailed_ticket)
    results = [message_send(message_id=reply.pk) for _ in range(3)]
    assert results == ["failed", "gave_up", "gave_up"]


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_to_a_bouncing_address(smtp, emailed_ticket):
    MailAddress.objects.update_or_create(address="alice@example.com", defaults={"bouncing": True})
    reply = _reply(emailed_ticket)
    assert (message_send(message_id=reply.pk), [m for m in smtp.messages if "Re:" in m["Subject"]]) == ("skipped", [])


@pytest.mark.django_db(transaction=True)
def test_the_ticket_page_shows_each_emails_delivery(no_smtp, emailed_ticket, login):
    reply = _reply(emailed_ticket)
    message_send(message_id=reply.pk)
    manager = f.manager()
    page = login(manager).get(reverse("desk:ticket_detail", args=[emailed_ticket.pk])).content.decode()
    assert "email failed (1\u00d7), next try" in page


@pytest.mark.django_db(transaction=True)
def test_without_a_mailbox_the_email_says_replies_are_not_read(smtp):
    ticket = f.ticket(requester=f.customer(email="bob@example.com"), notify=False)
    reply = _reply(ticket)
    message_send(message_id=reply.pk)
    [sent] = smtp.messages
    assert (sent["From"], "replies to this email are not read" in sent.get_payload(decode=True).decode()) == (
        "support@frontline.localhost", True)
