"""Warm starts for the shift-choice models: quick heuristics whose plans are hinted to CP-SAT."""

from __future__ import annotations

import heapq
import time
from collections.abc import Sequence

import numpy as np

from ._common import ShiftPattern, WeekGrid, pattern_cost


def marginal_levels(
    table: np.ndarray, weight: np.ndarray, floor_level: np.ndarray, active: list[int], target: float
) -> np.ndarray:
    """Start every interval at its floor level, then add one agent at a time where it raises the
    call-weighted service level most until the week target is met. Optimal for the shift-free
    problem when the curves are concave above the floor (Erlang C is)."""
    kmax = table.shape[1] - 1
    level = np.zeros(table.shape[0], dtype=np.int64)
    level[active] = np.minimum(floor_level[active], kmax)
    total = float(weight.sum())
    got = float(sum(weight[i] * table[i, level[i]] for i in active))
    heap = [
        (-weight[i] * (table[i, level[i] + 1] - table[i, level[i]]), i)
        for i in active
        if level[i] < kmax
    ]
    heapq.heapify(heap)
    while heap and got < target * total:
        gain, i = heapq.heappop(heap)
        level[i] += 1
        got -= gain
        if level[i] < kmax:
            heapq.heappush(heap, (-weight[i] * (table[i, level[i] + 1] - table[i, level[i]]), i))
    return level


def local_search(
    grid: WeekGrid,
    patterns: Sequence[ShiftPattern],
    counts: list[int],
    itab: np.ndarray,
    floor_level: np.ndarray,
    *,
    need: int,
    caps: list[int] | None,
    upper: list[int],
    deadline: float,
    max_rounds: int | None = None,
) -> list[int]:
    """Cheapen a plan without losing floor coverage or week credit: drop shifts; swap a shift for
    a cheaper one, or for one as cheap that earns more credit (making room for the next drop);
    repeat while anything improves, the time lasts and (if given) for at most ``max_rounds`` rounds
    (a deadline that is reached makes the result depend on the machine's speed). ``itab[i, k]`` is interval i's integer credit
    with k agents (the CP-SAT model's own numbers), so the result is a valid hint."""
    kmax = itab.shape[1] - 1
    work = [np.array(p.work, dtype=np.int64) for p in patterns]
    cost = np.array([pattern_cost(p, grid) for p in patterns])
    day = np.array([p.day for p in patterns])
    c = np.array(counts, dtype=np.int64)
    staffed = np.zeros(grid.intervals, dtype=np.int64)
    for k in np.flatnonzero(c):
        staffed[work[k]] += c[k]
    keep = np.minimum(floor_level, staffed)  # never lose floor coverage the plan has
    credit = int(itab[np.arange(grid.intervals), np.minimum(staffed, kmax)].sum())
    need = min(need, credit)

    def delta(idx: np.ndarray, step: np.ndarray) -> int | None:
        new = staffed[idx] + step
        if np.any(new < keep[idx]):
            return None
        return int(
            (itab[idx, np.minimum(new, kmax)] - itab[idx, np.minimum(staffed[idx], kmax)]).sum()
        )

    by_cost = np.argsort(-cost, kind="stable")
    improved = True
    rounds = 0
    while improved and time.perf_counter() < deadline:
        if max_rounds is not None and rounds >= max_rounds:
            break
        rounds += 1
        improved = False
        for k in by_cost:
            while c[k] > 0:
                d = delta(work[k], np.full(len(work[k]), -1))
                if d is None or credit + d < need:
                    break
                c[k] -= 1
                staffed[work[k]] -= 1
                credit += d
                improved = True
        for k in by_cost:
            if time.perf_counter() >= deadline:
                break
            if c[k] == 0:
                continue
            for q in np.flatnonzero(cost <= cost[k]):
                if q == k or (caps is not None and day[q] != day[k]) or c[q] >= upper[q]:
                    continue
                idx = np.concatenate([work[k], work[q]])
                step = np.concatenate(
                    [np.full(len(work[k]), -1), np.ones(len(work[q]), dtype=np.int64)]
                )
                uniq, inv = np.unique(idx, return_inverse=True)
                net = np.bincount(inv, weights=step).astype(np.int64)
                d = delta(uniq, net)
                # cheaper and still feasible, or as cheap and strictly more credit (room to drop)
                if d is None or credit + d < need or (cost[q] == cost[k] and d <= 0):
                    continue
                c[k] -= 1
                c[q] += 1
                staffed[uniq] += net
                credit += d
                improved = True
                break
    return [int(v) for v in c]


def greedy_cover(
    grid: WeekGrid, patterns: Sequence[ShiftPattern], flat: np.ndarray, caps: list[int] | None
) -> list[int]:
    """Walk the intervals in time order; fill each one's deficit with the pattern covering most
    still-short intervals per unit of cost. A quick, decent starting point for CP-SAT."""
    cover = np.zeros((len(patterns), grid.intervals), dtype=bool)
    for k, p in enumerate(patterns):
        cover[k, list(p.work)] = True
    cost = np.array([pattern_cost(p, grid) for p in patterns], dtype=float) + 1e-9
    day = np.array([p.day for p in patterns], dtype=np.int64)
    left = np.array(
        caps if caps is not None else [np.iinfo(np.int64).max] * grid.days, dtype=np.int64
    )
    counts = np.zeros(len(patterns), dtype=np.int64)
    staffed = np.zeros(grid.intervals, dtype=np.int64)
    for i in range(grid.intervals):
        while staffed[i] < flat[i]:
            cand = np.flatnonzero(cover[:, i] & (left[day] > 0))
            if cand.size == 0:
                break
            score = (cover[cand] & (staffed < flat)).sum(axis=1) / cost[cand]
            k = int(cand[np.argmax(score)])
            short = (flat - staffed)[cover[k]]
            # as many copies as every still-short interval of the pattern needs, at least one
            m = int(min(flat[i] - staffed[i], max(1, short[short > 0].min()), left[day[k]]))
            counts[k] += m
            left[day[k]] -= m
            staffed[cover[k]] += m
    return [int(c) for c in counts]
