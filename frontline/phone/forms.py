"""Forms of the phone pages: parsing and field checks only; the services decide and write."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from frontline.desk.models import Queue

from .models import Direction, Disposition

_DURATION_RE = re.compile(r"^(?:(\d{1,2}):)?(\d{1,3}):(\d{2})$")


def duration_parse(text: str) -> int:
    """``"4:12"`` → 252, ``"1:02:03"`` → 3723, ``"90"`` → 90 (plain seconds); ValueError otherwise."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    match = _DURATION_RE.match(text)
    if not match or int(match.group(3)) >= 60:
        raise ValueError(text)
    hours, minutes, seconds = int(match.group(1) or 0), int(match.group(2)), int(match.group(3))
    return hours * 3600 + minutes * 60 + seconds


class DurationField(forms.Field):
    """Minutes and seconds as ``m:ss`` (or ``h:mm:ss``, or whole seconds)."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> int | None:
        text = str(value or "").strip()
        if not text:
            return None
        try:
            return duration_parse(text)
        except ValueError:
            raise forms.ValidationError("Write the time as minutes:seconds, such as 4:30.") from None


class CallForm(forms.Form):
    """A call on a ticket the agent has open (the ticket page's include)."""

    direction = forms.ChoiceField(choices=Direction.choices, initial=Direction.INBOUND)
    started = forms.DateTimeField(required=False, label="Started", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                  help_text="In your time zone; empty: it just ended.")
    talk = DurationField(label="Talk time", widget=forms.TextInput(attrs={"placeholder": "4:30", "inputmode": "numeric"}))
    wrap = DurationField(label="Wrap-up time", required=False,
                         widget=forms.TextInput(attrs={"placeholder": "1:00", "inputmode": "numeric"}),
                         help_text="Time after the call on notes and follow-up.")
    disposition = forms.ChoiceField(choices=[("", "—"), *Disposition.choices], required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000,
                            help_text="Staff only (an internal note).")

    def call_times(self) -> tuple[datetime, int, int]:
        """(start, talk seconds, wrap seconds) from the cleaned data; start defaults to now - talk - wrap."""
        talk = self.cleaned_data["talk"] or 0
        wrap = self.cleaned_data.get("wrap") or 0
        started = self.cleaned_data.get("started")
        if started is None:
            started = timezone.now() - timedelta(seconds=talk + wrap)
        return started, talk, wrap


class NewCallForm(CallForm):
    """The "Log a call" page: on a ticket by number, or as a new ticket."""

    ticket = forms.IntegerField(required=False, min_value=1, label="On ticket #",
                                help_text="Empty: the call opens a new ticket.")
    subject = forms.CharField(required=False, max_length=250, help_text="For a new ticket; empty: “Phone call from …”.")
    email = forms.EmailField(required=False, label="Customer's email")
    number = forms.CharField(required=False, max_length=40, label="Customer's phone number")
    name = forms.CharField(required=False, max_length=100, label="Customer's name")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False)

    field_order = ["ticket", "subject", "email", "number", "name", "queue", "direction", "started", "talk", "wrap",
                   "disposition", "notes"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("ticket") and not data.get("email") and not data.get("number"):
            self.add_error("number", "Give the ticket number, or the customer's email address or phone number.")
        return data


class ConnectorForm(forms.Form):
    name = forms.CharField(max_length=100)
    slug = forms.SlugField(max_length=50, required=False, help_text="The end of the webhook address; empty: from the name.")
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False,
                                   help_text="Where tickets of calls from this system land.")


class ConnectorEditForm(forms.Form):
    name = forms.CharField(max_length=100)
    queue = forms.ModelChoiceField(queryset=Queue.objects.all(), required=False)
    enabled = forms.BooleanField(required=False, help_text="Off: its webhook answers 404 and stores nothing.")
