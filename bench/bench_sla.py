"""SLA due times for 1,000,000 open-ticket clocks: the business-time engine vs minute stepping.

    python -m bench.bench_sla            (from the repository root; --quick for a smoke run)

Every clock has a start (a whole minute, uniform over 2026) and a target in business minutes
(30, 60, 240, 480 or 960, uniformly) on one calendar: Europe/Berlin, Monday-Friday 08:00-12:00
and 13:00-18:00, Saturday 10:00-14:00, closed on Berlin's public holidays (DST changes in March
and October included).  ``business_due_many`` answers all of them in one batch (timed on a fresh
calendar, so building its open-time table is included; peak memory by tracemalloc in a second
run).  On a sample of the first 10,000 clocks, side by side in the same run: the batch, the
scalar ``business_due`` one clock at a time, and the naive reference that steps minute by minute
(``frontline.engine.businesstime.reference``); the three must give identical due times.
``--quick`` runs 20,000 clocks and a 300-clock sample.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from bench._peers import print_table, run_header
from frontline.engine.businesstime import (
    BusinessCalendar,
    WorkingInterval,
    business_due,
    business_due_many,
)
from frontline.engine.businesstime.reference import naive_due

SEED = 20261206
TARGETS = np.array([30, 60, 240, 480, 960], dtype=np.float64)
YEAR_START = np.datetime64("2026-01-01T00:00", "m")
REPEATS = 3


def calendar() -> BusinessCalendar:
    weekdays = [
        WorkingInterval(weekday=d, start=start, end=end)
        for d in range(5)
        for start, end in ((8 * 60, 12 * 60), (13 * 60, 18 * 60))
    ]
    return BusinessCalendar(
        tz="Europe/Berlin",
        intervals=(*weekdays, WorkingInterval(weekday=5, start=10 * 60, end=14 * 60)),
        holiday_country="DE",
        holiday_subdivision="BE",
    )


def clocks(count: int) -> tuple[NDArray[np.datetime64], NDArray[np.float64]]:
    rng = np.random.default_rng(SEED)
    starts = YEAR_START + rng.integers(0, 365 * 24 * 60, count).astype("timedelta64[m]")
    return starts, TARGETS[rng.integers(0, TARGETS.size, count)]


def best_of(repeats: int, run: Callable[[], object]) -> tuple[float, object]:
    """Best wall time of ``repeats`` runs after one warm-up run (imports, holiday tables)."""
    best, result = float("inf"), run()
    for _ in range(repeats):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def to_datetime(value: np.datetime64) -> datetime:
    micros = int(value.astype("datetime64[us]").astype(np.int64))
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=micros)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="20,000 clocks, 300-clock sample")
    parser.add_argument("--clocks", type=int, help="clocks in the batch (default 1,000,000)")
    parser.add_argument("--sample", type=int, help="clocks compared one by one (default 10,000)")
    args = parser.parse_args(argv)
    print(run_header("bench_sla"), flush=True)
    count = args.clocks or (20_000 if args.quick else 1_000_000)
    sample = min(count, args.sample or (300 if args.quick else 10_000))
    repeats = 1 if args.quick else REPEATS
    starts, minutes = clocks(count)

    batch_s, batch = best_of(
        repeats, lambda: business_due_many(starts=starts, minutes=minutes, calendar=calendar())
    )
    assert isinstance(batch, np.ndarray)
    tracemalloc.start()
    business_due_many(starts=starts, minutes=minutes, calendar=calendar())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    sample_starts = [to_datetime(s) for s in starts[:sample]]
    sample_minutes = [int(m) for m in minutes[:sample]]
    cal = calendar()
    sample_batch_s, sample_batch = best_of(
        repeats,
        lambda: business_due_many(
            starts=starts[:sample], minutes=minutes[:sample], calendar=calendar()
        ),
    )
    scalar_s, scalar = best_of(
        repeats,
        lambda: [
            business_due(start=s, minutes=m, calendar=cal)
            for s, m in zip(sample_starts, sample_minutes, strict=True)
        ],
    )
    naive_cal = calendar()
    start = time.perf_counter()
    naive = [
        naive_due(start=s, minutes=m, calendar=naive_cal)
        for s, m in zip(sample_starts, sample_minutes, strict=True)
    ]
    naive_s = time.perf_counter() - start

    assert isinstance(scalar, list) and isinstance(sample_batch, np.ndarray)
    batch_dt = [to_datetime(v) for v in batch[:sample]]
    differ_batch = sum(a != b for a, b in zip(batch_dt, naive, strict=True))
    differ_scalar = sum(a != b for a, b in zip(scalar, naive, strict=True))
    differ_sample = int((sample_batch != batch[:sample]).sum())
    per_naive = naive_s / sample

    def row(name: str, clocks_: int, seconds: float, memory: str, differ: object) -> list[object]:
        per = seconds / clocks_
        return [
            name,
            clocks_,
            f"{seconds:.3f}",
            f"{per * 1e6:.2f}",
            f"{per_naive / per:,.0f}x",
            memory,
            differ,
        ]

    print_table(
        f"SLA due times on one calendar (Europe/Berlin split shift + Saturday, Berlin holidays), "
        f"starts over 2026, targets 30-960 business minutes, seed {SEED}",
        [
            "implementation",
            "clocks",
            "seconds",
            "us per clock",
            "vs naive",
            "peak memory",
            "differ from naive",
        ],
        [
            row(
                "business_due_many, batch",
                count,
                batch_s,
                f"{peak / 2**20:.1f} MiB",
                f"{differ_batch} of first {sample:,}",
            ),
            row("business_due_many, sample", sample, sample_batch_s, "-", differ_sample),
            row("business_due, one at a time", sample, scalar_s, "-", differ_scalar),
            row("naive minute stepping", sample, naive_s, "-", 0),
        ],
    )
    identical = differ_batch == differ_scalar == differ_sample == 0
    print(
        "Identical due times from the batch, the scalar engine and minute stepping on the sample."
        if identical
        else "DIFFERENT due times: the engine and the reference disagree (see the table)."
    )
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
