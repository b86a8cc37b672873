"""The adherence pages' forms: a team the viewer may pick, and a period of whole days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms

from .forms import check_days

MAX_DAYS = 62
PRESETS = {"today": "Today", "yesterday": "Yesterday", "this_week": "This week", "last_week": "Last week"}


def preset_range(preset: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this_week": (monday, today),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
    }[preset]


class TeamForm(forms.Form):
    """A team the viewer may pick (leads: the teams they lead; agents get no team field)."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], all_label: str = "All my teams", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", all_label), *teams]
        if not teams:
            del self.fields["team"]


class PeriodForm(TeamForm):
    """A period of whole days in the viewer's zone: a preset, or first and last day."""

    field_order = ["preset", "start", "end", "team"]
    preset = forms.ChoiceField(label="Period", required=False, choices=[("", "Custom dates"), *PRESETS.items()])
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, teams: list[tuple[int, str]], today: date, **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_days(self, "start", "end")
        preset = data.get("preset")
        if preset:
            data["start"], data["end"] = preset_range(preset, self.today)
        elif not self.errors:
            if not data.get("start") and not data.get("end"):
                data["start"], data["end"] = preset_range("this_week", self.today)
                data["preset"] = "this_week"
            elif not data.get("start"):
                self.add_error("start", "Enter the first day, or pick a period.")
            elif not data.get("end"):
                self.add_error("end", "Enter the last day, or pick a period.")
        start, end = data.get("start"), data.get("end")
        if start and end and not self.errors:
            if end < start:
                self.add_error("end", "The last day must not be before the first.")
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", f"Choose at most {MAX_DAYS} days.")
            else:  # dates that match a preset show it as chosen (links carry dates, not presets)
                data["preset"] = next((k for k in PRESETS if preset_range(k, self.today) == (start, end)), "")
        return data
