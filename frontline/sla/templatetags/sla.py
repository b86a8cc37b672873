"""How an SLA clock reads on a page: state and business time left (or past due)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from frontline.core import formats
from frontline.sla.selectors import ClockView

register = template.Library()


def _business(minutes: float | None) -> str:
    return formats.duration(round(minutes or 0) * 60)


@register.simple_tag
def sla_clock(clock: ClockView | None) -> str:
    """A badge: "3 h 10 min left", "at risk · 20 min left", "breached · 1 h past due", "paused", "met"."""
    if clock is None:
        return formats.NONE
    title = f"{clock.label}: target {_business(clock.target_minutes)} of business time"
    if clock.stopped_at is not None:
        state = "met" if clock.state == "met" else "breached"
        return format_html('<span class="badge sla-{}" title="{}">{}</span>', state, title, state.capitalize())
    if clock.state == "paused":
        return format_html('<span class="badge sla-paused" title="{}">Paused</span>', title)
    if clock.state == "breached":
        return format_html('<span class="badge sla-breached" title="{}">Breached · {} past due</span>', title, _business(clock.minutes))
    risk = "at risk · " if clock.at_risk else ""
    css = "sla-risk" if clock.at_risk else "sla-ok"
    return format_html('<span class="badge {}" title="{}">{}{} left</span>', css, title, risk, _business(clock.minutes))


@register.filter
def business_minutes(minutes: float | None) -> str:
    return _business(minutes)
