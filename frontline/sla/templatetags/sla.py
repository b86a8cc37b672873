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
def sla_clock(clock: ClockView | None, *, marked: bool = True) -> str:
    """A badge, with "(business time)" after any duration in it: "Due in 3 h 10 min", "At risk · due in
    20 min", "Breached 1 h ago", "Breached · stopped 2 h late", "Paused", "Met". ``marked=False`` leaves
    "(business time)" out, where a column header says it once for every row."""
    if clock is None:
        return formats.NONE
    title = f"{clock.label}: target {_business(clock.target_minutes)} of business time"
    business = format_html(' <span class="small muted">{}</span>', "(business time)") if marked else ""
    if clock.stopped_at is not None:
        if clock.state == "met" or clock.minutes is None:
            return format_html('<span class="badge sla-met" title="{}">Met</span>', title)
        return format_html('<span class="badge sla-breached" title="{}">Breached · stopped {} late</span>{}', title,
                           _business(clock.minutes), business)
    if clock.state == "paused":
        return format_html('<span class="badge sla-paused" title="{}">Paused</span>', title)
    if clock.state == "breached":
        return format_html('<span class="badge sla-breached" title="{}">Breached {} ago</span>{}', title,
                           _business(clock.minutes), business)
    if clock.at_risk:
        return format_html('<span class="badge sla-risk" title="{}">At risk · due in {}</span>{}', title,
                           _business(clock.minutes), business)
    return format_html('<span class="badge sla-ok" title="{}">Due in {}</span>{}', title, _business(clock.minutes), business)


@register.filter
def business_minutes(minutes: float | None) -> str:
    return _business(minutes)
