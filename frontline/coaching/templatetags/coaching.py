"""``{% load coaching %}``: a KPI's value and a difference in the KPI's unit (rates in percentage points);
a goal as a sentence with its unit and end date; an agenda's stored ISO day as the pages write days."""

from __future__ import annotations

import re
from datetime import date

from django import template

from frontline.core import formats
from frontline.metrics.models import HIGHER_IS_BETTER
from frontline.metrics.templatetags.metrics_tags import target_value

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


@register.filter
def day(value: date | str | None) -> str:
    """A day kept in an agenda as ISO text (or a date): "2026-12-31" -> "31 Dec 2026"."""
    if not value:
        return formats.NONE
    try:
        parsed = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    return formats.date_short(parsed)


_UNIT_SUFFIX = re.compile(r"\s*\((?:min|s)\)$")


@register.filter
def goal_target(goal: dict) -> str:
    """A goal of an agenda as a sentence: "First reply time, median ≤ 1 h by 31 Dec 2026".

    The comparison follows the KPI's direction; the value is in the KPI's unit (as on Metrics → Targets);
    the day is the last of the target's period (left out of agendas kept before it was stored: the page
    shows the period beside it)."""
    kpi_name = str(goal.get("kpi", ""))
    label = _UNIT_SUFFIX.sub("", str(goal.get("label", kpi_name)))
    higher = goal.get("higher", HIGHER_IS_BETTER.get(kpi_name, True))
    text = f"{label} {'≥' if higher else '≤'} {target_value(goal.get('target'), kpi_name)}"
    return f"{text} by {day(goal['last'])}" if goal.get("last") else text


@register.filter
def goal_actual(goal: dict) -> str:
    """The goal's value so far, in its KPI's unit: "42 min", "81.5 %"."""
    return target_value(goal.get("actual"), str(goal.get("kpi", "")))
