from __future__ import annotations

from typing import Any

from django import forms

INTERVALS = [(900, "15 minutes"), (1800, "30 minutes"), (3600, "60 minutes")]


class ErlangForm(forms.Form):
    calls = forms.FloatField(min_value=0, max_value=1_000_000, initial=100, label="Contacts per interval")
    interval_s = forms.TypedChoiceField(choices=INTERVALS, coerce=int, initial=1800, label="Interval")
    aht_s = forms.FloatField(min_value=1, max_value=86_400, initial=180, label="Average handle time (s)")
    threshold_s = forms.FloatField(min_value=0, max_value=86_400, initial=20, label="Answer within (s)")
    target_sl_pct = forms.FloatField(min_value=1, max_value=99.99, initial=80, required=False, label="Service level target (%)")
    target_asa_s = forms.FloatField(min_value=0.1, required=False, label="ASA target (s)", help_text="Average speed of answer, optional")
    max_occupancy_pct = forms.FloatField(min_value=1, max_value=100, required=False, label="Max occupancy (%)")
    patience_s = forms.FloatField(min_value=0.1, required=False, label="Mean patience (s)",
                                  help_text="With patience, Erlang A models callers who hang up")
    max_abandon_pct = forms.FloatField(min_value=0.01, max_value=99.99, required=False, label="Max abandonment (%)")
    shrinkage_pct = forms.FloatField(min_value=0, max_value=95, required=False, initial=30, label="Shrinkage (%)",
                                     help_text="Breaks, training, absence: paid time not handling contacts")
    concurrency = forms.IntegerField(min_value=1, max_value=20, initial=1, required=False, label="Contacts per agent at once",
                                     help_text="Chat: how many conversations one agent handles together")
    agents = forms.IntegerField(min_value=0, max_value=100_000, required=False, label="Agents (optional)",
                                help_text="Leave empty to find the fewest agents meeting every target")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_target = any(data.get(k) is not None for k in ("target_sl_pct", "target_asa_s", "max_occupancy_pct", "max_abandon_pct"))
        if data.get("agents") is None and not has_target:
            raise forms.ValidationError("Give at least one target (service level, ASA, occupancy or abandonment), or a number of agents.")
        if data.get("max_abandon_pct") is not None and data.get("patience_s") is None:
            self.add_error("max_abandon_pct", "An abandonment cap needs a mean patience (Erlang A).")
        return data
