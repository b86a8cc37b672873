"""``{% email_originals conversation as originals %}``: the ids of messages that arrived by email."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from frontline.desk.models import Message, Ticket
from frontline.mail.models import InboundEmail, OutgoingEmail
from frontline.people.models import User

from .. import selectors

register = template.Library()


@register.simple_tag
def email_originals(conversation: Iterable[Message]) -> frozenset[int]:
    """One query for the whole conversation (the ticket page links each one to its original)."""
    return selectors.messages_with_original(message_ids=[m.pk for m in conversation])


@register.simple_tag
def email_deliveries(conversation: Iterable[Message]) -> dict[int, OutgoingEmail]:
    """message id -> its outgoing email (status, error, next try), one query for the conversation."""
    return selectors.deliveries_for_messages(message_ids=[m.pk for m in conversation])


@register.filter
def email_resendable_by(delivery: OutgoingEmail, user: User) -> bool:
    """``{% if delivery|email_resendable_by:request.user %}``: show the "send again" button."""
    return selectors.outgoing_may_resend(outgoing=delivery, user=user)


@register.simple_tag
def email_automatic(ticket: Ticket) -> list[InboundEmail]:
    """The out-of-office notes and bounces about ``ticket`` (kept apart from the conversation)."""
    return selectors.automatic_mail_for_ticket(ticket_id=ticket.pk)
