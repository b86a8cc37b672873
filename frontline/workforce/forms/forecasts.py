"""The form that starts a forecast. It parses; the rules live in ``forecasts.forecast_create``."""

from __future__ import annotations

import re
from datetime import date

from django import forms

from frontline.desk.models import Channel, Queue
from frontline.people.models import Team


class DateListField(forms.CharField):
    """Dates written as YYYY-MM-DD, separated by commas, spaces or new lines."""

    widget = forms.Textarea(attrs={"rows": 2, "placeholder": "2026-12-25, 2026-12-26"})

    def to_python(self, value: str | None) -> list[date]:  # type: ignore[override]
        out, bad = [], []
        for token in re.split(r"[\s,;]+", (value or "").strip()):
            if not token:
                continue
            try:
                out.append(date.fromisoformat(token))
            except ValueError:
                bad.append(token)
        if bad:
            raise forms.ValidationError(f"Not a date (YYYY-MM-DD): {', '.join(bad[:5])}.")
        if len(out) > 400:
            raise forms.ValidationError("At most 400 dates.")
        return sorted(set(out))

    def validate(self, value: list[date]) -> None:  # type: ignore[override]
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ForecastForm(forms.Form):
    name = forms.CharField(max_length=120, label="Name", help_text="E.g. “Billing, next two weeks”.")
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), required=False, empty_label="Every team",
                                  help_text="The team's tickets, its sub-teams included.")
    queue = forms.ModelChoiceField(queryset=Queue.objects.order_by("name"), required=False, empty_label="Every queue")
    channel = forms.ChoiceField(choices=[("", "Every channel"), *Channel.choices], required=False)
    interval_minutes = forms.TypedChoiceField(choices=[(15, "15 minutes"), (30, "30 minutes"), (60, "60 minutes")],
                                              coerce=int, initial=30, label="Interval")
    history_days = forms.IntegerField(min_value=21, max_value=730, initial=91, label="History (days)",
                                      help_text="Whole days before today that the models learn from (21 to 730).")
    horizon_days = forms.IntegerField(min_value=1, max_value=92, initial=14, label="Horizon (days)",
                                      help_text="Days to forecast, from today (1 to 92).")
    opening = forms.TimeField(required=False, label="Opening", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                              help_text="Blank with closing blank = the hours seen in the history.")
    closing = forms.TimeField(required=False, label="Closing", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                              help_text="Exclusive; 00:00 = midnight.")
    time_zone = forms.CharField(max_length=64, required=False, label="Time zone",
                                help_text="Blank = the team's zone (or the queue's team's), else the site's.")
    closed_dates = DateListField(required=False, label="Holidays (closed)",
                                 help_text="Days the centre is shut: forecast as 0 and not learnt from in the history.")
    excluded_dates = DateListField(required=False, label="Special days to ignore",
                                   help_text="Open days of the history that were not typical (an outage, a launch).")
    carry_over = forms.BooleanField(required=False, label="Carry contacts outside the hours into the next opening",
                                    help_text="With opening hours: night email counts at the morning's first interval "
                                              "instead of being left out.")
