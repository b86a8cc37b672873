"""``{% load routing_tags %}``: a capacity with its unit, ``{{ n|capacity:channel }}`` -> "3 chats", "10 tickets"."""

from __future__ import annotations

from django import template

from frontline.core import formats

register = template.Library()


@register.filter
def capacity(value: int | None, channel: str = "") -> str:
    """How much work an agent holds at once on ``channel``: chats for chat, open tickets otherwise."""
    if value is None:
        return formats.NONE
    noun = "chat" if channel == "chat" else "ticket"
    return f"{formats.number(value)} {noun}{'' if value == 1 else 's'}"
