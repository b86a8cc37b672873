"""Phone: telephony connectors (a signed webhook per telephony system), calls, and the webhook's receipts.

Every call belongs to a desk ticket (channel ``phone``): a call an agent logs on a ticket, or one
a telephony system reports through its connector's webhook. The call's talk and wrap-up time go
into the desk's handle time through the agent message that records the call (``Call.message``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from frontline.core.secretbox import EncryptedSecretField


class PhoneConnector(models.Model):
    """One telephony system sending call events to ``/webhooks/phone/<slug>/``, signed with ``secret``."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=50, unique=True, help_text="The last part of the webhook's address.")
    # The shared secret must be kept (an HMAC is checked with it), encrypted at rest; it is shown once, when made or rotated.
    secret = EncryptedSecretField()
    previous_secret = EncryptedSecretField(blank=True, default="")
    previous_secret_until = models.DateTimeField(null=True, blank=True,
                                                 help_text="The previous secret still verifies until then (a rotation).")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="Tickets of calls from this system land here.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField()
    secret_rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    INBOUND = "inbound", "Inbound"
    OUTBOUND = "outbound", "Outbound"


class CallState(models.TextChoices):
    RINGING = "ringing", "Ringing"
    ANSWERED = "answered", "Answered"
    ENDED = "ended", "Ended"
    MISSED = "missed", "Missed"
    ABANDONED = "abandoned", "Abandoned"


FINAL_STATES = (CallState.ENDED, CallState.MISSED, CallState.ABANDONED)
NOT_ANSWERED = (CallState.MISSED, CallState.ABANDONED)


class Disposition(models.TextChoices):
    RESOLVED = "resolved", "Resolved on the call"
    FOLLOW_UP = "follow_up", "Follow-up needed"
    CALLBACK = "callback", "Callback promised"
    ESCALATED = "escalated", "Escalated"
    VOICEMAIL = "voicemail", "Left a voicemail"
    NO_ANSWER = "no_answer", "No answer"
    WRONG_NUMBER = "wrong_number", "Wrong number"
    OTHER = "other", "Other"


class CallSource(models.TextChoices):
    LOGGED = "logged", "Logged by an agent"
    WEBHOOK = "webhook", "Reported by a telephony system"


class Call(models.Model):
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="calls")
    connector = models.ForeignKey(PhoneConnector, null=True, blank=True, on_delete=models.SET_NULL, related_name="calls")
    external_id = models.CharField(max_length=200, blank=True, default="", help_text="The telephony system's call id.")
    source = models.CharField(max_length=16, choices=CallSource.choices)
    direction = models.CharField(max_length=16, choices=Direction.choices, default=Direction.INBOUND)
    state = models.CharField(max_length=16, choices=CallState.choices, default=CallState.ENDED)
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="calls")
    number = models.CharField(max_length=40, blank=True, default="", help_text="The customer's number, normalised.")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="calls")
    started_at = models.DateTimeField(help_text="Ringing (inbound) or dialling (outbound) began.")
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    talk_seconds = models.PositiveIntegerField(default=0)
    wrap_seconds = models.PositiveIntegerField(default=0)
    wait_seconds = models.PositiveIntegerField(default=0, help_text="Ringing or queueing until answered, missed or abandoned.")
    disposition = models.CharField(max_length=16, choices=Disposition.choices, blank=True, default="")
    notes = models.TextField(blank=True, default="")
    recording_url = models.URLField(max_length=2000, blank=True, default="")
    # The agent message that records the call and carries talk + wrap as its handle time.
    message = models.OneToOneField("desk.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="call")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["started_at"], name="call_started"),
            models.Index(fields=["ticket", "started_at"], name="call_ticket"),
            models.Index(fields=["state", "started_at"], name="call_state_started"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["connector", "external_id"], condition=~Q(external_id=""),
                                    name="call_external_id_per_connector"),
        ]

    def __str__(self) -> str:
        return f"Call {self.pk} ({self.direction}, ticket {self.ticket_id})"

    @property
    def handle_seconds(self) -> int:
        return self.talk_seconds + self.wrap_seconds


class PhoneReceipt(models.Model):
    """An event id a connector sent (accepted): the same id again is a replay and is refused."""

    connector = models.ForeignKey(PhoneConnector, on_delete=models.CASCADE, related_name="receipts")
    event_id = models.CharField(max_length=200)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connector", "event_id"], name="phone_receipt_once")]
        indexes = [models.Index(fields=["received_at"], name="phone_receipt_received")]

    def __str__(self) -> str:
        return f"{self.connector_id}:{self.event_id}"
