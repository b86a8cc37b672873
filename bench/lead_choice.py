"""Lead-aware model choice, as a stored forecast makes it, scored per lead out of sample
(``python -m bench.lead_choice``; ``--quick``: one candidate set, 20 tuning targets, a smoke run).

At every origin row ``o`` the product's procedure runs on the history before ``o`` only: the
engine's ``backtest`` over the run's own last ``WINDOWS`` rolling origins with a 14-day horizon,
``choose_by_lead`` with a block structure, and ``forecast_by_lead`` from ``o``.  The forecast for
target row ``t`` at lead ``h`` is the one made at origin ``t - h + 1``; its MASE is scaled as in
``bench.tune_level_blend`` (same targets, same scale), so the numbers compare with its tables.

The split (STYLE habit 11), US-bank 30-minute calls: the configuration - the block structure
(one block for the whole horizon = the product before, ``lead_blocks`` = day 1, the rest of
week 1, then whole weeks, or one block per day), whether each lead is scored on the latest
origins that reach it (``latest_leads``), the margin by which another model must beat
``level_blend`` on a block to serve it, and the candidate set - is chosen on the **tuning
targets** (rows 64-143) by the mean MASE over leads 1-14 (rounded to 4 places; ties go to the
configuration listed first, the simpler); the **reporting targets** (rows 144-163, the
published reference windows) are scored once, for the chosen configuration, against every
simple baseline.  Only the fast models are candidates (the statsforecast models cost ~1 s a
fit and never win on this series, docs/engine/forecasting.md).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from bench._peers import print_table, run_header
from bench.tune_level_blend import (
    LEADS,
    REPORTING,
    TUNING,
    LeadMase,
    Origins,
    _actuals,
    bank,
    model_leads,
)
from frontline.engine.forecasting import (
    BacktestResult,
    ForecastModel,
    LevelBlend,
    SeasonalNaive,
    SlotSeries,
    WeekdayMean,
    backtest,
    choose_by_lead,
    forecast_by_lead,
    lead_blocks,
)

WINDOWS = 10
"""The product's rolling origins per run (frontline.workforce.forecasts.BACKTEST_WINDOWS)."""
DEFAULT = "level_blend"
MARGINS = (0.0, 0.1, 0.2, 0.3, 1.0)
"""A model other than ``DEFAULT`` serves a block only when its block MASE is below (1 - margin) x
the default's; 0 = the lowest MASE always wins, 1 = the default always serves."""

Blocks = Callable[[int], tuple[tuple[int, int], ...]]
SCHEMES: dict[str, Blocks] = {
    "one block": lambda week: ((1, LEADS),),
    "lead_blocks": lambda week: lead_blocks(horizon_days=LEADS, week_length=week),
    "per day": lambda week: tuple((h, h) for h in range(1, LEADS + 1)),
}


@dataclass(frozen=True)
class Config:
    candidates: str
    blocks: str
    latest_leads: bool
    margin: float

    def describe(self) -> str:
        return (f"candidates {self.candidates!r}, blocks {self.blocks!r}, latest_leads={self.latest_leads}, "
                f"margin={self.margin:g}")


BEFORE = Config("sn, wm4, level_blend", "one block", False, 0.0)
"""The product before: one model for the whole horizon, the lowest backtest MASE."""


def candidate_sets() -> dict[str, tuple[ForecastModel, ...]]:
    fast = (SeasonalNaive(), WeekdayMean(weeks=4), LevelBlend())
    return {
        "sn, wm4, level_blend": fast,
        "+ wm2, wm3": (*fast, WeekdayMean(weeks=2), WeekdayMean(weeks=3)),
    }


def baselines() -> list[ForecastModel]:
    return [SeasonalNaive(), *(WeekdayMean(weeks=k) for k in (2, 3, 4, 6, 8))]


