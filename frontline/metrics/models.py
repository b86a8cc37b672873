"""Metrics: per-ticket facts derived from the event log, hourly rollups of them, and targets.

``TicketFact`` is one row per ticket: what :func:`frontline.engine.kpis.ticket_facts` says about
its events (the one definition of every KPI), plus the ticket's slicing dimensions and the
app-level facts the engine does not know (business minutes on the ticket's SLA calendar, handle
time, escalation). ``HourlyRollup`` sums facts per (hour the ticket was created, team, agent,
channel, queue, priority, tier). Both are derived data: ``metrics_rebuild`` rebuilds them from
events, and the incremental path (a desk hook marks a ticket dirty, ``metrics.refresh``
recomputes it) must give exactly the same rows (tests/metrics/test_rollups.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q


class TicketFact(models.Model):
    ticket = models.OneToOneField("desk.Ticket", primary_key=True, on_delete=models.CASCADE, related_name="metrics_fact")
    # Dimensions, as the ticket is now (when its facts were last computed).
    created_at = models.DateTimeField()
    hour = models.DateTimeField(help_text="created_at truncated to the UTC hour: the rollup's key.")
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", help_text="The assignee.")
    channel = models.CharField(max_length=16)
    queue = models.ForeignKey("desk.Queue", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    priority = models.CharField(max_length=16)
    tier = models.CharField(max_length=16, help_text="The requester's tier, else their company's.")
    # The engine's facts (frontline.engine.kpis.TicketFacts).
    category = models.CharField(max_length=16)
    first_reply_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True, help_text="The last solve; empty unless solved now.")
    ever_solved = models.BooleanField(default=False)
    reopens = models.PositiveIntegerField(default=0)
    agent_replies = models.PositiveIntegerField(default=0)
    assignee_count = models.PositiveIntegerField(default=0)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    ces = models.PositiveSmallIntegerField(null=True, blank=True)
    nps = models.PositiveSmallIntegerField(null=True, blank=True)
    # Derived from the above by the engine's properties, stored so that SQL can sum them.
    solved = models.BooleanField(default=False)
    one_touch = models.BooleanField(default=False)
    reassigned = models.BooleanField(default=False)
    first_reply_minutes = models.FloatField(null=True, blank=True)
    resolution_minutes = models.FloatField(null=True, blank=True)
    # App-level facts.
    first_reply_business_minutes = models.FloatField(null=True, blank=True,
                                                     help_text="On the ticket's SLA calendar; empty without one.")
    resolution_business_minutes = models.FloatField(null=True, blank=True)
    handle_seconds = models.PositiveIntegerField(default=0, help_text="Agent time measured on its messages.")
    escalated = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(fields=["created_at"], name="metrics_fact_created"),
            models.Index(fields=["team", "created_at"], name="metrics_fact_team"),
            models.Index(fields=["agent", "created_at"], name="metrics_fact_agent"),
            models.Index(fields=["hour"], name="metrics_fact_hour"),
            # (solved_at, created_at): the backlog at a day's start and the solves per day read the index alone
            models.Index(fields=["solved_at", "created_at"], name="metrics_fact_solved_created"),
        ]

    def __str__(self) -> str:
        return f"Facts of ticket {self.ticket_id}"


class DirtyTicket(models.Model):
    """A ticket whose facts are out of date (written by the desk hook in the desk's transaction)."""

    ticket_id = models.BigIntegerField(primary_key=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Ticket {self.ticket_id} to recompute"


# The sums a rollup row keeps, each over the facts of the tickets created in its hour and slice.
ROLLUP_SUMS = (
    "tickets", "solved", "ever_solved", "reopened", "one_touch", "reassigned", "replied", "escalated",
    "agent_replies_solved", "handle_seconds", "first_reply_minutes_sum", "resolution_minutes_sum",
    "csat_responses", "csat_satisfied", "nps_responses", "nps_promoters", "nps_detractors", "ces_responses", "ces_sum",
)


class HourlyRollup(models.Model):
    """Facts summed per (hour created, team, agent, channel, queue, priority, tier).

    Hours are UTC, so a day in any whole-hour time zone is an exact sum of 24 rows.
    """

    hour = models.DateTimeField()
    team_id = models.BigIntegerField(null=True)
    agent_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=16)
    queue_id = models.BigIntegerField(null=True)
    priority = models.CharField(max_length=16)
    tier = models.CharField(max_length=16)
    tickets = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    ever_solved = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    one_touch = models.PositiveIntegerField(default=0)
    reassigned = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    agent_replies_solved = models.PositiveIntegerField(default=0)
    handle_seconds = models.BigIntegerField(default=0)
    first_reply_minutes_sum = models.FloatField(default=0)
    resolution_minutes_sum = models.FloatField(default=0)
    csat_responses = models.PositiveIntegerField(default=0)
    csat_satisfied = models.PositiveIntegerField(default=0)
    nps_responses = models.PositiveIntegerField(default=0)
    nps_promoters = models.PositiveIntegerField(default=0)
    nps_detractors = models.PositiveIntegerField(default=0)
    ces_responses = models.PositiveIntegerField(default=0)
    ces_sum = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["hour"], name="metrics_rollup_hour"),
            models.Index(fields=["team_id", "hour"], name="metrics_rollup_team"),
        ]

    def __str__(self) -> str:
        return f"Rollup {self.hour:%Y-%m-%d %H}:00"


