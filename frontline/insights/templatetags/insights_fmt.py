"""``{% load insights_fmt %}``: ``{{ change|points }}`` — a change of a share, 0.032 -> "+3.2 points"."""

from __future__ import annotations

from django import template

from frontline.core import formats

register = template.Library()


@register.filter
def points(change: float | None) -> str:
    if change is None:
        return formats.NONE
    return f"{'+' if change > 0 else '−' if change < 0 else ''}{abs(100 * change):.1f} points"
