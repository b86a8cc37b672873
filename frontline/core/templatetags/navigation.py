"""``{% load navigation %}``: ``menu|holds:nav``, whether a menu of the main navigation holds the current page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def holds(menu: dict, current: str) -> bool:
    """Whether the menu has the entry ``current`` (the page's ``nav``)."""
    return bool(current) and any(entry["nav"] == current for entry in menu.get("entries", ()))
