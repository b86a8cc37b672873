"""Reads of the messaging channel: connector secrets, a ticket's conversation and deliveries, the delivery log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, QuerySet

from frontline.desk.models import Ticket

from .models import (
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    InboundMessage,
    MessagingConnector,
    Thread,
)


def connector_secrets(*, connector: MessagingConnector, now: datetime) -> list[str]:
    """The secrets an inbound request may be signed with now: the current one, and the previous during a rotation."""
    found = [connector.secret]
    if connector.previous_secret and connector.previous_secret_until and now < connector.previous_secret_until:
        found.append(connector.previous_secret)
    return found


@dataclass(frozen=True)
class TicketMessaging:
    """What the ticket page shows about a messaging conversation (the caller may see the ticket)."""

    thread: Thread
    deliveries: list[Delivery]
    attempts: dict[int, list[DeliveryAttempt]]
    attachments: dict[int, list[dict[str, str]]]  # desk message id -> its attachment URLs


def ticket_messaging(*, ticket: Ticket) -> TicketMessaging | None:
    thread = (Thread.objects.filter(ticket=ticket).select_related("connector", "contact").order_by("-id").first())
    if thread is None:
        return None
    deliveries = list(Delivery.objects.filter(thread__ticket=ticket).select_related("message", "message__author_user")
                      .order_by("created_at", "id"))
    attempts: dict[int, list[DeliveryAttempt]] = {}
    for attempt in DeliveryAttempt.objects.filter(delivery__in=deliveries).order_by("delivery_id", "number"):
        attempts.setdefault(attempt.delivery_id, []).append(attempt)
    attachments = {m: a for m, a in InboundMessage.objects.filter(thread__ticket=ticket).exclude(attachments=[])
                   .values_list("message_id", "attachments")}
    return TicketMessaging(thread=thread, deliveries=deliveries, attempts=attempts, attachments=attachments)


def deliveries_log(*, status: str = "", connector_id: int | None = None) -> QuerySet[Delivery]:
    """Every delivery (managers and admins), newest first, optionally of one status or connector."""
    deliveries = Delivery.objects.select_related("thread__connector", "thread__contact", "message__author_user")
    if status in DeliveryStatus.values:
        deliveries = deliveries.filter(status=status)
    if connector_id is not None:
        deliveries = deliveries.filter(thread__connector_id=connector_id)
    return deliveries.order_by("-created_at", "-id")


def delivery_counts() -> dict[str, int]:
    """Deliveries per status (one grouped query)."""
    counts = {s: 0 for s in DeliveryStatus.values}
    for row in Delivery.objects.values("status").order_by().annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    return counts
