"""Quality: rubrics (versioned: sections and criteria), reviews and their scores, disputes,
sampling assignments, calibration sessions and auto-QA results.

A rubric is a name; what is scored is one of its versions. Editing a rubric that has reviews makes
a new version (``services.rubric_version_create``); a review keeps the version it was scored on.
Criteria carry a ``key`` that stays the same across versions, so a criterion's scores can be
followed over versions; the total is a percentage of attainable weighted points (see
``scoring.py`` and docs/quality.md), comparable across versions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Scale(models.TextChoices):
    YES_NO = "yes_no", "Yes / no"
    YES_NO_NA = "yes_no_na", "Yes / no / N/A"
    ONE_FIVE = "one_five", "1\u20135"
    ONE_FIVE_NA = "one_five_na", "1\u20135 / N/A"


class Rubric(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive: kept for its reviews, not offered for new ones.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RubricVersion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    note = models.CharField(max_length=300, blank=True, help_text="What changed from the version before.")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["rubric__name", "-number"]
        constraints = [models.UniqueConstraint(fields=["rubric", "number"], name="quality_rubric_version_number")]

    def __str__(self) -> str:
        return f"{self.rubric.name} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="sections")
    title = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="criteria")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="criteria")
    key = models.SlugField(max_length=60, help_text="Stays the same across versions of the rubric.")
    label = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, help_text="What each score means, for reviewers.")
    scale = models.CharField(max_length=16, choices=Scale.choices, default=Scale.YES_NO)
    weight = models.PositiveSmallIntegerField(default=1)
    auto_fail = models.BooleanField(default=False, help_text="Critical error: its lowest score makes the total 0 %.")
    auto_check = models.CharField(max_length=32, blank=True, help_text="The auto-QA check this criterion matches.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="quality_criterion_version_key")]

    def __str__(self) -> str:
        return self.label


class Calibration(models.Model):
    """A calibration session: invited reviewers score the same tickets blind, then the scores are
    revealed side by side and discussed. An optional expert's scores are the gold standard."""

    class State(models.TextChoices):
        OPEN = "open", "Scoring (blind)"
        REVEALED = "revealed", "Revealed"

    title = models.CharField(max_length=150)
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="calibrations")
    tickets = models.ManyToManyField("desk.Ticket", related_name="+")
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="calibrations")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", help_text="Optional: whose scores are the gold standard.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    revealed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CalibrationNote(models.Model):
    calibration = models.ForeignKey(Calibration, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    criterion_key = models.SlugField(max_length=60, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note on {self.calibration_id} by {self.author_id}"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class AgentResponse(models.TextChoices):
    NONE = "", "Not yet seen"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    DISPUTED = "disputed", "Disputed"
    RESOLVED = "resolved", "Dispute resolved"


class Review(models.Model):
    """One reviewer's scores of one ticket's handling by one agent on one rubric version.

    A review inside a calibration session (``calibration`` set) is a calibration score: never
    shown to the agent, never counted in the agent's results."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.PROTECT, related_name="qa_reviews")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_reviews_received")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_reviews_given")
    version = models.ForeignKey(RubricVersion, on_delete=models.PROTECT, related_name="reviews")
    calibration = models.ForeignKey(Calibration, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="reviews")
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    total = models.FloatField(null=True, blank=True, help_text="Percent of attainable weighted points (0 to 100).")
    auto_failed = models.BooleanField(default=False)
    summary = models.TextField(blank=True, help_text="Feedback to the agent.")
    private_note = models.TextField(blank=True, help_text="For reviewers and leads; never shown to the agent.")
    created_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    agent_response = models.CharField(max_length=16, choices=AgentResponse.choices, blank=True, default="")
    agent_response_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "reviewer", "calibration"], name="quality_review_once",
                                    condition=Q(calibration__isnull=False)),
        ]
        indexes = [models.Index(fields=["agent", "submitted_at"], name="quality_review_agent_time")]

    def __str__(self) -> str:
        return f"Review {self.pk} of #{self.ticket_id}"


class Score(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(null=True, blank=True,
                                             help_text="Yes/no: 1 yes, 0 no; 1 to 5; empty: N/A (or not scored yet).")
    na = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    message = models.ForeignKey("desk.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                help_text="The message the comment points at.")

    class Meta:
        ordering = ["criterion__section__position", "criterion__position", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="quality_score_once")]

    def __str__(self) -> str:
        return f"Score of criterion {self.criterion_id} in review {self.review_id}"


class Dispute(models.Model):
    class Outcome(models.TextChoices):
        OPEN = "", "Open"
        UPHELD = "upheld", "Review upheld"
        CHANGED = "changed", "Scores changed"

    review = models.OneToOneField(Review, on_delete=models.CASCADE, related_name="dispute")
    reason = models.TextField()
    raised_at = models.DateTimeField()
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True, default="")
    note = models.TextField(blank=True, help_text="The resolver's explanation, shown to the agent.")
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    total_before = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Dispute of review {self.review_id}"


class Pool(models.TextChoices):
    RANDOM = "random", "Random"
    LOW_CSAT = "low_csat", "Low CSAT"
    ESCALATED = "escalated", "Escalated"
    REOPENED = "reopened", "Reopened"
    LONG_HANDLE = "long_handle", "Long handle time"
    NEW_HIRE = "new_hire", "New hire"


class Assignment(models.Model):
    """A ticket to review this week, given to a reviewer by the sampler; says which pool it came from."""

    week = models.DateField(help_text="Monday of the week.")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qa_assignments")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    pool = models.CharField(max_length=16, choices=Pool.choices)
    reason = models.CharField(max_length=300)
    seed = models.BigIntegerField()
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["week", "agent_id", "id"]
        constraints = [models.UniqueConstraint(fields=["week", "ticket"], name="quality_assignment_once")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} for {self.reviewer_id} (week of {self.week})"


class AutoQaPolicy(models.Model):
    """Phrases auto-QA looks for: one global row (no queue) and optional rows per queue."""

    queue = models.OneToOneField("desk.Queue", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    required_phrases = models.TextField(blank=True, help_text="One per line.")
    forbidden_phrases = models.TextField(blank=True, help_text="One per line.")
    greeting_required = models.BooleanField(default=True)
    closing_required = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["queue"], condition=Q(queue__isnull=True),
                                               name="quality_autoqa_one_global")]

    def __str__(self) -> str:
        return f"Auto-QA policy for {self.queue or 'every queue'}"


class AutoCheck(models.Model):
    """One auto-QA check's result on one ticket, as of the ticket's last activity checked."""

    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    check_name = models.CharField(max_length=32)
    outcome = models.CharField(max_length=8)
    score = models.FloatField(null=True, blank=True)
    evidence = models.TextField(blank=True)
    turn_index = models.IntegerField(null=True, blank=True)
    activity_at = models.DateTimeField(help_text="The ticket's last message when checked.")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["ticket_id", "check_name"]
        constraints = [models.UniqueConstraint(fields=["ticket", "check_name"], name="quality_autocheck_once")]

    def __str__(self) -> str:
        return f"{self.check_name} on #{self.ticket_id}: {self.outcome}"
