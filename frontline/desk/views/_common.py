"""What the agent pages share: ``staff_required`` (other apps' pages use it too), page sizes, sorts, bounds."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from frontline.people.models import STAFF_ROLES

PAGE_SIZES = (25, 50, 100)
SORTS = {
    "updated": ("updated_at", "id"),
    "created": ("created_at", "id"),
    "id": ("id",),
    "subject": ("subject", "id"),
    "priority": ("priority_rank", "updated_at"),
    "due": ("sla_due", "id"),  # the soonest SLA due time (frontline.sla); no clock sorts last
}


def staff_required(view):  # type: ignore[no-untyped-def]
    """Signed-in staff only; customers are sent to the portal's equivalent (403 for others)."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.role not in STAFF_ROLES:  # type: ignore[union-attr]
            raise PermissionDenied("This page is for support staff.")
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


MAX_ID = 2**63 - 1
# Days outside these bounds name no ticket (and would overflow a database's time range).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
FILTER_PARAMS = ("status", "priority", "type", "channel", "assignee", "team", "queue", "tag", "q", "requester", "company",
                 "created_from", "created_to", "updated_from", "updated_to", "ids")
