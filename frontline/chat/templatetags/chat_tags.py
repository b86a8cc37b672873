"""``{% chat_panel %}`` on the ticket page: the live chat the ticket came from, its times and a link to it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from frontline.desk.models import Channel

from .. import selectors
from ..models import ChatState

register = template.Library()


@register.inclusion_tag("chat/partials/ticket_panel.html")
def chat_panel(ticket: Any) -> dict[str, Any]:
    """Only chat tickets read their chat (one query); a chat ticket with none was a message left in the widget."""
    if ticket.channel != Channel.CHAT:
        return {"shown": False}
    chat = selectors.chat_of_ticket(ticket_id=ticket.pk)
    waiting_s = (timezone.now() - chat.waiting_since).total_seconds() if chat and chat.state == ChatState.WAITING else None
    return {"shown": True, "chat": chat, "waiting_s": waiting_s}
