"""Tune ``level_blend`` on tuning origins only and report it on untouched windows
(``python -m bench.tune_level_blend``; ``--quick``: a small grid, for a smoke run).

The split (STYLE habit 11), on the US-bank 30-minute calls (164 business days, rows 0-163):

* **tuning targets**: rows 64-143 (the 80 business days before the reference windows).  Every
  constant and structural choice of :class:`~frontline.engine.forecasting.LevelBlend` (weeks,
  how many recent days the level ratio pools, its weight, its damping with the lead, the
  profile blend and its window) is chosen here, by the mean over leads 1-14 of the MASE.
* **reporting targets**: rows 144-163 (the last 20 business days, the published reference
  windows).  Nothing is chosen on them; they are scored once, for the chosen variant and the
  simple baselines, at every lead.

A forecast at lead ``h`` (1 = day-ahead) for target row ``t`` is made at origin ``t - h + 1``
from rows before it only; its MASE is the day's MAE over the in-sample MAE of the one-week
seasonal naive on the training rows (the engine's ``seasonal_scale``), averaged over the
targets.  The product forecasts 14 calendar days = up to 14 open days (10 in a 5-day week),
so leads 1-14 are reported.  The same chosen constants are then checked, without retuning, on
the other granularities of the bank data (5-minute, hourly, daily totals) and on the demo's
arrival process (90 days, hourly, 7-day week).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import django
import numpy as np
import pandas as pd

from bench._peers import print_table, run_header
from bench.bench_forecast import DATA
from frontline.engine.forecasting import (
    ForecastModel,
    LevelBlend,
    SeasonalNaive,
    SlotSeries,
    WeekdayMean,
    seasonal_scale,
    slot_series_from_counts,
)

LEADS = 14
TUNING = range(64, 144)
REPORTING = range(144, 164)

GRID = {
    "weeks": (3, 4, 5, 6, 8),
    "level_days": (1, 2, 3, 5),
    "level_weight": (0.0, 0.25, 0.5, 0.75, 1.0),
    "damping": (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.0),
    "profile_weight": (0.0, 0.2, 0.4, 0.6, 0.8, 1.0),
    "profile_days": (10, 20, 30, 60, 90, 120),
}
PREVIOUS = LevelBlend(
    weeks=4, level_days=1, level_weight=0.5, damping=1.0, profile_weight=0.6, profile_days=30
)
"""The defaults before this tuning (structure and weeks picked while looking at the reference windows)."""
QUICK_GRID = {
    "weeks": (4,),
    "level_days": (1, 2),
    "level_weight": (0.5,),
    "damping": (1.0, 0.7),
    "profile_weight": (0.6,),
    "profile_days": (30,),
}


# --- series ------------------------------------------------------------------------------------


def bank(interval: int) -> SlotSeries:
    """The US-bank calls at ``interval`` minutes (5, 30, 60) or 1440 (one slot: the day's total)."""
    if interval == 30:
        frame = pd.read_csv(
            DATA / "us_bank_calls" / "us_bank_fpp2_calls_30min.csv", parse_dates=["timestamp"]
        )
    else:
        frame = pd.read_csv(
            DATA / "us_bank_calls" / "us_bank_fpp2_calls_5min.csv", parse_dates=["timestamp"]
        )
        frame = frame[frame["timestamp"].dt.hour < 21]  # PROVENANCE.md: drop 21:00-21:05
        if interval != 5:
            floored = frame.assign(timestamp=frame["timestamp"].dt.floor(f"{interval}min"))
            frame = floored.groupby("timestamp", as_index=False)["count"].sum()
    return slot_series_from_counts(
        timestamps=list(frame["timestamp"]),
        counts=frame["count"].to_numpy(float),
        interval_minutes=interval,
        closing=clock(21) if interval < 1440 else None,
    )


def demo_series(*, days: int = 90, seed: int = 7) -> SlotSeries:
    """The demo's arrival process (its queues, shares, team zones and growth), hourly, in UTC."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontline.settings")
    django.setup()
    from frontline.demo import content, names
    from frontline.demo.scripts import DAILY_TICKETS
    from frontline.demo.timing import arrivals

    zones = {spec.name: ZoneInfo(spec.time_zone) for spec in names.TEAMS}
    end = datetime(2026, 6, 1, tzinfo=UTC)
    rng = random.Random(f"{seed}-tickets")
    counts: dict[datetime, float] = {}
    for _name, team, _description, share in content.QUEUES:
        for at in arrivals(
            rng,
            start=end - timedelta(days=days),
            end=end,
            daily_mean=DAILY_TICKETS * share,
            tz=zones[team],
        ):
            hour = at.replace(minute=0, second=0, tzinfo=None)
            counts[hour] = counts.get(hour, 0.0) + 1.0
    stamps = sorted(counts)
    return slot_series_from_counts(
        timestamps=stamps,
        counts=[counts[s] for s in stamps],
        interval_minutes=60,
        opening=clock(0),
        closing=clock(0),
    )


# --- scoring -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Origins:
    """Per origin row: the training grid's MASE scale (the engine's ``seasonal_scale``)."""

    series: SlotSeries
    scales: dict[int, float]

    @classmethod
    def of(cls, series: SlotSeries, targets: range) -> Origins:
        first = max(targets.start - LEADS + 1, 2 * series.week_length)
        rows = range(first, targets.stop)
        return cls(
            series,
            {
                o: seasonal_scale(training=series.values[:o], week_length=series.week_length)
                for o in rows
            },
        )


class LeadMase:
    """Running mean MASE per lead over ``targets``: add each origin's absolute errors (..., LEADS, slots)."""

    def __init__(self, origins: Origins, targets: range) -> None:
        self.origins, self.targets = origins, targets
        self.sums: np.ndarray | float = 0.0
        self.counts = np.zeros(LEADS)

    def add(self, origin: int, errors: np.ndarray) -> None:
        usable = self.origins.series.usable
        mask = np.array(
            [origin + h in self.targets and bool(usable[origin + h]) for h in range(LEADS)]
        )
        if mask.any():
            scaled = errors.mean(axis=-1) / self.origins.scales[origin]
            self.sums = self.sums + np.where(mask, scaled, 0.0)
            self.counts += mask

    def result(self) -> np.ndarray:
        return np.asarray(self.sums / self.counts)


