"""Reads about people and teams, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import STAFF_ROLES, Role, Team, User


def team_descendant_ids(*, team_ids: set[int]) -> set[int]:
    """The given teams and every team below them (teams of teams)."""
    result = set(team_ids)
    frontier = set(team_ids)
    while frontier:
        children = set(Team.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - result
        result |= children
        frontier = children
    return result


def team_ids_led_by(*, user: User) -> set[int]:
    return team_descendant_ids(team_ids=set(user.led_teams.values_list("id", flat=True)))


def team_ids_of_member(*, user: User) -> set[int]:
    return set(user.teams.values_list("id", flat=True))


def team_ids_for_viewer(*, viewer: User) -> set[int] | None:
    """Teams whose work the viewer sees; None means every team.

    Remembered on the user object, which lives for one request (or one API call).
    """
    cached: set[int] | bool | None = getattr(viewer, "_visible_team_ids", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    result: set[int] | None
    if viewer.sees_everything:
        result = None
    elif viewer.role == Role.TEAM_LEAD:
        result = team_ids_led_by(user=viewer) | team_ids_of_member(user=viewer)
    elif viewer.role == Role.AGENT:
        result = team_ids_of_member(user=viewer)
    else:
        result = set()
    viewer._visible_team_ids = result  # type: ignore[attr-defined]
    return result


def team_list_for_viewer(*, viewer: User) -> QuerySet[Team]:
    teams = Team.objects.select_related("lead", "parent").annotate(member_count=Count("members", distinct=True))
    if viewer.role not in STAFF_ROLES:
        return teams.none()
    return teams.order_by("name")


def people_list_for_viewer(*, viewer: User) -> QuerySet[User]:
    """Staff the viewer manages: everyone for managers, their teams' people for leads, none for agents."""
    staff = User.objects.filter(role__in=STAFF_ROLES).select_related("agent_profile")
    if viewer.sees_everything:
        return staff
    if viewer.role == Role.TEAM_LEAD:
        team_ids = team_ids_led_by(user=viewer)
        return staff.filter(Q(teams__in=team_ids) | Q(pk=viewer.pk)).distinct()
    return staff.none()


def agents_assignable(*, viewer: User) -> QuerySet[User]:
    """Staff a ticket may be assigned to (active staff)."""
    if viewer.role not in STAFF_ROLES:
        return User.objects.none()
    return User.objects.filter(role__in=STAFF_ROLES, is_active=True).order_by("first_name", "last_name")
