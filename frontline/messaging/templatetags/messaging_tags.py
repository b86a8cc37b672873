"""``{% messaging_panel ticket %}`` on the ticket page: the conversation's platform and person, and each reply's delivery."""

from __future__ import annotations

from typing import Any

from django import template

from frontline.people.models import Role

from .. import selectors

register = template.Library()


@register.inclusion_tag("messaging/partials/ticket_panel.html", takes_context=True)
def messaging_panel(context: template.Context, ticket: Any) -> dict[str, Any]:
    """Nothing for a ticket without a conversation (one query); else its thread, deliveries and their tries."""
    info = selectors.ticket_messaging(ticket=ticket)
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"info": info, "ticket": ticket, "csrf_token": context.get("csrf_token"),
            "may_retry_all": getattr(user, "role", "") in (Role.MANAGER, Role.ADMIN), "user": user}
