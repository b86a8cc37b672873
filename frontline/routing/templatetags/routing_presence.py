"""``{% ticket_presence ticket %}``: on the desk's ticket page, who else is viewing and typing.

Rendering it records the viewer as viewing (so a page read without JavaScript still shows, and is
shown to, the others); ``frontline/presence.js`` then reports every few seconds and on typing.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from frontline.routing.presence import presence_others, presence_report

register = template.Library()


@register.inclusion_tag("routing/partials/presence.html", takes_context=True)
def ticket_presence(context: dict[str, Any], ticket: Any) -> dict[str, Any]:
    viewer = context["request"].user
    presence_report(ticket_id=ticket.pk, user=viewer)
    return {"ticket": ticket, "others": presence_others(ticket_id=ticket.pk, viewer=viewer),
            "poll_s": settings.PRESENCE_POLL_S, "request": context["request"], "csrf_token": context.get("csrf_token")}
