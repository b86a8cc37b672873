"""What the published schedules in a plan's period cost (headcount from schedules) and how much of the period they cover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, QuerySet

from frontline.schedules.coverage import scheduled_cost
from frontline.schedules.models import Schedule, ScheduleStatus

from ..models import BudgetPlan
from ._common import ZERO, cents, period_bounds, scope_team_ids

# --- schedules ------------------------------------------------------------------------------------

def _schedule_scope(plan: BudgetPlan) -> QuerySet[Schedule]:
    qs = Schedule.objects.filter(state=ScheduleStatus.PUBLISHED)
    team_ids = scope_team_ids(plan)
    return qs.filter(team_id__in=team_ids) if team_ids is not None else qs


def headcount_from_schedules(plan: BudgetPlan) -> Decimal:
    """Paid hours x hourly cost of the published shifts starting in the plan's period and scope.

    Weeks after the last published schedule (or without one) add nothing: the result is what
    the published schedules commit, not an estimate of the whole period.
    """
    start, end = period_bounds(plan)
    team_ids = scope_team_ids(plan)
    if team_ids is None:
        return cents(scheduled_cost(start, end)[1])
    return cents(sum((scheduled_cost(start, end, team_id=t)[1] for t in sorted(team_ids)), ZERO))


@dataclass(frozen=True)
class ScheduleCoverage:
    weeks: list[date]  # Mondays with at least one published schedule in scope, in order
    teams_per_week: dict[date, int]
    amount: Decimal

    @property
    def ranges(self) -> list[tuple[date, date]]:
        """Consecutive weeks joined: (first Monday, last Sunday)."""
        out: list[tuple[date, date]] = []
        for week in self.weeks:
            if out and out[-1][1] + timedelta(days=1) == week:
                out[-1] = (out[-1][0], week + timedelta(days=6))
            else:
                out.append((week, week + timedelta(days=6)))
        return out

    @property
    def last_day(self) -> date | None:
        return self.weeks[-1] + timedelta(days=6) if self.weeks else None


def schedule_coverage(plan: BudgetPlan) -> ScheduleCoverage:
    """Which weeks of the period published schedules cover, and what their shifts cost."""
    rows = (_schedule_scope(plan)
            .filter(week_start__gt=plan.period_start - timedelta(days=7), week_start__lte=plan.period_end)
            .values("week_start").annotate(teams=Count("team", distinct=True)).order_by("week_start"))
    per_week = {r["week_start"]: r["teams"] for r in rows}
    return ScheduleCoverage(weeks=sorted(per_week), teams_per_week=per_week, amount=headcount_from_schedules(plan))


