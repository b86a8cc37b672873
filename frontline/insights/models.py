"""Insights: the feedback inbox (survey comments, first customer messages, imported reviews), each
item's labels (kind, sentiment, language; the manager's corrections), the classifier trained on
those corrections, topics and the runs that discover them, trend alerts, and problems (one
underlying cause: its tickets and feedback, owner department, status, fix date).

An item's identity is its ``dedupe_key`` (unique): ``survey:<response id>``, ``ticket:<ticket
id>``, ``review:<source>:<external id>`` or ``hash:<sha256 of the normalised text>`` for a review
without an external id, so importing or syncing the same thing twice adds nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Source(models.TextChoices):
    SURVEY = "survey", "Survey comment"
    TICKET = "ticket", "First message of a ticket"
    REVIEW = "review", "Imported review"


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    PRAISE = "praise", "Praise"
    QUESTION = "question", "Question"
    SUGGESTION = "suggestion", "Suggestion"


class Sentiment(models.TextChoices):
    NEGATIVE = "negative", "Negative"
    NEUTRAL = "neutral", "Neutral"
    POSITIVE = "positive", "Positive"


class ImportState(models.TextChoices):
    UPLOADED = "uploaded", "Waiting for the column mapping"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Failed"


class ImportBatch(models.Model):
    """One CSV upload: the file's text, the column mapping the manager chose, and the outcome."""

    filename = models.CharField(max_length=255)
    content = models.TextField(help_text="The uploaded CSV as text (decoded as UTF-8).")
    mapping = models.JSONField(default=dict, blank=True, help_text="field -> column name.")
    source_name = models.CharField(max_length=60, blank=True, help_text="Source when the file has no source column.")
    state = models.CharField(max_length=16, choices=ImportState.choices, default=ImportState.UPLOADED)
    rows = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0, help_text="Rows processed so far (progress).")
    imported = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[[row number, message], …] (first 50).")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.filename})"


class FeedbackItem(models.Model):
    """One piece of customer feedback with its labels; the text is stored as plain text."""

    source = models.CharField(max_length=16, choices=Source.choices)
    source_name = models.CharField(max_length=60, blank=True, help_text="Where a review came from (App Store, …).")
    external_id = models.CharField(max_length=200, blank=True)
    dedupe_key = models.CharField(max_length=300, unique=True)
    text = models.TextField()
    created_at = models.DateTimeField(help_text="When the customer gave the feedback.")
    added_at = models.DateTimeField(help_text="When it entered the inbox.")
    score = models.SmallIntegerField(null=True, blank=True)
    score_scale = models.CharField(max_length=16, blank=True, help_text="csat, ces, nps, or stars (imports).")
    customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    customer_name = models.CharField(max_length=200, blank=True)
    customer_email = models.CharField(max_length=254, blank=True)
    ticket = models.ForeignKey("desk.Ticket", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    kind = models.CharField(max_length=16, choices=Kind.choices, blank=True)
    kind_corrected = models.BooleanField(default=False, help_text="Set by a person (a training and evaluation label).")
    sentiment = models.CharField(max_length=16, choices=Sentiment.choices, blank=True)
    sentiment_corrected = models.BooleanField(default=False)
    language = models.CharField(max_length=8, blank=True, help_text="ISO 639-1 code; 'und' when unsure.")
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    corrected_at = models.DateTimeField(null=True, blank=True)
    topic = models.ForeignKey("Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    topic_similarity = models.FloatField(null=True, blank=True)
    topic_run = models.ForeignKey("TopicRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                  help_text="The run whose embedder placed it (empty: not yet placed).")

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="feedback_created"),
            models.Index(fields=["topic", "created_at"], name="feedback_topic_created"),
            models.Index(fields=["ticket"], name="feedback_ticket"),
            models.Index(fields=["kind", "sentiment"], name="feedback_labels"),
        ]

    def __str__(self) -> str:
        return f"Feedback {self.pk} ({self.get_source_display()})"


class ClassifierModel(models.Model):
    """A kind or sentiment classifier trained on the manager's corrections, and its evaluation."""

    target = models.CharField(max_length=16, choices=[("kind", "Kind"), ("sentiment", "Sentiment")])
    blob = models.BinaryField(help_text="The pickled engine Classifier and its embedder.")
    backend = models.CharField(max_length=16)
    trained_on = models.PositiveIntegerField(help_text="Corrections it was trained on.")
    evaluated_on = models.PositiveIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)
    macro_f1 = models.FloatField(null=True, blank=True)
    method = models.CharField(max_length=200, blank=True, help_text="How the scores were measured.")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.target} classifier {self.pk}"


