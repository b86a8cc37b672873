from __future__ import annotations

from django.http import HttpRequest

from .models import STAFF_ROLES, Availability
from .services import ASK_AVAILABILITY_KEY


def viewer(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    is_staff = bool(user and user.is_authenticated and user.role in STAFF_ROLES)
    session = getattr(request, "session", None)
    ask = bool(is_staff and session is not None and session.get(ASK_AVAILABILITY_KEY)
               and getattr(getattr(user, "agent_profile", None), "availability", Availability.OFFLINE) == Availability.OFFLINE)
    return {"viewer_is_staff": is_staff, "availability_choices": Availability.choices, "ask_availability": ask}
