"""Reads of automations: which macros a person sees and may edit, the field registry, the facts
a rule's conditions are evaluated on, and the dry run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, Q, QuerySet

from frontline.customers.models import Tier
from frontline.desk.models import (
    UNRESOLVED_CATEGORIES,
    AuthorKind,
    EventKind,
    FieldType,
    Message,
    Queue,
    StatusCategory,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.desk.selectors import ticket_queryset_for_viewer
from frontline.engine import rules as engine
from frontline.people.models import STAFF_ROLES, Role, Team, User
from frontline.people.selectors import team_ids_led_by, team_ids_of_member

from .models import Macro, MacroUse, Rule, RuleFiring, Trigger, Visibility

DRY_RUN_SHOWN = 50
DRY_RUN_MAX = 20_000
FIRED_LINK_MAX = 1000  # tickets a rule's "Fired" count opens in the desk's list (the latest)


# --- macros ------------------------------------------------------------------------------------

def macros_for_viewer(*, viewer: User) -> QuerySet[Macro]:
    """The macros ``viewer`` may see and apply: shared ones, their teams' (and, for a lead, the teams
    they lead), and their own personal ones. Customers see none."""
    if not viewer.is_authenticated or viewer.role not in STAFF_ROLES or not viewer.is_active:
        return Macro.objects.none()
    teams = team_ids_of_member(user=viewer) | team_ids_led_by(user=viewer)
    visible = Q(visibility=Visibility.SHARED) | Q(visibility=Visibility.PERSONAL, owner=viewer)
    if viewer.sees_everything:
        visible |= Q(visibility=Visibility.TEAM)
    else:
        visible |= Q(visibility=Visibility.TEAM, team_id__in=teams)
    return Macro.objects.filter(visible).select_related("owner", "team", "last_used_by")


def macro_get_for_viewer(*, macro_id: int, viewer: User) -> Macro:
    from django.http import Http404

    try:
        return macros_for_viewer(viewer=viewer).get(pk=macro_id)
    except (Macro.DoesNotExist, ValueError, TypeError):
        raise Http404("No such macro.") from None


def macro_usage_by_person(*, macro: Macro) -> list[dict[str, Any]]:
    """Who used ``macro`` how often and when last, most uses first."""
    from django.db.models import Count, Max

    rows = (MacroUse.objects.filter(macro=macro).values("user_id").annotate(uses=Count("id"), last=Max("at"))
            .order_by("-uses", "user_id"))
    users = {u.pk: u for u in User.objects.filter(pk__in=[r["user_id"] for r in rows])}
    return [{"user": users.get(r["user_id"]), "uses": r["uses"], "last": r["last"]} for r in rows]


def macro_may_edit(*, macro: Macro | None, viewer: User, visibility: str = "", team: Team | None = None) -> bool:
    """Who changes which macro: anyone staff their personal ones; a team's lead (and managers) its
    team macros; managers and admins shared ones. With ``macro`` None: may create one so placed."""
    if viewer.role not in STAFF_ROLES or not viewer.is_active:
        return False
    visibility = macro.visibility if macro is not None else visibility
    if visibility == Visibility.PERSONAL:
        return macro is None or macro.owner_id == viewer.pk
    if viewer.sees_everything:
        return True
    if visibility == Visibility.TEAM and viewer.role == Role.TEAM_LEAD:
        team_id = macro.team_id if macro is not None else (team.pk if team else None)
        return team_id in team_ids_led_by(user=viewer)
    return False


def macro_teams_for_editor(*, viewer: User) -> QuerySet[Team]:
    """Teams ``viewer`` may put team macros in."""
    if viewer.sees_everything:
        return Team.objects.all()
    if viewer.role == Role.TEAM_LEAD:
        return Team.objects.filter(pk__in=team_ids_led_by(user=viewer))
    return Team.objects.none()


# --- rules: the field registry and facts --------------------------------------------------------

_KIND_OF_FIELD_TYPE = {FieldType.TEXT: "text", FieldType.NUMBER: "number", FieldType.CHOICE: "choice",
                       FieldType.CHECKBOX: "bool", FieldType.DATE: "text"}


def field_registry() -> Any:
    """The engine's standard fields with what only the database knows: queue slugs, team names,
    agents' usernames and the custom ticket fields."""
    extra = [
        engine.FieldSpec("ticket.queue", "text", "Queue (slug)", tuple(Queue.objects.values_list("slug", flat=True))),
        engine.FieldSpec("ticket.team", "text", "Team (name)", tuple(Team.objects.values_list("name", flat=True))),
        engine.FieldSpec("ticket.assignee", "text", "Assignee (username)",
                         tuple(User.objects.filter(role__in=STAFF_ROLES).values_list("username", flat=True))),
    ]
    for f in TicketField.objects.all():
        kind = _KIND_OF_FIELD_TYPE.get(f.field_type, "text")
        choices = tuple(str(c) for c in f.choices) if kind == "choice" else None
        extra.append(engine.FieldSpec(f"{engine.CUSTOM_PREFIX}{f.key}", kind, f.label, choices))  # type: ignore[arg-type]
    return engine.registry_with(extra)


