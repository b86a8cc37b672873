"""Number formats of the forecast pages: shares as percentages, seconds as handle times."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: float | None, digits: int = 1) -> str:
    """0.1234 -> "12.3%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"


@register.filter
def handle_time(seconds: float | None) -> str:
    """432.4 -> "7 min 12 s"; under a minute "45 s"; None -> "—"."""
    if seconds is None:
        return "—"
    total = round(seconds)
    minutes, rest = divmod(total, 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"
