"""Surveys: the settings (rules per channel and queue, one configuration row, templates), each
survey sent (or scheduled, skipped, cancelled) and its one response.

A survey belongs to one ticket and its requester: the rating links carry a signed token naming
the survey, so a response can only ever be about that ticket, from that customer. A response is
one row per survey; changing the answer updates it, and each answer is also a ``survey_answered``
event on the ticket (the history and the metrics read the events).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from frontline.desk.models import Channel
from frontline.engine.kpis import SURVEY_SCALES


class SurveyKind(models.TextChoices):
    CSAT = "csat", "CSAT"
    CES = "ces", "CES"
    NPS = "nps", "NPS"


# kind -> (lowest, highest) whole score; the engine's definition, used everywhere.
SCALES: dict[str, tuple[int, int]] = dict(SURVEY_SCALES)
TRANSACTIONAL = (SurveyKind.CSAT, SurveyKind.CES)


class SurveyRule(models.Model):
    """Whether a solved ticket of a channel and queue gets a survey, which one, and how long after.

    Blank channel / empty queue mean "any". The most specific rule wins: channel and queue, then
    queue alone, then channel alone, then the default rule (both blank). No matching rule: no survey.
    """

    channel = models.CharField(max_length=16, choices=Channel.choices, blank=True, help_text="Blank: any channel.")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              help_text="Empty: any queue.")
    enabled = models.BooleanField(default=True, help_text="Off: tickets matching this rule get no survey.")
    survey = models.CharField(max_length=8, choices=[(k.value, k.label) for k in TRANSACTIONAL],
                              default=SurveyKind.CSAT)
    delay_minutes = models.PositiveIntegerField(default=60, help_text="Minutes after the ticket is solved.")

    class Meta:
        ordering = ["queue__name", "channel", "id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "queue"], name="survey_rule_channel_queue"),
            models.UniqueConstraint(fields=["channel"], condition=Q(queue__isnull=True), name="survey_rule_channel_any_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display() or 'Any channel'} · {self.queue or 'any queue'}"


class SurveyConfig(models.Model):
    """The one configuration row (pk 1): throttling, link validity and the NPS schedule."""

    throttle_days = models.PositiveSmallIntegerField(
        default=30, help_text="No customer gets more than one survey (of any kind) in this many days; 0: no limit.")
    link_days = models.PositiveSmallIntegerField(default=14, help_text="Rating links work for this many days after sending.")
    nps_enabled = models.BooleanField(default=False)
    nps_every_days = models.PositiveSmallIntegerField(default=30, help_text="Days between NPS campaigns.")
    nps_sample_percent = models.PositiveSmallIntegerField(
        default=20, help_text="Share of eligible customers sampled in each campaign (1 to 100).")
    nps_lookback_days = models.PositiveSmallIntegerField(
        default=90, help_text="Eligible: customers with a ticket created in this many days before the campaign.")
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "survey configuration"

    def __str__(self) -> str:
        return "Survey configuration"


class SurveyTemplate(models.Model):
    """The email of one survey kind: subject and body with placeholders such as ``{customer_name}``."""

    kind = models.CharField(max_length=8, choices=SurveyKind.choices, unique=True)
    subject = models.CharField(max_length=200)
    body = models.TextField()
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} email"


class SurveyState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Not sent"
    CANCELLED = "cancelled", "Cancelled"
    FAILED = "failed", "Not delivered"


class SurveyTrigger(models.TextChoices):
    SOLVED = "solved", "Ticket solved"
    CHAT = "chat", "End of a chat"
    NPS = "nps", "NPS campaign"
    API = "api", "Answered over the API"


class NpsCampaign(models.Model):
    """One relational NPS round: who was eligible and how many were sampled."""

    started_at = models.DateTimeField(unique=True)
    eligible = models.PositiveIntegerField(default=0)
    sampled = models.PositiveIntegerField(default=0)
    sample_percent = models.PositiveSmallIntegerField(default=0)
    seed = models.CharField(max_length=40, blank=True, help_text="The sample's random seed, for audit.")

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"NPS campaign of {self.started_at:%Y-%m-%d}"


class Survey(models.Model):
    """One survey of one customer about one ticket: scheduled, then sent (or skipped / cancelled).

    ``channel``, ``queue``, ``team`` and ``agent`` are the ticket's when the survey was made (who
    solved it), so response rates and scores stay with the team and agent that earned them.
    """

    kind = models.CharField(max_length=8, choices=SurveyKind.choices)
    trigger = models.CharField(max_length=16, choices=SurveyTrigger.choices)
    state = models.CharField(max_length=16, choices=SurveyState.choices, default=SurveyState.SCHEDULED)
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    customer = models.ForeignKey("customers.Customer", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    campaign = models.ForeignKey(NpsCampaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="surveys")
    nonce = models.CharField(max_length=32, unique=True, help_text="Random part of the rating links' token.")
    created_at = models.DateTimeField()
    due_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True, help_text="Why it was not sent, or the delivery error.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # one CSAT / CES survey per ticket (a ticket reopened and solved again is not asked twice),
            # unless the earlier one was cancelled before sending
            models.UniqueConstraint(fields=["ticket", "kind"], name="survey_one_per_ticket_kind",
                                    condition=Q(kind__in=["csat", "ces"]) & ~Q(state="cancelled")),
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="survey_state_due"),
            models.Index(fields=["customer", "sent_at"], name="survey_customer_sent"),
            models.Index(fields=["kind", "sent_at"], name="survey_kind_sent"),
            models.Index(fields=["ticket"], name="survey_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} survey {self.pk} on ticket {self.ticket_id}"

    @property
    def scale(self) -> tuple[int, int]:
        return SCALES[self.kind]


class ResponseVia(models.TextChoices):
    EMAIL = "email", "Rating link"
    API = "api", "API"
    CHAT = "chat", "Chat"


class SurveyResponse(models.Model):
    """The answer to a survey: the latest score and comment (earlier answers are in the events)."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="response")
    score = models.SmallIntegerField()
    comment = models.TextField(blank=True)
    via = models.CharField(max_length=8, choices=ResponseVia.choices, default=ResponseVia.EMAIL)
    first_answered_at = models.DateTimeField()
    answered_at = models.DateTimeField(help_text="When the score or comment was last given or changed.")
    changes = models.PositiveIntegerField(default=0, help_text="Times the answer was changed after the first.")

    class Meta:
        ordering = ["-answered_at", "-id"]
        indexes = [models.Index(fields=["answered_at"], name="survey_response_answered")]

    def __str__(self) -> str:
        return f"{self.score} on survey {self.survey_id}"
