"""Forms of the schedule pages. They parse input; the rules live in ``services``.

Times typed in a form are on the viewer's clock (the active time zone).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.utils import timezone

from frontline.people.models import Team, User
from frontline.workforce.models import StaffingPlan

from .models import Objective, ShiftType
from .services import BreakRule, BreakSpan

WEEKDAYS = [(0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun")]


class ScheduleForm(forms.Form):
    team = forms.ModelChoiceField(queryset=Team.objects.none(), empty_label=None)
    week_start = forms.DateField(label="Week starting (Monday)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    staffing_plan = forms.ModelChoiceField(queryset=StaffingPlan.objects.none(), label="Staffing plan",
                                           help_text="The required agents per interval come from this plan.")
    objective = forms.ChoiceField(choices=Objective.choices, initial=Objective.SERVICE_LEVEL,
                                  help_text="Service level: the cheapest week meeting the plan's target over the week. "
                                            "Cover: every interval gets its required heads.")
    time_limit_s = forms.IntegerField(min_value=5, max_value=600, initial=30, label="Time limit (s)",
                                      help_text="How long the optimiser may search, 5 to 600 seconds.")

    def __init__(self, *args: Any, teams: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.fields["staffing_plan"].queryset = plans
        self.fields["staffing_plan"].label_from_instance = lambda p: f"{p.name} · {p.forecast.name}"


def _break_fields(prefix: str, n: int) -> dict[str, forms.Field]:
    return {
        f"{prefix}{n}_minutes": forms.IntegerField(min_value=15, max_value=240, required=False, label=f"Break {n}: minutes"),
        f"{prefix}{n}_earliest": forms.IntegerField(min_value=0, max_value=960, required=False,
                                                    label=f"Break {n}: earliest start (minutes in)"),
        f"{prefix}{n}_latest": forms.IntegerField(min_value=0, max_value=960, required=False,
                                                  label=f"Break {n}: latest start (minutes in)"),
        f"{prefix}{n}_paid": forms.BooleanField(required=False, label=f"Break {n}: paid"),
    }


class ShiftTypeForm(forms.Form):
    name = forms.CharField(max_length=80)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="Every team",
                                  help_text="Shared shift types are for managers to change.")
    length_minutes = forms.IntegerField(min_value=60, max_value=960, label="Length (minutes)", initial=480)
    earliest_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"), initial=time(8))
    latest_start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"), initial=time(10),
                                   help_text="Earlier than the earliest start = the window runs past midnight.")
    start_step_minutes = forms.IntegerField(min_value=15, max_value=240, initial=30, label="Start every (minutes)")
    days = forms.TypedMultipleChoiceField(choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple,
                                          initial=[0, 1, 2, 3, 4], label="Days it may start on")
    active = forms.BooleanField(required=False, initial=True, help_text="Inactive types are not offered to the optimiser.")

    def __init__(self, *args: Any, teams: Any, shared_allowed: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        if not shared_allowed:  # leads make types for their own teams
            self.fields["team"].required = True
            self.fields["team"].empty_label = None
            self.fields["team"].help_text = "Shift types every team shares are changed by managers."
        for n in (1, 2):
            self.fields.update(_break_fields("break", n))

    @classmethod
    def initial_for(cls, st: ShiftType) -> dict[str, Any]:
        data: dict[str, Any] = {"name": st.name, "team": st.team_id, "length_minutes": st.length_minutes,
                                "earliest_start": st.earliest_start, "latest_start": st.latest_start,
                                "start_step_minutes": st.start_step_minutes, "days": st.days, "active": st.active}
        for n, b in enumerate(st.breaks[:2], start=1):
            data |= {f"break{n}_minutes": b["minutes"], f"break{n}_earliest": b["earliest_offset"],
                     f"break{n}_latest": b["latest_offset"], f"break{n}_paid": b.get("paid", False)}
        return data

    def breaks(self) -> list[BreakRule]:
        out = []
        for n in (1, 2):
            minutes = self.cleaned_data.get(f"break{n}_minutes")
            if minutes:
                earliest = self.cleaned_data.get(f"break{n}_earliest") or 0
                latest = self.cleaned_data.get(f"break{n}_latest")
                out.append(BreakRule(minutes=minutes, earliest_offset=earliest,
                                     latest_offset=earliest if latest is None else latest,
                                     paid=bool(self.cleaned_data.get(f"break{n}_paid"))))
        return out


# Days a form accepts: far-off dates overflow the date arithmetic (a day later, the zone) with a 500.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(2999, 12, 31)


def check_days(form: forms.Form, *names: str) -> None:
    """An error on each named date field outside FIRST_DAY..LAST_DAY (call from ``clean``)."""
    for name in names:
        day = form.cleaned_data.get(name)
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            form.add_error(name, f"Pick a day between {FIRST_DAY:%Y} and {LAST_DAY:%Y}.")


def _aware(day: date, at: time) -> datetime:
    return timezone.make_aware(datetime.combine(day, at), timezone.get_current_timezone())


class ShiftForm(forms.Form):
    """One shift on the viewer's clock; an end at or before the start means the next day."""

    agent = forms.ModelChoiceField(queryset=User.objects.none(), empty_label=None)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"))
    end = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
                          help_text="At or before the start: the shift ends the next day.")
    note = forms.CharField(max_length=200, required=False)

    def __init__(self, *args: Any, agents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agent"].queryset = agents
        self.fields["agent"].label_from_instance = lambda u: u.display_name
        for n in (1, 2):
            self.fields[f"break{n}_start"] = forms.TimeField(required=False, label=f"Break {n} starts",
                                                             widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"))
            self.fields[f"break{n}_minutes"] = forms.IntegerField(min_value=5, max_value=240, required=False,
                                                                  label=f"Break {n} minutes")
            self.fields[f"break{n}_paid"] = forms.BooleanField(required=False, label=f"Break {n} paid")

    @classmethod
    def initial_for(cls, shift: Any, breaks: list[Any]) -> dict[str, Any]:
        start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
        data: dict[str, Any] = {"agent": shift.agent_id, "day": start.date(), "start": start.time(), "end": end.time(),
                                "note": shift.note}
        for n, b in enumerate(breaks[:2], start=1):
            data |= {f"break{n}_start": timezone.localtime(b.start).time(),
                     f"break{n}_minutes": int((b.end - b.start).total_seconds() // 60), f"break{n}_paid": b.paid}
        return data

    def span(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        starts_at = _aware(d["day"], d["start"])
        ends_at = _aware(d["day"] + timedelta(days=1) if d["end"] <= d["start"] else d["day"], d["end"])
        return starts_at, ends_at

    def breaks(self) -> list[BreakSpan]:
        d = self.cleaned_data
        out = []
        for n in (1, 2):
            at, minutes = d.get(f"break{n}_start"), d.get(f"break{n}_minutes")
            if at is None or not minutes:
                continue
            day = d["day"] + timedelta(days=1) if at < d["start"] else d["day"]
            begin = _aware(day, at)
            out.append(BreakSpan(start=begin, end=begin + timedelta(minutes=minutes), paid=bool(d.get(f"break{n}_paid"))))
        return out

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_days(self, "day")
        for n in (1, 2):
            if bool(data.get(f"break{n}_start")) != bool(data.get(f"break{n}_minutes")):
                self.add_error(f"break{n}_minutes", f"Give break {n} both a start and a length, or neither.")
        return data


class TimeOffForm(forms.Form):
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label="From time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                 help_text="Empty: the whole day.")
    ends_on = forms.DateField(label="To (inclusive)", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end_time = forms.TimeField(label="To time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                               help_text="Empty: to the end of the day.")
    reason = forms.CharField(max_length=200, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        check_days(self, "starts_on", "ends_on")
        return data

    def span(self) -> tuple[datetime, datetime]:
        d = self.cleaned_data
        starts_at = _aware(d["starts_on"], d.get("start_time") or time.min)
        end_time = d.get("end_time")
        ends_at = _aware(d["ends_on"], end_time) if end_time else _aware(d["ends_on"] + timedelta(days=1), time.min)
        return starts_at, ends_at
