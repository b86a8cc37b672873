"""Email out: the email of an agent's public reply (or of a new request's receipt), sent at most once.

``message_send`` runs in the task worker. Before talking to the SMTP server it records an
``OutgoingEmail`` row (the idempotency key: one per desk message) with the Message-ID it will use
and the status ``sending``; after the server accepted it, ``sent``. When the task runs again:

- ``sent``: nothing is sent again;
- ``sending``: a worker stopped between the two writes, and the server may have the message. It
  is not sent again (never a duplicate); it is marked ``uncertain`` and shown on the ticket, where
  an agent can see it and write again;
- ``failed`` (the server refused, or could not be reached): retried by ``mail.send_retry`` with a
  backoff of 1, 2, 4 … minutes, at most MAIL_SEND_ATTEMPTS tries, then ``gave_up``.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from frontline.core import background
from frontline.desk.models import AuthorKind, Message, Ticket
from frontline.people.models import User

from . import selectors
from .models import (
    AutoMail,
    Delivery,
    Direction,
    InboundEmail,
    Mailbox,
    MessageIdRecord,
    OutgoingEmail,
)

log = logging.getLogger(__name__)
BACKOFF_MAX_S = 3600


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip(">").strip() or "frontline.localhost"


def mailbox_for_ticket(*, ticket: Ticket) -> Mailbox | None:
    """The mailbox a ticket's mail goes out from: where it came in, else its queue's, else none."""
    inbound = (InboundEmail.objects.filter(ticket=ticket, mailbox__enabled=True).select_related("mailbox")
               .order_by("received_at", "id").first())
    if inbound is not None and inbound.mailbox is not None:
        return inbound.mailbox
    if ticket.queue_id is not None:
        return Mailbox.objects.filter(queue_id=ticket.queue_id, enabled=True).order_by("address").first()
    return None


def replies_are_read() -> bool:
    """Whether a reply to Frontline's email reaches a ticket: some mailbox is set up (IMAP or MTA pipe)."""
    return Mailbox.objects.filter(enabled=True).exists()


def _threading_headers(ticket: Ticket) -> dict[str, str]:
    last_in = (InboundEmail.objects.filter(ticket=ticket).exclude(message_id="").order_by("-received_at", "-id")
               .values_list("message_id", flat=True).first())
    known = list(MessageIdRecord.objects.filter(ticket=ticket).order_by("-created_at", "-id")
                 .values_list("message_id", flat=True)[:20])
    headers = {}
    if last_in:
        headers["In-Reply-To"] = f"<{last_in}>"
    if known:
        headers["References"] = " ".join(f"<{m}>" for m in reversed(known))
    return headers


def _compose(message: Message, outgoing: OutgoingEmail, mailbox: Mailbox | None) -> EmailMessage:
    ticket = message.ticket
    portal = settings.FRONTLINE_BASE_URL.rstrip("/") + reverse("portal:request_detail", kwargs={"ticket_id": ticket.pk})
    if replies_are_read():
        answer = f"Reply to this email, or use the portal:\n{portal}"
    else:
        answer = f"To answer, use the portal (replies to this email are not read):\n{portal}"
    reference = selectors.ticket_reference(ticket.pk)
    if message.author_kind == AuthorKind.AGENT:
        subject = f"Re: {ticket.subject} {reference}"
        name = message.author_user.first_name if message.author_user else "Support"
        signature = f"— {name}\n{mailbox.signature.strip()}" if mailbox and mailbox.signature.strip() else f"— {name}, Support"
        text = f"{message.body_text}\n\n{signature}\n\n{answer}"
        automatic = {}
    else:
        subject = f"We received your request: {ticket.subject} {reference}"
        text = (f"Hello {ticket.requester.name},\n\nThanks for contacting us. Your request #{ticket.pk} is with our "
                f"team and we'll reply as soon as we can.\n\nYou wrote:\n{message.body_text}\n\n{answer}")
        automatic = {"Auto-Submitted": "auto-replied"}  # RFC 3834: auto-responders must not answer it
    headers = {"Message-ID": f"<{outgoing.message_id}>", "X-Frontline-Ticket": str(ticket.pk), **automatic,
               **_threading_headers(ticket)}
    email = EmailMessage(subject=subject, body=text, from_email=outgoing.from_address, to=[outgoing.to_address],
                         headers=headers)
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.filename, handle.read(), attachment.content_type)
    return email


