"""Forms of the routing pages; validation only, the writes are services."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from frontline.desk.models import Channel
from frontline.engine.routing import LEVEL_MAX, LEVEL_MIN

from .models import Mode, OfflineAction
from .services import requirements_parse


class QueueRoutingForm(forms.Form):
    mode = forms.ChoiceField(choices=Mode.choices)
    requirements = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Skills-based: one per line, name=value [>=level] [required|preferred], e.g. "
                  "language={customer.language} required, tier={customer.tier} preferred, product=billing>=3 preferred. "
                  "{customer.language}, {customer.tier} and {field.KEY} are read from each ticket.")
    drop_preferred_after_s = forms.IntegerField(
        required=False, min_value=0, max_value=86_400, label="Drop preferred skills after (seconds)",
        help_text="Empty: preferred skills are always asked for.")
    widen_after_s = forms.IntegerField(
        required=False, min_value=0, max_value=86_400, label="Widen to the whole team after (seconds)",
        help_text="Empty: never; the ticket waits for an agent with the required skills.")
    offline_action = forms.ChoiceField(choices=OfflineAction.choices, label="When an agent goes offline")
    offline_grace_s = forms.IntegerField(min_value=0, max_value=86_400, initial=120, label="After (seconds offline)")

    def clean_requirements(self) -> list[dict[str, Any]]:
        try:
            return requirements_parse(self.cleaned_data.get("requirements") or "")
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["requirements"]) from None


_SKILL_LINE = re.compile(r"^\s*(?P<name>[A-Za-z][A-Za-z0-9_-]{0,39})\s*=\s*(?P<value>[^=:]{1,60}?)\s*(?::\s*(?P<level>\d+))?\s*$")


class AgentForm(forms.Form):
    skills = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One per line, name=value:level (level {LEVEL_MIN}-{LEVEL_MAX}, 3 if left out), e.g. "
                  "language=de:5, product=Billing:3, tier=gold:2 (values are matched exactly as written).")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for value, label in Channel.choices:
            if value == Channel.CHAT:
                continue
            self.fields[f"capacity_{value}"] = forms.IntegerField(
                required=False, min_value=0, max_value=500, label=f"{label}: open tickets at once",
                help_text="Empty: the default.")

    def clean_skills(self) -> list[tuple[str, str, int]]:
        rows, errors = [], []
        for number, line in enumerate((self.cleaned_data.get("skills") or "").splitlines(), start=1):
            if not line.strip():
                continue
            m = _SKILL_LINE.match(line)
            level = int(m.group("level") or 3) if m else 0
            if m is None or not LEVEL_MIN <= level <= LEVEL_MAX:
                errors.append(f"Line {number}: write name=value:level with a level from {LEVEL_MIN} to {LEVEL_MAX}, e.g. language=de:4.")
                continue
            rows.append((m.group("name").lower(), m.group("value").strip(), level))
        if len(rows) > 50:
            errors.append("At most 50 skills.")
        if len({(n, v) for n, v, _ in rows}) != len(rows):
            errors.append("A skill is listed twice.")
        if errors:
            raise forms.ValidationError(errors)
        return rows

    def capacities(self) -> dict[str, int | None]:
        return {name.removeprefix("capacity_"): value for name, value in self.cleaned_data.items()
                if name.startswith("capacity_")}
