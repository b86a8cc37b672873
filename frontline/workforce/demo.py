"""Demo forecasts: one for the whole department and one per team, from the demo's ticket history."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from frontline.people.models import Role, Team, User

from .forecasts import forecast_prepare
from .models import ForecastRun
from .tasks import forecast_run_compute

# The demo department answers 07:00-21:00 (its shift types cover these hours); what arrives at
# night waits for the morning, so the nights are not planned. (Carry-over would put the whole
# night in the 07:00 interval, which a 10-minute answer target then staffs as a spike.)
SUPPORT_OPENS, SUPPORT_CLOSES = time(7), time(21)


def seed_forecasts(*, anchor: datetime | None = None) -> list[ForecastRun]:
    """Create and compute (synchronously) a department-wide 30-minute forecast and one per team.

    ``anchor`` (default: now) is "now" for the runs: they forecast the 14 days after its date.
    Returns the runs, department first, refreshed from the database (done, or failed with the reason).
    """
    now = anchor or timezone.now()
    actor = User.objects.filter(role=Role.MANAGER).order_by("pk").first()
    hours = {"opening": SUPPORT_OPENS, "closing": SUPPORT_CLOSES}
    runs = [forecast_prepare(actor=actor, name="Whole department, next 14 days", now=now, **hours)]
    for team in Team.objects.order_by("name"):
        runs.append(forecast_prepare(actor=actor, name=f"{team.name}, next 14 days", team=team, now=now, **hours))
    for run in runs:
        forecast_run_compute.call(run.pk)
    return [ForecastRun.objects.get(pk=run.pk) for run in runs]
