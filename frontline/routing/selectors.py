"""Reads of routing: the candidates for a queue and channel (with loads, capacities, skills, turns),
the waiting work of a queue, what a viewer may see of skills and the routing log.

A candidate is an active staff member who is Online now, in the queue's team (any staff when the
queue has no team), and — when a schedule of one of their teams is published for this week — on
a shift now and not on a break. Building the candidates of a queue costs a fixed number of
queries whatever the number of agents.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from frontline.chat.models import Chat, ChatCapacity, ChatState
from frontline.customers.models import Tier
from frontline.desk.models import Channel, EventKind, Queue, StatusCategory, Ticket, TicketEvent
from frontline.desk.selectors import ticket_visibility_q
from frontline.engine.routing import Candidate, Requirement, Skill
from frontline.people.models import STAFF_ROLES, Availability, Role, User
from frontline.people.selectors import team_ids_for_viewer
from frontline.schedules.models import Schedule, ScheduleStatus, Shift
from frontline.sla.models import ClockState, SLAClock

from .models import AgentCapacity, AgentSkill, Mode, QueueRouting, Turn

# Tickets an agent is working on: what "open" counts in a load (pending and on hold wait for
# someone else).
LOAD_CATEGORIES = (StatusCategory.NEW, StatusCategory.OPEN)
CHAT_UNIT = "chats"
TICKET_UNIT = "open"


def config_for(*, queue_id: int | None) -> QueueRouting | None:
    """The queue's routing (None: no queue, no row, or manual)."""
    if queue_id is None:
        return None
    config = QueueRouting.objects.select_related("queue").filter(queue_id=queue_id).first()
    return None if config is None or config.mode == Mode.MANUAL else config


def vip_tiers() -> frozenset[str]:
    return frozenset(t.strip() for t in settings.ROUTING_VIP_TIERS.split(",") if t.strip() in Tier.values)


def _on_shift_filter(agent_ids: list[int], now: datetime) -> set[int]:
    """Of ``agent_ids``, those a published schedule of this week does not keep off work now."""
    week = Schedule.objects.filter(state=ScheduleStatus.PUBLISHED, week_start__gt=(now - timedelta(days=8)).date(),
                                   week_start__lte=(now + timedelta(days=1)).date())
    ruled = set(User.objects.filter(pk__in=agent_ids, teams__schedules__in=week).values_list("pk", flat=True))
    if not ruled:
        return set(agent_ids)
    on_shift: set[int] = set()
    for agent_id, breaks in Shift.objects.filter(schedule__in=week, agent_id__in=ruled, starts_at__lte=now,
                                                  ends_at__gt=now).values_list("agent_id", "breaks"):
        if not any(_covers(b, now) for b in breaks or []):
            on_shift.add(agent_id)
    return (set(agent_ids) - ruled) | on_shift


def _covers(brk: dict, now: datetime) -> bool:  # type: ignore[type-arg]
    start, end = parse_datetime(str(brk.get("start", ""))), parse_datetime(str(brk.get("end", "")))
    return start is not None and end is not None and start <= now < end


def eligible_agents(*, queue: Queue, now: datetime) -> QuerySet[User]:
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True, agent_profile__availability=Availability.ONLINE)
    if queue.team_id is not None:
        staff = staff.filter(teams__id=queue.team_id)
    return staff.distinct()


def candidates_for(*, queue: Queue, chat: bool, channel: str, now: datetime | None = None) -> list[Candidate]:
    """Everyone who may be offered this queue's work of ``channel`` now (live chats: ``chat``)."""
    now = now or timezone.now()
    agents = list(eligible_agents(queue=queue, now=now).values_list("pk", "first_name", "last_name", "username"))
    allowed = _on_shift_filter([a[0] for a in agents], now)
    agents = [a for a in agents if a[0] in allowed]
    ids = [a[0] for a in agents]
    if chat:
        loads = dict(Chat.objects.filter(agent_id__in=ids, state=ChatState.ACTIVE).values("agent_id")
                     .annotate(n=Count("id")).values_list("agent_id", "n"))
        capacities = _chat_capacities(ids)
    else:
        loads = dict(Ticket.objects.filter(assignee_id__in=ids, status_category__in=LOAD_CATEGORIES, channel=channel)
                     .values("assignee_id").annotate(n=Count("id")).values_list("assignee_id", "n"))
        capacities = dict(AgentCapacity.objects.filter(agent_id__in=ids, channel=channel).values_list("agent_id", "max_open"))
    skills: dict[int, list[Skill]] = {}
    for agent_id, name, value, level in AgentSkill.objects.filter(agent_id__in=ids).values_list("agent_id", "name", "value", "level"):
        skills.setdefault(agent_id, []).append(Skill(name, value, level))
    turns = dict(Turn.objects.filter(queue=queue, agent_id__in=ids).values_list("agent_id", "last_routed_at"))
    default = settings.CHAT_MAX_PER_AGENT if chat else settings.ROUTING_CAPACITY_DEFAULT
    out = []
    for agent_id, first, last, username in agents:
        capacity = capacities.get(agent_id, default)
        turn = turns.get(agent_id)
        out.append(Candidate(agent_id=agent_id, name=f"{first} {last}".strip() or username,
                             load=min(loads.get(agent_id, 0), 10_000), capacity=capacity,
                             skills=tuple(skills.get(agent_id, ())), last_routed=turn.timestamp() if turn else 0.0))
    return out


