"""Budget test data: plans, lines, actuals, schedules and shifts written directly or via services."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from frontline.budget import services
from frontline.budget.models import BudgetActual, BudgetLine, BudgetPlan
from frontline.people.models import Team, User
from frontline.schedules.models import Schedule, ScheduleStatus, Shift


def plan(*, start: date = date(2026, 1, 1), end: date = date(2026, 3, 31), team: Team | None = None,
         currency: str = "EUR", name: str = "Q1 plan") -> BudgetPlan:
    return services.plan_create(name=name, team=team, period_start=start, period_end=end, currency=currency, actor=None)


def line(plan_: BudgetPlan, category: str, amount: str, description: str | None = None) -> BudgetLine:
    return services.line_add(plan=plan_, category=category, description=description or f"{category} line",
                             planned_amount=Decimal(amount), actor=None)


def actual(line_: BudgetLine, on: date, amount: str, today: date | None = None) -> BudgetActual:
    return services.actual_add(line=line_, incurred_on=on, amount=Decimal(amount), actor=None, today=today or on)


def schedule(team: Team, week_start: date, *, published: bool) -> Schedule:
    return Schedule.objects.create(team=team, week_start=week_start,
                                   state=ScheduleStatus.PUBLISHED if published else ScheduleStatus.DRAFT)


def shift(schedule_: Schedule, agent: User, start: datetime, end: datetime, breaks: list[dict] | None = None) -> Shift:
    return Shift.objects.create(schedule=schedule_, agent=agent, starts_at=start, ends_at=end, breaks=breaks or [])


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
