"""Demo staffing plans: one per finished forecast, with targets that suit its channel.

Why these targets (``plans.suggested_targets``):

* phone — 80 % answered within 20 s, the industry's usual voice target; callers hang up, so
  Erlang A with a mean patience of 3 minutes and at most 5 % abandoning;
* chat — 80 % within 60 s: a chat customer waits longer than a caller but not for minutes;
  agents hold two chats at once;
* written channels (email, web form, social, API) — queued work answered within the hour
  (80 % within 3,600 s); in a 30-minute interval that target is easily met, so the 90 %
  occupancy cap sets the staffing, which is how written work is planned (workload over
  productive time);
* every channel together (the demo's team forecasts: about two-thirds written, a third chat and
  phone) — 80 % within 10 minutes with occupancy at most 85 %: tighter than email so the live
  third is not starved, looser than voice so the written two-thirds do not overstaff the plan.

Shrinkage is 20 % everywhere: absence, meetings, coaching and training beyond the breaks and
lunches that shifts model (typical total shrinkage of 30-35 % less those).
"""

from __future__ import annotations

from collections.abc import Iterable

from frontline.people.models import User

from .models import ForecastRun, RunStatus, StaffingPlan
from .plans import staffing_plan_create, suggested_targets

CHANNEL_LABELS = {"phone": "phone 80/20", "chat": "chat 80/60", "email": "written 80 % in 1 h", "web": "written 80 % in 1 h",
                  "social": "written 80 % in 1 h", "api": "written 80 % in 1 h"}


def seed_staffing_plans(forecasts: Iterable[ForecastRun], *, actor: User | None = None) -> list[StaffingPlan]:
    """One plan per finished forecast (an existing plan on a forecast is kept, not duplicated)."""
    plans: list[StaffingPlan] = []
    for forecast in forecasts:
        if forecast.status != RunStatus.DONE:
            continue
        existing = forecast.staffing_plans.order_by("id").first()
        if existing is not None:
            plans.append(existing)
            continue
        label = CHANNEL_LABELS.get(forecast.channel, "all channels 80 % in 10 min")
        plans.append(staffing_plan_create(forecast=forecast, name=f"{forecast.name} · {label}",
                                          targets=suggested_targets(forecast.channel), actor=actor))
    return plans
