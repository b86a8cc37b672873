"""The demo's email: a mailbox per queue, and the originals of the recent tickets that came by email.

The mailboxes are real settings rows with an IMAP host placeholder on loopback, but **disabled**:
the periodic fetch skips disabled mailboxes, so a demo without a mail server logs no fetch errors.
An operator who points one at a real server sets its host, user and ``password_env`` and enables it.

For every email-channel ticket created in the last ``ORIGINALS_DAYS`` days, each customer message
gets the raw email it would have arrived as (``InboundEmail``, with a Message-ID threaded onto the
previous one) and its Message-ID is recorded (``MessageIdRecord``), so "original email" works on a
demo ticket. Written after the tickets, the same way for both writers; deterministic (the ids come
from the message's position and time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from frontline.desk.models import AuthorKind, Channel, Message, Queue
from frontline.mail.models import (
    AutoMail,
    Direction,
    InboundEmail,
    Mailbox,
    MessageIdRecord,
    Outcome,
    OutgoingEmail,
    TicketParticipant,
)

MAIL_DOMAIN = "help.frontline-demo.example"
# Queue → (local part, sender name). One address per queue, so replies land where they belong.
MAILBOXES = {
    "Orders": ("orders", "Orders team"),
    "Billing": ("billing", "Billing team"),
    "Technical": ("support", "Technical support"),
    "Accounts": ("accounts", "Accounts team"),
}
IMAP_HOST = "127.0.0.1"
PASSWORD_ENV = "FRONTLINE_DEMO_IMAP_PASSWORD"  # not set by the demo: passwords are never stored
ORIGINALS_DAYS = 14


def demo_mailboxes() -> list[Mailbox]:
    """One disabled mailbox per demo queue, with a signature for the replies sent from it."""
    queues = dict(Queue.objects.filter(name__in=MAILBOXES).values_list("name", "pk"))
    return [
        Mailbox.objects.create(
            address=f"{local}@{MAIL_DOMAIN}", from_name=f"Frontline Demo · {name}", queue_id=queues.get(queue),
            signature=f"{name}, Frontline Demo\nhttps://{MAIL_DOMAIN}/", enabled=False, imap_host=IMAP_HOST,
            imap_port=143, imap_tls=False, imap_user=f"{local}@{MAIL_DOMAIN}", password_env=PASSWORD_ENV,
        )
        for queue, (local, name) in MAILBOXES.items()
    ]


def demo_mail(*, anchor: datetime) -> int:
    """The mailboxes, and the originals of recent email tickets' customer messages; returns the originals."""
    mailboxes = {m.queue_id: m for m in demo_mailboxes()}
    messages = (Message.objects.filter(ticket__channel=Channel.EMAIL, author_kind=AuthorKind.CUSTOMER,
                                       ticket__created_at__gte=anchor - timedelta(days=ORIGINALS_DAYS))
                .select_related("ticket", "author_customer").order_by("ticket_id", "created_at", "pk"))
    inbound: list[InboundEmail] = []
    records: list[MessageIdRecord] = []
    previous: dict[int, str] = {}
    for message in messages:
        ticket, customer = message.ticket, message.author_customer
        if customer is None:
            continue
        mailbox = mailboxes.get(ticket.queue_id)
        to = mailbox.address if mailbox else f"support@{MAIL_DOMAIN}"
        message_id = f"demo.{message.created_at:%Y%m%d%H%M%S}.{len(inbound)}@{customer.email.rsplit('@', 1)[-1]}"
        reply_to = previous.get(ticket.pk)
        subject = f"Re: {ticket.subject}" if reply_to else ticket.subject
        email = EmailMessage()
        email["From"] = formataddr((customer.name, customer.email))
        email["To"] = to
        email["Subject"] = subject
        email["Date"] = format_datetime(message.created_at)
        email["Message-ID"] = f"<{message_id}>"
        if reply_to:
            email["In-Reply-To"] = f"<{reply_to}>"
            email["References"] = f"<{reply_to}>"
        email.set_content(message.body_text)
        raw = bytes(email)
        inbound.append(InboundEmail(
            mailbox=mailbox, dedupe_key=f"mid:{message_id}"[:320], message_id=message_id, raw=raw, size=len(raw),
            source="demo", received_at=message.created_at, processed_at=message.created_at, attempts=1,
            outcome=Outcome.THREADED if reply_to else Outcome.CREATED, subject=subject[:250],
            from_name=customer.name[:200], from_email=customer.email,
            headers={"From": email["From"], "To": to, "Date": email["Date"], "Message-ID": email["Message-ID"]},
            ticket=ticket, desk_message=message,
        ))
        records.append(MessageIdRecord(message_id=message_id, ticket=ticket, direction=Direction.IN,
                                       created_at=message.created_at))
        previous[ticket.pk] = message_id
    InboundEmail.objects.bulk_create(inbound, batch_size=500)
    MessageIdRecord.objects.bulk_create(records, batch_size=500)
    return len(inbound)


def mail_reset() -> None:
    """Remove the mail rows that point at tickets (the demo deletes its tickets without cascades),
    and the demo's mailboxes. Only called when every ticket is a demo ticket."""
    InboundEmail.objects.filter(ticket__isnull=False).delete()
    InboundEmail.objects.filter(source="demo").delete()
    AutoMail.objects.filter(ticket__isnull=False).delete()
    for model in (MessageIdRecord, OutgoingEmail, TicketParticipant):
        model.objects.all().delete()
    Mailbox.objects.filter(address__endswith="@" + MAIL_DOMAIN).delete()
