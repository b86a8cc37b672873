"""Reads of targets, scoped to the viewer, and each target's progress in its current period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from frontline.people.models import STAFF_ROLES, Role, User
from frontline.people.selectors import team_ids_for_viewer

from . import analysis
from .customer_kpis import target_measure
from .models import HIGHER_IS_BETTER, Kpi, Target
from .periods import Period, period_of
from .selectors import Scope, fact_rows, kpi_value

# Target KPI -> the KPI of kpi_value (same names but these)
_VALUE_KPI = {"first_reply_median": "first_reply_median", "resolution_median": "resolution_median",
              "one_touch_rate": "one_touch_rate", "reopen_rate": "reopen_rate",
              "reassignment_rate": "reassignment_rate", "escalation_rate": "escalation_rate",
              "handle_time_mean": "handle_time_mean", "csat": "csat", "nps": "nps", "solved": "solved"}


def targets_visible(*, viewer: User, current: bool) -> QuerySet[Target]:
    """Targets ``viewer`` may read: managers all; others the department's, their teams' and their teams' agents'
    (an agent: the department's, their teams' and their own). ``current``: only those in force, else the history."""
    targets = Target.objects.select_related("team", "agent", "set_by")
    targets = targets.filter(superseded_at__isnull=True) if current else targets.exclude(superseded_at__isnull=True)
    if getattr(viewer, "role", None) not in STAFF_ROLES:
        return targets.none()
    teams = team_ids_for_viewer(viewer=viewer)
    if teams is None:
        return targets.order_by("kpi", "team__name", "agent__first_name", "-created_at")
    targets = targets.exclude(kpi=Kpi.COST_PER_CONTACT)  # the budget is the managers' (docs/workforce/budget.md)
    visible = Q(team__isnull=True, agent__isnull=True) | Q(team_id__in=teams) | Q(agent_id=viewer.pk)
    if viewer.role != Role.AGENT:
        visible |= Q(agent__teams__in=teams)
    return targets.filter(visible).distinct().order_by("kpi", "team__name", "agent__first_name", "-created_at")


@dataclass(frozen=True)
class Goal:
    target: Target
    period: Period
    actual: float | None
    status: analysis.TargetStatus


def _target_scope(target: Target) -> Scope:
    if target.agent_id:
        return Scope(team_ids=None, agent_id=target.agent_id)
    if target.team_id:
        return Scope(team_ids=frozenset({target.team_id}))
    return Scope(team_ids=None)


def targets_for_dashboard(*, viewer: User, scope: Scope, period: Period, now: datetime) -> list[Goal]:
    """The targets that concern the dashboard's scope, each measured over its own current period.

    A target's period is the week, month or quarter (viewer's zone) holding the dashboard period's last
    day, or today if that is earlier; an agent's target counts the tickets assigned to them.
    """
    targets = list(targets_visible(viewer=viewer, current=True))
    if scope.agent_id is not None:
        agent = User.objects.filter(pk=scope.agent_id).first()
        agent_teams = set(agent.teams.values_list("pk", flat=True)) if agent else set()
        targets = [t for t in targets if t.agent_id == scope.agent_id or t.team_id in agent_teams
                   or (not t.team_id and not t.agent_id)]
    elif scope.team_ids is not None:
        members = set(User.objects.filter(teams__in=scope.team_ids).values_list("pk", flat=True))
        targets = [t for t in targets if t.team_id in scope.team_ids or t.agent_id in members
                   or (not t.team_id and not t.agent_id)]
    day = min(period.last, timezone.localdate(now, period.zone))
    goals = []
    for target in targets:
        target_period = period_of(target.period, day, period.zone)
        parts: tuple[int, int] | list[float] | None = None
        if target.kpi in _VALUE_KPI:
            rows = fact_rows(scope=_target_scope(target), period=target_period)
            actual = kpi_value(rows, _VALUE_KPI[target.kpi])
        else:  # quality score, cost per contact: not in the fact rows (customer_kpis)
            rows = []
            actual, parts = target_measure(kpi=target.kpi, viewer=viewer, scope=_target_scope(target),
                                           period=target_period)
        goals.append(Goal(target=target, period=target_period, actual=actual, status=analysis.target_progress(
            kpi=target.kpi, target=target.value, actual=actual, higher_is_better=HIGHER_IS_BETTER[target.kpi],
            period=target_period, now=now, rows=rows, parts=parts)))
    return goals
