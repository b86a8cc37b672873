"""Krippendorff's alpha on 50 reviewers x 10,000 items with 20% missing: ours vs ``krippendorff``.

    python -m bench.bench_alpha            (from the repository root; --quick for a smoke run)

The ratings imitate a QA rubric's 1-5 scale: each item has a true score (uniform 1-5), each
reviewer a bias (normal, sd 0.4) and noise (normal, sd 0.7); the sum is rounded and clipped to
1-5, then 20% of the cells (uniformly) are missing.  At each level of measurement,
``frontline.engine.agreement.alpha_matrix`` and the ``krippendorff`` package's ``alpha`` (0.9.0,
a dev dependency, the reference implementation of the fast vectorised algorithm) run on the same
matrix in the same process, alternately, one warm-up each then the best of 7; the table gives
both times, the speed-up and the largest difference between the two alphas.  A second table
takes review totals in whole percent (0-100, so about 90 distinct values: off the small-scale
path) on 50 x 2,000 items, best of 3.  Without the package the tables say so and only our rows
run.  ``--quick``: 10 reviewers x 500 items, and 10 x 200.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bench._peers import print_table, run_header
from frontline.engine.agreement import Level, alpha_matrix

SEED = 20261206
REPEATS = 7

try:
    import krippendorff as peer
except ImportError:  # a dev dependency; the bench says so rather than failing
    peer = None


def ratings(reviewers: int, items: int, missing: float = 0.2) -> NDArray[np.float64]:
    """A reviewers x items matrix of 1-5 scores with NaN for the missing share."""
    rng = np.random.default_rng(SEED)
    truth = rng.uniform(1, 5, size=items)
    bias = rng.normal(0, 0.4, size=(reviewers, 1))
    noise = rng.normal(0, 0.7, size=(reviewers, items))
    scores = np.clip(np.rint(truth[None, :] + bias + noise), 1, 5)
    scores[rng.random(scores.shape) < missing] = np.nan
    return scores


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = run()
    return time.perf_counter() - start, value


def compare(matrix: NDArray[np.float64], level: Level, repeats: int) -> dict[str, Any]:
    """Best-of-``repeats`` times (seconds) and values of both implementations, interleaved."""
    ours_run = lambda: alpha_matrix(matrix, level).alpha  # noqa: E731
    peer_run = (
        (lambda: float(peer.alpha(reliability_data=matrix, level_of_measurement=level.value)))
        if peer is not None
        else None
    )
    ours_best, theirs_best = float("inf"), float("inf")
    ours_value, theirs_value = ours_run(), peer_run() if peer_run else None
    for _ in range(repeats):
        seconds, ours_value = timed(ours_run)
        ours_best = min(ours_best, seconds)
        if peer_run is not None:
            seconds, theirs_value = timed(peer_run)
            theirs_best = min(theirs_best, seconds)
    return {
        "ours": ours_best,
        "ours_value": ours_value,
        "peer": theirs_best if peer_run else None,
        "peer_value": theirs_value,
    }


def totals(reviewers: int, items: int, missing: float = 0.2) -> NDArray[np.float64]:
    """A reviewers x items matrix of whole-percent review totals (0-100), NaN for the missing."""
    rng = np.random.default_rng(SEED + 1)
    truth = rng.uniform(40, 100, size=items)
    noise = rng.normal(0, 8, size=(reviewers, items))
    scores = np.clip(np.rint(truth[None, :] + noise), 0, 100)
    scores[rng.random(scores.shape) < missing] = np.nan
    return scores


def table(title: str, matrix: NDArray[np.float64], repeats: int) -> tuple[float, bool]:
    """Print one comparison table; the largest difference and whether ours was never slower."""
    peer_name = f"krippendorff {version('krippendorff')}" if peer is not None else "krippendorff"
    rows: list[list[object]] = []
    worst = 0.0
    faster_everywhere = peer is not None
    for level in Level:
        result = compare(matrix, level, repeats)
        ours_ms = result["ours"] * 1e3
        rows.append(
            [
                "frontline alpha_matrix",
                level.value,
                f"{ours_ms:.2f}",
                "-",
                f"{result['ours_value']:.9f}",
                "-",
            ]
        )
        if result["peer"] is None:
            rows.append([peer_name, level.value, "not run", "-", "-", "-"])
            continue
        peer_ms = result["peer"] * 1e3
        difference = abs(result["ours_value"] - result["peer_value"])
        worst = max(worst, difference)
        faster_everywhere = faster_everywhere and ours_ms <= peer_ms
        rows[-1][3] = f"{peer_ms / ours_ms:.2f}x"
        rows.append(
            [
                peer_name,
                level.value,
                f"{peer_ms:.2f}",
                "1.00x",
                f"{result['peer_value']:.9f}",
                f"{difference:.1e}",
            ]
        )
    print_table(
        f"{title}, seed {SEED}, best of {repeats}",
        ["implementation", "level", "ms", "speed-up", "alpha", "abs difference"],
        rows,
    )
    return worst, faster_everywhere


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10 x 500 and 10 x 200 items")
    args = parser.parse_args(argv)
    print(run_header("bench_alpha"), flush=True)
    if peer is None:
        print(
            "The krippendorff package is not installed (a dev dependency: "
            "pip install -r requirements/dev.txt); its rows are marked 'not run'."
        )
    reviewers, items = (10, 500) if args.quick else (50, 10_000)
    worst, faster = table(
        f"Krippendorff's alpha, {reviewers} reviewers x {items:,} items, 1-5 scores, 20% missing",
        ratings(reviewers, items),
        2 if args.quick else REPEATS,
    )
    reviewers, items = (10, 200) if args.quick else (50, 2_000)
    worst_totals, _ = table(
        f"Off the small-scale path: {reviewers} reviewers x {items:,} items, whole-percent totals "
        "0-100, 20% missing",
        totals(reviewers, items),
        1 if args.quick else 3,
    )
    if peer is None:
        return 0
    worst = max(worst, worst_totals)
    identical = worst <= 1e-9
    print(
        f"Max abs difference between the two alphas: {worst:.1e} "
        + ("(identical to 1e-9)." if identical else "(DIFFERENT: more than 1e-9).")
    )
    print(
        "Target (at least as fast as the krippendorff package at every level, 1-5 scores): "
        + ("met." if faster else "NOT met in this run (see the ms column).")
    )
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
