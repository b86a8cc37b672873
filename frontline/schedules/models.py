"""Shift types, weekly schedules of named agents' shifts, time off, and the log of schedule edits.

A :class:`Schedule` is one team's week. It is built by the optimiser in the background from a
staffing plan (``frontline.workforce``) and the team's shift types, edited by hand, and
published. Adherence (``frontline.schedules.adherence``) compares agents' availability log with
the shifts of *published* schedules. Times are stored as aware datetimes (UTC in the database)
and shown in the viewer's zone; the week itself starts at midnight on Monday in the team's zone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from frontline.workforce.models import BackgroundRun


def all_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4, 5, 6]


class ShiftType(models.Model):
    """A shape of shift the optimiser may use: its length, allowed start times and days, breaks.

    ``breaks`` is a list of ``{"minutes": 30, "earliest_offset": 180, "latest_offset": 300,
    "paid": false}``: offsets in minutes from the shift's start.
    """

    name = models.CharField(max_length=80)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="shift_types",
                             help_text="Blank = every team may use it.")
    length_minutes = models.PositiveSmallIntegerField(validators=[MinValueValidator(60), MaxValueValidator(16 * 60)])
    earliest_start = models.TimeField()
    latest_start = models.TimeField(help_text="May be earlier than the earliest start for shifts that begin late at night.")
    start_step_minutes = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(15)])
    days = models.JSONField(default=all_weekdays, help_text="Weekdays it may start on, 0 = Monday.")
    breaks = models.JSONField(default=list, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScheduleStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Objective(models.TextChoices):
    SERVICE_LEVEL = "service_level", "Meet the service level cheaply"
    COVER = "cover", "Cover every interval"


class Schedule(BackgroundRun):
    """One team's week. ``status``/``progress`` (from :class:`BackgroundRun`) track the optimiser;
    ``state`` says whether agents see it."""

    team = models.ForeignKey("people.Team", on_delete=models.CASCADE, related_name="schedules")
    week_start = models.DateField(help_text="The Monday the week starts on (team's zone).")
    staffing_plan = models.ForeignKey("workforce.StaffingPlan", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="schedules")
    state = models.CharField(max_length=16, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT)
    objective = models.CharField(max_length=16, choices=Objective.choices, default=Objective.SERVICE_LEVEL)
    time_limit_s = models.PositiveSmallIntegerField(default=30, validators=[MinValueValidator(5), MaxValueValidator(600)])
    report = models.JSONField(default=dict, blank=True, help_text="The optimiser's report: gap, hours, shortfalls.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week_start", "team__name"]
        constraints = [models.UniqueConstraint(fields=["team", "week_start"], name="one_schedule_per_team_week")]

    def __str__(self) -> str:
        return f"{self.team} · week of {self.week_start:%Y-%m-%d}"


class Shift(models.Model):
    """A named agent's shift. ``breaks`` is a list of ``{"start": ISO, "end": ISO, "paid": bool}``."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="shifts")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts")
    shift_type = models.ForeignKey(ShiftType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    breaks = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at", "agent_id"]
        indexes = [
            models.Index(fields=["agent", "starts_at"], name="shift_agent_start"),
            models.Index(fields=["schedule", "starts_at"], name="shift_schedule_start"),
        ]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.agent} {self.starts_at:%a %H:%M}-{self.ends_at:%H:%M}"


class ShiftChange(models.Model):
    """Append-only log of edits to a schedule's shifts (by hand or by the optimiser) and of publishing."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=24)  # added, changed, removed, generated, published, unpublished
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}"


class TimeOffStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"


class TimeOff(models.Model):
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16, choices=TimeOffStatus.choices, default=TimeOffStatus.REQUESTED)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True, help_text="Why it was approved or declined; shown to the requester.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["agent", "starts_at"], name="timeoff_agent_start")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="timeoff_ends_after_start")]

    def __str__(self) -> str:
        return f"{self.agent} off {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"
