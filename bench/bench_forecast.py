"""Forecasting benchmark on the US-bank call volumes (``python -m bench.bench_forecast``).

Day-ahead 30-minute forecasts, refitted at each of the last 20 business days (the rolling-origin
backtest of :mod:`frontline.engine.forecasting`), for every model, side by side with the
published reference numbers (../shared/data/us_bank_calls/PROVENANCE.md).  The 21:00 bucket,
which holds only 21:00-21:05, is dropped.  ``--no-full-history`` skips the full-history
statsforecast fits (about two thirds of the run time); ``--quick`` is a smoke run for the test
suite (the three cheap models over 2 origins, then 5 origins).  A second table scores the cheap
models over the last 100 origins.  ``level_blend``'s constants and structure were chosen on the
80 targets before the 20 reference windows (``python -m bench.tune_level_blend`` prints that
tuning, and every lead 1-14), so the first table is an untouched hold-out for it; the second
mixes both.
"""

from __future__ import annotations

import argparse
import math
import os
import time
from datetime import time as clock
from pathlib import Path

import numpy as np
import pandas as pd

from bench._peers import print_table, run_header
from frontline.engine.forecasting import (
    LevelBlend,
    SeasonalNaive,
    SlotSeries,
    StatsforecastETS,
    StatsforecastMSTL,
    WeekdayMean,
    backtest,
    slot_series_from_counts,
)

DATA = Path(
    os.environ.get("FRONTLINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data")
)
CSV = DATA / "us_bank_calls" / "us_bank_fpp2_calls_30min.csv"

# model -> (reference MASE, reference WAPE) from PROVENANCE.md / the task's reference
REFERENCE: dict[str, tuple[str, str]] = {
    "seasonal_naive": ("1.18", "9.9%"),
    "weekday_mean_4": ("0.82", "6.9%"),
    "level_blend": ("(hold-out)", ""),
    "auto_ets": ("", ""),
    "auto_ets_full": ("1.06", ""),
    "mstl": ("", ""),
    "mstl_full": ("1.16-1.29", ""),
}


def load() -> SlotSeries:
    frame = pd.read_csv(CSV, parse_dates=["timestamp"])
    return slot_series_from_counts(
        timestamps=list(frame["timestamp"]),
        counts=frame["count"].to_numpy(float),
        interval_minutes=30,
        closing=clock(21),
    )


def poisson_floor(series: SlotSeries, windows: int) -> float:
    """WAPE of a forecast equal to the true Poisson mean: E|y - m| ~ sqrt(2 m / pi), m ~ actual."""
    actual = series.values[-windows:]
    return float(np.sum(np.sqrt(2 * actual / math.pi)) / np.sum(actual))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--no-full-history", action="store_true", help="skip the full-history statsforecast fits"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: the 3 cheap models over 2 origins, then 5"
    )
    args = parser.parse_args()
    print(run_header("bench_forecast"), flush=True)
    series = load()
    models = [SeasonalNaive(), WeekdayMean(weeks=4), LevelBlend()]
    if not args.quick:  # statsforecast's first fit compiles its kernels (numba): seconds, not a smoke run
        models += [StatsforecastETS(), StatsforecastMSTL()]
    if not (args.quick or args.no_full_history):
        models += [StatsforecastETS(train_days=None), StatsforecastMSTL(train_days=None)]
    windows, longer_windows = (2, 5) if args.quick else (20, 100)
    load_avg = os.getloadavg()[0]
    started = time.perf_counter()
    result = backtest(series=series, models=models, horizon_days=1, windows=windows)
    rows: list[list[object]] = []
    for s in result.scores:
        ref_mase, ref_wape = REFERENCE[s.model]
        chosen = "yes" if s.model == result.chosen else ""
        rows.append(
            [
                s.model,
                round(s.mase, 3),
                f"{s.wape:.2%}",
                ref_mase,
                ref_wape,
                f"{s.interval_coverage:.1%}",
                s.seconds,
                s.cpu_seconds,
                chosen,
            ]
        )
    rows.append(
        ["poisson noise floor", "", f"{poisson_floor(series, windows):.2%}", "", "2.3%", "", "", "", ""]
    )
    print_table(
        f"US bank calls, 30-min, day-ahead, refit daily, last {windows} of {len(series.dates)} business days "
        f"({result.origins[0]} .. {result.origins[-1]}); total {time.perf_counter() - started:.0f} s, "
        f"{os.cpu_count()} CPUs, load average {load_avg:.1f} at start",
        [
            "model",
            "MASE",
            "WAPE",
            "ref MASE",
            "ref WAPE",
            "80% PI cover",
            "fit+predict s",
            "CPU s",
            "chosen",
        ],
        rows,
    )
    longer = backtest(series=series, models=models[:3], horizon_days=1, windows=longer_windows)
    print_table(
        f"Cheap models over the last {longer_windows} origins ({longer.origins[0]} .. {longer.origins[-1]})",
        ["model", "MASE", "WAPE", "80% PI cover", "fit+predict s", "CPU s"],
        [
            [
                s.model,
                round(s.mase, 3),
                f"{s.wape:.2%}",
                f"{s.interval_coverage:.1%}",
                s.seconds,
                s.cpu_seconds,
            ]
            for s in longer.scores
        ],
    )


if __name__ == "__main__":
    main()