def chat_capacities(*, agent_ids: list[int]) -> dict[int, int]:
    """Chats each agent holds at once (``chat.selectors.chat_capacity``'s rule), in two queries."""
    return _chat_capacities(list(agent_ids))


def _chat_capacities(ids: list[int]) -> dict[int, int]:
    """The chat app's rule (``chat.selectors.chat_capacity``) for many agents in two queries."""
    own = dict(ChatCapacity.objects.filter(agent_id__in=ids).values_list("agent_id", "max_chats"))
    team_max: dict[int, int] = {}  # the highest of the agent's teams' settings
    for agent_id, value in ChatCapacity.objects.filter(team__members__in=ids).values_list("team__members", "max_chats"):
        team_max[agent_id] = max(value, team_max.get(agent_id, 0))
    return {i: own[i] if i in own else team_max.get(i, settings.CHAT_MAX_PER_AGENT) for i in ids}


REQUIREMENT_SOURCES = ("{customer.language}", "{customer.tier}")


def requirements_for(*, config: QueueRouting, ticket: Ticket) -> tuple[Requirement, ...]:
    """The queue's requirements with the ticket's values filled in (one left empty is dropped)."""
    out = []
    for spec in config.requirements or []:
        value = str(spec.get("value", ""))
        if value == "{customer.language}":
            value = ticket.requester.language
        elif value == "{customer.tier}":
            value = ticket.requester.tier
        elif value.startswith("{field.") and value.endswith("}"):
            value = str(ticket.custom_fields.get(value[7:-1], "") or "")
        if value:
            out.append(Requirement(spec["name"], value, int(spec.get("min_level", 1)), bool(spec.get("required", True))))
    return tuple(out)


def is_vip(ticket: Ticket) -> bool:
    tiers = vip_tiers()
    return ticket.requester.tier in tiers or (ticket.company is not None and ticket.company.tier in tiers)


def sla_due(ticket_ids: list[int]) -> dict[int, datetime]:
    """The soonest running SLA due time of each ticket."""
    return dict(SLAClock.objects.filter(ticket_id__in=ticket_ids, state=ClockState.RUNNING, due_at__isnull=False)
                .values("ticket_id").annotate(due=Min("due_at")).values_list("ticket_id", "due"))


def waiting_tickets(*, queue: Queue, limit: int) -> QuerySet[Ticket]:
    """Unassigned tickets of the queue waiting for an agent (live chats included; their offer aside)."""
    return (Ticket.objects.filter(queue=queue, assignee__isnull=True, status_category__in=LOAD_CATEGORIES)
            .select_related("requester", "company", "queue").order_by("created_at", "id")[:limit])


def routed_queues() -> QuerySet[QueueRouting]:
    return QueueRouting.objects.exclude(mode=Mode.MANUAL).select_related("queue")


# --- what people may see -----------------------------------------------------------------------

def may_configure(user: User) -> bool:
    """Managers and admins change routing; nobody else."""
    return user.is_authenticated and user.role in (Role.MANAGER, Role.ADMIN)


def agents_for_viewer(*, viewer: User) -> QuerySet[User]:
    """Whose skills and capacities the viewer sees: managers everyone, leads their teams, agents themselves."""
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True)
    if viewer.role in (Role.MANAGER, Role.ADMIN):
        return staff
    if viewer.role == Role.TEAM_LEAD:
        team_ids = team_ids_for_viewer(viewer=viewer) or set()
        return staff.filter(Q(teams__id__in=team_ids) | Q(pk=viewer.pk)).distinct()
    if viewer.role == Role.AGENT:
        return staff.filter(pk=viewer.pk)
    return staff.none()


def skills_of(*, agent: User) -> QuerySet[AgentSkill]:
    return AgentSkill.objects.filter(agent=agent).order_by("name", "value")


def capacities_of(*, agent: User) -> dict[str, int]:
    """Open tickets per channel the agent may hold (the default where none is set); chats: the chat app's."""
    return capacities_for(agent_ids=[agent.pk])[agent.pk]


