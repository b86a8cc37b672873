"""Coaching and people development: one-on-ones on a cadence with focuses and action items,
performance reviews with a sign-off flow, kudos, onboarding plans, and versioned policies with
acknowledgements.

Who sees what is decided once, in :mod:`frontline.coaching.selectors`; a focus on a QA criterion
keeps the criterion's id (the quality app's) and its name as written, so coaching works with or
without the quality app.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

USER = settings.AUTH_USER_MODEL


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"


class CoachingPlan(models.Model):
    """How often an agent has a one-on-one, and with whom (one row per agent)."""

    agent = models.OneToOneField(USER, on_delete=models.CASCADE, related_name="coaching_plan")
    coach = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="coachees")
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.BIWEEKLY)
    starts_on = models.DateField(help_text="The first one-on-one is due on this day.")
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["agent__first_name", "agent__last_name"]

    def __str__(self) -> str:
        return f"{self.agent} {self.cadence}"


class SessionKind(models.TextChoices):
    ONE_ON_ONE = "one_on_one", "One-on-one"
    COACHING = "coaching", "Coaching session"


class SessionState(models.TextChoices):
    PLANNED = "planned", "Planned"
    HELD = "held", "Held"


class Session(models.Model):
    """A one-on-one or coaching session. ``agenda`` is the snapshot of the agent's numbers taken
    when the lead prepared it (KPIs against the team, QA, goals), so the record shows what was
    discussed even after the numbers move on."""

    agent = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="coaching_sessions")
    coach = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="coached_sessions")
    kind = models.CharField(max_length=16, choices=SessionKind.choices, default=SessionKind.ONE_ON_ONE)
    state = models.CharField(max_length=8, choices=SessionState.choices, default=SessionState.PLANNED)
    scheduled_on = models.DateField()
    held_at = models.DateTimeField(null=True, blank=True)
    agenda = models.JSONField(default=dict, blank=True)
    shared_notes = models.TextField(blank=True, help_text="Seen by the agent too.")
    private_notes = models.TextField(blank=True, help_text="Seen by the agent's leads and managers only.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-scheduled_on", "-id"]
        indexes = [models.Index(fields=["agent", "scheduled_on"], name="coaching_session_agent_day")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} with {self.agent} on {self.scheduled_on}"


class FocusKind(models.TextChoices):
    KPI = "kpi", "KPI"
    CRITERION = "criterion", "QA criterion"


class Focus(models.Model):
    """A behaviour the agent works on after a session, measured by a KPI or a QA criterion.

    The follow-up compares ``window_days`` before the session with ``window_days`` after it.
    """

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="focuses")
    kind = models.CharField(max_length=16, choices=FocusKind.choices, default=FocusKind.KPI)
    kpi = models.CharField(max_length=32, blank=True)
    criterion_id = models.PositiveIntegerField(null=True, blank=True, help_text="quality.Criterion id")
    criterion_name = models.CharField(max_length=200, blank=True)
    behaviour = models.CharField(max_length=300, help_text="What to do differently, in a sentence.")
    window_days = models.PositiveSmallIntegerField(default=28, validators=[MinValueValidator(7), MaxValueValidator(90)])

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.behaviour


class ActionItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="coaching_actions")
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text


# --- performance reviews ------------------------------------------------------------------------------------------

class ReviewPeriod(models.TextChoices):
    QUARTER = "quarter", "Quarter"
    HALF = "half", "Half year"
    YEAR = "year", "Year"


class ReviewState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted to the agent"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the agent"
    SIGNED_OFF = "signed_off", "Signed off"


COMPETENCIES = (
    ("customer_focus", "Customer focus"),
    ("communication", "Written communication"),
    ("product_knowledge", "Product knowledge"),
    ("ownership", "Ownership and follow-through"),
    ("teamwork", "Teamwork"),
)
RATINGS = ((1, "1 · Below expectations"), (2, "2 · Partly meets"), (3, "3 · Meets"), (4, "4 · Exceeds"),
           (5, "5 · Outstanding"))


class PerformanceReview(models.Model):
    """A formal review of one agent for one period: draft → submitted → acknowledged → signed off.

    ``facts`` is the snapshot of KPIs, QA and goals over the period, taken when the lead submits.
    """

    agent = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="performance_reviews")
    reviewer = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="reviews_written")
    period = models.CharField(max_length=8, choices=ReviewPeriod.choices, default=ReviewPeriod.QUARTER)
    first_day = models.DateField()
    last_day = models.DateField()
    state = models.CharField(max_length=16, choices=ReviewState.choices, default=ReviewState.DRAFT)
    ratings = models.JSONField(default=dict, blank=True, help_text="competency -> 1..5")
    summary = models.TextField(blank=True)
    facts = models.JSONField(default=dict, blank=True)
    agent_comment = models.TextField(blank=True)
    signed_off_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-first_day", "agent__first_name"]
        constraints = [models.UniqueConstraint(fields=["agent", "period", "first_day"], name="coaching_review_one")]

    def __str__(self) -> str:
        return f"{self.get_period_display()} review of {self.agent} from {self.first_day}"


class ReviewEvent(models.Model):
    """The audit trail of a review: created, edited, submitted, acknowledged, reopened, signed off."""

    review = models.ForeignKey(PerformanceReview, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} of review {self.review_id}"


# --- recognition ---------------------------------------------------------------------------------------------------

class Kudos(models.Model):
    giver = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="kudos_given")
    receiver = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="kudos_received")
    message = models.CharField(max_length=500)
    ticket = models.ForeignKey("desk.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "kudos"

    def __str__(self) -> str:
        return f"Kudos to {self.receiver_id} from {self.giver_id}"


# --- onboarding ----------------------------------------------------------------------------------------------------

class ModuleKind(models.TextChoices):
    READING = "reading", "Reading"
    SHADOWING = "shadowing", "Shadowing"
    CHECK = "check", "Knowledge check"


class TrainingPlan(models.Model):
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    days = models.PositiveSmallIntegerField(default=28, help_text="Days from the start to finish the plan.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingModule(models.Model):
    """A step of a plan. A knowledge check has ``questions``: ``[{"text", "options": [...], "answer": index}]``
    and is passed at ``pass_percent`` correct answers or more."""

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="modules")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=ModuleKind.choices, default=ModuleKind.READING)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, help_text="Markdown")
    questions = models.JSONField(default=list, blank=True)
    pass_percent = models.PositiveSmallIntegerField(default=80, validators=[MaxValueValidator(100)])

    class Meta:
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Enrolment(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.PROTECT, related_name="enrolments")
    hire = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="enrolments")
    assigned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    starts_on = models.DateField()
    due_on = models.DateField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "hire"], name="coaching_enrolment_one")]

    def __str__(self) -> str:
        return f"{self.plan_id} for {self.hire_id}"


class ModuleResult(models.Model):
    """A hire's result on one module: done (reading, shadowing) or the latest attempt of a check."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="results")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(default=False)
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "module"], name="coaching_result_one")]

    def __str__(self) -> str:
        return f"Result of module {self.module_id}"


# --- policies ------------------------------------------------------------------------------------------------------

class Policy(models.Model):
    title = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]
        verbose_name_plural = "policies"

    def __str__(self) -> str:
        return self.title


class PolicyVersion(models.Model):
    """One published version; every agent acknowledges each version. Versions are never edited."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(help_text="Markdown")
    change_note = models.CharField(max_length=300, blank=True)
    effective_on = models.DateField()
    published_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="coaching_policy_version_one")]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"


class PolicyAck(models.Model):
    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="acks")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="policy_acks")
    at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="coaching_policy_ack_one")]

    def __str__(self) -> str:
        return f"{self.user_id} acknowledged {self.version_id}"


class PolicyReminder(models.Model):
    """An in-app notice that a version waits for the person's acknowledgement (shown on their page)."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="policy_reminders")
    sent_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Reminder of {self.version_id} to {self.user_id}"