def backoff_seconds(attempts: int) -> int:
    return int(min(60 * 2 ** max(attempts - 1, 0), BACKOFF_MAX_S))


def message_send(*, message_id: int, at: datetime | None = None) -> str:
    """Email desk message ``message_id`` to the requester, at most once; returns what happened."""
    at = at or timezone.now()
    with transaction.atomic():
        message = (Message.objects.select_related("ticket", "ticket__requester", "author_user")
                   .filter(pk=message_id).first())
        if message is None or not message.is_public or message.author_kind == AuthorKind.SYSTEM:
            return "skipped"
        if selectors.address_is_placeholder(address=message.ticket.requester.email):
            return "skipped"  # no email address (phone, messaging): nothing to send, nothing to show
        outgoing = OutgoingEmail.objects.select_for_update().filter(desk_message=message).first()
        if outgoing is not None and outgoing.status in (Delivery.SENT, Delivery.GAVE_UP, Delivery.UNCERTAIN,
                                                        Delivery.SKIPPED):
            return outgoing.status
        if outgoing is not None and outgoing.status == Delivery.SENDING:
            outgoing.status = Delivery.UNCERTAIN
            outgoing.last_error = "A worker stopped while sending: the server may have it. Not sent again."
            outgoing.save(update_fields=["status", "last_error"])
            return outgoing.status
        mailbox = mailbox_for_ticket(ticket=message.ticket)
        sender = mailbox.address if mailbox else str(settings.DEFAULT_FROM_EMAIL)
        if outgoing is None:
            outgoing = OutgoingEmail.objects.create(
                desk_message=message, ticket=message.ticket, to_address=message.ticket.requester.email,
                from_address=formataddr((mailbox.from_name, sender)) if mailbox and mailbox.from_name else sender,
                message_id=f"frontline.{message.pk}.{secrets.token_hex(8)}@{_domain(sender)}", created_at=at,
            )
            # recorded before the send: an answer threads even when the send's outcome is uncertain
            MessageIdRecord.objects.get_or_create(message_id=outgoing.message_id, defaults={
                "ticket": message.ticket, "direction": Direction.OUT, "created_at": at})
        if selectors.address_is_bouncing(address=outgoing.to_address):
            outgoing.status, outgoing.last_error = Delivery.SKIPPED, selectors.NOTICE_BOUNCING
            outgoing.save(update_fields=["status", "last_error"])
            return outgoing.status
        outgoing.status, outgoing.attempts = Delivery.SENDING, outgoing.attempts + 1
        outgoing.save(update_fields=["status", "attempts"])
    try:
        _compose(message, outgoing, mailbox).send(fail_silently=False)
    except Exception as exc:  # SMTP refusal, connection, TLS: recorded and retried
        gave_up = outgoing.attempts >= settings.MAIL_SEND_ATTEMPTS
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(
            status=Delivery.GAVE_UP if gave_up else Delivery.FAILED, last_error=f"{exc.__class__.__name__}: {exc}"[:1000],
            next_attempt_at=None if gave_up else at + timedelta(seconds=backoff_seconds(outgoing.attempts)),
        )
        log.warning("mail: sending message %s failed (attempt %s): %s", message_id, outgoing.attempts, exc)
        return Delivery.GAVE_UP if gave_up else Delivery.FAILED
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(status=Delivery.SENT, sent_at=timezone.now(), last_error="",
                                                        next_attempt_at=None)
    return Delivery.SENT


def failed_sends_due(*, at: datetime) -> list[int]:
    """Desk message ids whose email failed and is due for another try."""
    return list(OutgoingEmail.objects.filter(status=Delivery.FAILED, next_attempt_at__lte=at)
                .order_by("next_attempt_at").values_list("desk_message_id", flat=True)[:200])


