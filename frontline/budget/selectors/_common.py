"""Shared by the budget's reads: money rounding, period days, variance and the plan's scope (teams, zone, period bounds)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import DecimalField

from frontline.people.models import Team

from ..models import BudgetPlan

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def period_days(plan: BudgetPlan) -> int:
    return (plan.period_end - plan.period_start).days + 1


def elapsed_days(plan: BudgetPlan, today: date) -> int:
    return max(0, min(period_days(plan), (today - plan.period_start).days + 1))


def variance_pct(actual: Decimal, planned: Decimal) -> Decimal | None:
    """(actual - planned) ÷ planned x 100, to one decimal; None when nothing was planned."""
    if planned == 0:
        return None
    return ((actual - planned) / planned * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- scope: which teams, which zone -------------------------------------------------------------

def _descendants(team_id: int, children: dict[int | None, list[int]]) -> set[int]:
    result, frontier = {team_id}, [team_id]
    while frontier:
        frontier = [c for t in frontier for c in children.get(t, []) if c not in result]
        result.update(frontier)
    return result


def _team_tree() -> dict[int | None, list[int]]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Team.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    return children


def scope_team_ids(plan: BudgetPlan, tree: dict[int | None, list[int]] | None = None) -> set[int] | None:
    """The plan's team and its sub-teams; None for the whole department."""
    if plan.team_id is None:
        return None
    return _descendants(plan.team_id, tree if tree is not None else _team_tree())


def plan_zone(plan: BudgetPlan) -> ZoneInfo:
    return ZoneInfo(plan.team.time_zone if plan.team_id is not None and plan.team else settings.TIME_ZONE)


def period_bounds(plan: BudgetPlan, *, until: date | None = None) -> tuple[datetime, datetime]:
    """``[start, end)`` of the period as aware datetimes in the plan's zone (``until`` cuts it short)."""
    zone = plan_zone(plan)
    last = min(plan.period_end, until) if until is not None else plan.period_end
    start = datetime.combine(plan.period_start, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    return start, max(start, end)


