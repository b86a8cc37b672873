"""Shift choice on a real week: pyworkforce MinRequiredResources vs Frontline's two models.

Run from the repository root::

    .venv/bin/python -m bench.bench_schedule [--aht 180] [--shares 0.02,0.05,1] [--time-limit 60]
                                             [--quick]   (a smoke run: one small scenario, 2 s limits)

Demand: the US bank call volumes (``shared/data/us_bank_calls``, 30-minute buckets, the
21:00 bucket dropped), averaged per business weekday x half hour over the last 4 weeks (20 business
days) of the series. The series is a whole bank (about 1,150 calls per half hour): with a
realistic AHT of 180 s that is up to 181 Erlangs. Rather than shrink the AHT to an unrealistic
value, each scenario routes a share of the calls to one team (``--shares``; 1 = the whole bank).
Required agents per interval: Erlang C at 80% of calls answered in 20 s (a private Erlang C below,
so the bench does not depend on ``engine/erlang.py``).

Shift set, the same for every method: 8 h shifts (7.5 h paid, a 30-minute unpaid lunch starting
3 h to 4.5 h after the start) starting 07:00-13:00, and 6 h shifts (no break) starting
07:00-15:00, every 30 minutes, inside opening hours 07:00-21:00, Monday to Friday.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import time
from pathlib import Path

import numpy as np
import pandas as pd

from bench._peers import peer_missing, peer_python, print_table, run_header
from frontline.engine.scheduling import (
    Break,
    ShiftPattern,
    ShiftTemplate,
    WeekGrid,
    expand_patterns,
    service_level_of,
    shift_plan_cover,
    shift_plan_service_level,
)

DATA = (
    Path(
        os.environ.get(
            "FRONTLINE_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"
        )
    )
    / "us_bank_calls"
    / "us_bank_fpp2_calls_30min.csv"
)
OPEN_FROM, OPEN_TO = 7 * 60, 21 * 60
THRESHOLD_S = 20.0
TARGET, FLOOR = 0.8, 0.6

TEMPLATES = (
    ShiftTemplate(
        name="8h",
        length_minutes=480,
        earliest_start_minute=7 * 60,
        latest_start_minute=13 * 60,
        start_step_minutes=30,
        breaks=(Break(length_minutes=30, earliest_offset_minutes=180, latest_offset_minutes=270),),
    ),
    ShiftTemplate(
        name="6h",
        length_minutes=360,
        earliest_start_minute=7 * 60,
        latest_start_minute=15 * 60,
        start_step_minutes=30,
    ),
)


def erlang_c_service_level(agents: int, load: float, aht_s: float, threshold_s: float) -> float:
    """P(answered within threshold) for an M/M/N queue; 0 when unstable (agents <= load)."""
    if agents <= load:
        return 0.0
    b = 1.0  # Erlang B by recursion
    for k in range(1, agents + 1):
        b = load * b / (k + load * b)
    p_wait = agents * b / (agents - load * (1.0 - b))
    return 1.0 - p_wait * math.exp(-(agents - load) * threshold_s / aht_s)


def week_profile() -> np.ndarray:
    """Mean calls per business weekday x half hour (5 x 28, 07:00-20:30) over the last 20 days."""
    df = pd.read_csv(DATA, parse_dates=["timestamp"])
    df = df[df.timestamp.dt.strftime("%H:%M") != "21:00"]
    dates = sorted(df.timestamp.dt.date.unique())
    index = {d: i for i, d in enumerate(dates)}
    df = df[df.timestamp.dt.date.isin(dates[-20:])].copy()
    df["weekday"] = [index[d] % 5 for d in df.timestamp.dt.date]
    df["slot"] = (df.timestamp.dt.hour * 60 + df.timestamp.dt.minute - OPEN_FROM) // 30
    prof = df.pivot_table(index="weekday", columns="slot", values="count", aggfunc="mean")
    return prof.to_numpy(dtype=float)


def demand(
    aht_s: float, share: float
) -> tuple[WeekGrid, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Grid, calls, required agents (80/20), SL table [day, slot, agents] and open mask."""
    prof = week_profile() * share
    grid = WeekGrid(days=5, slot_minutes=30, cyclic=False)
    first = OPEN_FROM // 30
    calls = np.zeros(grid.shape)
    calls[:, first : first + prof.shape[1]] = prof
    open_mask = np.zeros(grid.shape, dtype=bool)
    open_mask[:, OPEN_FROM // 30 : OPEN_TO // 30] = True
    load = calls * aht_s / (grid.slot_minutes * 60)
    kmax = int(load.max() + 10 * math.sqrt(load.max()) + 20)
    table = np.zeros((*grid.shape, kmax + 1))
    required = np.zeros(grid.shape, dtype=int)
    for d, s in zip(*np.nonzero(calls), strict=True):
        row = [erlang_c_service_level(k, load[d, s], aht_s, THRESHOLD_S) for k in range(kmax + 1)]
        table[d, s] = np.maximum.accumulate(np.clip(row, 0.0, 1.0))
        required[d, s] = int(np.argmax(table[d, s] >= TARGET))
    return grid, calls, required, table, open_mask


PYWORKFORCE_SCRIPT = """
import json, sys, time
from pyworkforce.scheduling import MinRequiredResources
a = json.load(sys.stdin)
m = MinRequiredResources(num_days=a["days"], periods=a["periods"], shifts_coverage=a["coverage"],
    required_resources=a["required"], max_period_concurrency=a["max_period"],
    max_shift_concurrency=a["max_shift"], cost_dict=a["cost"], max_search_time=a["time"],
    num_search_workers=a["workers"])
t = time.perf_counter(); sol = m.solve(); wall = time.perf_counter() - t
bound = m.solver.BestObjectiveBound() if sol["status"] in ("OPTIMAL", "FEASIBLE") else None
print(json.dumps({"solution": sol, "wall": wall, "bound": bound}))
"""


def run_pyworkforce(
    grid: WeekGrid,
    required: np.ndarray,
    patterns: tuple[ShiftPattern, ...],
    time_limit: float,
    workers: int,
) -> tuple[np.ndarray, float, float, str] | None:
    """Solve MinRequiredResources in pyworkforce's own venv; return staffed, hours, seconds, status
    (None when the virtualenv is absent)."""
    python = peer_python("pyworkforce")
    if python is None:
        return None
    first, periods = OPEN_FROM // 30, (OPEN_TO - OPEN_FROM) // 30
    day0 = [p for p in patterns if p.day == 0]  # pyworkforce repeats one shift list every day
    coverage, cost = {}, {}
    for k, p in enumerate(day0):
        vec = [0] * periods
        for i in p.work:
            vec[i - first] = 1
        name = f"{p.template}_{p.start_minute}_{'_'.join(map(str, p.break_offsets_minutes))}_{k}"
        coverage[name] = vec
        cost[name] = p.paid_minutes // grid.slot_minutes  # paid half hours
    req = required[:, first : first + periods]
    payload = {
        "days": grid.days,
        "periods": periods,
        "coverage": coverage,
        "required": req.tolist(),
        "max_period": int(req.max() * 3),
        "max_shift": int(req.max()),
        "cost": cost,
        "time": time_limit,
        "workers": workers,
    }
    out = subprocess.run(
        [str(python), "-c", PYWORKFORCE_SCRIPT],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(out.stdout.strip().splitlines()[-1])
    sol = res["solution"]
    staffed = np.zeros(grid.shape, dtype=int)
    names = list(coverage)
    for row in sol["resources_shifts"]:
        if row["resources"] > 0:
            vec = np.array(coverage[row["shift"]])
            staffed[row["day"], first : first + periods] += row["resources"] * vec
    hours = sol["cost"] / 2.0
    bound = res["bound"]
    gap = abs(sol["cost"] - bound) / max(1.0, abs(sol["cost"])) if bound is not None else math.nan
    assert len(names) == len(day0)
    return staffed, hours, res["wall"], f"{sol['status']} gap {gap:.2%}"


FREE_FORM = ShiftTemplate(
    name="30min",
    length_minutes=30,
    earliest_start_minute=OPEN_FROM,
    latest_start_minute=OPEN_TO - 30,
    start_step_minutes=30,
)


def scenario(aht: float, share: float, time_limit: float, workers: int) -> None:
    """Print one comparison table for calls x ``share`` at ``aht`` seconds."""
    grid, calls, required, table, open_mask = demand(aht, share)
    patterns = expand_patterns(grid=grid, templates=TEMPLATES, open_mask=open_mask)
    n_int = int((calls > 0).sum())
    req_hours = required.sum() * grid.slot_minutes / 60
    print(
        f"\n{share:.0%} of the bank's calls: {n_int} open intervals, {calls.sum():,.0f} calls/week, "
        f"AHT {aht:.0f} s, peak load {calls.max() * aht / 1800:.1f} Erl, peak required "
        f"{required.max()}, required {req_hours:,.1f} agent-hours at 80/20; {len(patterns)} shift patterns"
    )
    rows: list[list[object]] = []

    def row(method: str, staffed: np.ndarray, hours: float, seconds: float, status: str) -> None:
        sl = service_level_of(
            staffed=staffed, calls=calls, service_level=table, target=TARGET, floor=FLOOR
        )
        rows.append(
            [
                method,
                hours,
                req_hours,
                f"{sl.intervals_below_target}/{n_int}",
                f"{sl.week:.4f}",
                f"{sl.min_interval:.4f}",
                f"{seconds:.1f}",
                status,
            ]
        )

    peer = run_pyworkforce(grid, required, patterns, time_limit, workers)
    if peer is None:
        print(peer_missing("pyworkforce"))
        rows.append(["pyworkforce 0.5.1 MinRequiredResources", "-", req_hours, "-", "-", "-", "-",
                     "not run: make bench-peers"])
    else:
        row("pyworkforce 0.5.1 MinRequiredResources", *peer)

    t = time.perf_counter()
    cover = shift_plan_cover(
        grid=grid,
        required=required,
        templates=TEMPLATES,
        open_mask=open_mask,
        time_limit_seconds=time_limit,
        num_workers=workers,
    )
    row(
        "frontline (a) cover every interval",
        cover.staffed,
        cover.paid_hours,
        time.perf_counter() - t,
        f"{cover.solve.status} gap {cover.solve.gap:.2%}",
    )

    plans = {}
    for label, templates in (
        ("(b) service level", TEMPLATES),
        ("(b) bound: no shift shape", (FREE_FORM,)),
    ):
        t = time.perf_counter()
        plans[label] = plan = shift_plan_service_level(
            grid=grid,
            calls=calls,
            service_level=table,
            templates=templates,
            target=TARGET,
            floor=FLOOR,
            open_mask=open_mask,
            time_limit_seconds=time_limit,
            num_workers=workers,
        )
        row(
            f"frontline {label}",
            plan.staffed,
            plan.paid_hours,
            time.perf_counter() - t,
            f"{plan.solve.status} gap {plan.solve.gap:.2%}",
        )

    print_table(
        f"Shift choice: US bank week (mean of the last 4 weeks) x {share:g}, AHT {aht:.0f} s, "
        f"target 80% in 20 s over the week, floor 60% per interval",
        [
            "method",
            "staffed h",
            "required h",
            "below 80%",
            "week SL",
            "min SL",
            "solve s",
            "status",
        ],
        rows,
    )
    slp, free = plans["(b) service level"], plans["(b) bound: no shift shape"]
    print(
        f"(b) uses {1 - slp.paid_hours / cover.paid_hours:.1%} fewer staffed hours than (a); its CP-SAT "
        f"bound allows at most {1 - slp.solve.best_bound / cover.paid_hours:.1%}; staffing freely per "
        f"interval would save {1 - free.paid_hours / cover.paid_hours:.1%}. Stages of (b): "
        + "; ".join(
            f"{s.name} {s.status} {s.objective:.4g} ({s.wall_seconds:.1f} s)"
            for s in slp.solve.stages
        )
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aht", type=float, default=180.0, help="average handling time, seconds")
    ap.add_argument(
        "--shares", default="0.02,0.05,1", help="comma-separated fractions of the bank's calls"
    )
    ap.add_argument("--time-limit", type=float, default=60.0, help="seconds per method")
    ap.add_argument("--workers", type=int, default=8, help="CP-SAT workers per method")
    ap.add_argument(
        "--quick", action="store_true", help="smoke run: 2%% of the calls, 2 s and 2 workers per method"
    )
    args = ap.parse_args()
    if args.quick:
        args.shares, args.time_limit, args.workers = "0.02", 2.0, 2
    print(run_header("bench_schedule"), flush=True)
    for share in (float(x) for x in args.shares.split(",")):
        scenario(args.aht, share, args.time_limit, args.workers)


if __name__ == "__main__":
    main()
