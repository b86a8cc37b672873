"""How a KPI's value and its change read on the metrics pages (through frontline.core.formats)."""

from __future__ import annotations

from django import template

from frontline.core import formats

register = template.Library()


@register.filter
def kpi(value: float | None, unit: str) -> str:
    """A KPI value in its unit: minutes and seconds as durations, fractions as percent, counts with separators."""
    if value is None:
        return formats.NONE
    if unit == "minutes":
        return formats.duration(value * 60)
    if unit == "seconds":
        return formats.duration(value)
    if unit == "fraction":
        return formats.pct(value, 1)
    if unit == "count":
        return formats.number(value)
    if unit == "score":
        return formats.number(value, 0)
    if unit == "percent":  # already 0-100 (the QA score)
        return formats.pct_number(value, 1)
    return formats.number(value, 2)  # "number", "money" (the currency is in the label)


@register.filter
def kpi_change(delta: float | None, unit: str) -> str:
    """A change in the KPI's unit, signed: "+2 min 5 s", "\u22123.1 points", "+12"."""
    if delta is None:
        return formats.NONE
    sign = "+" if delta > 0 else formats.MINUS if delta < 0 else "±"
    if unit == "minutes":
        return sign + formats.duration(abs(delta) * 60)
    if unit == "seconds":
        return sign + formats.duration(abs(delta))
    if unit == "fraction":
        return f"{sign}{formats.number(abs(delta) * 100, 1)} points"
    if unit == "percent":
        return f"{sign}{formats.number(abs(delta), 1)} points"
    if unit in ("count", "score"):
        return sign + formats.number(abs(delta))
    return sign + formats.number(abs(delta), 2)


# The unit of each target KPI (frontline.metrics.models.Kpi).
TARGET_UNITS = {"first_reply_median": "minutes", "resolution_median": "minutes", "one_touch_rate": "fraction",
                "reopen_rate": "fraction", "reassignment_rate": "fraction", "escalation_rate": "fraction",
                "handle_time_mean": "seconds", "csat": "fraction", "nps": "score", "solved": "count",
                "qa_score": "percent", "cost_per_contact": "money"}


@register.filter
def target_value(value: float | None, kpi_name: str) -> str:
    """A target's (or its actual's) value in its KPI's unit."""
    return kpi(value, TARGET_UNITS.get(kpi_name, "number"))
