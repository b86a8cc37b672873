"""Writes of the messaging channel: inbound messages into tickets, agent replies out with retries, connectors.

In (``message_parse`` then ``message_receive``): the customer is the ``Contact`` of (platform, user
id), made with a customer on first contact; the conversation's open ticket gets the message as a
customer reply, or a new ticket (channel ``social``, the connector's queue) opens when there is
none or the last one is closed. Attachments are URLs, kept and linked, never fetched.

Out: the desk hook ``messaging_on_ticket_event`` sees each public agent reply (``replied``) on a
ticket with a thread and queues a ``Delivery`` (task ``messaging.deliver`` after commit);
``delivery_attempt`` POSTs the signed JSON, logs the try (status code, latency, error) and, on a
failure, schedules the next after ``backoff_seconds`` (base * 2^(tries - 1), capped) until
MESSAGING_DELIVERY_ATTEMPTS tries, then ``failed``. ``messaging.retry_due`` (periodic) runs the
due ones. Delivery is at least once: the receiver dedupes on ``event_id``.
"""

from __future__ import annotations

import hashlib
import html
import json
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from frontline.core import background, outbound, webhooks
from frontline.customers.services import customer_for_email
from frontline.desk.content import text_to_html
from frontline.desk.models import (
    Channel,
    EventKind,
    Message,
    Queue,
    StatusCategory,
    Ticket,
    TicketEvent,
)
from frontline.desk.services import ticket_create, ticket_reply
from frontline.people.models import Role, User

from .models import (
    OPEN_STATUSES,
    Contact,
    Delivery,
    DeliveryAttempt,
    DeliveryStatus,
    InboundMessage,
    MessagingConnector,
    MessagingReceipt,
    Platform,
    Thread,
)

TEXT_MAX = 10_000
ATTACHMENTS_MAX = 10
NAME_MAX = 200
ROTATION_GRACE = timedelta(hours=24)
PLACEHOLDER_DOMAIN = "messaging.invalid"  # RFC 2606: never a real address; the mail app sends nothing there


