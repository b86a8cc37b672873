"""``{% phone_panel %}`` on the ticket page (its calls and the "log a call" form)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors
from ..forms import CallForm

register = template.Library()


@register.inclusion_tag("phone/partials/ticket_panel.html", takes_context=True)
def phone_panel(context: template.Context, ticket: Any) -> dict[str, Any]:
    """The ticket's calls (one query) and, while it is open, the form to log one."""
    no_email = ticket.channel == "phone" and ticket.requester.email.endswith(".invalid")
    return {"ticket": ticket, "calls": selectors.calls_for_ticket(ticket=ticket), "form": CallForm(), "no_email": no_email,
            "csrf_token": context.get("csrf_token"), "request": context.get("request")}