def model_leads(model: ForecastModel, origins: Origins, targets: range) -> np.ndarray:
    """Per-lead MASE of one engine model (its own ``predict``), over ``targets``."""
    s = origins.series
    acc = LeadMase(origins, targets)
    for o in origins.scales:
        pred = model.predict(history=s.values[:o], week_length=s.week_length, horizon_days=LEADS)
        acc.add(o, np.abs(_actuals(s, o) - pred))
    return acc.result()


def _actuals(series: SlotSeries, origin: int) -> np.ndarray:
    out = np.full((LEADS, series.values.shape[1]), np.nan)
    rows = series.values[origin : origin + LEADS]
    out[: len(rows)] = rows
    return np.nan_to_num(out)


def grid_leads(
    grid: dict[str, Sequence[float]], origins: Origins, targets: range
) -> tuple[list[LevelBlend], np.ndarray]:
    """Per-lead MASE of every ``LevelBlend`` in the grid, vectorised over level weight and damping
    (the same arithmetic as ``LevelBlend.predict``; :func:`main` re-checks the chosen one)."""
    s = origins.series
    weights = np.array(grid["level_weight"], dtype=float)
    dampings = np.array(grid["damping"], dtype=float)
    outer = list(
        itertools.product(
            grid["weeks"], grid["level_days"], grid["profile_weight"], grid["profile_days"]
        )
    )
    variants = [
        LevelBlend(
            weeks=k,
            level_days=n,
            profile_weight=pw,
            profile_days=pd_,
            level_weight=float(lw),
            damping=float(dp),
        )
        for k, n, pw, pd_ in outer
        for lw in weights
        for dp in dampings
    ]
    acc = LeadMase(origins, targets)
    for o in origins.scales:
        history = s.values[:o]
        actual = _actuals(s, o)
        recent_all = history[np.all(np.isfinite(history), axis=1)]
        per_outer = []
        for k, n, pw, pd_ in outer:
            probe = LevelBlend(weeks=k, level_days=n, profile_days=pd_, profile_weight=pw)
            base = WeekdayMean(weeks=k).predict(
                history=history, week_length=s.week_length, horizon_days=LEADS
            )
            ratio, age = probe.level_ratio(history=history, week_length=s.week_length)
            recent = recent_all[-pd_:]
            recent = recent[recent.sum(axis=1) > 0]
            recent_profile = (
                _shares(recent).mean(axis=0)
                if len(recent)
                else np.full(s.values.shape[1], 1 / s.values.shape[1])
            )
            profile = _shares(pw * _shares(base) + (1 - pw) * recent_profile)
            shape = base.sum(axis=1, keepdims=True) * profile  # LEADS x slots
            steps = age + np.arange(LEADS, dtype=float)
            exps = weights[:, None, None] * np.power(dampings[None, :, None], steps[None, None, :])
            factor = np.power(ratio, exps)  # W x D x LEADS
            pred = factor[..., None] * shape[None, None]
            per_outer.append(np.abs(actual - pred).reshape(-1, LEADS, s.values.shape[1]))
        acc.add(o, np.concatenate(per_outer))
    return variants, acc.result()


def _shares(rows: np.ndarray) -> np.ndarray:
    totals = rows.sum(axis=-1, keepdims=True)
    return np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)


def _describe(m: LevelBlend) -> str:
    return (
        f"weeks={m.weeks} level_days={m.level_days} level_weight={m.level_weight:g} "
        f"damping={m.damping:g} profile_weight={m.profile_weight:g} profile_days={m.profile_days}"
    )