def _now(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: must be an aware datetime")
    return at


# --- in ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttachmentIn:
    url: str
    name: str
    content_type: str


@dataclass(frozen=True)
class MessageIn:
    """One inbound message, validated (``message_parse``)."""

    event_id: str
    conversation_id: str
    user_id: str
    user_name: str
    text: str
    attachments: tuple[AttachmentIn, ...]
    message_id: str
    sent_at: datetime | None


def _str(data: dict[str, Any], key: str, errors: dict[str, list[str]], *, required: bool = False,
         limit: int = 200, prefix: str = "") -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            errors[prefix + key] = ["This field is required."]
        return ""
    if not isinstance(value, str):
        errors[prefix + key] = ["Must be a string."]
        return ""
    value = value.replace("\x00", "").strip()
    if len(value) > limit:
        errors[prefix + key] = [f"At most {limit:,} characters."]
    return value


def _url_ok(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def message_parse(data: object) -> MessageIn:
    """The payload of one inbound request, checked: ValidationError naming every failing field."""
    if not isinstance(data, dict):
        raise ValidationError({"body": ["Send a JSON object."]})
    errors: dict[str, list[str]] = {}
    user = data.get("user")
    user_id = user_name = ""
    if not isinstance(user, dict):
        errors["user"] = ["An object with the sender's id and name: {\"id\": \"…\", \"name\": \"…\"}."]
    else:
        user_id = _str(user, "id", errors, required=True, prefix="user.")
        user_name = _str(user, "name", errors, limit=NAME_MAX, prefix="user.")
    text = _str(data, "text", errors, limit=TEXT_MAX)
    raw = data.get("attachments") or []
    attachments: list[AttachmentIn] = []
    if not isinstance(raw, list):
        errors["attachments"] = ["A list of {\"url\", \"name\", \"content_type\"}."]
    elif len(raw) > ATTACHMENTS_MAX:
        errors["attachments"] = [f"At most {ATTACHMENTS_MAX} attachments per message."]
    else:
        for i, item in enumerate(raw):
            prefix = f"attachments.{i}."
            if not isinstance(item, dict):
                errors[f"attachments.{i}"] = ["An object with a url."]
                continue
            url = _str(item, "url", errors, required=True, limit=2000, prefix=prefix)
            if url and not _url_ok(url):
                errors[prefix + "url"] = ["An http or https URL."]
            name = _str(item, "name", errors, limit=200, prefix=prefix) or url.rsplit("/", 1)[-1][:200] or "attachment"
            attachments.append(AttachmentIn(url=url, name=name, content_type=_str(item, "content_type", errors, limit=100,
                                                                                   prefix=prefix)))
    if not text and not raw and "text" not in errors:
        errors["text"] = ["A message needs text or an attachment."]
    sent_at = None
    if data.get("sent_at") not in (None, ""):
        try:
            sent_at = datetime.fromisoformat(str(data["sent_at"]))
            if timezone.is_naive(sent_at):
                raise ValueError
        except ValueError:
            errors["sent_at"] = ["An ISO 8601 time with its offset, such as 2026-12-06T14:05:00Z."]
            sent_at = None
    parsed = MessageIn(
        event_id=_str(data, "event_id", errors, required=True), conversation_id=_str(data, "conversation_id", errors,
                                                                                      required=True),
        user_id=user_id, user_name=user_name, text=text, attachments=tuple(attachments),
        message_id=_str(data, "message_id", errors), sent_at=sent_at,
    )
    if errors:
        raise ValidationError(errors)
    return parsed


class Replayed(Exception):
    """The event id was received before from this connector."""


@dataclass(frozen=True)
class Received:
    thread: Thread
    message: Message
    new_ticket: bool


def contact_for(*, platform: str, user_id: str, name: str = "", at: datetime | None = None) -> Contact:
    """The contact of (platform, user id), made with its customer on first contact (no email address:
    ``<platform>-<hash>@messaging.invalid``); a changed display name is kept."""
    at = _now(at)
    contact = Contact.objects.select_related("customer").filter(platform=platform, external_user_id=user_id).first()
    if contact is None:
        digest = hashlib.sha256(f"{platform}:{user_id}".encode()).hexdigest()[:20]
        label = Platform(platform).label if platform in Platform.values else platform
        customer = customer_for_email(email=f"{platform}-{digest}@{PLACEHOLDER_DOMAIN}",
                                      name=(name or f"{label} user {user_id}")[:NAME_MAX])
        try:
            with transaction.atomic():
                contact = Contact.objects.create(platform=platform, external_user_id=user_id, display_name=name,
                                                 customer=customer, created_at=at)
        except IntegrityError:  # the same person's first two messages at once
            contact = Contact.objects.select_related("customer").get(platform=platform, external_user_id=user_id)
    elif name and contact.display_name != name:
        contact.display_name = name
        contact.save(update_fields=["display_name"])
    return contact


def _body(msg: MessageIn) -> tuple[str, str]:
    """(text, sanitised-to-be HTML) of a message: its text, then its attachments as links."""
    text = msg.text
    parts = [text_to_html(msg.text)] if msg.text else []
    if msg.attachments:
        lines = "\n".join(f"- {a.name}: {a.url}" for a in msg.attachments)
        text = f"{text}\n\nAttachments:\n{lines}".strip()
        items = "".join(f'<li><a href="{html.escape(a.url, quote=True)}">{html.escape(a.name)}</a></li>' for a in msg.attachments)
        parts.append(f"<p>Attachments:</p><ul>{items}</ul>")
    return text, "".join(parts)


def _subject(connector: MessagingConnector, msg: MessageIn) -> str:
    first = " ".join(msg.text.split()) or (msg.attachments[0].name if msg.attachments else "")
    first = first if len(first) <= 80 else first[:79] + "…"
    return f"{connector.get_platform_display()}: {first}"


def _receipt(connector: MessagingConnector, event_id: str, at: datetime) -> None:
    try:
        with transaction.atomic():
            MessagingReceipt.objects.create(connector=connector, event_id=event_id, received_at=at)
    except IntegrityError:
        raise Replayed(event_id) from None


def _open_ticket(thread: Thread | None) -> Ticket | None:
    """The ticket a conversation's next message goes on: its thread's, or the one it was merged into; None when closed."""
    if thread is None:
        return None
    ticket = Ticket.objects.get(pk=thread.ticket_id)
    seen = 0
    while ticket.merged_into_id is not None and seen < 5:
        ticket, seen = Ticket.objects.get(pk=ticket.merged_into_id), seen + 1
    return None if ticket.status_category == StatusCategory.CLOSED else ticket


@transaction.atomic
def message_receive(*, connector: MessagingConnector, msg: MessageIn, at: datetime | None = None) -> Received:
    """File one verified inbound message on its conversation's open ticket, or open one. Replayed on a seen event id."""
    at = _now(at)
    _receipt(connector, msg.event_id, at)
    contact = contact_for(platform=connector.platform, user_id=msg.user_id, name=msg.user_name, at=at)
    text, body_html = _body(msg)
    latest = Thread.objects.filter(connector=connector, external_conversation_id=msg.conversation_id).order_by("-id")
    thread = latest.select_for_update().first()
    ticket = _open_ticket(thread)
    if ticket is None:  # a new ticket: one at a time per connector, so two first messages make one ticket
        MessagingConnector.objects.select_for_update().filter(pk=connector.pk).values_list("pk", flat=True).first()
        thread = latest.first()
        ticket = _open_ticket(thread)
    new_ticket = ticket is None
    if ticket is None:
        ticket = ticket_create(requester=contact.customer, subject=_subject(connector, msg), body=text, body_html=body_html,
                               actor=None, channel=Channel.SOCIAL, queue=connector.queue, notify=False, at=at)
        message = ticket.messages.get()
    else:
        message = ticket_reply(ticket=ticket, author=None, customer=contact.customer, body=text, body_html=body_html,
                               notify=False, at=max(at, ticket.created_at))
    if thread is None or thread.ticket_id != ticket.pk:
        thread = Thread.objects.create(connector=connector, external_conversation_id=msg.conversation_id, contact=contact,
                                       ticket=ticket, created_at=at, last_inbound_at=at)
    else:
        thread.last_inbound_at = at
        thread.save(update_fields=["last_inbound_at"])
    InboundMessage.objects.create(thread=thread, message=message, external_message_id=msg.message_id, sent_at=msg.sent_at,
                                  attachments=[{"url": a.url, "name": a.name, "content_type": a.content_type}
                                               for a in msg.attachments], received_at=at)
    return Received(thread=thread, message=message, new_ticket=new_ticket)


# --- out ---------------------------------------------------------------------------------------------------------


def messaging_on_ticket_event(event: TicketEvent) -> None:
    """The desk hook: a public agent reply on a ticket with a conversation is queued for delivery (in the desk's transaction)."""
    if event.kind != EventKind.REPLIED:
        return
    thread = Thread.objects.filter(ticket_id=event.ticket_id).select_related("connector").order_by("-id").first()
    message_id = event.payload.get("message_id")
    if thread is None or message_id is None:
        return
    delivery = Delivery.objects.create(thread=thread, message_id=message_id, created_at=event.created_at,
                                       next_attempt_at=event.created_at)
    if not thread.connector.outbound_url:
        _give_up(delivery, "The connector has no outbound webhook URL: set one (Messaging → connectors), then send again.")
        return
    background.enqueue_on_commit("messaging.deliver", delivery.pk)


def _give_up(delivery: Delivery, error: str) -> None:
    delivery.status, delivery.last_error, delivery.next_attempt_at = DeliveryStatus.FAILED, error[:1000], None
    delivery.save(update_fields=["status", "last_error", "next_attempt_at"])


def backoff_seconds(attempts: int) -> int:
    """Seconds before try ``attempts + 1``: MESSAGING_BACKOFF_BASE_S * 2^(attempts - 1), at most MESSAGING_BACKOFF_MAX_S.

    >>> [backoff_seconds(n) for n in (1, 2, 3)]  # with the default base of 30 s
    [30, 60, 120]
    """
    base, cap = settings.MESSAGING_BACKOFF_BASE_S, settings.MESSAGING_BACKOFF_MAX_S
    return int(min(base * 2 ** max(attempts - 1, 0), cap))


def delivery_payload(delivery: Delivery) -> dict[str, Any]:
    """The JSON an outbound webhook receives for one agent reply."""
    message, thread = delivery.message, delivery.thread
    author = message.author_user
    return {
        "event_id": f"frontline-message-{message.pk}",
        "type": "message",
        "platform": thread.connector.platform,
        "conversation_id": thread.external_conversation_id,
        "user_id": thread.contact.external_user_id,
        "text": message.body_text,
        "ticket_id": thread.ticket_id,
        "message_id": message.pk,
        "agent": {"name": (author.first_name or author.display_name) if author else "Support"},
        "sent_at": message.created_at.isoformat(),
    }


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """The POST, through the outgoing-webhook checks (an internal address raises ``BlockedAddress``, an OSError)."""
    return outbound.post(url, body=body, timeout=timeout,
                         headers={"Content-Type": "application/json", "User-Agent": "Frontline-Webhook/1", **headers})


def delivery_attempt(*, delivery_id: int, at: datetime | None = None) -> str:
    """Try one delivery now if it is due; returns its status afterwards.

    The try is claimed first (``next_attempt_at`` pushed past the timeout, in its own transaction)
    so two workers never send it at once; the POST runs outside any transaction.
    """
    at = _now(at)
    with transaction.atomic():
        delivery = (Delivery.objects.select_for_update(of=("self",)).select_related("thread__connector", "thread__contact", "message__author_user")
                    .filter(pk=delivery_id).first())
        if delivery is None:
            return "gone"
        if delivery.status not in OPEN_STATUSES or (delivery.next_attempt_at and delivery.next_attempt_at > at):
            return delivery.status
        connector = delivery.thread.connector
        if not connector.outbound_url or not connector.enabled:
            _give_up(delivery, "The connector is off or has no outbound webhook URL.")
            return delivery.status
        delivery.attempts += 1
        delivery.next_attempt_at = at + timedelta(seconds=settings.MESSAGING_TIMEOUT_S + 30)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        number, url, secret = delivery.attempts, connector.outbound_url, connector.secret
        body = json.dumps(delivery_payload(delivery), separators=(",", ":")).encode()
    started = time.monotonic()
    code: int | None = None
    error = ""
    try:
        code = _post(url, body, webhooks.signed_headers(secret=secret, body=body, now=time.time()),
                     settings.MESSAGING_TIMEOUT_S)
        if not 200 <= code < 300:
            error = f"HTTP {code}"
    except (OSError, ValueError) as exc:  # refused, DNS, TLS, timeout
        error = f"{exc.__class__.__name__}: {exc}"
    latency = int((time.monotonic() - started) * 1000)
    return _record(delivery.pk, number, at, code, latency, error)


@transaction.atomic
def _record(delivery_id: int, number: int, at: datetime, code: int | None, latency_ms: int, error: str) -> str:
    delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
    ok = not error
    DeliveryAttempt.objects.create(delivery=delivery, number=number, started_at=at, status_code=code,
                                   latency_ms=latency_ms, ok=ok, error=error[:1000])
    if ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at, delivery.last_error = (
            DeliveryStatus.DELIVERED, at, None, "")
    elif number >= settings.MESSAGING_DELIVERY_ATTEMPTS:
        delivery.status, delivery.next_attempt_at, delivery.last_error = DeliveryStatus.FAILED, None, error[:1000]
    else:
        delivery.status, delivery.last_error = DeliveryStatus.RETRYING, error[:1000]
        delivery.next_attempt_at = at + timedelta(seconds=backoff_seconds(number))
    delivery.save(update_fields=["status", "delivered_at", "next_attempt_at", "last_error"])
    return delivery.status


def deliveries_due(*, at: datetime, limit: int = 200) -> list[int]:
    """Deliveries waiting for a try whose time has come."""
    return list(Delivery.objects.filter(status__in=list(OPEN_STATUSES), next_attempt_at__lte=at)
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])


@transaction.atomic
def delivery_retry(*, delivery: Delivery, actor: User, at: datetime | None = None) -> Delivery:
    """Send a failed delivery again (the tries start over): managers, admins, or the reply's author."""
    at = _now(at)
    delivery = Delivery.objects.select_for_update(of=("self",)).select_related("message").get(pk=delivery.pk)
    if actor.role not in (Role.MANAGER, Role.ADMIN) and delivery.message.author_user_id != actor.pk:
        raise PermissionDenied("Only a manager, an admin or the reply's author can send it again.")
    if delivery.status != DeliveryStatus.FAILED:
        raise ValidationError("Only a failed delivery can be sent again.")
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, at
    delivery.last_error = f"Sending again, asked by {actor.display_name}."
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    background.enqueue_on_commit("messaging.deliver", delivery.pk)
    return delivery


# --- connectors (managers and admins) ----------------------------------------------------------------------------


def _require_config(actor: User) -> None:
    if actor.role not in (Role.MANAGER, Role.ADMIN) or not actor.is_active:
        raise PermissionDenied("Managers and admins configure connectors.")


@dataclass(frozen=True)
class ConnectorWithSecret:
    connector: MessagingConnector
    secret: str  # shown once


def _clean(name: str, outbound_url: str, platform: str | None = None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name or len(name) > 100:
        errors["name"] = ["Give a name of at most 100 characters."]
    outbound_url = outbound_url.strip()
    if outbound_url and (not _url_ok(outbound_url) or len(outbound_url) > 500):
        errors["outbound_url"] = ["An http or https URL of at most 500 characters."]
    elif outbound_url and (problem := outbound.url_problem(outbound_url)):
        errors["outbound_url"] = [problem]
    if platform is not None and platform not in Platform.values:
        errors["platform"] = ["Choose a platform from the list."]
    if errors:
        raise ValidationError(errors)
    return name, outbound_url


@transaction.atomic
def connector_create(*, actor: User, name: str, platform: str, slug: str = "", outbound_url: str = "",
                     queue: Queue | None = None, at: datetime | None = None) -> ConnectorWithSecret:
    """A new messaging connector and its secret (returned once)."""
    _require_config(actor)
    name, outbound_url = _clean(name, outbound_url, platform)
    slug = slugify(slug or name)[:50]
    if not slug:
        raise ValidationError({"slug": ["Give a name or slug of letters, digits or dashes."]})
    if MessagingConnector.objects.filter(slug=slug).exists():
        raise ValidationError({"slug": [f"A connector with the address …/{slug}/ exists already."]})
    secret = webhooks.secret_new()
    connector = MessagingConnector.objects.create(name=name, slug=slug, platform=platform, outbound_url=outbound_url,
                                                  queue=queue, secret=secret, created_at=_now(at))
    return ConnectorWithSecret(connector, secret)


@transaction.atomic
def connector_update(*, actor: User, connector: MessagingConnector, name: str, outbound_url: str, queue: Queue | None,
                     enabled: bool) -> MessagingConnector:
    _require_config(actor)
    name, outbound_url = _clean(name, outbound_url)
    connector.name, connector.outbound_url, connector.queue, connector.enabled = name, outbound_url, queue, enabled
    connector.save(update_fields=["name", "outbound_url", "queue", "enabled"])
    return connector


@transaction.atomic
def connector_rotate_secret(*, actor: User, connector: MessagingConnector, keep_previous: bool = True,
                            at: datetime | None = None) -> ConnectorWithSecret:
    """A new secret (inbound and outbound); with ``keep_previous`` the old one still verifies inbound for ROTATION_GRACE."""
    _require_config(actor)
    at = _now(at)
    connector = MessagingConnector.objects.select_for_update().get(pk=connector.pk)
    secret = webhooks.rotate(connector, keep_previous=keep_previous, at=at, grace=ROTATION_GRACE)
    connector.save(update_fields=webhooks.ROTATED_FIELDS)
    return ConnectorWithSecret(connector, secret)
