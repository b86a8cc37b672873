"""What every page needs: the department's currency code (``{{ x|money0:currency }}``), the apps' nav entries."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from . import nav


def formats(request: HttpRequest) -> dict[str, object]:
    return {"currency": settings.CURRENCY}


def app_nav(request: HttpRequest) -> dict[str, object]:
    """The main navigation's entries registered by apps (``frontline.core.nav``) for the viewer's role."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"app_nav": []}
    return {"app_nav": nav.entries_for(str(getattr(user, "role", "")))}