def notice_send(*, key: str, to: str, subject: str, body: str, ticket: Ticket, kind: str,
                at: datetime | None = None) -> str:
    """Send an automatic notice to a staff address about ``ticket``, at most once per ``key``.

    Recorded as an ``OutgoingEmail`` (Admin → Sent emails) and counted as automatic mail
    (``AutoMail`` of ``kind``): at most MAIL_NOTICE_LIMIT per address per MAIL_AUTOREPLY_WINDOW_S,
    the rest skipped; a bouncing address is skipped too. Not retried: the notice only points at
    a page that shows the same. Returns the status.
    """
    at = at or timezone.now()
    address = to.strip().lower()
    with transaction.atomic():
        outgoing, created = OutgoingEmail.objects.select_for_update().get_or_create(notice_key=key[:200], defaults={
            "ticket": ticket, "to_address": address, "from_address": str(settings.DEFAULT_FROM_EMAIL),
            "subject": subject[:250], "created_at": at,
            "message_id": f"frontline.notice.{secrets.token_hex(8)}@{_domain(str(settings.DEFAULT_FROM_EMAIL))}",
        })
        if not created:
            return outgoing.status
        if selectors.address_is_bouncing(address=address):
            outgoing.status, outgoing.last_error = Delivery.SKIPPED, "The address bounces (Admin → Mail addresses)."
        elif selectors.address_is_placeholder(address=address):
            outgoing.status, outgoing.last_error = Delivery.SKIPPED, selectors.NOTICE_NO_ADDRESS
        elif not selectors.automail_allowed(address=address, at=at, kind=kind, limit=settings.MAIL_NOTICE_LIMIT):
            outgoing.status = Delivery.SKIPPED
            outgoing.last_error = (f"Rate limit: {settings.MAIL_NOTICE_LIMIT} automatic notices per "
                                   f"{settings.MAIL_AUTOREPLY_WINDOW_S} s to this address.")
        else:
            AutoMail.objects.create(address=address, kind=kind, sent_at=at, ticket=ticket)
            outgoing.attempts = 1
        outgoing.save(update_fields=["status", "last_error", "attempts"])
        if outgoing.status == Delivery.SKIPPED:
            return outgoing.status
    email = EmailMessage(subject=subject, body=body, from_email=outgoing.from_address, to=[address], headers={
        "Message-ID": f"<{outgoing.message_id}>", "X-Frontline-Ticket": str(ticket.pk),
        "Auto-Submitted": "auto-generated"})  # RFC 3834: not to be answered by auto-responders
    try:
        email.send(fail_silently=False)
    except Exception as exc:  # SMTP refusal, connection, TLS: recorded, not retried
        OutgoingEmail.objects.filter(pk=outgoing.pk).update(status=Delivery.GAVE_UP,
                                                            last_error=f"{exc.__class__.__name__}: {exc}"[:1000])
        log.warning("mail: notice %s to %s failed: %s", key, address, exc)
        return Delivery.GAVE_UP
    OutgoingEmail.objects.filter(pk=outgoing.pk).update(status=Delivery.SENT, sent_at=timezone.now())
    return Delivery.SENT


def outgoing_resend(*, message_id: int, actor: User, at: datetime | None = None) -> OutgoingEmail:
    """Send the email of desk message ``message_id`` again, once it is ``uncertain`` or ``gave_up``.

    Only a manager, an admin or the message's author (PermissionDenied otherwise); any other status
    is a ValidationError. The same row and Message-ID are kept (a receiving client that already has
    an uncertain one sees the same message), the tries start over, and the send is enqueued after
    commit (``mail.send_retry`` would also pick it up within a minute).
    """
    at = at or timezone.now()
    with transaction.atomic():
        outgoing = (OutgoingEmail.objects.select_for_update().select_related("desk_message")
                    .filter(desk_message_id=message_id).first())
        if outgoing is None:
            raise ValidationError("This message has no email to send again.")
        if outgoing.status not in selectors.RESENDABLE:
            raise ValidationError(f"This email is {outgoing.get_status_display().lower()}: only an uncertain or "
                                  "undelivered email can be sent again.")
        if not selectors.outgoing_may_resend(outgoing=outgoing, user=actor):
            raise PermissionDenied("Only a manager, an admin or the author of the message can send its email again.")
        outgoing.status, outgoing.attempts, outgoing.next_attempt_at = Delivery.FAILED, 0, at
        outgoing.last_error = f"Sending again, asked by {actor.display_name} at {at:%Y-%m-%d %H:%M} UTC."
        outgoing.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
        background.enqueue_on_commit("desk.notify_customer", message_id)
    return outgoing
