"""``frontline staffing``: Erlang C / Erlang A staffing for one interval.

    frontline staffing --calls 100 --interval 1800 --aht 180 --threshold 20 --target-sl 0.8
    frontline staffing --calls 100 --interval 1800 --aht 180 --threshold 20 --agents 13 \
        --patience 300 --json

Prints P(wait), service level, ASA and occupancy (and P(abandon) with ``--patience``) for
``--agents`` agents (targets are then not used), or for the fewest agents meeting every given
target.  ``--json`` prints one object with ``agents``, ``p_wait``, ``service_level``, ``asa_s``
(``null`` when the queue is unstable), ``occupancy``, plus ``p_abandon`` with ``--patience`` and
``scheduled_agents`` with ``--shrinkage``.  Parses, calls the engine, renders; the maths lives
in :mod:`frontline.engine.erlang`.
"""

from __future__ import annotations

import argparse
import json
import math

from frontline.commands._args import number, whole
from frontline.engine.erlang import (
    ErlangAMetrics,
    ErlangCMetrics,
    erlang_a,
    erlang_c,
    required_agents,
    scheduled_agents,
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline staffing",
        description="Erlang C (or Erlang A with --patience) staffing for one interval.",
    )
    parser.add_argument(
        "--calls", required=True, type=number(low=0), help="calls offered in the interval"
    )
    parser.add_argument(
        "--interval",
        required=True,
        type=number(low=0, open_low=True),
        help="interval length, seconds",
    )
    parser.add_argument(
        "--aht",
        required=True,
        type=number(low=0, open_low=True),
        help="average handle time, seconds",
    )
    parser.add_argument(
        "--threshold", required=True, type=number(low=0), help="service-level threshold, seconds"
    )
    parser.add_argument(
        "--target-sl",
        type=number(low=0, high=1, open_low=True, open_high=True),
        help="service-level target, e.g. 0.8",
    )
    parser.add_argument(
        "--patience", type=number(low=0, open_low=True), help="mean patience, seconds (Erlang A)"
    )
    parser.add_argument(
        "--agents",
        type=whole(low=0),
        help="evaluate this many agents instead of sizing (targets unused)",
    )
    parser.add_argument(
        "--target-asa", type=number(low=0, open_low=True), help="ASA target, seconds"
    )
    parser.add_argument(
        "--max-abandon",
        type=number(low=0, high=1, open_low=True),
        help="abandonment cap (needs --patience)",
    )
    parser.add_argument(
        "--max-occupancy",
        type=number(low=0, high=1, open_low=True),
        help="occupancy cap, e.g. 0.85",
    )
    parser.add_argument(
        "--shrinkage", type=number(low=0, high=1, open_high=True), help="shrinkage, e.g. 0.3"
    )
    parser.add_argument(
        "--concurrency", type=whole(low=1), default=1, help="chats per agent at once (default 1)"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def main(argv: list[str]) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.max_abandon is not None and args.patience is None:
        parser.error("--max-abandon needs --patience (abandonment is an Erlang A quantity)")
    targets = (args.target_sl, args.target_asa, args.max_abandon, args.max_occupancy)
    if args.agents is None and all(t is None for t in targets):
        parser.error(
            "give --agents, or at least one target (--target-sl, --target-asa, --max-abandon, --max-occupancy)"
        )
    common = {
        "calls": args.calls,
        "interval_s": args.interval,
        "aht_s": args.aht,
        "threshold_s": args.threshold,
        "concurrency": args.concurrency,
    }
    try:
        metrics = _metrics(args, common)
    except ValueError as error:
        parser.error(str(error))
    result: dict[str, float | int | None] = {
        "agents": metrics.agents,
        "p_wait": metrics.p_wait,
        "service_level": metrics.service_level,
        "asa_s": metrics.asa_s if math.isfinite(metrics.asa_s) else None,
        "occupancy": metrics.occupancy,
    }
    if isinstance(metrics, ErlangAMetrics):
        result["p_abandon"] = metrics.p_abandon
    if args.shrinkage is not None:
        result["scheduled_agents"] = scheduled_agents(
            agents=metrics.agents, shrinkage=args.shrinkage
        )
    print(json.dumps(result) if args.json else _table(result, metrics))
    return 0


def _metrics(args: argparse.Namespace, common: dict[str, float]) -> ErlangCMetrics | ErlangAMetrics:
    if args.agents is not None and args.patience is None:
        return erlang_c(agents=args.agents, **common)
    if args.agents is not None:
        return erlang_a(agents=args.agents, patience_s=args.patience, **common)
    return required_agents(
        **common,
        target_sl=args.target_sl,
        target_asa_s=args.target_asa,
        max_occupancy=args.max_occupancy,
        patience_s=args.patience,
        max_abandon=args.max_abandon,
    ).metrics


def _table(result: dict[str, float | int | None], metrics: ErlangCMetrics | ErlangAMetrics) -> str:
    model = "Erlang A (M/M/N+M)" if isinstance(metrics, ErlangAMetrics) else "Erlang C (M/M/N)"
    asa = result["asa_s"]
    rows = [
        ("model", model),
        ("offered load", f"{metrics.offered_load:.4f} Erlangs"),
        ("agents", f"{result['agents']}"),
        ("P(wait)", f"{result['p_wait']:.4f}"),
        ("service level", f"{result['service_level']:.4f}"),
        ("ASA", "unbounded (N <= offered load)" if asa is None else f"{asa:.2f} s"),
        ("occupancy", f"{result['occupancy']:.4f}"),
    ]
    if "p_abandon" in result:
        rows.append(("P(abandon)", f"{result['p_abandon']:.4f}"))
    if "scheduled_agents" in result:
        rows.append(("scheduled agents", f"{result['scheduled_agents']}"))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name.ljust(width)}  {value}" for name, value in rows)