class Run:
    """The product's per-lead procedure at every origin of ``targets``, backtests cached."""

    def __init__(self, series: SlotSeries, targets: range) -> None:
        self.series, self.targets = series, targets
        self.origins = Origins.of(series, targets)
        self.cache: dict[tuple[str, bool, int], BacktestResult] = {}

    def leads(self, config: Config) -> tuple[np.ndarray, float, dict[str, int]]:
        """Per-lead MASE, 80% interval coverage, and how often each model served a target day."""
        s = self.series
        models = candidate_sets()[config.candidates]
        acc = LeadMase(self.origins, self.targets)
        hits = tried = 0
        served: dict[str, int] = {}
        for o in self.origins.scales:
            history = s.truncated(days=o)
            key = (config.candidates, config.latest_leads, o)
            if key not in self.cache:
                self.cache[key] = backtest(series=history, models=models, horizon_days=LEADS,
                                           windows=WINDOWS, latest_leads=config.latest_leads)
            choice = choose_by_lead(result=self.cache[key], blocks=SCHEMES[config.blocks](s.week_length),
                                    default=DEFAULT, margin=config.margin)
            fc = forecast_by_lead(series=history, models=models, choice=choice)
            actual = _actuals(s, o)
            acc.add(o, np.abs(actual - fc.point))
            for h in range(LEADS):
                if o + h in self.targets and s.usable[o + h]:
                    hits += int(np.sum((actual[h] >= fc.lower[h]) & (actual[h] <= fc.upper[h])))
                    tried += actual.shape[1]
                    served[fc.day_models[h]] = served.get(fc.day_models[h], 0) + 1
        return acc.result(), hits / tried, served


def report(label: str, series: SlotSeries, targets: range, config: Config) -> None:
    run = Run(series, targets)
    composite, cover, served = run.leads(config)
    before, cover_before, _ = run.leads(BEFORE)
    named = {"by lead": composite, "before": before}
    named |= {m.name: model_leads(m, run.origins, targets) for m in (LevelBlend(), *baselines())}
    base = np.array([named[m.name] for m in baselines()])
    best = base.min(axis=0)
    best_name = [baselines()[i].name for i in base.argmin(axis=0)]
    rows: list[list[object]] = [
        [h + 1, *(round(float(v[h]), 3) for v in named.values()), f"{best[h]:.3f} ({best_name[h]})",
         "yes" if composite[h] < best[h] else "NO"]
        for h in range(LEADS)
    ]
    rows.append(["mean", *(round(float(v.mean()), 3) for v in named.values()), "", ""])
    print_table(
        f"{label}: MASE per lead over {len(targets)} targets ({series.dates[targets.start]} .. "
        f"{series.dates[targets.stop - 1]}), {series.values.shape[1]} slots/day "
        "(by lead = the chosen configuration; before = one model per run, lowest MASE)",
        ["lead", *named, "best baseline", "by lead beats it"],
        rows,
    )
    shares = ", ".join(f"{k} {v}" for k, v in sorted(served.items(), key=lambda kv: -kv[1]))
    print(f"80% interval coverage: by lead {cover:.1%}, before {cover_before:.1%}; "
          f"target-days served by lead: {shares}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="one candidate set, 20 tuning targets")
    args = parser.parse_args()
    print(run_header("lead_choice"), flush=True)
    started = time.perf_counter()
    series = bank(30)
    tuning = range(TUNING.stop - 20, TUNING.stop) if args.quick else TUNING
    sets = list(candidate_sets())[:1] if args.quick else list(candidate_sets())
    configs = [Config(c, b, latest, m) for c in sets for latest in (False, True) for b in SCHEMES for m in MARGINS]
    run = Run(series, tuning)
    rows, results = [], {}
    for config in configs:
        leads, cover, _ = run.leads(config)
        results[config] = float(leads.mean())
        rows.append([config.candidates, config.blocks, "yes" if config.latest_leads else "no", config.margin,
                     round(float(leads.mean()), 4), round(float(leads[0]), 3), round(float(leads[1:5].mean()), 3),
                     round(float(leads[5:10].mean()), 3), round(float(leads[10:].mean()), 3), f"{cover:.1%}"])
    print_table(
        f"Tuning targets rows {tuning.start}-{tuning.stop - 1} ({series.dates[tuning.start]} .. "
        f"{series.dates[tuning.stop - 1]}): {len(configs)} configurations, {WINDOWS} backtest windows per origin, "
        f"default {DEFAULT}",
        ["candidates", "blocks", "latest", "margin", "mean MASE 1-14", "lead 1", "2-5", "6-10", "11-14", "80% cover"],
        rows,
    )
    chosen = min(configs, key=lambda c: (round(results[c], 4), configs.index(c)))
    print(f"\nchosen on the tuning targets: {chosen.describe()}")
    report("US bank 30-min, REPORTING targets (untouched)", series, REPORTING, chosen)
    if not args.quick:
        report("US bank 30-min, tuning targets", series, TUNING, chosen)
        for label, interval in (("US bank hourly", 60), ("US bank daily totals", 1440)):
            report(f"{label}, reporting targets", bank(interval), REPORTING, chosen)
    print(f"\ntotal {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
