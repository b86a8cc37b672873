"""Per-interval staffing of a plan: forecast volume and handle time through the Erlang engine.

Shared by the staffing plan page, the what-if page, the schedule optimiser and the budget.

Conventions (docs/workforce.md):

* ``required`` is the fewest agents *working* (on shift, not on a break, not shrunk away) that
  meet every target of the plan in the interval: Erlang C, or Erlang A when the plan has a
  patience.
* The plan's ``shrinkage`` is the paid time lost *beyond the breaks that shifts model
  explicitly*: absence, meetings, training, coaching. So the heads to schedule in an interval are
  ``ceil(required / (1 - shrinkage))`` (``to_schedule``), and agents on shift and not on a break
  are expected to deliver ``on_shift * (1 - shrinkage)`` working agents.
* Handle time per interval is the forecast workload over the forecast volume; where the forecast
  has no handle time (no measured history) the plan's ``default_aht_s`` is used.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from frontline.engine.erlang import (
    ErlangAMetrics,
    erlang_a,
    erlang_c,
    required_agents,
    scheduled_agents,
)

from .models import ForecastInterval, IntervalKind, StaffingPlan


@dataclass(frozen=True, slots=True)
class Targets:
    """A plan's targets, with the adjustments a what-if makes (factors multiply the forecast)."""

    threshold_s: float
    target_sl: float | None
    target_asa_s: float | None
    max_occupancy: float | None
    patience_s: float | None
    max_abandon: float | None
    shrinkage: float
    concurrency: int
    default_aht_s: float
    volume_factor: float = 1.0
    aht_factor: float = 1.0

    @classmethod
    def of(cls, plan: StaffingPlan) -> Targets:
        return cls(
            threshold_s=plan.threshold_s, target_sl=plan.target_sl, target_asa_s=plan.target_asa_s,
            max_occupancy=plan.max_occupancy, patience_s=plan.patience_s, max_abandon=plan.max_abandon,
            shrinkage=plan.shrinkage, concurrency=plan.concurrency, default_aht_s=plan.default_aht_s,
        )

    def adjusted(self, **changes: float | int | None) -> Targets:
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Expected:
    """What a number of working agents delivers in an interval."""

    agents: float
    service_level: float
    asa_s: float
    occupancy: float
    p_abandon: float | None


@dataclass(frozen=True, slots=True)
class IntervalStaffing:
    starts_at: datetime
    minutes: int
    volume: float
    lower: float | None
    upper: float | None
    aht_s: float
    aht_measured: bool
    required: int
    to_schedule: int
    at_required: Expected

    @property
    def required_hours(self) -> float:
        """Paid agent-hours to schedule in this interval."""
        return self.to_schedule * self.minutes / 60


def expected(targets: Targets, *, volume: float, aht_s: float, minutes: int, agents: float) -> Expected:
    """Service delivered by ``agents`` working agents (fractional allowed) in one interval."""
    common = {"calls": volume, "interval_s": minutes * 60, "aht_s": aht_s, "threshold_s": targets.threshold_s,
              "concurrency": targets.concurrency, "fractional": True}
    if volume <= 0:
        return Expected(agents=agents, service_level=1.0, asa_s=0.0, occupancy=0.0, p_abandon=0.0 if targets.patience_s else None)
    if agents <= 0:
        return Expected(agents=0.0, service_level=0.0, asa_s=math.inf, occupancy=1.0, p_abandon=1.0 if targets.patience_s else None)
    if targets.patience_s:
        a = erlang_a(agents=agents, patience_s=targets.patience_s, **common)
        return Expected(agents=agents, service_level=a.service_level, asa_s=a.asa_s, occupancy=a.occupancy, p_abandon=a.p_abandon)
    c = erlang_c(agents=agents, **common)
    return Expected(agents=agents, service_level=c.service_level, asa_s=c.asa_s, occupancy=min(c.occupancy, 1.0), p_abandon=None)


def required_for(targets: Targets, *, volume: float, aht_s: float, minutes: int) -> tuple[int, Expected]:
    """Fewest working agents meeting the targets in one interval, and what they deliver."""
    if volume <= 0:
        return 0, expected(targets, volume=0, aht_s=aht_s, minutes=minutes, agents=0)
    req = required_agents(
        calls=volume, interval_s=minutes * 60, aht_s=aht_s, threshold_s=targets.threshold_s,
        target_sl=targets.target_sl, target_asa_s=targets.target_asa_s, max_occupancy=targets.max_occupancy,
        patience_s=targets.patience_s, max_abandon=targets.max_abandon if targets.patience_s else None,
        concurrency=targets.concurrency,
    )
    m = req.metrics
    p_abandon = m.p_abandon if isinstance(m, ErlangAMetrics) else None
    return int(req.agents), Expected(agents=float(req.agents), service_level=m.service_level, asa_s=m.asa_s,
                                     occupancy=min(m.occupancy, 1.0), p_abandon=p_abandon)


def staff_intervals(targets: Targets, rows: Sequence[ForecastInterval], minutes: int) -> list[IntervalStaffing]:
    """Required and to-schedule agents for each forecast row, under the (adjusted) targets."""
    out: list[IntervalStaffing] = []
    cache: dict[tuple[float, float], tuple[int, Expected]] = {}
    for row in rows:
        volume = max(row.volume, 0.0) * targets.volume_factor
        measured = row.aht_s
        aht = (measured if measured else targets.default_aht_s) * targets.aht_factor
        key = (round(volume, 6), round(aht, 6))
        if key not in cache:
            cache[key] = required_for(targets, volume=volume, aht_s=aht, minutes=minutes)
        required, at_required = cache[key]
        to_schedule = int(scheduled_agents(agents=required, shrinkage=targets.shrinkage)) if required else 0
        out.append(IntervalStaffing(
            starts_at=row.starts_at, minutes=minutes, volume=volume,
            lower=None if row.lower is None else row.lower * targets.volume_factor,
            upper=None if row.upper is None else row.upper * targets.volume_factor,
            aht_s=aht, aht_measured=measured is not None, required=required, to_schedule=to_schedule,
            at_required=at_required,
        ))
    return out


def plan_intervals(
    plan: StaffingPlan,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    targets: Targets | None = None,
) -> list[IntervalStaffing]:
    """The plan's forecast intervals in ``[start, end)`` staffed under its (or the given) targets."""
    rows = ForecastInterval.objects.filter(run=plan.forecast_id, kind=IntervalKind.FORECAST)
    if start is not None:
        rows = rows.filter(starts_at__gte=start)
    if end is not None:
        rows = rows.filter(starts_at__lt=end)
    return staff_intervals(targets or Targets.of(plan), list(rows.order_by("starts_at")), plan.forecast.interval_minutes)
