"""Reads for the mail pipeline: which ticket a message belongs to, who may add to it, the limits."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet

from frontline.customers.models import Customer
from frontline.desk.models import Queue, Ticket
from frontline.people.models import Role, User

from .models import (
    AutoMail,
    Delivery,
    InboundEmail,
    MailAddress,
    Mailbox,
    MessageIdRecord,
    Outcome,
    OutgoingEmail,
    TicketParticipant,
)

_REFERENCE_RE = re.compile(r"\[#(\d{1,12})\]")
# Why an automatic notice was skipped (OutgoingEmail.last_error; read back by the surveys page).
NOTICE_BOUNCING = "The address bounces (Admin → Mail addresses)."
NOTICE_NO_ADDRESS = "No email address (the customer came by phone or messaging)."


def ticket_reference(ticket_id: int) -> str:
    """The token Frontline puts in the subjects it sends for a ticket (outgoing.py writes it)."""
    return f"[#{ticket_id}]"


def subject_references(subject: str) -> list[int]:
    """Ticket ids named by reference tokens in ``subject``, in order."""
    return [int(m) for m in _REFERENCE_RE.findall(subject)]


def subject_without_references(subject: str) -> str:
    return " ".join(_REFERENCE_RE.sub(" ", subject).split())


def _live(ticket: Ticket | None) -> Ticket | None:
    seen = set()
    while ticket is not None and ticket.merged_into_id is not None and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = Ticket.objects.select_related("company").filter(pk=ticket.merged_into_id).first()
    return ticket


def thread_candidates(*, header_ids: list[str], subject: str) -> list[Ticket]:
    """Tickets a message may belong to, best first: by In-Reply-To/References, then subject tokens.

    Merged tickets lead to the ticket they were merged into.
    """
    found: list[Ticket] = []
    if header_ids:
        records = {r.message_id: r.ticket_id for r in MessageIdRecord.objects.filter(message_id__in=header_ids)}
        ids = [records[m] for m in header_ids if m in records]
        by_id = Ticket.objects.select_related("company").in_bulk(ids)
        found.extend(by_id[i] for i in ids if i in by_id)
    token_ids = subject_references(subject)
    if token_ids:
        by_id = Ticket.objects.select_related("company").in_bulk(token_ids)
        found.extend(by_id[i] for i in token_ids if i in by_id)
    unique: dict[int, Ticket] = {}
    for ticket in found:
        live = _live(ticket)
        if live is not None:
            unique.setdefault(live.pk, live)
    return list(unique.values())


def sender_may_thread(*, customer: Customer, ticket: Ticket) -> bool:
    """Whether mail from ``customer`` may be added to ``ticket``.

    The requester; a colleague who sees the company's tickets (the portal's rule); or an address
    copied on the ticket's mail by one of those (``TicketParticipant``). Anyone else quoting a
    reference or a Message-ID gets a new ticket of their own.
    """
    if ticket.requester_id == customer.pk:
        return True
    company = ticket.company
    if (company is not None and customer.company_id == company.pk and company.share_tickets
            and customer.sees_company_tickets):
        return True
    return TicketParticipant.objects.filter(ticket=ticket, address=customer.email.lower()).exists()


def own_addresses() -> set[str]:
    """Addresses Frontline sends from: mail from them is never answered (it is our own)."""
    addresses = {a.lower() for a in Mailbox.objects.values_list("address", flat=True)}
    addresses.add(str(settings.DEFAULT_FROM_EMAIL).lower())
    return addresses


def address_is_placeholder(*, address: str) -> bool:
    """An address under the reserved ``.invalid`` top-level domain (RFC 2606): a customer who came by
    phone or a messaging platform without an email address (``phone-…@phone.invalid``). Never sent to."""
    return address.strip().rstrip(">").lower().endswith(".invalid")


def address_is_bouncing(*, address: str) -> bool:
    return MailAddress.objects.filter(address=address.lower(), bouncing=True).exists()


def automail_allowed(*, address: str, at: datetime, kind: str | None = None, limit: int | None = None) -> bool:
    """Whether another automatic message may go to ``address`` now: ``limit`` (MAIL_AUTOREPLY_LIMIT)
    per MAIL_AUTOREPLY_WINDOW_S, counting every kind, or only ``kind`` when given."""
    since = at - timedelta(seconds=settings.MAIL_AUTOREPLY_WINDOW_S)
    sent = AutoMail.objects.filter(address=address.lower(), sent_at__gt=since)
    if kind is not None:
        sent = sent.filter(kind=kind)
    return sent.count() < (settings.MAIL_AUTOREPLY_LIMIT if limit is None else limit)


def default_queue() -> Queue | None:
    """Where mail with no mailbox goes: the queue named by MAIL_DEFAULT_QUEUE (a slug), else none."""
    slug = settings.MAIL_DEFAULT_QUEUE
    return Queue.objects.filter(slug=slug).first() if slug else None


def mailbox_by_address(*, address: str) -> Mailbox | None:
    return Mailbox.objects.select_related("queue", "queue__team").filter(address__iexact=address.strip()).first()


def inbound_failed_list() -> QuerySet[InboundEmail]:
    return InboundEmail.objects.filter(outcome=Outcome.FAILED).defer("raw", "html")


def messages_with_original(*, message_ids: list[int]) -> frozenset[int]:
    """Which of these desk messages arrived by email (their original can be shown)."""
    if not message_ids:
        return frozenset()
    return frozenset(InboundEmail.objects.filter(desk_message_id__in=message_ids).values_list("desk_message_id", flat=True))


def inbound_for_message(*, message_id: int) -> InboundEmail | None:
    """The received email a desk message was made from (access is the caller's check)."""
    return InboundEmail.objects.select_related("desk_message").filter(desk_message_id=message_id).first()


def deliveries_for_messages(*, message_ids: list[int]) -> dict[int, OutgoingEmail]:
    """The outgoing emails of these desk messages, by message id."""
    if not message_ids:
        return {}
    return {o.desk_message_id: o for o in OutgoingEmail.objects.filter(desk_message_id__in=message_ids)}


def automatic_mail_for_ticket(*, ticket_id: int, limit: int = 20) -> list[InboundEmail]:
    """Automatic replies and bounces linked to a ticket, newest first (shown apart on its page)."""
    return list(InboundEmail.objects.filter(ticket_id=ticket_id, outcome__in=[Outcome.AUTO_REPLY, Outcome.BOUNCE])
                .defer("raw", "html").order_by("-received_at", "-id")[:limit])


RESENDABLE = frozenset({Delivery.UNCERTAIN, Delivery.GAVE_UP})


def outgoing_may_resend(*, outgoing: OutgoingEmail, user: User) -> bool:
    """Whether ``user`` may send this email again: it is uncertain or gave up, it is a desk message's
    email, and the user is a manager, an admin or the message's author (ticket visibility: the caller's)."""
    if outgoing.status not in RESENDABLE or outgoing.desk_message_id is None:
        return False
    return user.role in (Role.MANAGER, Role.ADMIN) or outgoing.desk_message.author_user_id == user.pk


def outgoing_for_message(*, message_id: int) -> OutgoingEmail | None:
    """The outgoing email of a desk message, with the message (access is the caller's check)."""
    return OutgoingEmail.objects.select_related("desk_message").filter(desk_message_id=message_id).first()
