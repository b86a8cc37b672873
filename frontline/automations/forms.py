"""Forms of the macro and rule pages: parsing only (JSON read, choices offered); the services validate
and write, and their errors (``conditions.all.1.field``) are shown on the form."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from frontline.desk.models import Priority, StatusCategory
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


# The actions a macro most often takes, offered as plain fields; the rest stay JSON ("More actions").
SIMPLE_ACTIONS = ("set_status", "set_priority", "add_tags", "assign", "add_note")
NOT_SET = [("", "—")]
ASSIGN_CHOICES = [*NOT_SET, ("me", "The agent applying the macro"), ("nobody", "Nobody (unassign)")]


class MacroForm(forms.Form):
    name = forms.CharField(max_length=100)
    body = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 8}), max_length=20_000,
                           label="Reply (Markdown)",
                           help_text="Placeholders such as {{ customer.first_name }} and {{ ticket.reference }} are filled in.")
    set_status = forms.ChoiceField(required=False, label="Set status",
                                   choices=NOT_SET + [c for c in StatusCategory.choices if c[0] != StatusCategory.NEW])
    set_priority = forms.ChoiceField(required=False, label="Set priority", choices=NOT_SET + list(Priority.choices))
    add_tags = forms.CharField(required=False, max_length=1000, label="Add tags", help_text="Comma-separated.")
    assign = forms.ChoiceField(required=False, label="Assign to", choices=ASSIGN_CHOICES)
    add_note = forms.CharField(required=False, max_length=5000, label="Add an internal note",
                               widget=forms.Textarea(attrs={"rows": 3}), help_text="Placeholders work here too.")
    actions = forms.CharField(required=False, initial="[]", label="More actions (JSON)",
                              widget=forms.Textarea(attrs={"rows": 4, "class": "mono", "spellcheck": "false"}),
                              help_text='Any other actions (type, team, queue, a custom field, removing tags) as a JSON '
                                        'list, e.g. [{"type": "set_type", "value": "problem"}]; [] for none. '
                                        'See the reference below the form.')
    visibility = forms.ChoiceField(choices=Visibility.choices)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="—", help_text="For team macros.")
    active = forms.BooleanField(required=False, initial=True)

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()  # type: ignore[attr-defined]
        # after clean(): which place in the saved list each plain field's action took (for errors_onto)
        self.action_fields: dict[int, str] = {}

    def clean_actions(self) -> Any:
        return _json(self.cleaned_data["actions"] or "[]", "actions")

    def clean(self) -> dict[str, Any]:
        """``actions``: the plain fields' actions first, in SIMPLE_ACTIONS order, then the JSON list's."""
        data = super().clean() or {}
        more = data.get("actions")
        if "actions" not in data:  # the JSON did not parse: its error is on the form already
            return data
        if not isinstance(more, list):
            self.add_error("actions", "Give a JSON list of actions ([] for none).")
            return data
        simple: list[dict[str, Any]] = []
        for name in SIMPLE_ACTIONS:
            action = _simple_action(name, data.get(name) or "")
            if action is not None:
                self.action_fields[len(simple)] = name
                simple.append(action)
        data["actions"] = simple + more
        return data


def _simple_action(name: str, value: str) -> dict[str, Any] | None:
    if name == "add_tags":
        tags = [t.strip() for t in value.split(",") if t.strip()]
        return {"type": name, "value": tags} if tags else None
    if name == "assign":
        return {"type": name, "value": "" if value == "nobody" else value} if value else None
    if name == "add_note":
        return {"type": name, "value": value} if value.strip() else None
    return {"type": name, "value": value} if value else None


def macro_form_initial(actions: list[dict[str, Any]]) -> dict[str, Any]:
    """A saved macro's actions as the form shows them: the first action of each plain kind in its field
    (when the field can show it: an assignee by username stays JSON), the rest as the JSON list, in order."""
    fields = MacroForm.base_fields
    initial: dict[str, Any] = {}
    rest = []
    for action in actions:
        kind, value = action.get("type"), action.get("value")
        shown: Any = None
        if kind in ("set_status", "set_priority"):
            shown = value if value in dict(fields[kind].choices) else None  # type: ignore[attr-defined]
        elif kind == "add_tags" and isinstance(value, list):
            shown = ", ".join(value)
        elif kind == "assign":
            shown = {"me": "me", "": "nobody"}.get(value) if isinstance(value, str) else None
        elif kind == "add_note" and isinstance(value, str):
            shown = value
        if kind in SIMPLE_ACTIONS and kind not in initial and shown:
            initial[kind] = shown
        else:
            rest.append(action)
    initial["actions"] = json.dumps(rest, indent=2, ensure_ascii=False)
    return initial


def errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: ``conditions.all.1.field`` under *conditions* with its path; on
    the macro form an action from a plain field under that field, the JSON list's counted from its start."""
    plain = getattr(form, "action_fields", {})
    for key, messages in exc.message_dict.items():
        parts = key.split(".")
        if plain and parts[0] == "actions" and len(parts) > 1 and parts[1].isdecimal():
            index = int(parts[1])
            if index in plain:
                for message in messages:
                    form.add_error(plain[index], message)
                continue
            key = ".".join(["actions", str(index - len(plain)), *parts[2:]])
        top = parts[0]
        target = top if top in form.fields else None
        for message in messages:
            form.add_error(target, f"{key}: {message}" if key != top else message)