@dataclass(frozen=True)
class LogRow:
    event: TicketEvent
    summary: str
    routed: bool


def routing_events_for_viewer(*, viewer: User, ticket_id: int | None = None, queue_id: int | None = None,
                              routed: bool | None = None) -> QuerySet[TicketEvent]:
    """Routing decisions (``routed`` events) on tickets the viewer may see, unordered; optionally of one
    ticket, one queue, or only those that placed work (``routed``) or left it waiting (``not routed``)."""
    events = TicketEvent.objects.filter(kind=EventKind.ROUTED)
    q = ticket_visibility_q(viewer=viewer)
    if q is not None:
        events = events.filter(ticket__in=Ticket.objects.filter(q))
    if ticket_id is not None:
        events = events.filter(ticket_id=ticket_id)
    if queue_id is not None:
        events = events.filter(payload__queue_id=queue_id)
    if routed is True:
        events = events.filter(payload__agent_id__isnull=False)
    elif routed is False:
        events = events.filter(payload__agent_id__isnull=True)
    return events


def routing_log_for_viewer(*, viewer: User, queue_id: int | None = None, routed: bool | None = None,
                           limit: int = 200) -> list[LogRow]:
    """The latest routing decisions on tickets the viewer may see, newest first."""
    events = routing_events_for_viewer(viewer=viewer, queue_id=queue_id, routed=routed)
    rows = events.select_related("ticket", "ticket__queue").order_by("-created_at", "-id")[:limit]
    return [LogRow(e, str(e.payload.get("summary", "")), e.payload.get("agent_id") is not None) for e in rows]


def agent_loads_for_viewer(*, viewer: User, agent_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per agent and channel, what routing counts as load: open tickets (new or open) and, for the chat
    channel, active chats; counting only tickets the viewer may see, so a load never reveals work
    the viewer could not open. Two queries."""
    loads: dict[int, dict[str, int]] = {i: {} for i in agent_ids}
    q = ticket_visibility_q(viewer=viewer)
    tickets = (Ticket.objects.filter(assignee_id__in=agent_ids, status_category__in=LOAD_CATEGORIES)
               .exclude(channel=Channel.CHAT))
    chats = Chat.objects.filter(agent_id__in=agent_ids, state=ChatState.ACTIVE)
    if q is not None:
        tickets = tickets.filter(q)
        chats = chats.filter(ticket__in=Ticket.objects.filter(q))
    for agent_id, channel, n in (tickets.values("assignee_id", "channel").order_by().annotate(n=Count("id"))
                                 .values_list("assignee_id", "channel", "n")):
        loads[agent_id][channel] = n
    for agent_id, n in chats.values("agent_id").order_by().annotate(n=Count("id")).values_list("agent_id", "n"):
        loads[agent_id][Channel.CHAT] = n
    return loads


def capacities_for(*, agent_ids: list[int]) -> dict[int, dict[str, int]]:
    """``capacities_of`` for many agents in three queries."""
    own: dict[int, dict[str, int]] = {i: {} for i in agent_ids}
    for agent_id, channel, max_open in AgentCapacity.objects.filter(agent_id__in=agent_ids).values_list(
            "agent_id", "channel", "max_open"):
        own[agent_id][channel] = max_open
    chats = _chat_capacities(agent_ids)
    return {i: {**{c: own[i].get(c, settings.ROUTING_CAPACITY_DEFAULT) for c in Channel.values if c != Channel.CHAT},
                Channel.CHAT: chats[i]} for i in agent_ids}


@dataclass(frozen=True)
class QueueRow:
    queue: Queue
    config: QueueRouting | None
    waiting_ids: list[int]

    @property
    def mode_label(self) -> str:
        return self.config.get_mode_display() if self.config else Mode.MANUAL.label


def queue_rows(*, viewer: User) -> list[QueueRow]:
    """Every queue with its routing and the unassigned open tickets the viewer may see in it."""
    configs = {c.queue_id: c for c in QueueRouting.objects.all()}
    tickets = Ticket.objects.filter(assignee__isnull=True, status_category__in=LOAD_CATEGORIES, queue__isnull=False)
    q = ticket_visibility_q(viewer=viewer)
    if q is not None:
        tickets = tickets.filter(q)
    waiting: dict[int, list[int]] = {}
    for ticket_id, queue_id in tickets.order_by("id").values_list("pk", "queue_id")[:5000]:
        waiting.setdefault(queue_id, []).append(ticket_id)
    return [QueueRow(queue, configs.get(queue.pk), waiting.get(queue.pk, [])) for queue in Queue.objects.select_related("team")]
