"""Forms of the metrics pages: the slice (period and filters) and a target. They parse and validate."""

from __future__ import annotations

from datetime import date, tzinfo

from django import forms

from frontline.customers.models import Tier
from frontline.desk.models import Channel, Priority, Queue
from frontline.people.models import User

from .models import Kpi, TargetPeriod
from .periods import KINDS, LABELS, Period, period_of
from .selectors import metrics_agents_for_viewer, metrics_teams_for_viewer

DIMENSIONS = (("channel", "Channel"), ("team_id", "Team"), ("queue_id", "Queue"), ("agent_id", "Agent"),
              ("priority", "Priority"), ("tier", "Customer tier"), ("tenure", "Agent tenure"))
COMPARE_KPIS = (
    ("first_reply_median", "First reply time (median)"), ("resolution_median", "Full resolution time (median)"),
    ("one_touch_rate", "One-touch resolution"), ("reopen_rate", "Reopen rate"),
    ("reassignment_rate", "Reassignment rate"), ("escalation_rate", "Escalation rate"),
    ("handle_time_mean", "Average handle time"), ("csat", "CSAT"),
)


class SliceForm(forms.Form):
    """Which period and tickets. Teams and agents offered are only those the viewer may read."""

    period = forms.ChoiceField(choices=[(k, LABELS[k]) for k in KINDS], required=False)
    date = forms.DateField(required=False, label="Day in the period")
    end = forms.DateField(required=False, label="Last day (custom)")
    hour = forms.IntegerField(required=False, min_value=0, max_value=23, label="Hour (hour period)")
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Team")
    agent = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label="Agent")
    channel = forms.ChoiceField(choices=[("", "Any channel"), *Channel.choices], required=False)
    queue = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    priority = forms.ChoiceField(choices=[("", "Any priority"), *Priority.choices], required=False)
    tier = forms.ChoiceField(choices=[("", "Any tier"), *Tier.choices], required=False, label="Customer tier")
    tag = forms.CharField(required=False, max_length=60)
    kpi = forms.ChoiceField(choices=COMPARE_KPIS, required=False, label="Explain the change of")
    by = forms.ChoiceField(choices=DIMENSIONS, required=False, label="by")

    def __init__(self, *args: object, viewer: User, today: date, zone: tzinfo, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today, self.zone = today, zone
        self.fields["team"].choices = [("", "All my teams" if not viewer.sees_everything else "All teams"),
                                       *[(t.pk, t.name) for t in metrics_teams_for_viewer(viewer=viewer)]]
        agents = metrics_agents_for_viewer(viewer=viewer)
        self.fields["agent"].choices = [("", "Every agent"), *[(a.pk, a.display_name) for a in agents]]
        self.fields["queue"].choices = [("", "Any queue"), *Queue.objects.values_list("pk", "name")]

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("period") or "week"
        data["period"] = kind
        first = data.get("date") or self.today
        try:
            data["period_obj"] = period_of(kind, first, self.zone, last=data.get("end"), hour=data.get("hour") or 0)
        except ValueError as error:
            name, _, message = str(error).partition(": ")
            self.add_error(name if name in self.fields else "period", message[:1].upper() + message[1:] + ".")
        data["kpi"] = data.get("kpi") or "first_reply_median"
        data["by"] = data.get("by") or "channel"
        data["tag"] = (data.get("tag") or "").strip().lower()
        return data

    @property
    def slice_period(self) -> Period:
        return self.cleaned_data["period_obj"]


class TargetForm(forms.Form):
    kpi = forms.ChoiceField(choices=Kpi.choices, label="KPI")
    period = forms.ChoiceField(choices=TargetPeriod.choices, initial=TargetPeriod.MONTH)
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                  help_text="Empty (and no agent): the whole department.")
    agent = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    value = forms.FloatField(help_text="Rates in percent (80 for 80 %), times in minutes, handle time in seconds, "
                                       "QA score 0-100, cost per contact in the budget's currency.")

    def __init__(self, *args: object, viewer: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not viewer.sees_everything:  # the budget is the managers'
            self.fields["kpi"].choices = [c for c in Kpi.choices if c[0] != Kpi.COST_PER_CONTACT]
        self.fields["team"].choices = [("", "Department"), *[(t.pk, t.name) for t in metrics_teams_for_viewer(viewer=viewer)]]
        self.fields["agent"].choices = [("", "—"), *[(a.pk, a.display_name) for a in metrics_agents_for_viewer(viewer=viewer)]]

    def clean(self) -> dict:
        data = super().clean()
        if data.get("team") and data.get("agent"):
            self.add_error("agent", "Set a target for a team or for an agent, not both.")
        return data
