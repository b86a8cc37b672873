from __future__ import annotations

from django.http import HttpRequest

from .models import STAFF_ROLES, Availability


def viewer(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    is_staff = bool(user and user.is_authenticated and user.role in STAFF_ROLES)
    return {"viewer_is_staff": is_staff, "availability_choices": Availability.choices}
