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


@register.inclusion_tag("insights/partials/alert_line.html")
def insights_alert_line(user: object) -> dict[str, object]:
    """One line for another page (the metrics dashboard): the newest feedback alerts, for managers
    and admins only; nothing otherwise."""
    from ..models import Alert
    from ..selectors import can_manage

    if not can_manage(user):  # type: ignore[arg-type]
        return {"alerts": [], "more": 0}
    alerts = list(Alert.objects.filter(topic__active=True).select_related("topic").order_by("-week", "p_value")[:4])
    return {"alerts": alerts[:3], "more": max(0, len(alerts) - 3)}
