"""Mail: mailboxes, every inbound message as it arrived, the Message-ID registry, address states.

Inbound messages are kept raw (the exact bytes) in the database, in the same transaction as their
outcome, so a message is never lost: a failure is a row with its error, listed for admins.
"""

from __future__ import annotations

from django.db import models


class Mailbox(models.Model):
    """An address customers write to, fetched over IMAP; its mail feeds a queue."""

    address = models.EmailField(unique=True)
    from_name = models.CharField(max_length=100, blank=True, help_text="Shown as the sender of replies.")
    signature = models.TextField(blank=True, help_text="Added under agents' replies sent from this mailbox.")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="New tickets land here (and with its team); empty: no queue.")
    enabled = models.BooleanField(default=True)
    imap_host = models.CharField(max_length=255, blank=True)
    imap_port = models.PositiveIntegerField(default=993)
    imap_tls = models.BooleanField(default=True, help_text="Implicit TLS (port 993); off: plain IMAP (loopback/tests).")
    imap_user = models.CharField(max_length=255, blank=True)
    password_env = models.CharField(
        max_length=100, blank=True,
        help_text="Name of the environment variable holding the IMAP password (passwords are never stored).",
    )
    folder = models.CharField(max_length=255, default="INBOX")
    uid_validity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_fetch_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Failed fetches in a row.")
    retry_after = models.DateTimeField(null=True, blank=True, help_text="No fetch before this time (backoff).")
    lease_until = models.DateTimeField(null=True, blank=True, help_text="A fetch is running until at most this time.")

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mailboxes"

    def __str__(self) -> str:
        return self.address


class Outcome(models.TextChoices):
    PROCESSING = "processing", "Processing"
    CREATED = "created", "Created a ticket"
    THREADED = "threaded", "Added to a ticket"
    DUPLICATE = "duplicate", "Duplicate"
    AUTO_REPLY = "auto_reply", "Automatic message"
    BOUNCE = "bounce", "Bounce"
    FAILED = "failed", "Failed"


class InboundEmail(models.Model):
    """One received message: its raw bytes, what was read from it, and what became of it."""

    mailbox = models.ForeignKey(Mailbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbound")
    dedupe_key = models.CharField(max_length=320, unique=True, help_text="mid:<Message-ID> or sha256:<raw bytes>.")
    message_id = models.CharField(max_length=300, blank=True, db_index=True)
    raw = models.BinaryField()
    size = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=100, blank=True, help_text="cli:FILE, imap:MAILBOX:UID, ...")
    received_at = models.DateTimeField()
    processed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.PROCESSING, db_index=True)
    error = models.TextField(blank=True)
    automatic_reason = models.CharField(max_length=200, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Why it was not threaded, files it left out, ...")
    subject = models.CharField(max_length=250, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    from_email = models.CharField(max_length=254, blank=True, db_index=True)
    headers = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True, help_text="The whole HTML part, sanitised; inline images point at attachments.")
    inline_images = models.JSONField(default=dict, blank=True, help_text="Content-ID -> stored file name.")
    skipped_attachments = models.JSONField(default=list, blank=True, help_text="Files not stored, with the reason.")
    ticket = models.ForeignKey("desk.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    desk_message = models.OneToOneField("desk.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="inbound_email")
    acknowledged = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = "inbound email"

    def __str__(self) -> str:
        return f"{self.from_email}: {self.subject}"[:120]


class Direction(models.TextChoices):
    IN = "in", "Received"
    OUT = "out", "Sent"


class MessageIdRecord(models.Model):
    """Every Message-ID Frontline received or sent, with its ticket: what replies thread on."""

    message_id = models.CharField(max_length=300, unique=True)
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"<{self.message_id}> -> #{self.ticket_id}"


class TicketParticipant(models.Model):
    """An address copied (To/Cc) on a ticket's mail by someone allowed to: may reply onto it."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    address = models.CharField(max_length=254)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ticket", "address"], name="mail_participant_once")]

    def __str__(self) -> str:
        return f"{self.address} on #{self.ticket_id}"


class MailAddress(models.Model):
    """What Frontline knows about one outside address: whether mail to it bounces."""

    address = models.CharField(max_length=254, unique=True)
    bouncing = models.BooleanField(default=False)
    bounce_count = models.PositiveIntegerField(default=0)
    last_bounce_at = models.DateTimeField(null=True, blank=True)
    last_bounce_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["address"]
        verbose_name_plural = "mail addresses"

    def __str__(self) -> str:
        return self.address


class AutoMail(models.Model):
    """One automatic message sent (or queued) to an address; the rate limit counts these."""

    address = models.CharField(max_length=254)
    kind = models.CharField(max_length=32, default="acknowledgement")
    sent_at = models.DateTimeField()
    ticket = models.ForeignKey("desk.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["address", "sent_at"], name="mail_automail_addr_at")]

    def __str__(self) -> str:
        return f"{self.kind} to {self.address}"


class Delivery(models.TextChoices):
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, will retry"
    GAVE_UP = "gave_up", "Not delivered (gave up)"
    UNCERTAIN = "uncertain", "Uncertain (a worker stopped while sending)"
    SKIPPED = "skipped", "Not sent"


class OutgoingEmail(models.Model):
    """One email Frontline sent: the email of a desk message (an agent's public reply or a receipt),
    or a notice to staff about a ticket (``notice_key`` set, no desk message). Sent at most once.

    The row is the idempotency key (one per desk message, or per notice key), written before the
    send with its Message-ID and marked after it, so a task that runs again never sends it twice.
    """

    desk_message = models.OneToOneField("desk.Message", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="outgoing_email")
    notice_key = models.CharField(max_length=200, null=True, blank=True, unique=True,
                                  help_text="Staff notices: what and to whom, e.g. escalation:12:team_lead:lead@…")
    subject = models.CharField(max_length=250, blank=True, help_text="Staff notices: the subject sent.")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    message_id = models.CharField(max_length=300, unique=True)
    to_address = models.CharField(max_length=254)
    from_address = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=16, choices=Delivery.choices, default=Delivery.SENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        what = f"message {self.desk_message_id}" if self.desk_message_id else f"notice {self.notice_key}"
        return f"{self.get_status_display()}: {what} to {self.to_address}"
