"""services.email_ingest: the corpus, threading and its attack, duplicates, failures kept, loops."""

from __future__ import annotations

from dataclasses import asdict
from email import message_from_bytes

import pytest
from django.core import mail as django_mail
from django.test import override_settings

from frontline.customers.models import Customer
from frontline.desk import services as desk
from frontline.desk.models import Channel, EventKind, Message, StatusCategory, Ticket, TicketEvent
from frontline.mail.models import AutoMail, InboundEmail, MailAddress, Outcome, TicketParticipant
from frontline.mail.services import email_ingest, inbound_retry, message_id_record
from tests import factories as f

from .conftest import CORPUS, EXPECTED

pytestmark = pytest.mark.django_db
CHECKED = ("outcome", "text", "attachments", "subject", "from_name", "from_email", "acknowledged", "kept")


def _eml(*, sender: str = "alice@example.com", subject: str = "Hello", body: str = "Body text.", extra: str = "",
         message_id: str = "") -> bytes:
    mid = f"Message-ID: <{message_id}>\r\n" if message_id else ""
    return (f"From: {sender}\r\nTo: support@frontline.localhost\r\nSubject: {subject}\r\n{mid}{extra}"
            f"\r\n{body}\r\n").encode()


def _checked(result, expected):  # type: ignore[no-untyped-def]
    actual = asdict(result)
    return {k: actual[k] for k in CHECKED if k in expected}, {k: expected[k] for k in CHECKED if k in expected}


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "thread_on" not in e))
def test_corpus_message_on_its_own(ingest, name):
    result = ingest(name)
    actual, expected = _checked(result, EXPECTED[name])
    assert actual == expected


@pytest.mark.parametrize("name", sorted(n for n, e in EXPECTED.items() if "thread_on" in e))
def test_corpus_message_after_the_one_it_answers(ingest, name):
    first = ingest(EXPECTED[name]["thread_on"])
    result = ingest(name)
    actual, expected = _checked(result, EXPECTED[name])
    assert (actual, result.ticket) == (expected, first.ticket)


def test_new_ticket_is_an_email_ticket_with_its_event(ingest):
    result = ingest("09_mixed_pdf.eml")
    ticket = Ticket.objects.get(pk=result.ticket)
    event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.CREATED)
    assert (ticket.channel, event.payload["channel"], event.actor) == (Channel.EMAIL, Channel.EMAIL, None)
    assert result.reference == f"[#{ticket.pk}]"


def test_threaded_reply_is_a_customer_reply_event(ingest):
    ingest("01_plain.eml")
    result = ingest("02_reply_in_reply_to.eml")
    assert TicketEvent.objects.filter(ticket_id=result.ticket, kind=EventKind.CUSTOMER_REPLIED,
                                      payload__message_id=result.message).count() == 1


def test_long_subject_is_truncated_not_refused(ingest):
    result = ingest("17_long_subject.eml")
    assert len(Ticket.objects.get(pk=result.ticket).subject) <= 250


def test_subject_token_threads_the_requesters_reply():
    ticket = f.ticket(requester=f.customer(email="alice@example.com"), notify=False)
    result = email_ingest(raw=_eml(subject=f"Re: Where is my order? [#{ticket.pk}]", body="Any news?"))
    assert (result.outcome, result.ticket, ticket.messages.count()) == ("threaded", ticket.pk, 2)


def test_a_stranger_quoting_a_token_and_message_id_gets_a_ticket_of_their_own(ingest):
    """The attack: mallory knows alice's ticket number and Message-ID and tries to write into it."""
    alice = ingest("01_plain.eml")
    attack = _eml(sender="mallory@evil.example", subject=f"Re: Kettle broken {alice.reference}",
                  extra="In-Reply-To: <c01-kettle@example.com>\r\nReferences: <c01-kettle@example.com>\r\n",
                  body="Please send the refund to my account instead.")
    result = email_ingest(raw=attack)
    inbound = InboundEmail.objects.get(pk=result.inbound_id)
    assert (result.outcome, Ticket.objects.get(pk=alice.ticket).message_count) == ("created", 1)
    assert result.ticket != alice.ticket
    assert alice.reference not in Ticket.objects.get(pk=result.ticket).subject
    assert "Not added to" in inbound.note


def test_a_colleague_who_sees_company_tickets_may_reply():
    company = f.company(share_tickets=True, domain="acme.example")
    ticket = f.ticket(requester=f.customer(email="a@acme.example", company=company), notify=False)
    f.customer(email="b@acme.example", company=company, sees_company_tickets=True)
    result = email_ingest(raw=_eml(sender="b@acme.example", subject=f"Re: [#{ticket.pk}]"))
    message = Message.objects.get(pk=result.message)
    assert (result.outcome, message.author_customer.email) == ("threaded", "b@acme.example")


