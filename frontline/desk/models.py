"""Desk: tickets, their messages and attachments, statuses, queues, tags, fields, and the event log.

Every change to a ticket is made by a function in ``desk.services`` that writes the row and
appends a ``TicketEvent`` in the same transaction. Events are never edited or deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEB = "web", "Web"
    CHAT = "chat", "Chat"
    PHONE = "phone", "Phone"
    SOCIAL = "social", "Social"
    API = "api", "API"


class StatusCategory(models.TextChoices):
    NEW = "new", "New"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    ON_HOLD = "on_hold", "On hold"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


# Which category may follow which; the logic keys on categories, never on status names.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    StatusCategory.NEW: frozenset({StatusCategory.OPEN, StatusCategory.PENDING, StatusCategory.ON_HOLD, StatusCategory.SOLVED}),
    StatusCategory.OPEN: frozenset({StatusCategory.PENDING, StatusCategory.ON_HOLD, StatusCategory.SOLVED}),
    StatusCategory.PENDING: frozenset({StatusCategory.OPEN, StatusCategory.ON_HOLD, StatusCategory.SOLVED}),
    StatusCategory.ON_HOLD: frozenset({StatusCategory.OPEN, StatusCategory.PENDING, StatusCategory.SOLVED}),
    StatusCategory.SOLVED: frozenset({StatusCategory.OPEN, StatusCategory.CLOSED}),
    StatusCategory.CLOSED: frozenset(),
}
UNRESOLVED_CATEGORIES = frozenset({StatusCategory.NEW, StatusCategory.OPEN, StatusCategory.PENDING, StatusCategory.ON_HOLD})


class CustomerState(models.TextChoices):
    """What a customer is told about a ticket's status: the categories as the portal words them.

    New, open and on hold all read "awaiting our reply", so internal workflow steps stay internal.
    """

    AWAITING_US = "awaiting_us", "Awaiting our reply"
    AWAITING_YOU = "awaiting_you", "Awaiting your reply"
    SOLVED = "solved", "Solved"
    CLOSED = "closed", "Closed"


CUSTOMER_STATE: dict[str, str] = {
    StatusCategory.NEW: CustomerState.AWAITING_US,
    StatusCategory.OPEN: CustomerState.AWAITING_US,
    StatusCategory.ON_HOLD: CustomerState.AWAITING_US,
    StatusCategory.PENDING: CustomerState.AWAITING_YOU,
    StatusCategory.SOLVED: CustomerState.SOLVED,
    StatusCategory.CLOSED: CustomerState.CLOSED,
}


class Priority(models.TextChoices):
    LOW = "low", "Low"
    NORMAL = "normal", "Normal"
    HIGH = "high", "High"
    URGENT = "urgent", "Urgent"


class TicketType(models.TextChoices):
    QUESTION = "question", "Question"
    INCIDENT = "incident", "Incident"
    PROBLEM = "problem", "Problem"
    TASK = "task", "Task"
    COMPLAINT = "complaint", "Complaint"


class Status(models.Model):
    """A named status in one of the six categories (several names may share a category)."""

    name = models.CharField(max_length=60, unique=True)
    category = models.CharField(max_length=16, choices=StatusCategory.choices)
    is_default = models.BooleanField(default=False, help_text="The status a ticket gets on entering this category.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "statuses"
        constraints = [
            models.UniqueConstraint(fields=["category"], condition=Q(is_default=True), name="one_default_status_per_category")
        ]

    def __str__(self) -> str:
        return self.name


class Queue(models.Model):
    """A place work lands (e.g. Billing, Technical); has a default team."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="queues")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    name = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FieldType(models.TextChoices):
    TEXT = "text", "Text"
    NUMBER = "number", "Number"
    CHOICE = "choice", "Choice"
    CHECKBOX = "checkbox", "Checkbox"
    DATE = "date", "Date"


