"""Live chat: widgets a company embeds, chat sessions (each one a desk ticket), their live log, capacities.

A chat's transcript is its ticket's conversation (desk ``Message`` rows written through the desk's
services); ``ChatEntry`` is the live log the widget and the agent workspace read: one row per
message, join, transfer or end, numbered per chat without gaps (``seq``) so that a client that
asks for "everything after 12" never misses or repeats one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ChatWidget(models.Model):
    """One embeddable widget: the public key in its script tag, where it may run, where chats land."""

    name = models.CharField(max_length=100)
    key = models.SlugField(max_length=40, unique=True, help_text="Public: goes in the script tag's data-widget.")
    allowed_origins = models.TextField(
        blank=True, default="",
        help_text="Sites that may embed the widget, one origin per line (https://www.example.com); "
                  "empty: only pages of Frontline itself.",
    )
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="Chats (and messages left offline) land here; its team's agents answer.")
    title = models.CharField(max_length=80, default="Chat with us")
    greeting = models.CharField(max_length=300, blank=True, default="Hello! Ask us anything; we usually answer within a minute.")
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def origins(self) -> list[str]:
        return [o.strip().rstrip("/").lower() for o in self.allowed_origins.splitlines() if o.strip()]


class ChatCapacity(models.Model):
    """How many chats at once: for one agent, or for every member of a team (the agent's own wins)."""

    agent = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="chat_capacity")
    team = models.OneToOneField("people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="chat_capacity")
    max_chats = models.PositiveSmallIntegerField(default=3, help_text="Chats held at once (0: takes no chats).")

    class Meta:
        verbose_name_plural = "chat capacities"
        constraints = [
            models.CheckConstraint(condition=Q(agent__isnull=True) ^ Q(team__isnull=True), name="chat_capacity_agent_xor_team"),
        ]

    def __str__(self) -> str:
        return f"{self.agent or self.team}: {self.max_chats} chats"


class ChatState(models.TextChoices):
    WAITING = "waiting", "Waiting"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"


LIVE_STATES = (ChatState.WAITING, ChatState.ACTIVE)


class EndedBy(models.TextChoices):
    CUSTOMER = "customer", "the customer"
    AGENT = "agent", "the agent"
    LEFT_MESSAGE = "left_message", "the customer, who left a message"
    TIMEOUT = "timeout", "inactivity"


class Chat(models.Model):
    widget = models.ForeignKey(ChatWidget, null=True, blank=True, on_delete=models.SET_NULL, related_name="chats")
    ticket = models.OneToOneField("desk.Ticket", on_delete=models.PROTECT, related_name="chat")
    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="chats")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # SHA-256 of the secret the widget holds; the secret itself is never stored.
    token_digest = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=16, choices=ChatState.choices, default=ChatState.WAITING)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="chats")
    offered_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    offered_at = models.DateTimeField(null=True, blank=True)
    origin = models.CharField(max_length=200, blank=True, default="")
    started_at = models.DateTimeField()
    waiting_since = models.DateTimeField(help_text="Start, or the transfer back to a queue.")
    accepted_at = models.DateTimeField(null=True, blank=True, help_text="The first agent's acceptance.")
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=16, choices=EndedBy.choices, blank=True, default="")
    # Wait: start to first acceptance (plus any wait after a transfer to a queue). Handle: the sum of
    # the agents' segments, each from acceptance (or a transfer in) to the end (or a transfer out).
    wait_seconds = models.PositiveIntegerField(default=0)
    handle_seconds = models.PositiveIntegerField(default=0)
    segment_started_at = models.DateTimeField(null=True, blank=True)
    # The current agent's last handle-time mark (acceptance, or their last message): the next agent
    # message carries the seconds since then (desk handle time).
    agent_mark_at = models.DateTimeField(null=True, blank=True)
    seq = models.PositiveIntegerField(default=0, help_text="The number of the last entry.")
    pulse = models.PositiveIntegerField(default=0, help_text="Bumped on typing, so waiting clients wake up.")
    customer_seq = models.PositiveIntegerField(
        default=0, help_text="The number of the customer's last message: what the agent's other tabs mark as new.")
    customer_typing_at = models.DateTimeField(null=True, blank=True)
    agent_typing_at = models.DateTimeField(null=True, blank=True)
    customer_seen_at = models.DateTimeField(null=True, blank=True, help_text="The widget's last poll.")
    transcript_requested_at = models.DateTimeField(null=True, blank=True, help_text="Emailed once the chat ends.")
    survey_url = models.CharField(max_length=500, blank=True, default="",
                                  help_text="The CSAT survey shown in the widget at the end (frontline.surveys).")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["state", "waiting_since"], name="chat_state_waiting"),
            models.Index(fields=["agent", "state"], name="chat_agent_state"),
            models.Index(fields=["ended_at"], name="chat_ended"),
            models.Index(fields=["started_at"], name="chat_started"),
        ]

    def __str__(self) -> str:
        return f"Chat {self.pk} (ticket {self.ticket_id})"


class EntryKind(models.TextChoices):
    MESSAGE = "message", "Message"
    JOINED = "joined", "Agent joined"
    TRANSFERRED = "transferred", "Transferred"
    ENDED = "ended", "Ended"


class EntryAuthor(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    AGENT = "agent", "Agent"
    SYSTEM = "system", "System"


class ChatEntry(models.Model):
    """One line of a chat's live log. Messages point at the desk message that holds their text."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="entries")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    author = models.CharField(max_length=16, choices=EntryAuthor.choices)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    message = models.ForeignKey("desk.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300, blank=True, default="", help_text="What a join, transfer or end says.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["chat", "seq"]
        constraints = [models.UniqueConstraint(fields=["chat", "seq"], name="chat_entry_seq")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.seq} of chat {self.chat_id}"
