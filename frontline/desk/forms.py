"""Forms of the desk pages. They parse and validate input; the services do the work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django import forms
from django.core import signing
from django.utils import timezone
from django.utils.text import slugify

from frontline.people.models import STAFF_ROLES, Team, User

from .content import Upload
from .models import Channel, FieldType, Priority, Queue, Status, Ticket, TicketField, TicketType
from .services.handle_time import handle_seconds_since
from .services.properties import UNSET, TicketChanges


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def uploads_from(files: list[Any]) -> list[Upload]:
    return [Upload(filename=f.name, content=f.read(), content_type=getattr(f, "content_type", "") or "") for f in files]


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:  # type: ignore[override]
        return obj.display_name


def _staff() -> Any:
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("first_name", "last_name")


# --- handle time: a signed "opened at" travels with the form ------------------------------------

HANDLE_TIMER_SALT = "frontline.desk.handle-timer"


def _timer_signer(*, user_id: int, ticket_id: int | None) -> signing.Signer:
    # The salt binds a token to one agent and one ticket (or to "a new ticket"): it cannot be
    # carried to another ticket or another agent's form.
    return signing.Signer(salt=f"{HANDLE_TIMER_SALT}:{user_id}:{ticket_id if ticket_id is not None else 'new'}")


def handle_timer_token(*, user_id: int, ticket_id: int | None, at: datetime | None = None) -> str:
    """The signed time (default: now) an agent opened a ticket's reply form, or the new-ticket form."""
    opened = int((at or timezone.now()).timestamp())
    return _timer_signer(user_id=user_id, ticket_id=ticket_id).sign(str(opened))


def handle_timer_opened(token: str, *, user_id: int, ticket_id: int | None) -> datetime | None:
    """When the form was opened, or None for a missing, tampered or foreign token."""
    try:
        opened = int(_timer_signer(user_id=user_id, ticket_id=ticket_id).unsign(token or ""))
        return datetime.fromtimestamp(opened, tz=UTC)
    except (signing.BadSignature, ValueError, OverflowError, OSError):
        return None


class HandleTimerForm(forms.Form):
    """A form that measures the agent's handle time: it carries when it was first shown.

    Unbound, it issues a fresh token (or keeps ``opened``, a token from an earlier render of the
    same workspace, when that one is valid); bound and re-rendered after a 409 or 422, it keeps
    the token it was posted with, so a restored draft keeps its original opened time. A bad
    token never fails the form: the message is then stored without handle time.
    """

    opened = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user_id: int, ticket_id: int | None, opened: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timer_user_id, self.timer_ticket_id = user_id, ticket_id
        if not self.is_bound:
            keep = opened and handle_timer_opened(opened, user_id=user_id, ticket_id=ticket_id) is not None
            self.initial["opened"] = opened if keep else handle_timer_token(user_id=user_id, ticket_id=ticket_id)

    def clean_opened(self) -> datetime | None:
        return handle_timer_opened(self.cleaned_data.get("opened", ""), user_id=self.timer_user_id,
                                   ticket_id=self.timer_ticket_id)

    def handle_seconds(self) -> int | None:
        """Seconds from opening to now (capped; see ``services.handle_time``), or None when not measurable."""
        opened = self.cleaned_data.get("opened")
        return None if opened is None else handle_seconds_since(opened, now=timezone.now())


class ReplyForm(HandleTimerForm):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "placeholder": "Write your reply…"}), max_length=50_000)
    public = forms.TypedChoiceField(
        choices=[("1", "Public reply"), ("0", "Internal note")], coerce=lambda v: v == "1",
        initial="1", widget=forms.RadioSelect,
    )
    then_status = forms.ModelChoiceField(
        queryset=Status.objects.all(), required=False, empty_label="Keep status", label="Submit as",
    )
    attachments = MultipleFileField(label="Attachments")
    # Collision detection: the newest message the agent had on screen; a reply sent after a newer
    # one arrived is held once with a warning (views.ticket_reply).
    seen_message = forms.IntegerField(required=False, min_value=0, max_value=2**63 - 1, widget=forms.HiddenInput)


class CustomerReplyForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "placeholder": "Write a reply…"}), max_length=50_000, label="Your reply")
    attachments = MultipleFileField(label="Attachments")