class TicketField(models.Model):
    """A custom ticket field; values live in ``Ticket.custom_fields`` under ``key``."""

    key = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=100)
    field_type = models.CharField(max_length=16, choices=FieldType.choices, default=FieldType.TEXT)
    choices = models.JSONField(default=list, blank=True, help_text='For choice fields: ["a", "b"]')
    required_to_solve = models.BooleanField(default=False)
    visible_to_customers = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Ticket(models.Model):
    subject = models.CharField(max_length=250)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.WEB)
    status = models.ForeignKey(Status, on_delete=models.PROTECT, related_name="tickets")
    # Denormalised from ``status`` by the services so that queues filter on one indexed column.
    status_category = models.CharField(max_length=16, choices=StatusCategory.choices, default=StatusCategory.NEW)
    priority = models.CharField(max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    ticket_type = models.CharField(max_length=16, choices=TicketType.choices, default=TicketType.QUESTION)
    requester = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="tickets")
    company = models.ForeignKey(
        "customers.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets",
        help_text="The requester's company when the ticket was created.",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    team = models.ForeignKey("people.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="tickets")
    custom_fields = models.JSONField(default=dict, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_from")
    reopen_count = models.PositiveIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    first_response_at = models.DateTimeField(null=True, blank=True)
    solved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Lower-cased subject, requester, message text (notes too) and custom field values, for staff
    # search (see selectors.ticket_search).
    search_text = models.TextField(blank=True, default="")
    # What a customer can see, kept apart so that nothing staff-only reaches a customer's search,
    # count or sort order: subjects and public messages only; public messages; the time of the
    # last change a customer can see (a public message, the customer state, the subject, a field
    # shown to customers). Maintained by the services (and the demo's bulk writer).
    public_search_text = models.TextField(blank=True, default="")
    public_message_count = models.PositiveIntegerField(default=0)
    public_updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-updated_at", "-id"]
        indexes = [
            models.Index(fields=["status_category", "-updated_at", "-id"], name="ticket_cat_updated"),
            models.Index(fields=["assignee", "status_category", "-updated_at"], name="ticket_assignee_cat"),
            models.Index(fields=["team", "status_category", "-updated_at"], name="ticket_team_cat"),
            models.Index(fields=["requester", "-updated_at"], name="ticket_requester"),
            models.Index(fields=["company", "-updated_at"], name="ticket_company"),
            models.Index(fields=["-updated_at", "-id"], name="ticket_updated"),
            models.Index(fields=["created_at"], name="ticket_created"),
            models.Index(fields=["requester", "-public_updated_at", "-id"], name="ticket_requester_public"),
            models.Index(fields=["company", "-public_updated_at", "-id"], name="ticket_company_public"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.subject}"


class AuthorKind(models.TextChoices):
    AGENT = "agent", "Agent"
    CUSTOMER = "customer", "Customer"
    SYSTEM = "system", "System"


class Message(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=16, choices=AuthorKind.choices)
    author_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    author_customer = models.ForeignKey("customers.Customer", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    is_public = models.BooleanField(default=True, help_text="Public reply (customer sees it) or internal note.")
    body_text = models.TextField()
    body_html = models.TextField(help_text="Sanitised HTML; safe to render.")
    handle_seconds = models.PositiveIntegerField(
        null=True, blank=True, help_text="Agent time spent writing this message (handle time); null when not measured."
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="message_ticket_created")]

    def __str__(self) -> str:
        return f"Message {self.pk} on ticket {self.ticket_id}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="attachments/%Y/%m/")
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.filename


class EventKind(models.TextChoices):
    CREATED = "created", "Created"
    REPLIED = "replied", "Public reply"
    NOTE_ADDED = "note_added", "Internal note"
    CUSTOMER_REPLIED = "customer_replied", "Customer reply"
    STATUS_CHANGED = "status_changed", "Status changed"
    REOPENED = "reopened", "Reopened"
    ASSIGNED = "assigned", "Assignee changed"
    TEAM_CHANGED = "team_changed", "Team changed"
    QUEUE_CHANGED = "queue_changed", "Queue changed"
    PRIORITY_CHANGED = "priority_changed", "Priority changed"
    TYPE_CHANGED = "type_changed", "Type changed"
    SUBJECT_CHANGED = "subject_changed", "Subject changed"
    TAGGED = "tagged", "Tags changed"
    FIELDS_CHANGED = "fields_changed", "Fields changed"
    MERGED = "merged", "Merged into another ticket"
    MERGED_IN = "merged_in", "Another ticket merged in"
    # Written by frontline.sla (its periodic check and its policy application), never by the desk.
    SLA_APPLIED = "sla_applied", "SLA policy applied"
    SLA_AT_RISK = "sla_at_risk", "SLA at risk"
    SLA_BREACHED = "sla_breached", "SLA breached"
    # Written by frontline.escalations.
    ESCALATED = "escalated", "Escalated"
    DE_ESCALATED = "de_escalated", "De-escalated"
    ESCALATION_RESOLVED = "escalation_resolved", "Escalation resolved"
    # Written by frontline.surveys.
    SURVEY_SENT = "survey_sent", "Survey sent"
    SURVEY_ANSWERED = "survey_answered", "Survey answered"
    # Written by frontline.chat.
    CHAT_STARTED = "chat_started", "Chat started"
    CHAT_ACCEPTED = "chat_accepted", "Chat accepted"
    CHAT_TRANSFERRED = "chat_transferred", "Chat transferred"
    CHAT_ENDED = "chat_ended", "Chat ended"
    # Written by frontline.phone (calls logged by agents or reported by a telephony system).
    CALL_LOGGED = "call_logged", "Call"
    CALL_MISSED = "call_missed", "Missed call"
    # Written by frontline.routing.
    ROUTED = "routed", "Routed"
    # Written by frontline.automations (macros and rules).
    MACRO_APPLIED = "macro_applied", "Macro applied"
    AUTOMATION_FIRED = "automation_fired", "Automation"
    AUTOMATION_CUT = "automation_cut", "Automation chain stopped"
    # Written by frontline.quality and frontline.insights.
    QA_REVIEWED = "qa_reviewed", "Quality review"
    PROBLEM_LINKED = "problem_linked", "Linked to a problem"


class TicketEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("TicketEvent is append-only: events are never updated")

    def delete(self):  # type: ignore[no-untyped-def]
        raise TypeError("TicketEvent is append-only: events are never deleted")


class TicketEvent(models.Model):
    """One entry of a ticket's append-only history: the audit trail and the source for metrics."""

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    payload = models.JSONField(default=dict, blank=True)

    objects = TicketEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on ticket {self.ticket_id}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None and not self._state.adding:
            raise TypeError("TicketEvent is append-only: events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("TicketEvent is append-only: events are never deleted")