class TeamHourSample(models.Model):
    """Per (UTC hour created, team): the counts and the per-ticket values a slice's :class:`Sample`
    (metrics/samples.py) is made of, so that the department and team dashboards read one row per
    hour and team instead of one per ticket.

    The values are packed little-endian and sorted within the row: ``first_reply``,
    ``resolution``, ``first_reply_business``, ``resolution_business`` as float64 (the minutes of the
    tickets each KPI is over, as stored in :class:`TicketFact`), ``handle`` as int32 (handle seconds
    of the tickets with any), ``csat``, ``ces``, ``nps`` as uint8 (the scores given). Derived like
    :class:`HourlyRollup`: rebuilt from the facts of the hours a refresh touches, and by
    ``metrics_rebuild`` (tests/metrics/test_samples.py: incremental = rebuild, byte for byte).
    """

    hour = models.DateTimeField()
    team_id = models.BigIntegerField(null=True)
    tickets = models.PositiveIntegerField(default=0)
    solved = models.PositiveIntegerField(default=0)
    ever_solved = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    one_touch = models.PositiveIntegerField(default=0)
    reassigned = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    escalated = models.PositiveIntegerField(default=0)
    agent_replies_solved = models.PositiveIntegerField(default=0)
    first_reply = models.BinaryField(default=b"")
    resolution = models.BinaryField(default=b"")
    first_reply_business = models.BinaryField(default=b"")
    resolution_business = models.BinaryField(default=b"")
    handle = models.BinaryField(default=b"")
    csat = models.BinaryField(default=b"")
    ces = models.BinaryField(default=b"")
    nps = models.BinaryField(default=b"")

    class Meta:
        indexes = [models.Index(fields=["hour", "team_id"], name="metrics_teamhour_hour")]

    def __str__(self) -> str:
        return f"Sample of team {self.team_id} at {self.hour:%Y-%m-%d %H}:00"


class Kpi(models.TextChoices):
    """The KPIs a target can be set on (their definitions: docs/metrics.md)."""

    FIRST_REPLY_MEDIAN = "first_reply_median", "First reply time, median (min)"
    RESOLUTION_MEDIAN = "resolution_median", "Full resolution time, median (min)"
    ONE_TOUCH_RATE = "one_touch_rate", "One-touch resolution (FCR)"
    REOPEN_RATE = "reopen_rate", "Reopen rate"
    REASSIGNMENT_RATE = "reassignment_rate", "Reassignment rate"
    ESCALATION_RATE = "escalation_rate", "Escalation rate"
    HANDLE_TIME_MEAN = "handle_time_mean", "Average handle time per ticket (s)"
    CSAT = "csat", "CSAT"
    NPS = "nps", "NPS"
    SOLVED = "solved", "Tickets solved"
    QA_SCORE = "qa_score", "Quality score (QA, 0-100)"
    COST_PER_CONTACT = "cost_per_contact", "Cost per contact (the budget's currency)"


# Whether more is better, per KPI (the status of a target reads it).
HIGHER_IS_BETTER: dict[str, bool] = {
    Kpi.FIRST_REPLY_MEDIAN: False, Kpi.RESOLUTION_MEDIAN: False, Kpi.ONE_TOUCH_RATE: True,
    Kpi.REOPEN_RATE: False, Kpi.REASSIGNMENT_RATE: False, Kpi.ESCALATION_RATE: False,
    Kpi.HANDLE_TIME_MEAN: False, Kpi.CSAT: True, Kpi.NPS: True, Kpi.SOLVED: True,
    Kpi.QA_SCORE: True, Kpi.COST_PER_CONTACT: False,
}


class TargetPeriod(models.TextChoices):
    WEEK = "week", "Week"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"


class Target(models.Model):
    """A target on one KPI per period, for the department (no team, no agent), a team or an agent.

    Versioned: changing a target supersedes the current row (``superseded_at``) and adds a new
    one, so the history of what was asked and when stays.
    """

    kpi = models.CharField(max_length=32, choices=Kpi.choices)
    period = models.CharField(max_length=16, choices=TargetPeriod.choices, default=TargetPeriod.MONTH)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                              related_name="+")
    value = models.FloatField(validators=[MinValueValidator(-100)],
                              help_text="Rates as fractions (0.8), times in minutes or seconds as the KPI says.")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    created_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kpi", "-created_at"]
        # One current target per (kpi, period, scope): kept by services.target_set, which locks.
        constraints = [
            models.CheckConstraint(condition=Q(team__isnull=True) | Q(agent__isnull=True), name="metrics_target_one_scope"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kpi_display()} {self.value} per {self.period}"

    @property
    def scope(self) -> str:
        return "agent" if self.agent_id else "team" if self.team_id else "department"
