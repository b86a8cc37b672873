"""``{% load insights_fmt %}``: ``{{ change|points }}`` — a change of a share, 0.032 -> "+3.2 points"."""

from __future__ import annotations

from django import template

from frontline.core import formats

register = template.Library()
MINUS = "\u2212"


@register.filter
def points(change: float | None) -> str:
    if change is None:
        return formats.NONE
    sign = "+" if change > 0 else MINUS if change < 0 else ""
    return f"{sign}{abs(100 * change):.1f} points"
