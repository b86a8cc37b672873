"""Routing: queues' routing settings (managers and admins read and change them), the routing
decisions (the ``routed`` events of tickets the caller may see), and agents' availability,
skills, capacities and load (whose: ``routing.selectors.agents_for_viewer``).

Writes are ``routing.services.queue_routing_set``. A load counts only tickets the caller may see.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from frontline.desk.models import Channel, Queue
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import Availability, User
from frontline.routing import selectors, services
from frontline.routing.models import AgentSkill, Mode, OfflineAction, QueueRouting

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import BY_CREATED_ASC, BY_CREATED_DESC, BY_ID_ASC, PageParams, paginate
from .schemas import Id

router = Router(tags=["routing"])

ModeName = Literal["manual", "round_robin", "least_loaded", "skills"]
OfflineName = Literal["keep", "reassign", "return"]
Seconds = Annotated[int, Field(ge=0, le=86_400)]


class Requirement(Schema):
    name: Annotated[str, Field(min_length=1, max_length=40)] = Field(description="A skill name: language, product, tier…")
    value: Annotated[str, Field(min_length=1, max_length=60)] = Field(
        description="The value asked for, or one read from the ticket: {customer.language}, {customer.tier}, {field.KEY}.")
    min_level: Annotated[int, Field(ge=1, le=5)] = 1
    required: bool = Field(True, description="Required (true) or preferred (false).")


class QueueRoutingOut(Schema):
    queue_id: int
    queue_name: str
    team_id: int | None
    mode: ModeName
    requirements: list[Requirement]
    drop_preferred_after_s: int | None
    widen_after_s: int | None
    offline_action: OfflineName
    offline_grace_s: int
    updated_at: datetime | None
    updated_by_id: int | None
    waiting: int = Field(description="Unassigned new or open tickets in the queue.")


class QueueRoutingIn(Schema):
    mode: ModeName
    requirements: list[Requirement] = Field([], max_length=10, description="Skills-based: at least one.")
    drop_preferred_after_s: Seconds | None = Field(None, description="Skills-based: stop asking preferred skills after.")
    widen_after_s: Seconds | None = Field(None, description="Skills-based: anyone in the team after.")
    offline_action: OfflineName = "keep"
    offline_grace_s: Seconds = 120


class DecisionOut(Schema):
    id: int
    ticket_id: int
    created_at: datetime
    summary: str
    rule: str = Field(description="round-robin, least-loaded, skills-based, offline…")
    reason: str
    agent_id: int | None = Field(description="Who got the work; empty: it waits (or was returned to the queue).")
    queue_id: int | None
    stage: int = Field(description="The fallback stage (0: as configured).")
    matched: list[str]
    chat_id: int | None = Field(description="A live chat offered rather than a ticket assigned.")
    from_agent_id: int | None = Field(description="Returned from this agent, who went offline.")


class DecisionPage(Schema):
    items: list[DecisionOut]
    next_cursor: str | None


class DecisionListParams(PageParams):
    queue_id: Id | None = None
    outcome: Literal["routed", "waiting"] | None = Field(None, description="routed: work placed; waiting: not placed.")


class SkillOut(Schema):
    name: str
    value: str
    level: int


class ChannelLoadOut(Schema):
    channel: str
    capacity: int = Field(description="Open tickets (chat: chats at once) routing gives the agent at most.")
    load: int = Field(description="Open tickets now (chat: active chats), of those you may see.")


class RoutingAgentOut(Schema):
    id: int
    name: str
    availability: Availability
    availability_changed_at: datetime | None
    skills: list[SkillOut]
    channels: list[ChannelLoadOut]


class RoutingAgentPage(Schema):
    items: list[RoutingAgentOut]
    next_cursor: str | None


class RoutingAgentParams(PageParams):
    availability: Availability | None = None
    team_id: Id | None = None


# --- queues ---------------------------------------------------------------------------------------


def _configurer(request: HttpRequest) -> User:
    viewer = viewer_of(request)
    if not selectors.may_configure(viewer):
        raise PermissionDenied("Queue routing is for managers and admins.")
    return viewer


def _queue_out(queue: Queue, config: QueueRouting | None, waiting: int) -> QueueRoutingOut:
    return QueueRoutingOut(
        queue_id=queue.pk, queue_name=queue.name, team_id=queue.team_id,
        mode=config.mode if config else Mode.MANUAL,
        requirements=[Requirement(**r) for r in (config.requirements if config else [])],
        drop_preferred_after_s=config.drop_preferred_after_s if config else None,
        widen_after_s=config.widen_after_s if config else None,
        offline_action=config.offline_action if config else OfflineAction.KEEP,
        offline_grace_s=config.offline_grace_s if config else 120,
        updated_at=config.updated_at if config else None, updated_by_id=config.updated_by_id if config else None,
        waiting=waiting,
    )


def _queue_row(viewer: User, queue_id: int) -> selectors.QueueRow:
    row = next((r for r in selectors.queue_rows(viewer=viewer) if r.queue.pk == queue_id), None) \
        if valid_id(queue_id) else None
    if row is None:
        raise Http404("No such queue.")
    return row


@router.get("/queues", response={200: list[QueueRoutingOut], **error_responses(403)}, auth=staff_auth,
            summary="Every queue's routing (managers)")
def queue_routing_list(request: HttpRequest) -> list[QueueRoutingOut]:
    return [_queue_out(r.queue, r.config, len(r.waiting_ids)) for r in selectors.queue_rows(viewer=_configurer(request))]


@router.get("/queues/{queue_id}", response={200: QueueRoutingOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="A queue's routing (managers)")
def queue_routing_read(request: HttpRequest, queue_id: int) -> QueueRoutingOut:
    row = _queue_row(_configurer(request), queue_id)
    return _queue_out(row.queue, row.config, len(row.waiting_ids))


@router.put("/queues/{queue_id}", response={200: QueueRoutingOut, **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="Set a queue's routing (managers)")
def queue_routing_update(request: HttpRequest, queue_id: int, payload: QueueRoutingIn) -> QueueRoutingOut:
    """Replaces the queue's routing: mode, requirements (skills-based), fallbacks, what happens to an
    offline agent's tickets. The next routing pass uses it."""
    viewer = _configurer(request)
    row = _queue_row(viewer, queue_id)
    config = services.queue_routing_set(
        queue=row.queue, actor=viewer, mode=payload.mode, requirements=[r.dict() for r in payload.requirements],
        drop_preferred_after_s=payload.drop_preferred_after_s, widen_after_s=payload.widen_after_s,
        offline_action=payload.offline_action, offline_grace_s=payload.offline_grace_s)
    return _queue_out(row.queue, config, len(row.waiting_ids))


