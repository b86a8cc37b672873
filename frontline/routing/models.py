"""Routing: how each queue hands out work, agents' skills and capacities, round-robin turns, waiting work.

The decisions themselves are the pure functions of ``frontline.engine.routing``; each one is a
``routed`` desk event (see ``services``), so the routing log is the event log.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Mode(models.TextChoices):
    MANUAL = "manual", "Manual (agents take work themselves)"
    ROUND_ROBIN = "round_robin", "Round-robin"
    LEAST_LOADED = "least_loaded", "Least-loaded"
    SKILLS = "skills", "Skills-based"


# The engine's name of each mode (the rule named in the routing event).
ENGINE_MODE = {Mode.ROUND_ROBIN: "round-robin", Mode.LEAST_LOADED: "least-loaded", Mode.SKILLS: "skills-based"}


class OfflineAction(models.TextChoices):
    KEEP = "keep", "Keep the tickets with the agent"
    REASSIGN = "reassign", "Route them to another agent"
    RETURN = "return", "Return them to the queue (unassigned)"


class QueueRouting(models.Model):
    """How one queue's work is handed out (a queue without a row is routed manually)."""

    queue = models.OneToOneField("desk.Queue", on_delete=models.CASCADE, related_name="routing")
    mode = models.CharField(max_length=16, choices=Mode.choices, default=Mode.MANUAL)
    # [{"name": "language", "value": "{customer.language}", "min_level": 1, "required": true}, …]
    # A value in braces is read from the ticket (see services.REQUIREMENT_SOURCES).
    requirements = models.JSONField(default=list, blank=True)
    drop_preferred_after_s = models.PositiveIntegerField(
        null=True, blank=True, help_text="Skills-based: seconds of waiting after which preferred skills are no longer asked.")
    widen_after_s = models.PositiveIntegerField(
        null=True, blank=True, help_text="Skills-based: seconds of waiting after which anyone in the team may get it.")
    offline_action = models.CharField(max_length=16, choices=OfflineAction.choices, default=OfflineAction.KEEP)
    offline_grace_s = models.PositiveIntegerField(
        default=120, validators=[MaxValueValidator(86_400)],
        help_text="How long an agent may be offline before their open tickets move.")
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["queue__name"]
        verbose_name = "queue routing"

    def __str__(self) -> str:
        return f"{self.queue}: {self.get_mode_display()}"


class AgentSkill(models.Model):
    """A skill of an agent: ``name`` (language, product, tier…) = ``value`` at a level 1-5."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routing_skills")
    name = models.SlugField(max_length=40)
    value = models.CharField(max_length=60)
    level = models.PositiveSmallIntegerField(default=3, validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        ordering = ["name", "value"]
        constraints = [models.UniqueConstraint(fields=["agent", "name", "value"], name="routing_skill_unique")]
        indexes = [models.Index(fields=["name", "value"], name="routing_skill_name_value")]

    def __str__(self) -> str:
        return f"{self.agent}: {self.name}={self.value} ({self.level})"


class AgentCapacity(models.Model):
    """How many open tickets of one channel an agent holds at once (chats: the chat app's limit)."""

    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routing_capacities")
    channel = models.CharField(max_length=16)
    max_open = models.PositiveSmallIntegerField(validators=[MaxValueValidator(500)])

    class Meta:
        ordering = ["channel"]
        verbose_name_plural = "agent capacities"
        constraints = [models.UniqueConstraint(fields=["agent", "channel"], name="routing_capacity_unique")]

    def __str__(self) -> str:
        return f"{self.agent}: {self.max_open} {self.channel}"


class Turn(models.Model):
    """When an agent was last routed work from a queue (round-robin's order)."""

    queue = models.ForeignKey("desk.Queue", on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_routed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue", "agent"], name="routing_turn_unique")]

    def __str__(self) -> str:
        return f"{self.agent} last routed from {self.queue} at {self.last_routed_at:%Y-%m-%d %H:%M}"


class Waiting(models.Model):
    """Work routing could not place yet: since when (fallbacks count from it) and at which stage."""

    ticket = models.OneToOneField("desk.Ticket", on_delete=models.CASCADE, related_name="routing_wait")
    since = models.DateTimeField()
    stage = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=300, blank=True, default="")
    checked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Ticket {self.ticket_id} waiting since {self.since:%Y-%m-%d %H:%M}"