def test_a_colleague_without_sharing_gets_a_new_ticket():
    company = f.company(share_tickets=False)
    ticket = f.ticket(requester=f.customer(email="a@corp.example", company=company), notify=False)
    f.customer(email="b@corp.example", company=company, sees_company_tickets=True)
    result = email_ingest(raw=_eml(sender="b@corp.example", subject=f"Re: [#{ticket.pk}]"))
    assert (result.outcome, ticket.messages.count()) == ("created", 1)


def test_an_address_copied_by_the_requester_may_reply(ingest):
    first = ingest("31_nested_mixed_alternative_related.eml")  # Cc: colleague@example.com
    result = email_ingest(raw=_eml(sender="colleague@example.com", subject=f"Re: Nested parts {first.reference}"))
    assert TicketParticipant.objects.filter(ticket_id=first.ticket, address="colleague@example.com").exists()
    assert (result.outcome, result.ticket) == ("threaded", first.ticket)


def test_a_reply_to_a_closed_ticket_opens_a_new_one():
    ticket = f.ticket(requester=f.customer(email="alice@example.com"), notify=False)
    desk.ticket_status_change(ticket=ticket, status=f.status(StatusCategory.SOLVED), actor=f.agent())
    desk.ticket_status_change(ticket=ticket, status=f.status(StatusCategory.CLOSED), actor=f.agent())
    result = email_ingest(raw=_eml(subject=f"Re: [#{ticket.pk}]"))
    assert (result.outcome, result.ticket != ticket.pk) == ("created", True)


def test_a_reply_to_a_merged_ticket_lands_on_the_ticket_it_was_merged_into():
    alice = f.customer(email="alice@example.com")
    source, target = f.ticket(requester=alice, notify=False), f.ticket(requester=alice, notify=False)
    desk.ticket_merge(source=source, target=target, actor=f.agent())
    result = email_ingest(raw=_eml(subject=f"Re: [#{source.pk}]"))
    assert (result.outcome, result.ticket) == ("threaded", target.pk)


def test_a_reply_to_a_message_frontline_sent_threads_by_in_reply_to():
    ticket = f.ticket(requester=f.customer(email="alice@example.com"), notify=False)
    message_id_record(message_id="<out-1@frontline.localhost>", ticket=ticket, direction="out")
    result = email_ingest(raw=_eml(subject="no token here", extra="In-Reply-To: <out-1@frontline.localhost>\r\n"))
    assert (result.outcome, result.ticket) == ("threaded", ticket.pk)


def test_the_same_message_twice_is_one_message(ingest):
    first, second = ingest("01_plain.eml"), ingest("01_plain.eml")
    assert (second.outcome, second.ticket, second.message) == ("duplicate", first.ticket, first.message)
    assert (Message.objects.count(), InboundEmail.objects.count()) == (1, 1)


def test_the_same_bytes_without_message_id_are_a_duplicate(ingest):
    ingest("27_no_message_id.eml")
    assert ingest("27_no_message_id.eml").outcome == "duplicate"
    assert Message.objects.count() == 1


def test_a_failed_message_is_kept_whole_and_nothing_half_written(ingest, monkeypatch):
    def broken(**kwargs):  # type: ignore[no-untyped-def]
        f.customer(email="half-written@example.com")
        raise RuntimeError("disk full")

    monkeypatch.setattr(desk, "ticket_create", broken)
    result = ingest("09_mixed_pdf.eml")
    inbound = InboundEmail.objects.get(pk=result.inbound_id)
    assert (result.outcome, result.kept, result.error) == ("failed", True, "disk full")
    assert bytes(inbound.raw) == (CORPUS / "09_mixed_pdf.eml").read_bytes()
    assert (inbound.outcome, Ticket.objects.count()) == (Outcome.FAILED, 0)
    assert not Customer.objects.filter(email="half-written@example.com").exists()


def test_a_failed_message_is_retried_by_the_admin_action_service_and_by_ingesting_again(ingest, monkeypatch):
    original = desk.ticket_create
    monkeypatch.setattr(desk, "ticket_create", lambda **kw: (_ for _ in ()).throw(RuntimeError("database hiccup")))
    failed = ingest("09_mixed_pdf.eml")
    monkeypatch.setattr(desk, "ticket_create", original)
    retried = inbound_retry(inbound=InboundEmail.objects.get(pk=failed.inbound_id))
    again = ingest("09_mixed_pdf.eml")
    inbound = InboundEmail.objects.get(pk=failed.inbound_id)
    assert (retried.outcome, again.outcome, inbound.attempts, inbound.error) == ("created", "duplicate", 2, "")


def test_garbage_is_failed_and_kept(ingest):
    result = ingest("26_garbage.eml")
    assert (result.outcome, result.kept, InboundEmail.objects.get().outcome) == ("failed", True, "failed")