# --- decisions ------------------------------------------------------------------------------------


def decision_out(event: Any) -> DecisionOut:
    p = event.payload or {}
    return DecisionOut(
        id=event.pk, ticket_id=event.ticket_id, created_at=event.created_at, summary=str(p.get("summary", "")),
        rule=str(p.get("rule", "")), reason=str(p.get("reason", "")), agent_id=p.get("agent_id"),
        queue_id=p.get("queue_id"), stage=int(p.get("stage") or 0), matched=[str(m) for m in p.get("matched") or []],
        chat_id=p.get("chat_id"), from_agent_id=p.get("from_agent_id"),
    )


@router.get("/tickets/{ticket_id}/decisions", response={200: DecisionPage, **error_responses(403, 404, 422)},
            auth=staff_auth, summary="A ticket's routing decisions, oldest first (staff)")
def ticket_decisions(request: HttpRequest, ticket_id: int, params: Query[PageParams]) -> DecisionPage:
    viewer = viewer_of(request)
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    events = selectors.routing_events_for_viewer(viewer=viewer, ticket_id=ticket.pk)
    page = paginate(events, keyset=BY_CREATED_ASC, limit=params.limit, cursor=params.cursor)
    return DecisionPage(items=[decision_out(e) for e in page.items], next_cursor=page.next_cursor)


@router.get("/decisions", response={200: DecisionPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Routing decisions on the tickets you may see, newest first (staff)")
def decision_list(request: HttpRequest, params: Query[DecisionListParams]) -> DecisionPage:
    routed = {"routed": True, "waiting": False}.get(params.outcome or "")
    events = selectors.routing_events_for_viewer(viewer=viewer_of(request), queue_id=params.queue_id, routed=routed)
    page = paginate(events, keyset=BY_CREATED_DESC, limit=params.limit, cursor=params.cursor)
    return DecisionPage(items=[decision_out(e) for e in page.items], next_cursor=page.next_cursor)


# --- agents ---------------------------------------------------------------------------------------


def _agents(viewer: User) -> QuerySet[User]:
    return selectors.agents_for_viewer(viewer=viewer).select_related("agent_profile").prefetch_related(
        Prefetch("routing_skills", queryset=AgentSkill.objects.order_by("name", "value")))


def _agents_out(viewer: User, agents: list[User]) -> list[RoutingAgentOut]:
    ids = [a.pk for a in agents]
    capacities = selectors.capacities_for(agent_ids=ids)
    loads = selectors.agent_loads_for_viewer(viewer=viewer, agent_ids=ids)
    out = []
    for a in agents:
        profile = getattr(a, "agent_profile", None)
        out.append(RoutingAgentOut(
            id=a.pk, name=a.display_name,
            availability=profile.availability if profile else Availability.OFFLINE,
            availability_changed_at=profile.availability_changed_at if profile else None,
            skills=[SkillOut(name=s.name, value=s.value, level=s.level) for s in a.routing_skills.all()],
            channels=[ChannelLoadOut(channel=c, capacity=capacities[a.pk][c], load=loads[a.pk].get(c, 0))
                      for c in Channel.values],
        ))
    return out


@router.get("/agents", response={200: RoutingAgentPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Agents' availability, skills, capacities and load (managers: all; leads: their teams; agents: themselves)")
def routing_agent_list(request: HttpRequest, params: Query[RoutingAgentParams]) -> RoutingAgentPage:
    viewer = viewer_of(request)
    agents = _agents(viewer)
    if params.availability is not None:
        agents = agents.filter(agent_profile__availability=params.availability)
    if params.team_id is not None:
        agents = agents.filter(teams__id=params.team_id)
    page = paginate(agents, keyset=BY_ID_ASC, limit=params.limit, cursor=params.cursor)
    return RoutingAgentPage(items=_agents_out(viewer, page.items), next_cursor=page.next_cursor)


@router.get("/agents/{agent_id}", response={200: RoutingAgentOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="One agent's availability, skills, capacities and load")
def routing_agent_read(request: HttpRequest, agent_id: int) -> RoutingAgentOut:
    viewer = viewer_of(request)
    agent = _agents(viewer).filter(pk=agent_id).first() if valid_id(agent_id) else None
    if agent is None:
        raise Http404("No such agent.")
    return _agents_out(viewer, [agent])[0]
