"""Reads of the messaging channel: connector secrets, a ticket's conversation and deliveries, the delivery log.

The ``*_for_viewer`` reads (the API's) are scoped by the desk's ticket visibility: a conversation,
its messages and its deliveries are seen by staff who may see the ticket they are on, and by
nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from frontline.desk.models import Message, Ticket
from frontline.desk.selectors import ticket_visibility_q
from frontline.people.models import STAFF_ROLES, User

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


# --- scoped by ticket visibility (the API) -----------------------------------------------------------


def _visible(queryset: QuerySet, *, viewer: User, ticket_path: str) -> QuerySet:  # type: ignore[type-arg]
    if viewer.role not in STAFF_ROLES:
        return queryset.none()
    q = ticket_visibility_q(viewer=viewer)
    return queryset if q is None else queryset.filter(**{f"{ticket_path}__in": Ticket.objects.filter(q)})


def threads_for_viewer(*, viewer: User) -> QuerySet[Thread]:
    """Conversations on tickets the viewer may see (staff only)."""
    return _visible(Thread.objects.select_related("connector", "contact"), viewer=viewer, ticket_path="ticket")


def thread_get_for_viewer(*, thread_id: int, viewer: User) -> Thread:
    thread = threads_for_viewer(viewer=viewer).filter(pk=thread_id).first()
    if thread is None:
        raise Http404("No such conversation.")
    return thread


def thread_messages(*, thread: Thread) -> QuerySet[Message]:
    """What went over the platform on the conversation's ticket: its public messages (customers' and
    agents'), with what came in (``inbound_messaging``) and what went out (``messaging_delivery``)."""
    return (Message.objects.filter(ticket_id=thread.ticket_id, is_public=True)
            .select_related("author_user", "author_customer", "inbound_messaging", "messaging_delivery"))


def deliveries_for_viewer(*, viewer: User) -> QuerySet[Delivery]:
    """Deliveries of replies on tickets the viewer may see (staff only), with their tries."""
    deliveries = Delivery.objects.select_related("thread", "thread__connector").prefetch_related(
        Prefetch("attempt_log", queryset=DeliveryAttempt.objects.order_by("number")))
    return _visible(deliveries, viewer=viewer, ticket_path="thread__ticket")


def delivery_get_for_viewer(*, delivery_id: int, viewer: User) -> Delivery:
    delivery = deliveries_for_viewer(viewer=viewer).filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery.")
    return delivery
