"""Geometry of the forecast chart (an inline SVG drawn by the template; no JavaScript).

The x axis runs over the open days shown, interval by interval (closed days are left out, so a
weekend does not stretch the line); the y axis is contacts per interval.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .models import ForecastInterval, IntervalKind

WIDTH, HEIGHT = 960, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 14, 40


@dataclass(frozen=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    history_points: str
    forecast_points: str
    band_points: str
    forecast_x: float | None
    y_ticks: tuple[Tick, ...]
    day_ticks: tuple[Tick, ...]
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    summary: str


def _nice_step(top: float, ticks: int = 4) -> float:
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def forecast_chart(*, rows: Sequence[ForecastInterval], time_zone: str, interval_minutes: int) -> Chart | None:
    """The chart of ``rows`` (history then forecast, in time order); None when there is nothing."""
    if not rows:
        return None
    zone = zoneinfo.ZoneInfo(time_zone)
    local = [(r, r.starts_at.astimezone(zone)) for r in rows]
    days: list[date] = sorted({t.date() for _, t in local})
    slots = sorted({t.time() for _, t in local})
    day_index = {d: i for i, d in enumerate(days)}
    slot_index = {s: i for i, s in enumerate(slots)}
    n = len(days) * len(slots)
    top = max(max((r.upper or 0.0) for r in rows), max(r.volume for r in rows), 1.0)
    step = _nice_step(top)
    y_max = step * math.ceil(top / step)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(row_time) -> float:  # type: ignore[no-untyped-def]
        i = day_index[row_time.date()] * len(slots) + slot_index[row_time.time()]
        return round(LEFT + plot_w * (i + 0.5) / n, 1)

    def y(value: float) -> float:
        return round(TOP + plot_h * (1 - value / y_max), 1)

    history = [(x(t), y(r.volume)) for r, t in local if r.kind == IntervalKind.HISTORY]
    future = [(r, t) for r, t in local if r.kind == IntervalKind.FORECAST]
    point = [(x(t), y(r.volume)) for r, t in future]
    upper = [(x(t), y(r.upper if r.upper is not None else r.volume)) for r, t in future]
    lower = [(x(t), y(r.lower if r.lower is not None else r.volume)) for r, t in future]

    def points(pairs: Sequence[tuple[float, float]]) -> str:
        return " ".join(f"{a},{b}" for a, b in pairs)

    first_future = future[0][1] if future else None
    forecast_x = round(LEFT + plot_w * (day_index[first_future.date()] * len(slots)) / n, 1) if first_future else None
    every = 1 if len(days) <= 16 else (2 if len(days) <= 32 else 7)
    day_ticks = tuple(
        Tick(x=round(LEFT + plot_w * (i * len(slots)) / n, 1), y=HEIGHT - BOTTOM + 16, label=f"{d:%a} {d.day}")
        for i, d in enumerate(days) if i % every == 0
    )
    y_ticks = tuple(Tick(x=LEFT - 6, y=y(v), label=f"{v:g}") for v in (step * k for k in range(int(y_max / step) + 1)))
    total = sum(r.volume for r, _ in future)
    forecast_days = len({t.date() for _, t in future})
    summary = (f"Contacts per {interval_minutes}-minute interval: {len(days) - forecast_days} open days of history, "
               f"then {forecast_days} forecast days totalling {total:,.0f} contacts, with the 80% interval.")
    return Chart(
        width=WIDTH, height=HEIGHT, history_points=points(history), forecast_points=points(point),
        band_points=points(upper + lower[::-1]), forecast_x=forecast_x, y_ticks=y_ticks, day_ticks=day_ticks,
        plot_left=LEFT, plot_right=WIDTH - RIGHT, plot_top=TOP, plot_bottom=HEIGHT - BOTTOM, summary=summary,
    )