class TicketPropertiesForm(forms.Form):
    status = forms.ModelChoiceField(queryset=Status.objects.all(), empty_label=None)
    priority = forms.ChoiceField(choices=Priority.choices)
    ticket_type = forms.ChoiceField(choices=TicketType.choices, label="Type")
    assignee = StaffChoiceField(queryset=User.objects.none(), required=False, empty_label="— Unassigned —")
    team = forms.ModelChoiceField(queryset=Team.objects.all(), required=False, empty_label="— No team —")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False, empty_label="— No queue —")
    tags = forms.CharField(required=False, help_text="Comma-separated", max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff()
        self.custom_field_defs = list(TicketField.objects.all())
        for definition in self.custom_field_defs:
            self.fields[f"cf_{definition.key}"] = _custom_form_field(definition)

    def custom_values(self) -> dict[str, Any]:
        return {d.key: self.cleaned_data.get(f"cf_{d.key}") for d in self.custom_field_defs}

    def tag_names(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]

    def changes_from(self, ticket: Ticket) -> TicketChanges:
        """Only what differs from the ticket as it is now: the pending edits a reply carries along
        (fields shown unchanged stay UNSET, so they cannot undo what the reply itself changes)."""
        data = self.cleaned_data

        def differs(value: Any, current: Any) -> Any:
            return value if value != current else UNSET

        status, assignee, team, queue = data["status"], data["assignee"], data["team"], data["queue"]
        tags = self.tag_names()
        current_fields = ticket.custom_fields
        fields = {k: v for k, v in self.custom_values().items() if _comparable(v) != _comparable(current_fields.get(k))}
        return TicketChanges(
            status=status if status.pk != ticket.status_id else UNSET,
            priority=differs(data["priority"], ticket.priority),
            ticket_type=differs(data["ticket_type"], ticket.ticket_type),
            assignee=assignee if (assignee.pk if assignee else None) != ticket.assignee_id else UNSET,
            team=team if (team.pk if team else None) != ticket.team_id else UNSET,
            queue=queue if (queue.pk if queue else None) != ticket.queue_id else UNSET,
            tags=tags if {slugify(t, allow_unicode=True) for t in tags} - {""} != {t.name for t in ticket.tags.all()} else UNSET,
            custom_fields=fields or UNSET,
        )


def _comparable(value: Any) -> Any:
    """A custom field value as stored (dates as ISO text; an unticked box, "" and None alike)."""
    if value in (None, "", False):
        return None
    return value.isoformat() if isinstance(value, date) else value


def _custom_form_field(definition: TicketField) -> forms.Field:
    common = {"label": definition.label, "required": False}
    if definition.field_type == FieldType.NUMBER:
        return forms.FloatField(**common)
    if definition.field_type == FieldType.CHECKBOX:
        return forms.BooleanField(**common)
    if definition.field_type == FieldType.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *[(c, c) for c in definition.choices]], **common)
    if definition.field_type == FieldType.DATE:
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    return forms.CharField(max_length=1000, **common)


class MergeForm(forms.Form):
    into = forms.IntegerField(min_value=1, label="Merge this ticket into ticket #",
                              help_text="This ticket closes; the other gets a note with its conversation.")


class NewTicketForm(HandleTimerForm):
    requester_email = forms.EmailField(label="Customer email")
    requester_name = forms.CharField(max_length=200, required=False, label="Customer name", help_text="For a new customer")
    subject = forms.CharField(max_length=250)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Description", max_length=50_000)
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.PHONE)
    priority = forms.ChoiceField(choices=Priority.choices, initial=Priority.NORMAL)
    ticket_type = forms.ChoiceField(choices=TicketType.choices, label="Type")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False, empty_label="— No queue —")
    assignee = StaffChoiceField(queryset=User.objects.none(), required=False, empty_label="— Unassigned —")
    attachments = MultipleFileField(label="Attachments")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff()


class PortalRequestForm(forms.Form):
    subject = forms.CharField(max_length=250, help_text="A few words on what you need")
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="Description", max_length=50_000,
                           help_text="What happened, what you expected, and any order or invoice numbers")
    attachments = MultipleFileField(label="Attachments", help_text="Screenshots, PDFs or documents up to 10 MB each")


def add_service_errors(form: forms.Form, errors: dict[str, list[str]]) -> None:
    """Put a service's ValidationError messages on the form fields they name (else the form)."""
    for field, messages in errors.items():
        target = field if field in form.fields else None
        if field.startswith("custom_fields.") and f"cf_{field.split('.', 1)[1]}" in form.fields:
            target = f"cf_{field.split('.', 1)[1]}"
        for message in messages:
            form.add_error(target, message)
