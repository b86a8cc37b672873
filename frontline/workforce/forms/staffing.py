"""Forms of the staffing plan and what-if pages. Targets are entered as on the Erlang calculator:
percentages and seconds; the forms turn them into the fractions the services store."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from frontline.budget.models import BudgetPlan

from ..models import StaffingPlan
from ..plans import PlanTargets, finished_forecasts, plan_queryset
from ..whatif import WhatIfChanges

# service field -> form field (percentages on the form, fractions in the model)
PERCENT_FIELDS = {"target_sl": "target_sl_pct", "max_occupancy": "max_occupancy_pct",
                  "max_abandon": "max_abandon_pct", "shrinkage": "shrinkage_pct"}


def _pct(value: float | None) -> float | int | None:
    if value is None:
        return None
    pct = round(value * 100, 4)
    return int(pct) if pct.is_integer() else pct


def _fraction(value: float | None) -> float | None:
    return None if value is None else value / 100


class ForecastChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        days = f" · {obj.first_date:%d %b} to {obj.last_date:%d %b %Y}" if obj.first_date and obj.last_date else ""
        scope = obj.team.name if obj.team_id else "Whole department"
        return f"{obj.name} ({scope}{days})"


class StaffingPlanForm(forms.Form):
    name = forms.CharField(max_length=120, label="Plan name")
    forecast = ForecastChoice(queryset=finished_forecasts(), label="Forecast", empty_label="Choose a finished forecast",
                              help_text="Only finished forecasts can be planned on")
    target_sl_pct = forms.FloatField(min_value=1, max_value=99.9, required=False, initial=80, label="Service level target (%)")
    threshold_s = forms.IntegerField(min_value=0, max_value=86_400, initial=20, label="Answer within (s)",
                                     help_text="The service level counts contacts answered within this many seconds")
    target_asa_s = forms.FloatField(min_value=0.1, max_value=86_400, required=False, label="ASA target (s)",
                                    help_text="Average speed of answer, optional")
    max_occupancy_pct = forms.FloatField(min_value=5, max_value=100, required=False, initial=85, label="Max occupancy (%)")
    patience_s = forms.FloatField(min_value=1, max_value=86_400, required=False, label="Mean patience (s)",
                                  help_text="With patience, Erlang A models contacts who give up waiting")
    max_abandon_pct = forms.FloatField(min_value=0.1, max_value=99.9, required=False, label="Max abandonment (%)")
    shrinkage_pct = forms.FloatField(min_value=0, max_value=95, initial=30, label="Shrinkage (%)",
                                     help_text="Paid time lost beyond the breaks shifts model: absence, meetings, training")
    concurrency = forms.IntegerField(min_value=1, max_value=10, initial=1, label="Contacts per agent at once",
                                     help_text="Chat: how many conversations one agent handles together")
    default_aht_s = forms.FloatField(min_value=1, max_value=86_400, initial=600, label="Fallback handle time (s)",
                                     help_text="Used for intervals where the forecast has no handle time")

    @classmethod
    def initial_for(cls, plan: StaffingPlan) -> dict[str, Any]:
        return {
            "name": plan.name, "forecast": plan.forecast_id, "threshold_s": plan.threshold_s,
            "target_asa_s": plan.target_asa_s, "patience_s": plan.patience_s, "concurrency": plan.concurrency,
            "default_aht_s": plan.default_aht_s,
            **{form_name: _pct(getattr(plan, name)) for name, form_name in PERCENT_FIELDS.items()},
        }

    def targets(self) -> PlanTargets:
        d = self.cleaned_data
        return PlanTargets(
            threshold_s=d["threshold_s"], target_sl=_fraction(d.get("target_sl_pct")), target_asa_s=d.get("target_asa_s"),
            max_occupancy=_fraction(d.get("max_occupancy_pct")), patience_s=d.get("patience_s"),
            max_abandon=_fraction(d.get("max_abandon_pct")), shrinkage=_fraction(d["shrinkage_pct"]) or 0.0,
            concurrency=d["concurrency"], default_aht_s=d["default_aht_s"],
        )

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Put the service's messages on the fields they name (model names map to the % fields)."""
        for name, messages in errors.items():
            target = PERCENT_FIELDS.get(name, name)
            for message in messages:
                self.add_error(target if target in self.fields and name != NON_FIELD_ERRORS else None, message)


class PlanChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        scope = obj.forecast.team.name if obj.forecast.team_id else "Whole department"
        return f"{obj.name} ({scope})"


class WhatIfForm(forms.Form):
    plan = PlanChoice(queryset=plan_queryset(), label="Staffing plan", empty_label="Choose a plan")
    volume_change_pct = forms.FloatField(min_value=-90, max_value=500, required=False, initial=0, label="Volume change (%)",
                                         help_text="+10 = ten percent more contacts in every interval")
    aht_change_pct = forms.FloatField(min_value=-90, max_value=500, required=False, initial=0, label="Handle time change (%)",
                                      help_text="-5 = contacts handled five percent faster")
    target_sl_pct = forms.FloatField(min_value=1, max_value=99.9, required=False, label="Service level target (%)",
                                     help_text="Blank = the plan's")
    threshold_s = forms.IntegerField(min_value=0, max_value=86_400, required=False, label="Answer within (s)",
                                     help_text="Blank = the plan's")
    shrinkage_pct = forms.FloatField(min_value=0, max_value=95, required=False, label="Shrinkage (%)",
                                     help_text="Blank = the plan's")
    hourly_cost = forms.DecimalField(min_value=Decimal(0), max_value=Decimal(100_000), max_digits=9, decimal_places=2,
                                     required=False, label="Hourly cost",
                                     help_text="Blank = the average on the team's agent profiles")

    def changes(self) -> WhatIfChanges:
        d = self.cleaned_data
        return WhatIfChanges(
            volume_change_pct=d.get("volume_change_pct") or 0.0, aht_change_pct=d.get("aht_change_pct") or 0.0,
            target_sl=_fraction(d.get("target_sl_pct")), threshold_s=d.get("threshold_s"),
            shrinkage=_fraction(d.get("shrinkage_pct")), hourly_cost=d.get("hourly_cost"),
        )


class SaveScenarioForm(forms.Form):
    budget = forms.ModelChoiceField(queryset=BudgetPlan.objects.filter(base__isnull=True).select_related("team"),
                                    label="Budget plan to vary", empty_label="Choose a budget plan")
    scenario_name = forms.CharField(max_length=120, label="Scenario name")
