"""Reads of escalations: the queue of a level, a ticket's escalation, who is notified."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from frontline.people.models import Role, User
from frontline.people.selectors import team_descendant_ids, team_ids_led_by

from .models import Escalation, EscalationState, Level, Trigger


def escalation_queue_for_viewer(*, viewer: User, level: str) -> QuerySet[Escalation]:
    """Open escalations at ``level`` the viewer handles: a lead, their teams' at team-lead level;
    managers and admins, every team's (the manager level holds those beyond a lead's authority)."""
    open_ones = Escalation.objects.filter(state=EscalationState.OPEN, level=level).select_related(
        "ticket", "ticket__requester", "team", "raised_by").order_by("escalated_at", "id")
    if viewer.role in (Role.MANAGER, Role.ADMIN):
        return open_ones
    if viewer.role == Role.TEAM_LEAD and level == Level.TEAM_LEAD:
        return open_ones.filter(team_id__in=team_descendant_ids(team_ids=team_ids_led_by(user=viewer)))
    return open_ones.none()


@dataclass(frozen=True)
class Step:
    level: str
    trigger: str
    at: datetime
    reason: str


def escalation_path(escalation: Escalation) -> list[Step]:
    """The steps an escalation took, oldest first, with readable level and trigger names."""
    levels = {**dict(Level.choices), "agent": "Agent"}
    triggers = {**dict(Trigger.choices), "de_escalated": "De-escalated"}
    return [Step(level=str(levels.get(s["level"], s["level"])), trigger=str(triggers.get(s["trigger"], s["trigger"])),
                 at=datetime.fromisoformat(s["at"]), reason=s.get("reason") or "") for s in escalation.path]


def escalation_waited(escalation: Escalation, now: datetime | None = None) -> timedelta:
    return (now or timezone.now()) - escalation.escalated_at


def escalation_open_for_ticket(*, ticket_id: int) -> Escalation | None:
    return Escalation.objects.filter(ticket_id=ticket_id, state=EscalationState.OPEN).select_related("team").first()


def escalation_recipients(*, escalation: Escalation) -> list[str]:
    """Email addresses of whoever the escalation waits on: the team lead, or the active managers."""
    if escalation.level == Level.TEAM_LEAD and escalation.team is not None and escalation.team.lead_id:
        lead = User.objects.filter(pk=escalation.team.lead_id, is_active=True).exclude(email="").first()
        return [lead.email] if lead else []
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).exclude(email="").values_list("email", flat=True))
