"""The demo department's budget: a quarterly plan with lines, monthly actuals and one scenario.

``seed_budget(anchor=...)`` writes through the budget services. The plan covers the three
calendar months ending with the anchor's month (so most of the 90-day demo history falls in it);
headcount per team is priced from the team members' contracted hours and hourly cost; payroll
actuals for the months before the anchor's month land close to plan, overtime overruns once,
the telephony provider credits an outage. Deterministic: same data and anchor, same budget.
"""

from __future__ import annotations

import calendar
import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from frontline.desk.models import Ticket
from frontline.people.models import STAFF_ROLES, Role, Team, User

from . import services
from .models import BudgetCategory, BudgetLine, BudgetPlan
from .selectors import period_days

DEMO_PLAN_PREFIX = "Support department"
CURRENCY = "EUR"
# Per-seat prices and rates of the demo's tools (demo inputs, per month unless said otherwise).
HELP_DESK_SEAT = Decimal("89")
TELEPHONY_SEAT = Decimal("24")
TRAINING_PER_TEAM = Decimal("1800")  # per quarter
OVERTIME_SHARE = Decimal("0.04")  # of headcount


def _cents(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _quarter_ending(day: date) -> tuple[date, date]:
    month = day.month - 2
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, 1), _month_end(day)


def _months(start: date, end: date) -> list[tuple[date, date]]:
    out, first = [], start
    while first <= end:
        last = _month_end(first)
        out.append((first, last))
        first = last + timedelta(days=1)
    return out


def _team_headcount(team: Team, weeks: Decimal) -> Decimal:
    total = Decimal(0)
    for member in team.members.filter(role__in=STAFF_ROLES).select_related("agent_profile"):
        profile = getattr(member, "agent_profile", None)
        if profile is not None:
            total += profile.contracted_hours_per_week * profile.hourly_cost * weeks
    return _cents(total)


def seed_budget(*, anchor: datetime | None = None, seed: int = 7) -> BudgetPlan:
    """Create (or replace) the demo's quarterly department plan; returns it."""
    if anchor is None:
        latest = Ticket.objects.aggregate(m=Max("created_at"))["m"]
        anchor = latest or timezone.now()
    today = anchor.astimezone(timezone.get_current_timezone()).date() if timezone.is_aware(anchor) else anchor.date()
    start, end = _quarter_ending(today)
    rng = random.Random(f"{seed}-budget")
    actor = User.objects.filter(role=Role.MANAGER).order_by("pk").first()
    teams = list(Team.objects.order_by("name"))
    staff = User.objects.filter(role__in=STAFF_ROLES, is_active=True).count()
    name = f"{DEMO_PLAN_PREFIX} {start:%b} to {end:%b %Y}"
    with transaction.atomic():
        BudgetPlan.objects.filter(name__startswith=DEMO_PLAN_PREFIX, base__isnull=True).delete()
        plan = services.plan_create(name=name, team=None, period_start=start, period_end=end, currency=CURRENCY,
                                    notes="Demo budget: payroll from contracted hours x hourly cost.", actor=actor)
        months = Decimal(len(_months(start, end)))
        weeks = Decimal(period_days(plan)) / 7
        headcount = {t: services.line_add(plan=plan, category=BudgetCategory.HEADCOUNT, description=f"Headcount — {t.name}",
                                          planned_amount=_team_headcount(t, weeks), actor=actor) for t in teams}
        head_total = sum((line.planned_amount for line in headcount.values()), Decimal(0))
        overtime = services.line_add(plan=plan, category=BudgetCategory.OVERTIME, description="Overtime",
                                     planned_amount=_cents(head_total * OVERTIME_SHARE), actor=actor)
        seats = services.line_add(plan=plan, category=BudgetCategory.TOOLS, description="Help desk seats",
                                  planned_amount=_cents(HELP_DESK_SEAT * staff * months), actor=actor)
        phones = services.line_add(plan=plan, category=BudgetCategory.TOOLS, description="Telephony",
                                   planned_amount=_cents(TELEPHONY_SEAT * staff * months), actor=actor)
        training = services.line_add(plan=plan, category=BudgetCategory.TRAINING, description="Training",
                                     planned_amount=_cents(TRAINING_PER_TEAM * len(teams)), actor=actor)
        past = [(first, last) for first, last in _months(start, end) if last < today]
        for i, (_first, last) in enumerate(past):
            for line in headcount.values():
                share = line.planned_amount / months * Decimal(str(round(rng.uniform(0.97, 1.02), 3)))
                _actual(line, last, share, "Payroll", actor, today)
            # the overrun: a launch in the second month more than doubles overtime, which takes the
            # line over its plan for the whole quarter
            factor = Decimal("2.4") if i == 1 else Decimal(str(round(rng.uniform(0.8, 1.05), 3)))
            _actual(overtime, last, overtime.planned_amount / months * factor, "Overtime payroll", actor, today)
            _actual(seats, last, seats.planned_amount / months, "Help desk subscription", actor, today)
            _actual(phones, last, phones.planned_amount / months, "Telephony invoice", actor, today)
        if past:
            _actual(phones, past[0][1], -phones.planned_amount / months / 4, "Credit: outage", actor, today)
            _actual(training, past[-1][1] - timedelta(days=10), training.planned_amount * Decimal("0.45"),
                    "De-escalation course", actor, today)
        base_head = sum((line.planned_amount for line in BudgetLine.objects.filter(plan=plan, category=BudgetCategory.HEADCOUNT)), Decimal(0))
        horizon = 14
        services.scenario_from_whatif(
            base=plan, name="Volume +10%", actor=actor,
            assumptions={"volume_change_pct": 10, "aht_change_pct": -5, "target_sl": 0.8, "threshold_s": 20, "horizon_days": horizon},
            headcount_amount=_cents(base_head * Decimal("1.05") * horizon / period_days(plan)),
        )
    return plan


def _actual(line: BudgetLine, day: date, amount: Decimal, note: str, actor: User | None, today: date) -> None:
    services.actual_add(line=line, incurred_on=day, amount=_cents(amount), note=note, actor=actor, today=today)
