"""Template tags of automations: the macros a person may apply (the desk's reply box includes them)."""

from __future__ import annotations

from django import template

from ..models import Macro
from ..selectors import macros_for_viewer

register = template.Library()


@register.simple_tag
def macros_for(user) -> list[Macro]:  # type: ignore[no-untyped-def]
    """The active macros ``user`` may apply, by name."""
    return list(macros_for_viewer(viewer=user).filter(active=True).order_by("name"))
