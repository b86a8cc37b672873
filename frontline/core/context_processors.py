"""What every page needs: the department's currency code (``{{ x|money0:currency }}``), the apps' nav menus."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from . import nav


def formats(request: HttpRequest) -> dict[str, object]:
    return {"currency": settings.CURRENCY}


def app_nav(request: HttpRequest) -> dict[str, object]:
    """The main navigation's menus (``frontline.core.nav``) for the viewer's role, as ``nav_menus``; which
    one holds the current page the layout works out from the page's ``nav`` (``{% menu_here %}``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menus": []}
    return {"nav_menus": nav.menus_for(str(getattr(user, "role", "")), superuser=bool(user.is_superuser))}