def _lead_rows(named: dict[str, np.ndarray]) -> list[list[object]]:
    return [[h + 1, *(round(float(v[h]), 3) for v in named.values())] for h in range(LEADS)] + [
        ["mean", *(round(float(v.mean()), 3) for v in named.values())]
    ]


def baselines(chosen_weeks: int) -> list[ForecastModel]:
    weeks = sorted({2, 3, 4, 6, 8, chosen_weeks})
    return [SeasonalNaive(), *(WeekdayMean(weeks=k) for k in weeks)]


def check_series(
    label: str,
    series: SlotSeries,
    chosen: LevelBlend,
    targets: range,
    before: LevelBlend | None = None,
) -> None:
    origins = Origins.of(series, targets)
    named = {"level_blend": model_leads(chosen, origins, targets)}
    for m in baselines(chosen.weeks):
        named[m.name] = model_leads(m, origins, targets)
    others = np.array([v for k, v in named.items() if k != "level_blend"])
    if before is not None:
        named["before"] = model_leads(before, origins, targets)
    product = np.array([named["seasonal_naive"], named["weekday_mean_4"]])
    rows = _lead_rows(named)
    for row, h in zip(rows, range(LEADS), strict=False):
        row.append("yes" if named["level_blend"][h] < product[:, h].min() else "no")
        row.append("yes" if named["level_blend"][h] < others[:, h].min() else "no")
    rows[-1] += ["", ""]
    print_table(
        f"{label}: MASE per lead over {len(targets)} targets ({series.dates[targets.start]} .. "
        f"{series.dates[targets.stop - 1]}), {series.values.shape[1]} slots/day, {series.week_length}-day week",
        ["lead", *named, "beats sn+wm4", "beats all"],
        rows,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tiny grid (a smoke run)")
    parser.add_argument(
        "--all", action="store_true", help="print every variant's tuning scores, not the best 15"
    )
    args = parser.parse_args()
    print(run_header("tune_level_blend"), flush=True)
    started = time.perf_counter()
    grid = QUICK_GRID if args.quick else GRID
    series = bank(30)
    tuning = Origins.of(series, TUNING)
    variants, scores = grid_leads(grid, tuning, TUNING)
    objective = scores.mean(axis=1)
    order = np.argsort(objective, kind="stable")
    chosen = variants[int(order[0])]
    rows = [
        [
            _describe(variants[i]),
            round(float(objective[i]), 4),
            round(float(scores[i, 0]), 4),
            round(float(scores[i, 4]), 4),
            round(float(scores[i, 9]), 4),
        ]
        for i in (order if args.all else order[:15])
    ]
    base = {m.name: model_leads(m, tuning, TUNING) for m in baselines(chosen.weeks)}
    previous = PREVIOUS
    old = model_leads(previous, tuning, TUNING)
    rows += [
        [
            f"(before: {_describe(previous)})",
            round(float(old.mean()), 4),
            round(float(old[0]), 4),
            round(float(old[4]), 4),
            round(float(old[9]), 4),
        ]
    ]
    rows += [
        [
            f"(baseline {name})",
            round(float(v.mean()), 4),
            round(float(v[0]), 4),
            round(float(v[4]), 4),
            round(float(v[9]), 4),
        ]
        for name, v in base.items()
    ]
    print_table(
        f"Tuning targets rows {TUNING.start}-{TUNING.stop - 1} ({series.dates[TUNING.start]} .. "
        f"{series.dates[TUNING.stop - 1]}): {len(variants)} variants, {'all' if args.all else 'best 15'} by mean MASE over leads 1-{LEADS}",
        ["variant", "mean MASE", "lead 1", "lead 5", "lead 10"],
        rows,
    )
    check = model_leads(chosen, tuning, TUNING)
    print(
        f"\nchosen: LevelBlend({_describe(chosen)}); engine re-check of its tuning mean MASE: "
        f"{check.mean():.4f} (vectorised: {objective[order[0]]:.4f})"
    )
    print(
        f"the engine's default LevelBlend() is this variant: {'yes' if LevelBlend() == chosen else 'NO'}"
    )
    check_series(
        "US bank 30-min, REPORTING targets (untouched)", series, chosen, REPORTING, PREVIOUS
    )
    check_series("US bank 30-min, tuning targets", series, chosen, TUNING, PREVIOUS)
    if not args.quick:
        for label, interval in (
            ("US bank 5-min", 5),
            ("US bank hourly", 60),
            ("US bank daily totals", 1440),
        ):
            check_series(f"{label}, reporting targets", bank(interval), chosen, REPORTING)
        demo = demo_series()
        n = len(demo.dates)
        check_series(
            "Demo arrivals (90 days, hourly, UTC), last 20 targets", demo, chosen, range(n - 20, n)
        )
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
