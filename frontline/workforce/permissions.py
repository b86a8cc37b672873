"""Who may plan: the rules every workforce page (forecasts, staffing, schedules, adherence, budget) uses.

* Forecasts, staffing plans and what-if: read and run by *planners* (team leads, managers,
  admins); agents get 403.
* Schedules: agents read the published schedules of their own teams; leads edit, solve and
  publish the schedules of the teams they lead (sub-teams included); managers and admins all.
* Adherence: agents see their own; leads their led teams' agents; managers and admins everyone.
* Budget: managers and admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from frontline.people.models import STAFF_ROLES, Role, User
from frontline.people.selectors import team_ids_led_by

PLANNER_ROLES = frozenset({Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN})
BUDGET_ROLES = frozenset({Role.MANAGER, Role.ADMIN})

View = Callable[..., HttpResponse]


def _role_required(roles: frozenset[str], message: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:  # type: ignore[union-attr]
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_only = _role_required(STAFF_ROLES, "This page is for support staff.")
planner_required = _role_required(PLANNER_ROLES, "Workforce planning is for team leads and managers.")
budget_required = _role_required(BUDGET_ROLES, "The budget is for managers.")


def is_planner(user: User) -> bool:
    return user.is_authenticated and user.role in PLANNER_ROLES


def managed_team_ids(user: User) -> set[int] | None:
    """Teams whose schedules the user may change; None = every team; empty for agents."""
    if user.sees_everything:
        return None
    if user.role == Role.TEAM_LEAD:
        return team_ids_led_by(user=user)
    return set()


def can_manage_team(user: User, team_id: int | None) -> bool:
    ids = managed_team_ids(user)
    return ids is None or (team_id is not None and team_id in ids)
