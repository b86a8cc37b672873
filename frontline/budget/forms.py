"""Forms of the budget pages. They parse input; the services validate the rules and write."""

from __future__ import annotations

from typing import Any

from django import forms

from frontline.people.models import Team

from .models import BudgetCategory, BudgetLine, BudgetPlan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
AMOUNT = {"max_digits": 14, "decimal_places": 2}


class PlanForm(forms.Form):
    name = forms.CharField(max_length=120, widget=forms.TextInput(attrs={"placeholder": "Support Q1 2027"}))
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), required=False,
                                  empty_label="Whole department", help_text="The team and its sub-teams, or the whole department.")
    period_start = forms.DateField(widget=DATE, label="First day")
    period_end = forms.DateField(widget=DATE, label="Last day", help_text="Included.")
    currency = forms.CharField(max_length=3, min_length=3, initial="EUR", help_text="ISO 4217 code, e.g. EUR, USD, GBP.")
    notes = forms.CharField(required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    @classmethod
    def for_plan(cls, plan: BudgetPlan, data: Any = None) -> PlanForm:
        form = cls(data, initial={"name": plan.name, "team": plan.team_id, "period_start": plan.period_start,
                                  "period_end": plan.period_end, "currency": plan.currency, "notes": plan.notes})
        if plan.is_scenario:
            # A scenario's period, team and currency are its plan's.
            for name in ("team", "period_start", "period_end", "currency"):
                del form.fields[name]
        return form


class LineForm(forms.Form):
    category = forms.ChoiceField(choices=BudgetCategory.choices)
    description = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"placeholder": "Help desk seats"}))
    planned_amount = forms.DecimalField(min_value=0, label="Planned amount", **AMOUNT)


class ActualForm(forms.Form):
    line = forms.ModelChoiceField(queryset=BudgetLine.objects.none(), empty_label=None, label="Line")
    incurred_on = forms.DateField(widget=DATE, label="Date incurred")
    amount = forms.DecimalField(help_text="Negative for a refund or credit.", **AMOUNT)
    note = forms.CharField(required=False, max_length=200, widget=forms.TextInput(attrs={"placeholder": "Invoice 2027-0142"}))

    def __init__(self, *args: Any, plan: BudgetPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = plan.lines.all()  # type: ignore[attr-defined]


class ScenarioForm(forms.Form):
    name = forms.CharField(max_length=120, label="Scenario name", widget=forms.TextInput(attrs={"placeholder": "Volume +10%"}))
