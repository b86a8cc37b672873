"""``{% load navigation %}``: ``{% menu_here menu as here %}``, whether a menu of the main navigation holds
the current page (the page's ``nav``; pages without one, like the error pages, mark no menu)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def menu_here(context: template.Context, menu: dict[str, Any]) -> bool:
    current = context.get("nav") or ""
    return bool(current) and any(entry["nav"] == current for entry in menu.get("entries", ()))
