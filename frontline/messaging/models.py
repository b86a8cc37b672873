"""Messaging: connectors to messaging platforms (WhatsApp, Messenger, X, SMS via a provider, ...),
the people writing from them, conversations threaded into desk tickets, and outbound deliveries.

A platform's messages come in through the connector's signed webhook and become a desk ticket
(channel ``social``) per external conversation: a new ticket when the conversation's previous one
is closed. An agent's public reply on such a ticket goes out through the connector's outbound
webhook (``Delivery``), retried with backoff; every try is a ``DeliveryAttempt``.
"""

from __future__ import annotations

from django.db import models

from frontline.core.secretbox import EncryptedSecretField


class Platform(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    MESSENGER = "messenger", "Messenger"
    INSTAGRAM = "instagram", "Instagram"
    X = "x", "X"
    TELEGRAM = "telegram", "Telegram"
    SMS = "sms", "SMS"
    OTHER = "other", "Other"


class MessagingConnector(models.Model):
    """One platform account: inbound webhook ``/webhooks/messages/<slug>/``, replies POSTed to ``outbound_url``."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True, help_text="The last part of the inbound webhook's address.")
    platform = models.CharField(max_length=16, choices=Platform.choices)
    # The shared secret signs both ways; kept (an HMAC needs it) encrypted at rest, shown once when made or rotated.
    secret = EncryptedSecretField()
    previous_secret = EncryptedSecretField(blank=True, default="")
    previous_secret_until = models.DateTimeField(null=True, blank=True)
    outbound_url = models.URLField(max_length=500, blank=True, default="",
                                   help_text="Agents' replies are POSTed here (signed JSON); empty: replies are not sent.")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="New conversations' tickets land here.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"


class Contact(models.Model):
    """A person on a platform, known by (platform, their id there); linked to one customer."""

    platform = models.CharField(max_length=16, choices=Platform.choices)
    external_user_id = models.CharField(max_length=200)
    display_name = models.CharField(max_length=200, blank=True, default="")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="messaging_contacts")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["platform", "external_user_id"], name="contact_once_per_platform")]

    def __str__(self) -> str:
        return f"{self.display_name or self.external_user_id} on {self.get_platform_display()}"


class Thread(models.Model):
    """One external conversation on one desk ticket (a conversation gets a new thread with each new ticket)."""

    connector = models.ForeignKey(MessagingConnector, on_delete=models.PROTECT, related_name="threads")
    external_conversation_id = models.CharField(max_length=200)
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="threads")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="messaging_threads")
    created_at = models.DateTimeField()
    last_inbound_at = models.DateTimeField()

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["connector", "external_conversation_id", "-id"], name="thread_conversation"),
            models.Index(fields=["ticket", "-id"], name="thread_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.external_conversation_id} on ticket {self.ticket_id}"


class InboundMessage(models.Model):
    """A platform message as received: its ids, send time and attachment URLs (never fetched)."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="inbound")
    message = models.OneToOneField("desk.Message", on_delete=models.CASCADE, related_name="inbound_messaging")
    external_message_id = models.CharField(max_length=200, blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True, help_text="When the platform says it was sent.")
    attachments = models.JSONField(default=list, blank=True, help_text='[{"url", "name", "content_type"}]')
    received_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Inbound {self.external_message_id or self.pk}"


class MessagingReceipt(models.Model):
    """An event id a connector sent (accepted): the same id again is a replay and is refused."""

    connector = models.ForeignKey(MessagingConnector, on_delete=models.CASCADE, related_name="receipts")
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connector", "event_id"], name="messaging_receipt_once")]

    def __str__(self) -> str:
        return f"{self.connector_id}:{self.event_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Sending"
    RETRYING = "retrying", "Retrying"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed"


OPEN_STATUSES = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)


class Delivery(models.Model):
    """One agent reply going out through a connector's outbound webhook."""

    thread = models.ForeignKey(Thread, on_delete=models.PROTECT, related_name="deliveries")
    message = models.OneToOneField("desk.Message", on_delete=models.CASCADE, related_name="messaging_delivery")
    status = models.CharField(max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=1000, blank=True, default="")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_due")]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"Delivery of message {self.message_id}: {self.status}"


class DeliveryAttempt(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField(default=0)
    ok = models.BooleanField(default=False)
    error = models.CharField(max_length=1000, blank=True, default="")

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"
