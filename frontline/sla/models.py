"""Business calendars, SLA policies, the policy applied to a ticket (a snapshot) and its clocks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from frontline.engine.businesstime import MAX_MINUTES, calendar_from_dict


class BusinessCalendar(models.Model):
    """When SLA clocks run: weekly local working intervals in a time zone, minus holidays.

    ``hours`` has the form of ``CAL.json`` (docs/sla.md): ``{"0": [["09:00", "17:00"]], ...}``
    (0 = Monday; several intervals a day for split shifts; an end before the start crosses
    midnight) or ``"24x7"``. Validated through the engine on ``clean()``.
    """

    name = models.CharField(max_length=100, unique=True)
    time_zone = models.CharField(max_length=64, help_text="IANA zone, e.g. Europe/Berlin")
    hours = models.JSONField(
        default=dict,
        help_text='Weekday "0" (Monday) … "6" (Sunday) → [["09:00", "12:00"], ["13:00", "17:00"]]; '
        'an end before the start crosses midnight; or "24x7".',
    )
    holidays = models.JSONField(default=list, blank=True, help_text='Closed local dates: ["2026-12-24", ...]')
    holiday_country = models.CharField(max_length=8, blank=True, help_text="ISO 3166 code: its public holidays are closed")
    holiday_subdivision = models.CharField(max_length=16, blank=True, help_text='e.g. "BE" for Berlin; needs the country')

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def as_dict(self) -> dict[str, Any]:
        """The calendar in the engine's JSON form (what an applied policy snapshots)."""
        data: dict[str, Any] = {"tz": self.time_zone, "hours": self.hours, "holidays": self.holidays or []}
        if self.holiday_country:
            data["country"] = self.holiday_country
        if self.holiday_subdivision:
            data["subdivision"] = self.holiday_subdivision
        return data

    def clean(self) -> None:
        try:
            calendar_from_dict(self.as_dict())
        except ValueError as error:
            text = str(error)
            field = next(
                (f for prefix, f in _ERROR_FIELDS if text.startswith(prefix)), "hours"
            )
            raise ValidationError({field: [text[:1].upper() + text[1:] + "."]}) from None


_ERROR_FIELDS = (("tz", "time_zone"), ("holidays", "holidays"), ("holiday_country", "holiday_country"),
                 ("holiday_subdivision", "holiday_subdivision"), ("country", "holiday_country"),
                 ("subdivision", "holiday_subdivision"))


class TargetKind(models.TextChoices):
    FIRST_REPLY = "first_reply", "First reply"
    NEXT_REPLY = "next_reply", "Next reply"
    RESOLUTION = "resolution", "Resolution"


def _target_field(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(MAX_MINUTES)],
        help_text=f"{label} target in business minutes; empty: no {label.lower()} clock.",
    )


class SLAPolicy(models.Model):
    """Conditions → targets. The first active policy (by position) whose conditions all hold applies.

    An empty condition list matches everything; a non-empty one matches any of its values.
    """

    name = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0, help_text="Lower first: the first matching policy applies.")
    active = models.BooleanField(default=True)
    priorities = models.JSONField(default=list, blank=True)
    channels = models.JSONField(default=list, blank=True)
    tiers = models.JSONField(default=list, blank=True, help_text="The requester's or their company's tier.")
    ticket_types = models.JSONField(default=list, blank=True)
    companies = models.ManyToManyField("customers.Company", blank=True, related_name="+")
    queues = models.ManyToManyField("desk.Queue", blank=True, related_name="+")
    calendar = models.ForeignKey(BusinessCalendar, on_delete=models.PROTECT, related_name="policies")
    first_reply_minutes = _target_field("First reply")
    next_reply_minutes = _target_field("Next reply")
    resolution_minutes = _target_field("Resolution")
    at_risk_percent = models.PositiveSmallIntegerField(
        default=75, validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text="A running clock is at risk once this share of its target is used.",
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"

    def __str__(self) -> str:
        return self.name

    def targets(self) -> dict[str, int | None]:
        return {
            TargetKind.FIRST_REPLY: self.first_reply_minutes,
            TargetKind.NEXT_REPLY: self.next_reply_minutes,
            TargetKind.RESOLUTION: self.resolution_minutes,
        }

    def clean(self) -> None:
        if all(v is None for v in self.targets().values()):
            raise ValidationError("Give at least one target (first reply, next reply or resolution), in business minutes.")
        errors: dict[str, list[str]] = {}
        for name in ("first_reply_minutes", "next_reply_minutes", "resolution_minutes"):
            value = getattr(self, name)
            if value is not None and not 0 < value <= MAX_MINUTES:
                errors[name] = [f"A target must be between 1 and {MAX_MINUTES:,} business minutes (a target of zero has no due time)."]
        if errors:
            raise ValidationError(errors)


class SLAApplication(models.Model):
    """The policy applied to a ticket, as it was then: editing the policy later changes nothing here.

    A ticket has at most one current application (``superseded_at`` empty); re-evaluation after a
    change of priority, type or queue supersedes it with a new one (or with none).
    """

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="sla_applications")
    policy = models.ForeignKey(SLAPolicy, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications")
    policy_name = models.CharField(max_length=100)
    calendar_name = models.CharField(max_length=100)
    calendar = models.JSONField(help_text="The calendar's JSON form when the policy was applied.")
    first_reply_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_reply_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)
    at_risk_percent = models.PositiveSmallIntegerField()
    applied_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket"], condition=models.Q(superseded_at__isnull=True), name="sla_one_current_application")
        ]

    def __str__(self) -> str:
        return f"{self.policy_name} on ticket {self.ticket_id}"

    def target(self, kind: str) -> int | None:
        return getattr(self, f"{kind}_minutes")


class ClockState(models.TextChoices):
    RUNNING = "running", "Running"
    PAUSED = "paused", "Paused"
    MET = "met", "Met"
    BREACHED = "breached", "Breached"
    CANCELLED = "cancelled", "No longer applies"


class SLAClock(models.Model):
    """One target's clock on one ticket: what the metrics work reads (state, breached_at).

    First reply and resolution have ``sequence`` 0; next-reply clocks count 1, 2, … Times are
    UTC instants; ``paused_minutes`` and targets are business minutes.
    """

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="sla_clocks")
    application = models.ForeignKey(SLAApplication, on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(max_length=16, choices=TargetKind.choices)
    sequence = models.PositiveIntegerField(default=0)
    target_minutes = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    stopped_at = models.DateTimeField(null=True, blank=True)
    paused_minutes = models.FloatField(default=0, help_text="Business minutes the clock stood still (pending, on hold, solved).")
    due_at = models.DateTimeField(null=True, blank=True, help_text="Empty while paused.")
    at_risk_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=ClockState.choices)
    breached_at = models.DateTimeField(null=True, blank=True)
    at_risk_event_at = models.DateTimeField(null=True, blank=True, help_text="When the sla_at_risk event was written.")
    breach_event_at = models.DateTimeField(null=True, blank=True, help_text="When the sla_breached event was written.")

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "kind", "sequence"], name="sla_clock_unique")]
        indexes = [
            models.Index(fields=["state", "due_at"], name="sla_clock_state_due"),
            models.Index(fields=["state", "at_risk_at"], name="sla_clock_state_risk"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} clock on ticket {self.ticket_id}"
