"""``{% load coaching %}``: a KPI's value and a difference in the KPI's unit (rates in percentage points)."""

from __future__ import annotations

from django import template

from frontline.core import formats

register = template.Library()


@register.filter
def kpi(value: float | None, unit: str) -> str:
    """A value: "82 %", "14 min", "4 min 10 s", "3.50"."""
    if value is None:
        return formats.NONE
    if unit == "fraction":
        return formats.pct(value)
    if unit == "minutes":
        return formats.minutes(value)
    if unit == "seconds":
        return formats.duration(value)
    return formats.number(value, 2)


@register.filter
def kpi_delta(value: float | None, unit: str) -> str:
    """A signed difference: "+3.2 pp", "-4 min", "+12 s" (with a minus sign)."""
    if value is None:
        return formats.NONE
    sign = "+" if value > 0 else "\u2212" if value < 0 else "\u00b1"
    if unit == "fraction":
        return f"{sign}{formats.number(abs(value) * 100, 1)} pp"
    return f"{sign}{kpi(abs(value), unit)}"


@register.filter
def kpi_interval(line: dict, unit: str) -> str:
    """The 95 % interval of a difference, "-1.0 pp to +7.4 pp"; empty when none."""
    low, high = line.get("low"), line.get("high")
    if low is None or high is None:
        return ""
    return f"{kpi_delta(low, unit)} to {kpi_delta(high, unit)}"


@register.filter
def ids(values: list[int]) -> str:
    return ",".join(str(v) for v in values) or "0"


@register.filter
def get_item(mapping: dict, key: object) -> object:
    return mapping.get(key, "")
