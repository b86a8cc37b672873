"""Reading stored forecasts back for the pages: the list, one run, per-day sums, one day's intervals.

Per day (in the run's zone): contacts = the sum of the day's interval forecasts; low-high = the
sum of their 80% bounds; AHT = the day's forecast workload / its contacts (None without workload).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet

from .models import ForecastInterval, ForecastRun, IntervalKind

SORTS = {
    "created": ("created_at", "id"),
    "name": ("name", "id"),
    "status": ("status", "id"),
    "mase": ("mase", "id"),
    "wape": ("wape", "id"),
    "interval": ("interval_minutes", "id"),
    "horizon": ("horizon_days", "id"),
}


def forecast_list(*, sort: str = "-created") -> QuerySet[ForecastRun]:
    """Every run (forecasts are read by every planner), sorted by a key of :data:`SORTS`."""
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "created", "-created"
    fields = SORTS[key]
    order = [f"-{f}" if sort.startswith("-") else f for f in fields]
    return ForecastRun.objects.select_related("team", "queue", "created_by").defer("scores", "aht_scores").order_by(*order)


def forecast_get(*, run_id: int) -> ForecastRun:
    """The run or ``ForecastRun.DoesNotExist``."""
    return ForecastRun.objects.select_related("team", "queue", "created_by").get(pk=run_id)


@dataclass(frozen=True)
class DayRow:
    """One forecast day: sums of the interval forecasts and bounds, and AHT = workload / contacts."""

    day: date
    volume: float
    lower: float
    upper: float
    handle_seconds: float | None

    @property
    def aht_s(self) -> float | None:
        return None if self.handle_seconds is None or self.volume <= 0 else self.handle_seconds / self.volume


def forecast_days(*, run: ForecastRun) -> list[DayRow]:
    """Per forecast day (in the run's zone): contacts, the sum of the interval bounds, and AHT.

    The day's low-high is the sum of its intervals' 80% bounds: a cautious range that assumes
    every interval of the day errs the same way."""
    zone = zoneinfo.ZoneInfo(run.time_zone)
    days: dict[date, list[float]] = {}
    work: dict[date, float] = defaultdict(float)
    has_work = False
    rows = run.intervals.filter(kind=IntervalKind.FORECAST).values_list("starts_at", "volume", "lower", "upper", "handle_seconds")
    for starts_at, volume, lower, upper, seconds in rows:
        day = starts_at.astimezone(zone).date()
        acc = days.setdefault(day, [0.0, 0.0, 0.0])
        acc[0] += volume
        acc[1] += lower or 0.0
        acc[2] += upper or 0.0
        if seconds is not None:
            has_work = True
            work[day] += seconds
    return [DayRow(day=d, volume=v[0], lower=v[1], upper=v[2], handle_seconds=work[d] if has_work else None)
            for d, v in sorted(days.items())]


@dataclass(frozen=True)
class Totals:
    volume: float
    lower: float
    upper: float
    handle_seconds: float | None

    @property
    def aht_s(self) -> float | None:
        return None if self.handle_seconds is None or self.volume <= 0 else self.handle_seconds / self.volume


def forecast_totals(*, days: Sequence[DayRow]) -> Totals:
    """The horizon's contacts and bounds (sums of the days) and AHT = total workload / total contacts."""
    work = [d.handle_seconds for d in days]
    return Totals(
        volume=sum(d.volume for d in days), lower=sum(d.lower for d in days), upper=sum(d.upper for d in days),
        handle_seconds=None if not work or any(w is None for w in work) else float(sum(w for w in work if w is not None)),
    )


def forecast_day_intervals(*, run: ForecastRun, day: date) -> list[ForecastInterval]:
    """The forecast intervals of ``day`` (a date in the run's zone)."""
    zone = zoneinfo.ZoneInfo(run.time_zone)
    start = datetime.combine(day, time(0), zone)
    return list(run.intervals.filter(kind=IntervalKind.FORECAST, starts_at__gte=start,
                                     starts_at__lt=start + timedelta(days=1)))


def forecast_chart_rows(*, run: ForecastRun, history_days: int = 14) -> list[ForecastInterval]:
    """History intervals of the last ``history_days`` calendar days before the first forecast day,
    then every forecast interval, in time order."""
    assert run.first_date is not None
    zone = zoneinfo.ZoneInfo(run.time_zone)
    since = datetime.combine(run.first_date - timedelta(days=history_days + 1), time(0), zone)
    return list(run.intervals.filter(starts_at__gte=since).order_by("starts_at", "kind"))


@dataclass(frozen=True)
class LeadBlockRow:
    """One block of forecast days: its dates, the model that serves them, and each model's
    backtest MASE on those days (``scores``: (model, MASE or None), in the backtest's order)."""

    first: int
    last: int
    first_date: date
    last_date: date
    model: str
    mase: float | None
    scores: tuple[tuple[str, float | None], ...]


def forecast_lead_blocks(*, run: ForecastRun, workload: bool = False) -> list[LeadBlockRow]:
    """Which model serves which forecast days (``workload``: for handle time), from the stored run."""
    blocks = run.aht_lead_blocks if workload else run.lead_blocks
    return [
        LeadBlockRow(
            first=b["first"], last=b["last"], first_date=date.fromisoformat(b["first_date"]),
            last_date=date.fromisoformat(b["last_date"]), model=b["model"], mase=b["mase"],
            scores=tuple((s["model"], s["mase"]) for s in b["scores"]),
        )
        for b in blocks or []
    ]