_TIER_ORDER = {t: i for i, t in enumerate(Tier.values)}


def _hours(now: datetime, then: datetime | None) -> float | None:
    return None if then is None else (now - then).total_seconds() / 3600.0


def facts_values(*, tickets: list[Ticket], now: datetime, need: frozenset[str]) -> dict[int, dict[str, Any]]:
    """Per ticket id, the values of the fields in ``need`` (and the cheap ones always), read in a
    fixed number of queries whatever the number of tickets."""
    ids = [t.pk for t in tickets]
    tags: dict[int, set[str]] = {i: set() for i in ids}
    for ticket_id, name in Ticket.tags.through.objects.filter(ticket_id__in=ids).values_list("ticket_id", "tag__name"):
        tags[ticket_id].add(name)
    pending_since: dict[int, datetime] = {}
    if need & {"ticket.pending_since", "ticket.hours_since_pending"}:
        pending_ids = [t.pk for t in tickets if t.status_category == StatusCategory.PENDING]
        for ticket_id, at in (TicketEvent.objects.filter(ticket_id__in=pending_ids, kind=EventKind.STATUS_CHANGED,
                                                           payload__to_category=StatusCategory.PENDING)
                              .order_by("created_at").values_list("ticket_id", "created_at")):
            pending_since[ticket_id] = at  # the latest entry into pending wins
    latest_text: dict[int, str] = {}
    if "message.text" in need:
        for ticket_id, text in (Message.objects.filter(ticket_id__in=ids, author_kind=AuthorKind.CUSTOMER)
                                .order_by("created_at", "id").values_list("ticket_id", "body_text")):
            latest_text[ticket_id] = text
    sla_state: dict[int, str] = {}
    if "sla.state" in need:
        sla_state = _sla_states(ids)
    values: dict[int, dict[str, Any]] = {}
    for t in tickets:
        requester = t.requester
        company = requester.company if requester.company_id else None
        tiers = [requester.tier] + ([company.tier] if company else [])
        pending = pending_since.get(t.pk, t.updated_at) if t.status_category == StatusCategory.PENDING else None
        solved = t.solved_at if t.status_category in (StatusCategory.SOLVED, StatusCategory.CLOSED) else None
        row: dict[str, Any] = {
            "ticket.status_category": t.status_category, "ticket.status": t.status.name, "ticket.priority": t.priority,
            "ticket.type": t.ticket_type, "ticket.channel": t.channel,
            "ticket.queue": t.queue.slug if t.queue_id else None, "ticket.team": t.team.name if t.team_id else None,
            "ticket.assignee": t.assignee.username if t.assignee_id else None, "ticket.tags": frozenset(tags[t.pk]),
            "ticket.subject": t.subject, "ticket.reopen_count": t.reopen_count, "ticket.message_count": t.message_count,
            "ticket.created_at": t.created_at, "ticket.updated_at": t.updated_at, "ticket.pending_since": pending,
            "ticket.solved_at": solved, "ticket.hours_since_created": _hours(now, t.created_at),
            "ticket.hours_since_updated": _hours(now, t.updated_at), "ticket.hours_since_pending": _hours(now, pending),
            "ticket.hours_since_solved": _hours(now, solved), "message.text": latest_text.get(t.pk),
            "requester.name": requester.name, "requester.email": requester.email,
            "requester.tier": max(tiers, key=lambda x: _TIER_ORDER.get(x, 0)),
            "requester.company": company.name if company else None, "sla.state": sla_state.get(t.pk, "none"),
        }
        for key, value in (t.custom_fields or {}).items():
            row[f"{engine.CUSTOM_PREFIX}{key}"] = value
        values[t.pk] = row
    return values


