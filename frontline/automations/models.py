"""Macros (canned replies with actions) and automation rules (trigger → conditions → actions).

Conditions are JSON data checked and evaluated by ``frontline.engine.rules``; actions are a JSON
list checked by ``actions.py``. Macros and rules change tickets only through the desk's services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from frontline.core.secretbox import EncryptedSecretField


class Visibility(models.TextChoices):
    PERSONAL = "personal", "Personal (only me)"
    TEAM = "team", "Team"
    SHARED = "shared", "Shared (everyone)"


class Macro(models.Model):
    """A canned reply (Markdown with ``{{ placeholders }}``) and actions, applied by an agent."""

    name = models.CharField(max_length=100)
    body = models.TextField(blank=True, help_text="Markdown; placeholders such as {{ customer.first_name }}.")
    actions = models.JSONField(default=list, blank=True)
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.SHARED)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="macros", help_text="Personal macros: whose.")
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="macros",
                             help_text="Team macros: which team.")
    active = models.BooleanField(default=True)
    usage_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    last_used_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(name="macro_owner_for_personal", condition=~models.Q(visibility="personal")
                                   | models.Q(owner__isnull=False)),
            models.CheckConstraint(name="macro_team_for_team", condition=~models.Q(visibility="team")
                                   | models.Q(team__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.name


class MacroUse(models.Model):
    """One application of a macro (for usage per macro and per person)."""

    macro = models.ForeignKey(Macro, on_delete=models.CASCADE, related_name="uses")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_reply = models.BooleanField(default=False)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["macro", "-at"], name="macro_use_macro_at")]

    def __str__(self) -> str:
        return f"Macro {self.macro_id} on ticket {self.ticket_id}"


class Trigger(models.TextChoices):
    TICKET_CREATED = "ticket_created", "Ticket created"
    TICKET_UPDATED = "ticket_updated", "Ticket updated"
    CUSTOMER_REPLIED = "customer_replied", "Customer replied"
    SLA_AT_RISK = "sla_at_risk", "SLA at risk"
    SLA_BREACHED = "sla_breached", "SLA breached"
    SURVEY_ANSWERED = "survey_answered", "Survey answered"
    SCHEDULE = "schedule", "On a schedule (time passing)"


class Rule(models.Model):
    """An automation rule: when ``trigger`` happens (or, for schedule rules, whenever the periodic
    check runs) and ``conditions`` hold for the ticket, run ``actions``. Lower ``position`` first."""

    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    trigger = models.CharField(max_length=20, choices=Trigger.choices)
    conditions = models.JSONField(default=dict)
    actions = models.JSONField(default=list)
    position = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True)
    webhook_secret = EncryptedSecretField(blank=True, default="",
                                          help_text="Signs the rule's webhook calls (HMAC-SHA256); encrypted at rest.")
    fire_count = models.PositiveIntegerField(default=0)
    last_fired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["active", "trigger", "position"], name="rule_active_trigger")]

    def __str__(self) -> str:
        return self.name


class RuleFiring(models.Model):
    """A rule fired on a ticket (the schedule's once-per-ticket memory and the rule's log)."""

    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="firings")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()
    depth = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["rule", "ticket", "-at"], name="firing_rule_ticket")]

    def __str__(self) -> str:
        return f"Rule {self.rule_id} on ticket {self.ticket_id}"


class WebhookCall(models.Model):
    """One webhook delivery of a rule (every attempt counted), for the rule's log."""

    rule = models.ForeignKey(Rule, null=True, on_delete=models.SET_NULL, related_name="webhook_calls")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    url = models.URLField(max_length=500)
    ok = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.url} ({self.status_code or self.error})"
