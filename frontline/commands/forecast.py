"""``frontline forecast``: rolling-origin backtest of the forecasting models on a CSV.

    frontline forecast backtest --csv calls.csv --interval 30 [--horizon-days 1] [--windows 20]
        [--models seasonal_naive,weekday_mean_4,level_blend] [--hours 07:00-21:00]
        [--exclude-dates 2024-12-24,2024-12-31] [--closed-dates 2024-12-25] [--json]

The CSV has a header with ``timestamp`` and ``count`` (extra columns are ignored).  With a
``queue`` column holding more than one value, each queue is backtested on its own.  Prints
MASE and WAPE per model and the chosen (lowest-MASE) model; ``--json`` prints
``{"chosen": NAME, "models": {NAME: {"mase": x, "wape": y}}}`` for one series, and
``{"queues": {QUEUE: <that object>}}`` for several queues (non-finite numbers are ``null``).
Bad input prints one line on stderr and exits 2.  The maths lives in
:mod:`frontline.engine.forecasting`.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from datetime import date, time

from frontline.commands._args import whole
from frontline.engine.forecasting import (
    BacktestResult,
    ForecastModel,
    backtest,
    default_models,
    model_by_name,
    slot_series_from_counts,
)


class InputError(Exception):
    """Input that cannot be backtested; the message is shown to the user."""


def _models(text: str) -> tuple[ForecastModel, ...]:
    try:
        return tuple(model_by_name(name=name.strip()) for name in text.split(",") if name.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _dates(text: str) -> frozenset[date]:
    try:
        return frozenset(date.fromisoformat(d.strip()) for d in text.split(",") if d.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"dates must be YYYY-MM-DD separated by commas, got {text!r}"
        ) from None


def _hours(text: str) -> tuple[time, time]:
    try:
        opening, closing = (time.fromisoformat(part.strip()) for part in text.split("-"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"hours must look like 07:00-21:00, got {text!r}"
        ) from None
    return opening, closing


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline forecast", description="Contact-volume forecasting."
    )
    sub = parser.add_subparsers(dest="action", required=True)
    bt = sub.add_parser(
        "backtest", help="rolling-origin backtest of every model on a CSV of interval counts"
    )
    bt.add_argument("--csv", required=True, help="CSV with header timestamp,count[,queue]")
    bt.add_argument(
        "--interval", required=True, type=whole(low=1), help="minutes per row: 15, 30 or 60"
    )
    bt.add_argument(
        "--horizon-days",
        type=whole(low=1),
        default=1,
        help="days forecast from each origin (default 1)",
    )
    bt.add_argument(
        "--windows", type=whole(low=1), default=20, help="number of daily origins (default 20)"
    )
    bt.add_argument(
        "--models", type=_models, default=None, help="comma-separated model names (default: all)"
    )
    bt.add_argument(
        "--hours",
        type=_hours,
        default=None,
        help="opening hours, e.g. 07:00-21:00 (rows outside are dropped)",
    )
    bt.add_argument(
        "--exclude-dates",
        type=_dates,
        default=frozenset(),
        help="special days: not trained on, not scored",
    )
    bt.add_argument(
        "--closed-dates", type=_dates, default=frozenset(), help="days the centre was closed"
    )
    bt.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return parser


def _read(path: str, interval: int) -> dict[str, tuple[list[object], list[float]]]:
    """CSV -> {queue: (timestamps, counts)}; one key "" when there is no queue column."""
    import pandas as pd

    try:
        frame = pd.read_csv(path)
    except FileNotFoundError:
        raise InputError(f"--csv: no such file: {path}") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"--csv: cannot read {path}: {exc}") from None
    missing = [c for c in ("timestamp", "count") if c not in frame.columns]
    if missing:
        raise InputError(
            f"--csv: missing column(s) {', '.join(missing)} (need a header with timestamp,count)"
        )
    if frame.empty:
        raise InputError("--csv: the file has no rows")
    try:
        stamps = pd.to_datetime(frame["timestamp"], format="mixed")
    except (ValueError, TypeError) as exc:
        raise InputError(f"--csv: unparsable timestamp: {exc}") from None
    counts = pd.to_numeric(frame["count"], errors="coerce")
    if counts.isna().any():
        row = int(counts.isna().to_numpy().argmax()) + 2
        raise InputError(f"--csv: count must be a number on every row (line {row})")
    if "interval_min" in frame.columns:
        declared = set(
            pd.to_numeric(frame["interval_min"], errors="coerce").dropna().unique().tolist()
        )
        if declared and declared != {interval}:
            raise InputError(
                f"--interval {interval} does not match the file's interval_min {sorted(declared)}"
            )
    queues = (
        frame["queue"].astype(str) if "queue" in frame.columns else pd.Series([""] * len(frame))
    )
    out: dict[str, tuple[list[object], list[float]]] = {}
    for queue in dict.fromkeys(queues.tolist()):
        mask = (queues == queue).to_numpy()
        out[queue] = (list(stamps[mask]), counts[mask].astype(float).tolist())
    return out if len(out) > 1 else {"": next(iter(out.values()))}


def _run(args: argparse.Namespace) -> dict[str, BacktestResult]:
    opening, closing = args.hours if args.hours else (None, None)
    results: dict[str, BacktestResult] = {}
    for queue, (stamps, counts) in _read(args.csv, args.interval).items():
        where = f"queue {queue!r}: " if queue else ""
        try:
            series = slot_series_from_counts(
                timestamps=stamps,  # type: ignore[arg-type]
                counts=counts,
                interval_minutes=args.interval,
                opening=opening,
                closing=closing,
                closed_dates=args.closed_dates,
                excluded_dates=args.exclude_dates,
            )
            results[queue] = backtest(
                series=series,
                models=args.models or default_models(),
                horizon_days=args.horizon_days,
                windows=args.windows,
            )
        except ValueError as exc:
            raise InputError(f"{where}{exc}") from None
    return results


def _number(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _as_json(result: BacktestResult) -> dict[str, object]:
    return {
        "chosen": result.chosen,
        "models": {
            s.model: {"mase": _number(s.mase), "wape": _number(s.wape)} for s in result.scores
        },
    }


def _table(result: BacktestResult, queue: str) -> str:
    head = f"queue {queue}: " if queue else ""
    lines = [
        f"{head}{len(result.origins)} daily origins {result.origins[0]} .. {result.origins[-1]}, {result.horizon_days}-day horizon",
        f"{'model':<16} {'MASE':>7} {'WAPE':>7} {'80% PI cover':>12} {'seconds':>8}",
    ]
    for s in result.scores:
        mark = "  <- chosen" if s.model == result.chosen else ""
        lines.append(
            f"{s.model:<16} {s.mase:>7.3f} {s.wape:>7.2%} {s.interval_coverage:>12.1%} {s.seconds:>8.2f}{mark}"
        )
    lines.append(f"chosen: {result.chosen}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        results = _run(args)
    except InputError as exc:
        print(f"frontline forecast: error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        payload = (
            _as_json(results[""])
            if "" in results
            else {"queues": {q: _as_json(r) for q, r in results.items()}}
        )
        print(json.dumps(payload, allow_nan=False))
    else:
        print("\n\n".join(_table(r, q) for q, r in results.items()))
    return 0
