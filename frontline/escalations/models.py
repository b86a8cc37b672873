"""Escalation settings per team and escalations (one open per ticket, with the path it took)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models


class Level(models.TextChoices):
    TEAM_LEAD = "team_lead", "Team lead"
    MANAGER = "manager", "Manager"


class Trigger(models.TextChoices):
    SLA_AT_RISK = "sla_at_risk", "SLA at risk"
    SLA_BREACHED = "sla_breached", "SLA breached"
    ASKED_FOR_MANAGER = "asked_for_manager", "Customer asked for a manager"
    REOPENED = "reopened", "Reopened repeatedly"
    VIP = "vip", "VIP customer"
    MANUAL = "manual", "Escalated by an agent"


class EscalationState(models.TextChoices):
    OPEN = "open", "Open"
    DE_ESCALATED = "de_escalated", "De-escalated"
    RESOLVED = "resolved", "Resolved"


class EscalationSettings(models.Model):
    """How a team escalates; a team without settings uses the defaults."""

    team = models.OneToOneField("people.Team", on_delete=models.CASCADE, related_name="escalation_settings")
    via_team_lead = models.BooleanField(default=True, help_text="Escalate to the team lead first; off: straight to managers.")
    on_sla_at_risk = models.BooleanField(default=True)
    on_sla_breached = models.BooleanField(default=True)
    on_customer_asks = models.BooleanField(default=True, help_text="A customer asks for a manager or supervisor.")
    reopen_limit = models.PositiveSmallIntegerField(default=2, help_text="Escalate when reopened this many times; 0: never.")
    vip_tiers = models.JSONField(default=list, blank=True, help_text='Customer tiers escalated on arrival, e.g. ["platinum"].')

    class Meta:
        verbose_name_plural = "escalation settings"

    def __str__(self) -> str:
        return f"Escalation settings of {self.team}"

    def clean(self) -> None:
        tiers = {"standard", "silver", "gold", "platinum"}
        if not isinstance(self.vip_tiers, list) or not set(self.vip_tiers) <= tiers:
            raise ValidationError({"vip_tiers": [f"A list of tiers among: {', '.join(sorted(tiers))}."]})


class Escalation(models.Model):
    """A ticket's escalation: its level now, every step in ``path``, open until de-escalated or resolved."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="escalations")
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    level = models.CharField(max_length=16, choices=Level.choices)
    trigger = models.CharField(max_length=24, choices=Trigger.choices, help_text="What raised it to its level now.")
    reason = models.TextField(blank=True)
    path = models.JSONField(default=list, help_text='[{"level", "trigger", "at", "by", "reason"}, ...] oldest first')
    raised_at = models.DateTimeField()
    escalated_at = models.DateTimeField(help_text="When it reached its level now (what waiting is measured from).")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=16, choices=EscalationState.choices, default=EscalationState.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["escalated_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=models.Q(state="open"), name="escalation_one_open_per_ticket")
        ]
        indexes = [models.Index(fields=["state", "level", "escalated_at"], name="escalation_queue")]

    def __str__(self) -> str:
        return f"Escalation of ticket {self.ticket_id} to {self.get_level_display()}"
