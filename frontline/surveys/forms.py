"""Forms of the survey settings pages; validation only, the writes are services."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from .models import SurveyConfig, SurveyRule, SurveyTemplate
from .selectors import PLACEHOLDERS


class ConfigForm(forms.ModelForm):
    class Meta:
        model = SurveyConfig
        fields = ["throttle_days", "link_days", "nps_enabled", "nps_every_days", "nps_sample_percent",
                  "nps_lookback_days"]

    def clean_link_days(self) -> int:
        value = self.cleaned_data["link_days"]
        if not 1 <= value <= 365:
            raise forms.ValidationError("Between 1 and 365 days.")
        return int(value)

    def clean_nps_sample_percent(self) -> int:
        value = self.cleaned_data["nps_sample_percent"]
        if not 1 <= value <= 100:
            raise forms.ValidationError("Between 1 and 100 %.")
        return int(value)

    def clean_nps_every_days(self) -> int:
        value = self.cleaned_data["nps_every_days"]
        if not 1 <= value <= 365:
            raise forms.ValidationError("Between 1 and 365 days.")
        return int(value)

    def clean_nps_lookback_days(self) -> int:
        value = self.cleaned_data["nps_lookback_days"]
        if not 1 <= value <= 730:
            raise forms.ValidationError("Between 1 and 730 days.")
        return int(value)


class RuleForm(forms.ModelForm):
    class Meta:
        model = SurveyRule
        fields = ["channel", "queue", "enabled", "survey", "delay_minutes"]

    def clean_delay_minutes(self) -> int:
        value = self.cleaned_data["delay_minutes"]
        if value > 60 * 24 * 14:
            raise forms.ValidationError("At most 14 days (20,160 minutes).")
        return int(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        clash = SurveyRule.objects.filter(channel=data.get("channel") or "", queue=data.get("queue"))
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError("A rule for this channel and queue exists already: change that one.")
        return data


_BRACES = re.compile(r"\{([^{}]*)\}")


def placeholders_check(text: str, field: str, *, need_links: bool = False) -> None:
    unknown = sorted({name for name in _BRACES.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise forms.ValidationError(
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''}: {', '.join('{' + u + '}' for u in unknown)}. "
            f"Use: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}.")
    if need_links and "{links}" not in text:
        raise forms.ValidationError("The body needs {links}: the rating links go there.")


class TemplateForm(forms.ModelForm):
    class Meta:
        model = SurveyTemplate
        fields = ["subject", "body"]

    def clean_subject(self) -> str:
        value = str(self.cleaned_data["subject"])
        placeholders_check(value, "subject")
        if "{links}" in value:
            raise forms.ValidationError("The links go in the body, not the subject.")
        return value

    def clean_body(self) -> str:
        value = str(self.cleaned_data["body"])
        placeholders_check(value, "body", need_links=True)
        return value
