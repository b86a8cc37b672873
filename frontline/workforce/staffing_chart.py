"""The plan page's chart of one day: agents to schedule (a step line), agents scheduled (a filled
step area), required working agents (a dashed step line), short intervals marked under the axis.
Geometry only; the template draws it as inline SVG (no JavaScript)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import timezone

from .plans import IntervalOutlook

WIDTH, HEIGHT = 1200, 220
LEFT, RIGHT, TOP, BOTTOM = 36, 8, 10, 34


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True, slots=True)
class Mark:
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class DayChart:
    width: int
    height: int
    left: int
    right: float
    top: int
    base: float
    to_schedule: str
    required: str
    scheduled_area: str | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    short: list[Mark]
    summary: str


def _nice_max(value: float) -> int:
    if value <= 4:
        return 4
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 2.5, 5, 10):
        if value <= m * step:
            return math.ceil(m * step)
    return math.ceil(value)


def _steps(values: Sequence[float], x: list[float], y) -> str:  # type: ignore[no-untyped-def]
    points: list[str] = []
    for i, v in enumerate(values):
        points.append(f"{x[i]:.1f},{y(v):.1f}")
        points.append(f"{x[i + 1]:.1f},{y(v):.1f}")
    return " ".join(points)


def day_chart(rows: Sequence[IntervalOutlook]) -> DayChart | None:
    """The chart of one day's intervals; None without intervals."""
    if not rows:
        return None
    n = len(rows)
    base = HEIGHT - BOTTOM
    right = WIDTH - RIGHT
    top_value = _nice_max(max(
        max(r.staffing.to_schedule for r in rows),
        max((r.scheduled or 0.0) for r in rows),
        1,
    ))
    x = [LEFT + (right - LEFT) * i / n for i in range(n + 1)]

    def y(v: float) -> float:
        return base - (base - TOP) * v / top_value

    to_schedule = _steps([r.staffing.to_schedule for r in rows], x, y)
    required = _steps([r.staffing.required for r in rows], x, y)
    has_schedule = any(r.scheduled is not None for r in rows)
    area = None
    if has_schedule:
        area = f"{x[0]:.1f},{base:.1f} " + _steps([r.scheduled or 0.0 for r in rows], x, y) + f" {x[-1]:.1f},{base:.1f}"
    y_ticks = [Tick(y(v), str(v)) for v in sorted({0, top_value // 2, top_value})]
    every = max(1, round(n / 12))
    x_ticks = [Tick(x[i], timezone.localtime(rows[i].staffing.starts_at).strftime("%H:%M")) for i in range(0, n, every)]
    short = [Mark(round(x[i], 1), round(x[i + 1] - x[i], 1)) for i, r in enumerate(rows) if r.short]
    peak = max(r.staffing.to_schedule for r in rows)
    summary = (f"Peak {peak} agents to schedule; "
               + (f"{len(short)} of {n} intervals short of the agents to schedule." if has_schedule else "no published schedule."))
    return DayChart(width=WIDTH, height=HEIGHT, left=LEFT, right=right, top=TOP, base=base, to_schedule=to_schedule,
                    required=required, scheduled_area=area, y_ticks=y_ticks, x_ticks=x_ticks, short=short, summary=summary)
