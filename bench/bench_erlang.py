"""Erlang C required agents for 10,000 intervals: Frontline's vectorised engine vs pyworkforce.

    python -m bench.bench_erlang [--quick]  (from the repository root)

Both sides size the same 10,000 intervals (offered load log-uniform in 0.3-500 Erlangs,
AHT uniform in 120-600 s, 30-minute intervals, fixed seed) for 80% answered within 20 s with
no occupancy cap.  pyworkforce 0.5.1 runs in its own virtualenv (bench/_peers.py) as a
subprocess that times itself; the intervals travel in a temporary JSON file.  Both sides get
the same treatment: one unmeasured warm-up pass, then the best of ``REPEATS`` timed passes.
``--quick`` sizes 200 intervals, best of 2 (a smoke run for the test suite).  Where the two
disagree, the exact answer is decided with Frontline's scalar Erlang C: the fewest agents N
with SL(N) >= 0.8 and SL(N - 1) < 0.8.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench._peers import peer_missing, peer_python, print_table, run_header
from frontline.engine.erlang import erlang_c, required_agents_many

SEED = 20261123
INTERVALS = 10_000
INTERVAL_S = 1800.0
THRESHOLD_S = 20.0
TARGET_SL = 0.8
REPEATS = 5

PYWORKFORCE_SCRIPT = """
import json, sys, time
from pyworkforce.queuing import ErlangC

with open(sys.argv[1]) as f:
    data = json.load(f)
calls, aht, interval, threshold, target = data["calls"], data["aht_s"], data["interval_s"], data["threshold_s"], data["target_sl"]


def once():
    return [
        ErlangC(transactions=c, aht=h / 60, asa=threshold / 60, interval=interval / 60)
        .required_positions(service_level=target, max_occupancy=1.0)["raw_positions"]
        for c, h in zip(calls, aht)
    ]


out = once()  # warm-up (imports, caches), as for Frontline
best = float("inf")
for _ in range(data["repeats"]):
    start = time.perf_counter()
    out = once()
    best = min(best, time.perf_counter() - start)
print(json.dumps({"seconds": best, "agents": out}))
"""


def intervals(count: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(SEED)
    load = np.exp(rng.uniform(np.log(0.3), np.log(500.0), count))
    aht = rng.uniform(120.0, 600.0, count)
    return load * INTERVAL_S / aht, aht


def frontline_run(calls: np.ndarray, aht: np.ndarray, repeats: int) -> tuple[float, np.ndarray]:
    def once() -> np.ndarray:
        return required_agents_many(
            calls=calls,
            aht_s=aht,
            interval_s=INTERVAL_S,
            threshold_s=THRESHOLD_S,
            target_sl=TARGET_SL,
        )

    result = once()  # warm-up (imports, caches)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        result = once()
        best = min(best, time.perf_counter() - start)
    return best, result


def pyworkforce_run(calls: np.ndarray, aht: np.ndarray, repeats: int) -> tuple[float, np.ndarray] | None:
    """pyworkforce's best time and answers, or None when its virtualenv is absent."""
    python = peer_python("pyworkforce")
    if python is None:
        return None
    payload = {
        "calls": calls.tolist(),
        "aht_s": aht.tolist(),
        "interval_s": INTERVAL_S,
        "threshold_s": THRESHOLD_S,
        "target_sl": TARGET_SL,
        "repeats": repeats,
    }
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "intervals.json"
        data.write_text(json.dumps(payload))
        done = subprocess.run(
            [str(python), "-c", PYWORKFORCE_SCRIPT, str(data)],
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(done.stdout)
    return float(result["seconds"]), np.asarray(result["agents"], dtype=np.int64)


def service_level(n: int, calls: float, aht: float) -> float:
    return erlang_c(
        agents=n, calls=calls, interval_s=INTERVAL_S, aht_s=aht, threshold_s=THRESHOLD_S
    ).service_level


def is_exact(n: int, calls: float, aht: float) -> bool:
    """True when n is the fewest agents meeting the target: SL(n) >= 0.8 > SL(n - 1)."""
    return service_level(n, calls, aht) >= TARGET_SL > service_level(n - 1, calls, aht)


def exact_agents(calls: float, aht: float) -> int:
    n = int(np.floor(calls * aht / INTERVAL_S)) + 1
    while service_level(n, calls, aht) < TARGET_SL:
        n += 1
    return n


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="200 intervals, best of 2: a smoke run")
    args = parser.parse_args()
    count, repeats = (200, 2) if args.quick else (INTERVALS, REPEATS)
    print(run_header("bench_erlang"), flush=True)
    calls, aht = intervals(count)
    ours_s, ours = frontline_run(calls, aht, repeats)
    peer = pyworkforce_run(calls, aht, repeats)
    ours_wrong = sum(not is_exact(int(n), c, h) for n, c, h in zip(ours, calls, aht, strict=True))
    title = (f"Erlang C required agents, {count:,} intervals (0.3-500 Erlangs), 80% in 20 s, seed {SEED}, "
             f"best of {repeats} after a warm-up pass")
    headers = ["implementation", "intervals", "seconds", "speed-up", "differ from the other", "not the exact minimum"]
    if peer is None:
        print(peer_missing("pyworkforce"))
        print_table(title, headers, [
            ["frontline required_agents_many", count, ours_s, "-", "-", ours_wrong],
            ["pyworkforce 0.5.1 ErlangC", count, "not run: make bench-peers", "-", "-", "-"],
        ])
        return 0
    theirs_s, theirs = peer
    differ = np.flatnonzero(ours != theirs)
    theirs_wrong = sum(
        not is_exact(int(n), c, h) for n, c, h in zip(theirs, calls, aht, strict=True)
    )
    print_table(
        title,
        headers,
        [
            [
                "frontline required_agents_many",
                count,
                ours_s,
                f"{theirs_s / ours_s:,.0f}x",
                differ.size,
                ours_wrong,
            ],
            ["pyworkforce 0.5.1 ErlangC", count, theirs_s, "1x", differ.size, theirs_wrong],
        ],
    )
    if differ.size == 0:
        print(
            "No interval differs; every answer of both is the exact minimum (SL(N) >= 0.8 > SL(N - 1))."
        )
        return 0
    rows = []
    for i in differ[:5]:
        exact = exact_agents(float(calls[i]), float(aht[i]))
        rows.append(
            [
                int(i),
                f"{calls[i] * aht[i] / INTERVAL_S:.3f}",
                f"{aht[i]:.1f}",
                exact,
                int(ours[i]),
                int(theirs[i]),
                f"{service_level(int(theirs[i]), calls[i], aht[i]):.6f}",
            ]
        )
    print_table(
        f"{differ.size} intervals where the two disagree (first 5; exact = fewest N with SL(N) >= 0.8)",
        [
            "interval",
            "load (Erl)",
            "AHT (s)",
            "exact N",
            "frontline N",
            "pyworkforce N",
            "SL(pyworkforce N)",
        ],
        rows,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
