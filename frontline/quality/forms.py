"""Parsing of the review workspace's scores (one field group per criterion) and the small forms."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django import forms

from .models import Criterion
from .services import TEXT_MAX, ScoreIn


def scores_from_post(data: Mapping[str, str], criteria: Iterable[Criterion]) -> tuple[dict[int, ScoreIn], dict[str, str]]:
    """criterion id → ScoreIn from ``s_<id>`` ("", "na" or a value), ``c_<id>`` (comment) and
    ``m_<id>`` (message id); plus errors by field name for values that are not numbers."""
    scores: dict[int, ScoreIn] = {}
    errors: dict[str, str] = {}
    for c in criteria:
        raw = (data.get(f"s_{c.pk}") or "").strip()
        comment = (data.get(f"c_{c.pk}") or "")[: TEXT_MAX + 1]
        message_raw = (data.get(f"m_{c.pk}") or "").strip()
        message_id = int(message_raw) if message_raw.isdigit() and len(message_raw) < 18 else None
        if message_raw and message_id is None:
            errors[f"score_{c.pk}"] = "Pick a message of this ticket."
        if raw == "na":
            scores[c.pk] = ScoreIn(na=True, comment=comment, message_id=message_id)
        elif raw == "":
            if comment or message_id:
                scores[c.pk] = ScoreIn(comment=comment, message_id=message_id)
        elif raw.isdigit() and len(raw) < 3:
            scores[c.pk] = ScoreIn(value=int(raw), comment=comment, message_id=message_id)
        else:
            errors[f"score_{c.pk}"] = "Pick one of the scores."
    return scores, errors


class DisputeForm(forms.Form):
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX,
                             help_text="What you disagree with, and why. Your team lead decides.")


class ResolveForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX,
                           help_text="Shown to the agent.")
