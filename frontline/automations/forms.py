"""Forms of the macro and rule pages: parsing only (JSON read, choices offered); the services validate
and write, and their errors (``conditions.all.1.field``) are shown on the form."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from frontline.people.models import Team

from .models import Trigger, Visibility

JSON_HELP = "JSON. See the reference below the form."


def _json(value: str, field: str) -> Any:
    try:
        return json.loads(value or "null")
    except json.JSONDecodeError as exc:
        raise forms.ValidationError(f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno}).") from None


class RuleForm(forms.Form):
    name = forms.CharField(max_length=100)
    description = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    trigger = forms.ChoiceField(choices=Trigger.choices)
    position = forms.IntegerField(min_value=0, max_value=100_000, required=False,
                                  help_text="Rules run in this order, lowest first; empty: after the others.")
    active = forms.BooleanField(required=False, initial=True)
    conditions = forms.CharField(widget=forms.Textarea(attrs={"rows": 10, "class": "mono", "spellcheck": "false"}),
                                 help_text='JSON, e.g. {"all": [{"field": "ticket.priority", "op": "eq", "value": "urgent"}]}. '
                                           '{"all": []} matches every ticket.')
    actions = forms.CharField(widget=forms.Textarea(attrs={"rows": 6, "class": "mono", "spellcheck": "false"}),
                              help_text='JSON list, e.g. [{"type": "add_tags", "value": ["billing"]}].')

    def clean_conditions(self) -> Any:
        return _json(self.cleaned_data["conditions"], "conditions")

    def clean_actions(self) -> Any:
        return _json(self.cleaned_data["actions"], "actions")


class MacroForm(forms.Form):
    name = forms.CharField(max_length=100)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000,
                           label="Reply (Markdown)",
                           help_text="Placeholders such as {{ customer.first_name }} and {{ ticket.reference }} are filled in.")
    actions = forms.CharField(required=False, initial="[]",
                              widget=forms.Textarea(attrs={"rows": 4, "class": "mono", "spellcheck": "false"}),
                              help_text='JSON list, e.g. [{"type": "set_status", "value": "pending"}]; [] for none.')
    visibility = forms.ChoiceField(choices=Visibility.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, help_text="For team macros.")
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()  # type: ignore[attr-defined]

    def clean_actions(self) -> Any:
        return _json(self.cleaned_data["actions"] or "[]", "actions")


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: ``conditions.all.1.field`` under *conditions* with its path."""
    for key, messages in exc.message_dict.items():
        top = key.split(".", 1)[0]
        target = top if top in form.fields else None
        for message in messages:
            form.add_error(target, f"{key}: {message}" if key != top else message)
