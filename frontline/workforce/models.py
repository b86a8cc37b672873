"""Stored forecasts and staffing plans.

A :class:`ForecastRun` is one forecast of contact volume (and handle time) for a scope (a team,
a queue, a channel, or the whole department), computed in the background from the ticket
history: the backtest scores of every model, the chosen model, and per interval the history it
was fitted on and the forecast with its prediction interval (:class:`ForecastInterval`).
A :class:`StaffingPlan` is a set of service targets applied to a forecast; its per-interval
required agents are computed from the engine on demand (``frontline.workforce.staffing``).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

STALE_AFTER = timedelta(minutes=30)
"""A run still *running* this long after it started has lost its worker (restarted or killed)."""


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class BackgroundRun(models.Model):
    """Fields every long computation shares: its state, progress and error, for the page to poll."""

    status = models.CharField(max_length=16, choices=RunStatus.choices, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, validators=[MaxValueValidator(100)], help_text="0 to 100 (%)")
    progress_note = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        """Queued or running (and not stale): pages poll it and refuse a second start."""
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING) and not self.is_stale

    @property
    def is_stale(self) -> bool:
        return (self.status == RunStatus.RUNNING and self.started_at is not None
                and timezone.now() - self.started_at > STALE_AFTER)


class ForecastRun(BackgroundRun):
    name = models.CharField(max_length=120)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="forecasts")
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="forecasts")
    channel = models.CharField(max_length=16, blank=True, help_text="Blank = every channel.")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Intervals follow this zone's clock.")
    interval_minutes = models.PositiveSmallIntegerField(default=30, choices=[(15, "15 min"), (30, "30 min"), (60, "60 min")])
    history_days = models.PositiveSmallIntegerField(default=91, validators=[MinValueValidator(21), MaxValueValidator(730)])
    horizon_days = models.PositiveSmallIntegerField(default=14, validators=[MinValueValidator(1), MaxValueValidator(92)])
    backtest_windows = models.PositiveSmallIntegerField(default=20, validators=[MinValueValidator(1), MaxValueValidator(60)])
    opening = models.TimeField(null=True, blank=True, help_text="Blank with closing blank = open around the clock.")
    closing = models.TimeField(null=True, blank=True)
    carry_over = models.BooleanField(
        default=False, help_text="Count contacts that arrive outside opening hours in the next open interval."
    )
    closed_dates = models.JSONField(default=list, blank=True,
                                    help_text="Holidays: ISO dates the centre is shut (history ignored, forecast 0).")
    excluded_dates = models.JSONField(default=list, blank=True,
                                      help_text="Special days in the history that are not representative (ignored).")
    history_start = models.DateField(null=True, blank=True)
    first_date = models.DateField(null=True, blank=True, help_text="First forecast day.")
    last_date = models.DateField(null=True, blank=True, help_text="Last forecast day.")
    chosen_model = models.CharField(max_length=60, blank=True)
    mase = models.FloatField(null=True, blank=True, help_text="Backtest MASE of the chosen volume model.")
    wape = models.FloatField(null=True, blank=True, help_text="Backtest WAPE of the chosen volume model (0 to 1).")
    scores = models.JSONField(default=list, blank=True, help_text="Volume backtest, one object per model.")
    aht_model = models.CharField(max_length=60, blank=True)
    aht_scores = models.JSONField(default=list, blank=True, help_text="Workload (handle seconds) backtest.")
    lead_blocks = models.JSONField(
        default=list, blank=True, help_text="Volume: which model serves which forecast days, one object per block of days."
    )
    aht_lead_blocks = models.JSONField(
        default=list, blank=True, help_text="Workload: which model serves which forecast days."
    )
    aht_measured_share = models.FloatField(
        null=True, blank=True, help_text="Share of the history's agent messages with a measured handle time (0 to 1)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name


class IntervalKind(models.TextChoices):
    HISTORY = "history", "History"
    FORECAST = "forecast", "Forecast"


class ForecastInterval(models.Model):
    run = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="intervals")
    kind = models.CharField(max_length=8, choices=IntervalKind.choices)
    starts_at = models.DateTimeField()
    volume = models.FloatField(help_text="Contacts (actual for history, point forecast otherwise).")
    lower = models.FloatField(null=True, blank=True)
    upper = models.FloatField(null=True, blank=True)
    handle_seconds = models.FloatField(null=True, blank=True, help_text="Workload: total handle seconds in the interval.")

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["run", "kind", "starts_at"], name="forecast_interval_unique")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.kind} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def aht_s(self) -> float | None:
        if self.handle_seconds is None or self.volume <= 0:
            return None
        return self.handle_seconds / self.volume


class StaffingPlan(models.Model):
    """Service targets applied to a forecast. Empty targets are not applied."""

    name = models.CharField(max_length=120)
    forecast = models.ForeignKey(ForecastRun, on_delete=models.CASCADE, related_name="staffing_plans")
    threshold_s = models.PositiveIntegerField(default=20, help_text="Service-level threshold: answered within … seconds.")
    target_sl = models.FloatField(null=True, blank=True, default=0.8, validators=[MinValueValidator(0.01), MaxValueValidator(0.999)])
    target_asa_s = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.1)])
    max_occupancy = models.FloatField(null=True, blank=True, default=0.85, validators=[MinValueValidator(0.05), MaxValueValidator(1)])
    patience_s = models.FloatField(null=True, blank=True, validators=[MinValueValidator(1)], help_text="Mean patience; set = Erlang A.")
    max_abandon = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0.001), MaxValueValidator(0.999)])
    shrinkage = models.FloatField(default=0.3, validators=[MinValueValidator(0), MaxValueValidator(0.95)])
    concurrency = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(10)])
    default_aht_s = models.FloatField(default=600, validators=[MinValueValidator(1)], help_text="Used where the forecast has no handle time.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.name