class RunState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class TopicRun(models.Model):
    """One topic discovery over the inbox (or a split of one topic), run in the background."""

    kind = models.CharField(max_length=16, default="discover", choices=[("discover", "Discovery"), ("split", "Split")])
    state = models.CharField(max_length=16, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent done.")
    step = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    backend = models.CharField(max_length=16, blank=True)
    missing = models.CharField(max_length=300, blank=True, help_text="Why sentence embeddings were not used.")
    embedder = models.BinaryField(null=True, blank=True, help_text="The fitted embedder (pickled), for assigning new items.")
    items = models.PositiveIntegerField(default=0)
    topics = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0, help_text="Topics that kept an identity from the run before.")
    assign_threshold = models.FloatField(default=0.0, help_text="Cosine similarity a new item needs to join a topic.")
    split_topic = models.ForeignKey("Topic", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Topic run {self.pk} ({self.state})"


class Topic(models.Model):
    """A theme of feedback. Its id stays across re-runs (matched by centroid); a person's name for
    it (``renamed``) is kept over the run's label."""

    label = models.CharField(max_length=120)
    renamed = models.BooleanField(default=False)
    keywords = models.JSONField(default=list, blank=True)
    centroid = models.JSONField(default=list, blank=True, help_text="Unit vector in the latest run's embedding space.")
    size = models.PositiveIntegerField(default=0)
    representatives = models.JSONField(default=list, blank=True, help_text="Feedback item ids nearest the centre.")
    run = models.ForeignKey(TopicRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                            help_text="The latest run that found it.")
    active = models.BooleanField(default=True, help_text="Off: merged away or not found by the latest run.")
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return self.label


class AlertKind(models.TextChoices):
    SPIKE = "spike", "Spike"
    EMERGING = "emerging", "Emerging topic"


class Alert(models.Model):
    """A week in which a topic's volume was improbably high against its own baseline."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(max_length=16, choices=AlertKind.choices)
    week = models.DateField(help_text="Monday of the week (UTC).")
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    p_value = models.FloatField()
    evidence = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-week", "p_value"]
        constraints = [models.UniqueConstraint(fields=["topic", "kind", "week"], name="insights_alert_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.topic} in week {self.week}"


class Department(models.TextChoices):
    PRODUCT = "product", "Product"
    BILLING = "billing", "Billing"
    LOGISTICS = "logistics", "Logistics"
    ENGINEERING = "engineering", "Engineering"
    SUPPORT = "support", "Support"
    OTHER = "other", "Other"


class ProblemStatus(models.TextChoices):
    OPEN = "open", "Open"
    INVESTIGATING = "investigating", "Investigating"
    FIX_SHIPPED = "fix_shipped", "Fix shipped"
    CLOSED = "closed", "Closed"


class Problem(models.Model):
    """One underlying cause: the tickets and feedback it produced, who owns the fix, and its status."""

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    department = models.CharField(max_length=16, choices=Department.choices, default=Department.PRODUCT)
    external_url = models.URLField(max_length=500, blank=True, help_text="The owning team's issue (http or https).")
    status = models.CharField(max_length=16, choices=ProblemStatus.choices, default=ProblemStatus.OPEN)
    fix_shipped_on = models.DateField(null=True, blank=True)
    topic = models.ForeignKey(Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="problems")
    tickets = models.ManyToManyField("desk.Ticket", through="ProblemTicket", related_name="+")
    feedback = models.ManyToManyField(FeedbackItem, blank=True, related_name="problems")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class ProblemTicket(models.Model):
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="links")
    ticket = models.ForeignKey("desk.Ticket", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "ticket"], name="insights_problem_ticket")]

    def __str__(self) -> str:
        return f"Ticket {self.ticket_id} in problem {self.problem_id}"


class InsightsConfig(models.Model):
    """The one configuration row (pk 1)."""

    cancellation_phrases = models.TextField(
        default="cancel\nclose my account\nterminate\nunsubscribe\nswitch to another\nrefund and cancel",
        help_text="One phrase per line; a ticket or feedback mentioning one counts as a cancellation mentioned.")
    min_similarity = models.FloatField(default=0.35, help_text="New items join a topic at or above this cosine similarity.")
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return "Insights configuration"
