"""The demo's capacity plan: forecasts from its ticket history, staffing plans, schedules (this
week published, next week a draft), the availability history adherence reads, and a budget.

Runs after the tickets exist; everything is computed synchronously (the demo has no worker yet).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from frontline.demo import names


def demo_workforce(*, anchor: datetime | None, progress: Callable[[str], None] = lambda _m: None) -> dict[str, int]:
    from frontline.budget.demo import seed_budget
    from frontline.schedules.demo import seed_schedules
    from frontline.schedules.demo_adherence import seed_availability
    from frontline.workforce.demo import seed_forecasts
    from frontline.workforce.demo_staffing import seed_staffing_plans

    started = time.perf_counter()
    forecasts = seed_forecasts(anchor=anchor)
    progress(f"Forecasts: {len(forecasts)} computed ({time.perf_counter() - started:.0f} s).")
    plans = seed_staffing_plans(forecasts)
    schedules = seed_schedules(plans=plans, today=timezone.localdate(anchor) if anchor else None)
    progress(f"Schedules: {len(schedules)} solved ({time.perf_counter() - started:.0f} s).")
    changes = seed_availability(schedules=schedules, now=anchor)
    seed_budget(anchor=anchor)
    progress(f"Availability log: {changes} changes; budget written ({time.perf_counter() - started:.0f} s).")
    return {"forecasts": len(forecasts), "staffing plans": len(plans), "schedules": len(schedules)}


def workforce_reset() -> None:
    """Delete the demo's capacity plan (before its teams and staff go)."""
    from frontline.budget.models import BudgetPlan
    from frontline.schedules.models import Schedule, ShiftType
    from frontline.workforce.models import ForecastRun

    demo_teams = Q(team__name__in=[t.name for t in names.TEAMS])
    demo_staff = Q(created_by__email__endswith="@" + names.STAFF_DOMAIN)
    Schedule.objects.filter(demo_teams).delete()
    ShiftType.objects.filter(demo_teams | Q(team__isnull=True)).delete()
    ForecastRun.objects.filter(demo_teams | demo_staff).delete()
    BudgetPlan.objects.filter(demo_teams | demo_staff | Q(team__isnull=True, created_by__isnull=True)).delete()
