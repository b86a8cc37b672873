"""Agent and team endpoints (staff only, read-only: agents and teams are managed in the admin)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router

from frontline.people.models import Availability, Team, User
from frontline.people.selectors import agents_assignable, team_list_for_viewer

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import BY_ID_ASC, PageParams, paginate
from .schemas import AgentListParams, AgentOut, AgentPage, PersonRef, TeamOut, TeamPage

router = Router(tags=["agents and teams"])


def _agents(viewer: User) -> QuerySet[User]:
    return agents_assignable(viewer=viewer).select_related("agent_profile").prefetch_related(
        Prefetch("teams", queryset=Team.objects.only("id").order_by("id"))
    )


def _teams(viewer: User) -> QuerySet[Team]:
    return team_list_for_viewer(viewer=viewer).prefetch_related(
        Prefetch("members", queryset=User.objects.only("id").order_by("id"))
    )


def agent_out(user: User) -> AgentOut:
    profile = getattr(user, "agent_profile", None)
    return AgentOut(
        id=user.pk, name=user.display_name, email=user.email, role=user.role,
        team_ids=[t.pk for t in user.teams.all()],
        skills=list(profile.skills) if profile else [],
        languages=list(profile.languages) if profile else [],
        availability=profile.availability if profile else Availability.OFFLINE,
    )


def team_out(team: Team) -> TeamOut:
    return TeamOut(
        id=team.pk, name=team.name,
        lead=PersonRef(id=team.lead.pk, name=team.lead.display_name) if team.lead else None,
        parent_id=team.parent_id, member_ids=[m.pk for m in team.members.all()],
        time_zone=team.time_zone, description=team.description,
    )


@router.get("/agents", response={200: AgentPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="List active agents")
def agent_list(request: HttpRequest, params: Query[AgentListParams]) -> AgentPage:
    agents = _agents(viewer_of(request))
    if params.team_id is not None:
        agents = agents.filter(teams__id=params.team_id)
    page = paginate(agents, keyset=BY_ID_ASC, limit=params.limit, cursor=params.cursor)
    return AgentPage(items=[agent_out(a) for a in page.items], next_cursor=page.next_cursor)


@router.get("/agents/{agent_id}", response={200: AgentOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="Read an agent")
def agent_read(request: HttpRequest, agent_id: int) -> AgentOut:
    agent = _agents(viewer_of(request)).filter(pk=agent_id).first() if valid_id(agent_id) else None
    if agent is None:
        raise Http404("No such agent.")
    return agent_out(agent)


@router.get("/teams", response={200: TeamPage, **error_responses(403, 422)}, auth=staff_auth, summary="List teams")
def team_list(request: HttpRequest, params: Query[PageParams]) -> TeamPage:
    page = paginate(_teams(viewer_of(request)), keyset=BY_ID_ASC, limit=params.limit, cursor=params.cursor)
    return TeamPage(items=[team_out(t) for t in page.items], next_cursor=page.next_cursor)


@router.get("/teams/{team_id}", response={200: TeamOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="Read a team")
def team_read(request: HttpRequest, team_id: int) -> TeamOut:
    team = _teams(viewer_of(request)).filter(pk=team_id).first() if valid_id(team_id) else None
    if team is None:
        raise Http404("No such team.")
    return team_out(team)