def _sla_states(ids: list[int]) -> dict[int, str]:
    from frontline.sla.models import ClockState, SLAClock

    states: dict[int, str] = {}
    rank = {"none": 0, "on_track": 1, "at_risk": 2, "breached": 3}
    for ticket_id, state, at_risk in (SLAClock.objects.filter(ticket_id__in=ids)
                                      .exclude(state=ClockState.CANCELLED)
                                      .values_list("ticket_id", "state", "at_risk_event_at")):
        if state == ClockState.BREACHED:
            now_state = "breached"
        elif state in (ClockState.RUNNING, ClockState.PAUSED):
            now_state = "at_risk" if at_risk else "on_track"
        else:
            continue
        if rank[now_state] > rank[states.get(ticket_id, "none")]:
            states[ticket_id] = now_state
    return states


def tickets_for_facts(ids: Iterable[int]) -> list[Ticket]:
    return list(Ticket.objects.filter(pk__in=list(ids)).select_related(
        "status", "requester", "requester__company", "assignee", "team", "queue"))


# --- rules: lists and the dry run ---------------------------------------------------------------

def rules_for_manager(*, viewer: User) -> QuerySet[Rule]:
    """Every rule for managers and admins; nothing for anyone else."""
    if not viewer.is_authenticated or not viewer.sees_everything or not viewer.is_active:
        return Rule.objects.none()
    return Rule.objects.all()


def rule_fired_ticket_ids(*, rule: Rule, limit: int = FIRED_LINK_MAX) -> list[int]:
    """The tickets the rule fired on, the latest firing first, each once (at most ``limit``)."""
    return list(RuleFiring.objects.filter(rule=rule).values("ticket_id").annotate(last=Max("at"))
                .order_by("-last", "-ticket_id").values_list("ticket_id", flat=True)[:limit])


def rules_active_for(triggers: Iterable[str]) -> list[Rule]:
    return list(Rule.objects.filter(active=True, trigger__in=list(triggers)).order_by("position", "id"))


@dataclass(frozen=True)
class DryRun:
    """Open tickets the conditions match now: how many of how many looked at, and the first ones."""

    matched: int
    looked_at: int
    ids: list[int]
    shown: list[Ticket]
    capped: bool


def rule_dry_run(*, conditions: object, viewer: User, now: datetime, trigger: str = Trigger.SCHEDULE) -> DryRun:
    """Which open (unresolved) tickets the viewer may see would ``conditions`` match now? A change
    (``changed``, ``event.kind``) is not known in a dry run: such conditions see none."""
    registry = field_registry()
    predicate = engine.compile_conditions(conditions, registry)
    need = engine.fields_used(conditions)
    tickets = (ticket_queryset_for_viewer(viewer=viewer).filter(status_category__in=UNRESOLVED_CATEGORIES)
               .select_related("status", "requester", "requester__company", "assignee", "team", "queue")
               .order_by("-updated_at", "-id"))
    batch = list(tickets[:DRY_RUN_MAX + 1])
    capped = len(batch) > DRY_RUN_MAX
    batch = batch[:DRY_RUN_MAX]
    values = facts_values(tickets=batch, now=now, need=need)
    actor_role = "system" if trigger == Trigger.SCHEDULE else None
    matched = []
    for t in batch:
        row = values[t.pk]
        if actor_role:
            row["event.actor_role"] = actor_role
        if predicate(engine.Facts(values=row, now=now)):
            matched.append(t)
    return DryRun(matched=len(matched), looked_at=len(batch), ids=[t.pk for t in matched],
                  shown=matched[:DRY_RUN_SHOWN], capped=capped)