def test_an_auto_reply_never_enters_the_conversation_and_is_linked_to_its_ticket(ingest):
    first = ingest("01_plain.eml")
    result = ingest("18_out_of_office.eml")
    assert (result.outcome, result.ticket, result.message, result.acknowledged) == ("auto_reply", first.ticket, None, False)
    assert Message.objects.filter(ticket_id=first.ticket).count() == 1


def test_a_bounce_marks_the_address_and_stops_acknowledgements(ingest):
    ingest("22_dsn_bounce.eml")
    result = email_ingest(raw=_eml(sender="gone@example.com"))
    assert MailAddress.objects.get(address="gone@example.com").bouncing
    assert (result.outcome, result.acknowledged) == ("created", False)


def test_mail_from_frontlines_own_address_is_never_answered():
    result = email_ingest(raw=_eml(sender="support@frontline.localhost"))
    assert (result.outcome, Ticket.objects.count()) == ("auto_reply", 0)


@override_settings(MAIL_AUTOREPLY_LIMIT=3, MAIL_AUTOREPLY_WINDOW_S=3600)
def test_acknowledgements_are_rate_limited_per_address():
    results = [email_ingest(raw=_eml(subject=f"Request {n}", message_id=f"r{n}@x")) for n in range(6)]
    other = email_ingest(raw=_eml(sender="bob@example.com", message_id="bob@x"))
    assert [r.acknowledged for r in results] == [True, True, True, False, False, False]
    assert (other.acknowledged, AutoMail.objects.count()) == (True, 4)


@override_settings(MAIL_AUTOREPLY_LIMIT=3, TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}})
def test_two_auto_responders_cannot_loop(django_capture_on_commit_callbacks):
    """A badly behaved auto-responder answers every mail without any automatic-mail header and
    without the reference; each answer opens a ticket, and Frontline acknowledges new tickets.
    The per-address limit ends the exchange: at most MAIL_AUTOREPLY_LIMIT acknowledgements."""
    with django_capture_on_commit_callbacks(execute=True):
        email_ingest(raw=_eml(sender="robot@loop.example", subject="Hello", message_id="loop-0@loop.example"))
    for n in range(1, 20):
        our_last = message_from_bytes(django_mail.outbox[-1].message().as_bytes())
        answer = _eml(sender="robot@loop.example", subject=f"Thanks for: {our_last['Subject']}".replace("[#", "(#"),
                      message_id=f"loop-{n}@loop.example", body="I got your mail.")
        with django_capture_on_commit_callbacks(execute=True):
            email_ingest(raw=answer)
    assert len(django_mail.outbox) == 3
    assert {m.extra_headers.get("Auto-Submitted") for m in django_mail.outbox} == {"auto-replied"}


def test_mailbox_sends_new_tickets_to_its_queue():
    from frontline.mail.models import Mailbox

    queue = f.queue(team=f.team())
    mailbox = Mailbox.objects.create(address="billing@frontline.localhost", queue=queue)
    ticket = Ticket.objects.get(pk=email_ingest(raw=_eml(), mailbox=mailbox).ticket)
    assert (ticket.queue, ticket.team) == (queue, queue.team)


def test_without_a_mailbox_mail_goes_to_the_default_queue(settings):
    queue = f.queue()
    settings.MAIL_DEFAULT_QUEUE = queue.slug
    assert Ticket.objects.get(pk=email_ingest(raw=_eml()).ticket).queue == queue


def test_the_original_html_is_kept_sanitised_with_inline_images(ingest):
    result = ingest("08_related_inline_image.eml")
    inbound = InboundEmail.objects.get(pk=result.inbound_id)
    assert 'src="cid:shot1@example.com"' in inbound.html
    assert "tracker.example" not in inbound.html
    assert inbound.inline_images == {"shot1@example.com": "screen.png"}


def test_scripts_never_reach_the_stored_html(ingest):
    inbound = InboundEmail.objects.get(pk=ingest("06_html_only_gmail_quote.eml").inbound_id)
    assert ("<script" in inbound.html, "alert(1)" in inbound.html, "<b>link</b>" in inbound.html) == (False, False, True)


def test_a_blocked_attachment_is_noted_and_left_in_the_original(ingest):
    result = ingest("32_blocked_attachment.eml")
    inbound = InboundEmail.objects.get(pk=result.inbound_id)
    assert (result.attachments, "tool.exe" in inbound.note) == ([], True)


def test_a_failure_after_the_attachments_were_written_leaves_no_files(ingest, monkeypatch, settings):
    import frontline.mail.services as mail_services

    monkeypatch.setattr(mail_services, "_remember", lambda *a: (_ for _ in ()).throw(RuntimeError("late failure")))
    result = ingest("09_mixed_pdf.eml")
    media = settings.MEDIA_ROOT
    assert (result.outcome, Ticket.objects.count()) == ("failed", 0)
    assert [p for p in media.rglob("*") if p.is_file()] == []
