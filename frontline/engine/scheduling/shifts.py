"""Shift choice: how many agents start each concrete shift (template x day x start x breaks).

Two models share the same variables, ``n[p]`` = number of agents working pattern ``p``:

* :func:`shift_plan_cover` — cover every interval (staffed >= required) at minimum cost (paid
  hours), the model of pyworkforce's ``MinRequiredResources``.
* :func:`shift_plan_service_level` — meet a call-weighted week service-level target and a
  per-interval floor at minimum cost, then deliver as much service level as that cost allows.

Both are lexicographic (see ``SolveReport.stages``) and never fail on an impossible request:
coverage has slack variables, and whatever cannot be met is reported as ``Shortfall`` rows.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from ._common import (
    ShiftPattern,
    ShiftTemplate,
    Shortfall,
    SolveReport,
    WeekGrid,
    _Stage,
    check_grid_array,
    expand_patterns,
    frozen,
    pattern_cost,
    solve_lexicographic,
)
from ._service import ServiceLevelSummary, _service_summary
from ._warm import greedy_cover, local_search, marginal_levels

SL_SCALE = 10_000  # service level in basis points inside CP-SAT
CALL_SCALE = 10_000  # the busiest interval's calls are scaled to this integer weight
WARM_ROUNDS = 20  # local-search rounds of the warm start when solving by deterministic time


@dataclass(frozen=True)
class ShiftCount:
    """``count`` agents work ``pattern``."""

    pattern: ShiftPattern
    count: int


@dataclass(frozen=True, eq=False)  # holds arrays: identity equality
class ShiftPlan:
    """Result of a shift choice: counts per pattern, staffing per interval, shortfalls, solve report.

    ``required`` is what each interval was asked to have: the requirement for the cover model, the
    agents needed to reach the floor for the service-level model. ``shortfalls`` lists every
    interval where ``staffed < required``.
    """

    shifts: tuple[ShiftCount, ...]
    staffed: np.ndarray
    required: np.ndarray
    paid_hours: float
    cost: float
    shortfalls: tuple[Shortfall, ...]
    solve: SolveReport
    service_level: ServiceLevelSummary | None = None

    @property
    def agent_shifts(self) -> int:
        return sum(s.count for s in self.shifts)


def shift_plan_cover(
    *,
    grid: WeekGrid,
    required: np.ndarray | Sequence[Sequence[int]],
    templates: Sequence[ShiftTemplate],
    open_mask: np.ndarray | None = None,
    max_shifts_per_day: int | Sequence[int] | None = None,
    time_limit_seconds: float = 10.0,
    num_workers: int = 8,
    deterministic_time: float | None = None,
) -> ShiftPlan:
    """Choose shift counts so that every interval is covered, at minimum cost.

    Assumptions: agents are interchangeable; an agent covers every interval of its shift except
    its breaks; cost is paid hours (times each template's ``cost_per_paid_hour``); breaks are
    placed by choosing among the start offsets their window allows. When ``max_shifts_per_day``
    (agents available per day) makes full cover impossible, the plan minimises the total
    shortfall first (agent-intervals), then cost, and lists the intervals short.

    ``deterministic_time`` (optional): the budget in CP-SAT's deterministic time instead, with
    ``time_limit_seconds`` only a wall-clock safety limit — the same input then gives the same
    plan whatever the machine's load (as long as the safety limit is not reached).

    >>> import numpy as np
    >>> g = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    >>> req = np.zeros((1, 24), dtype=int); req[0, 8:16] = [1, 1, 2, 2, 2, 2, 1, 1]
    >>> t = ShiftTemplate(name="4h", length_minutes=240, earliest_start_minute=480,
    ...     latest_start_minute=720, start_step_minutes=60)
    >>> plan = shift_plan_cover(grid=g, required=req, templates=[t], time_limit_seconds=5)
    >>> plan.paid_hours, plan.shortfalls, plan.solve.status
    (12.0, (), 'OPTIMAL')
    """
    req = check_grid_array("required", required, grid, integer=True)
    _check_common(time_limit_seconds, num_workers, deterministic_time)
    patterns = expand_patterns(grid=grid, templates=templates, open_mask=open_mask)
    caps = _day_caps(max_shifts_per_day, grid)
    counts, report = _cover_counts(
        grid, patterns, req.reshape(-1), caps, time_limit_seconds, num_workers, deterministic_time
    )
    return _plan(grid, patterns, counts, req, report, None)


def shift_plan_service_level(
    *,
    grid: WeekGrid,
    calls: np.ndarray | Sequence[Sequence[float]],
    service_level: np.ndarray,
    templates: Sequence[ShiftTemplate],
    target: float = 0.8,
    floor: float = 0.6,
    open_mask: np.ndarray | None = None,
    max_shifts_per_day: int | Sequence[int] | None = None,
    time_limit_seconds: float = 10.0,
    num_workers: int = 8,
    deterministic_time: float | None = None,
) -> ShiftPlan:
    """Choose shift counts to meet a week service-level target and a per-interval floor cheaply.

    ``service_level[d, s, k]`` is the caller's service level (0..1, non-decreasing in ``k``) in
    interval ``(d, s)`` with ``k`` agents staffed, for ``k = 0..K``; beyond ``K`` it stays at the
    last value. ``calls[d, s]`` weights the week service level (an interval with no calls has no
    service-level constraint). The table is typically Erlang C at the service-level threshold;
    the engine does not care how it was made.

    Lexicographic objectives, in order (each fixed at its best value before the next):

    1. ``floor``: agents short of each interval's floor level (the fewest agents giving
       ``service_level >= floor``), summed — soft, so an unreachable floor is reported, not fatal;
    2. ``target``: shortfall of the call-weighted week service level below ``target`` — soft;
    3. ``cost``: paid hours (weighted by ``cost_per_paid_hour``) — the main stage reported;
    4. ``service``: call-weighted week service level, maximised at that cost.

    ``time_limit_seconds`` and ``deterministic_time`` as for :func:`shift_plan_cover` (the warm
    start's local search then stops after a fixed number of rounds, not at a clock time).

    Service level is piecewise linear in agents: each interval picks one level from a one-hot over
    the staffing levels where its table rises, and must be staffed at least at that level.

    >>> import numpy as np
    >>> g = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    >>> calls = np.zeros((1, 24)); calls[0, 8:12] = [10, 30, 30, 10]
    >>> sl = np.zeros((1, 24, 4)); sl[0, :, :] = [0.0, 0.5, 0.9, 1.0]
    >>> t = ShiftTemplate(name="2h", length_minutes=120, earliest_start_minute=480,
    ...     latest_start_minute=600, start_step_minutes=60)
    >>> plan = shift_plan_service_level(grid=g, calls=calls, service_level=sl, templates=[t],
    ...     target=0.7, floor=0.5, time_limit_seconds=5)
    >>> plan.staffed[0, 8:12].tolist(), round(plan.service_level.week, 2)
    ([1, 2, 2, 1], 0.8)
    """
    cl = check_grid_array("calls", calls, grid, integer=False)
    table = np.asarray(service_level, dtype=float)
    if table.ndim != 3 or table.shape[:2] != grid.shape or table.shape[2] < 2:
        raise ValueError(
            f"service_level must have shape {grid.shape} + (K + 1,), K >= 1; got {table.shape}"
        )
    if not np.all(np.isfinite(table)) or table.min() < 0 or table.max() > 1:
        raise ValueError("service_level values must lie in [0, 1]")
    if np.any(np.diff(table, axis=2) < -1e-12):
        raise ValueError("service_level must be non-decreasing in agents")
    if not 0 <= floor <= 1:
        raise ValueError(f"floor must be in [0, 1], got {floor}")
    if not 0 <= target <= 1:
        raise ValueError(f"target must be in [0, 1], got {target}")
    _check_common(time_limit_seconds, num_workers, deterministic_time)
    patterns = expand_patterns(grid=grid, templates=templates, open_mask=open_mask)
    caps = _day_caps(max_shifts_per_day, grid)
    kmax = table.shape[2] - 1
    flat_calls = cl.reshape(-1)
    flat_table = table.reshape(grid.intervals, kmax + 1)
    active = [int(i) for i in np.flatnonzero(flat_calls > 0)]
    weight = np.zeros(grid.intervals, dtype=np.int64)
    if active:
        weight[active] = np.maximum(1, np.round(flat_calls[active] * CALL_SCALE / flat_calls.max()))
    floor_level = np.zeros(grid.intervals, dtype=np.int64)
    for i in active:
        hits = np.flatnonzero(flat_table[i] >= floor - 1e-12)
        floor_level[i] = hits[0] if hits.size else kmax + 1  # kmax + 1: unreachable
    top = np.zeros(grid.intervals, dtype=np.int64)
    model = cp_model.CpModel()
    credit_terms = []
    level_of: dict[int, list[tuple[int, int]]] = {}
    for i in active:
        bp = np.round(flat_table[i] * SL_SCALE).astype(np.int64)
        levels = [0] + [k for k in range(1, kmax + 1) if bp[k] > bp[k - 1]]
        level_of[i] = [(k, int(bp[k])) for k in levels]
        top[i] = max(levels[-1], min(floor_level[i], kmax))
    covers = _covers(patterns, grid)
    upper = [max((int(top[i]) for i in p.work), default=0) for p in patterns]
    n = [model.new_int_var(0, ub, f"n{k}") for k, ub in enumerate(upper)]
    staffed = {i: sum(n[k] for k in covers[i]) for i in active}
    floor_short: dict[int, cp_model.IntVar] = {}
    steps: dict[int, list[cp_model.IntVar]] = {}
    for i in active:
        if floor_level[i] > 0:
            s = model.new_int_var(0, int(floor_level[i]), f"f{i}")
            model.add(staffed[i] + s >= int(floor_level[i]))
            floor_short[i] = s
        # Staircase: y[j] = "staffed reaches level k_j"; y[j] >= y[j + 1]; credit adds each rise.
        lv = level_of[i]
        y = [model.new_bool_var(f"y{i}_{k}") for k, _ in lv[1:]]
        steps[i] = y
        for y0, y1 in itertools.pairwise(y):
            model.add_implication(y1, y0)
        rises = [lv[j][0] - lv[j - 1][0] for j in range(1, len(lv))]
        model.add(staffed[i] >= cp_model.LinearExpr.weighted_sum(y, rises))
        if i in floor_short:
            # Levels up to the floor are reached unless the floor is missed: keeps the LP
            # relaxation on the concave part of the curve (Erlang C is convex below ~50%).
            for (k, _), yv in zip(lv[1:], y, strict=True):
                if k <= floor_level[i]:
                    model.add(yv + floor_short[i] >= 1)
        gains = [int(weight[i]) * (lv[j][1] - lv[j - 1][1]) for j in range(1, len(lv))]
        credit_terms.append(cp_model.LinearExpr.weighted_sum(y, gains) + int(weight[i]) * lv[0][1])
    credit = sum(credit_terms)
    total_w = int(weight.sum())
    need = math.ceil(target * SL_SCALE * total_w - 1e-9)
    gap_var = model.new_int_var(0, max(need, 0), "week_gap")
    model.add(credit + gap_var >= need)
    _add_day_caps(model, n, patterns, caps)
    # Warm start: the cheapest staffing per interval that meets floors and the week target when
    # shifts are ignored (greedy on marginal service level), covered by a quick cover solve.
    target_level = marginal_levels(flat_table, weight, floor_level, active, target)
    warm_limit = 0.15 * time_limit_seconds
    time_limit_seconds -= warm_limit
    warm_det = None if deterministic_time is None else 0.15 * deterministic_time
    if deterministic_time is not None:
        deterministic_time -= 0.15 * deterministic_time
    t_warm = time.perf_counter()
    hint, _ = _cover_counts(
        grid,
        patterns,
        target_level,
        caps,
        0.7 * warm_limit,
        num_workers,
        None if warm_det is None else 0.7 * warm_det,
    )
    itab = np.zeros((grid.intervals, kmax + 1), dtype=np.int64)
    for i in active:
        itab[i] = int(weight[i]) * np.round(flat_table[i] * SL_SCALE).astype(np.int64)
    hint = local_search(
        grid,
        patterns,
        hint,
        itab,
        floor_level,
        need=math.ceil(target * SL_SCALE * int(weight.sum()) - 1e-9),
        caps=caps,
        upper=upper,
        # With deterministic time the rounds bound the search; the clock is only the whole solve's
        # safety limit (a warm-start deadline hit on a busy machine would change the plan).
        deadline=t_warm + (warm_limit if deterministic_time is None else warm_limit + time_limit_seconds),
        max_rounds=None if deterministic_time is None else WARM_ROUNDS,
    )
    hinted = np.zeros(grid.intervals, dtype=np.int64)
    for k, (p, c) in enumerate(zip(patterns, hint, strict=True)):
        model.add_hint(n[k], c)
        hinted[list(p.work)] += c
    got = 0
    for i in active:
        got += int(weight[i]) * level_of[i][0][1]
        for (k, _), yv in zip(level_of[i][1:], steps[i], strict=True):
            model.add_hint(yv, k <= hinted[i])
        reached = [v for k, v in level_of[i] if k <= hinted[i]]
        got += int(weight[i]) * (reached[-1] - level_of[i][0][1])
        if i in floor_short:
            model.add_hint(floor_short[i], max(0, int(floor_level[i] - hinted[i])))
    model.add_hint(gap_var, max(0, need - got))
    scale_sl = float(SL_SCALE * max(total_w, 1))
    stages = [
        _Stage("floor", sum(floor_short.values()), maximize=False, scale=1.0, share=1.0),
        _Stage("target", gap_var, maximize=False, scale=scale_sl, share=1.0),
        _Stage(
            "cost",
            _cost_expr(n, patterns, grid),
            maximize=False,
            scale=_cost_scale(grid),
            share=4.0,
        ),
        _Stage("service", credit, maximize=True, scale=scale_sl, share=1.0),
    ]
    solver, report = solve_lexicographic(
        model,
        stages,
        time_limit_seconds=time_limit_seconds,
        num_workers=num_workers,
        main_stage="cost",
        deterministic_time=deterministic_time,
    )
    counts = [solver.value(v) if solver else 0 for v in n]
    floor_req = np.where(np.isin(np.arange(grid.intervals), active), floor_level, 0).reshape(
        grid.shape
    )
    plan = _plan(grid, patterns, counts, floor_req, report, None)
    summary = _service_summary(plan.staffed, cl, table, target=target, floor=floor)
    return ShiftPlan(
        shifts=plan.shifts,
        staffed=plan.staffed,
        required=plan.required,
        paid_hours=plan.paid_hours,
        cost=plan.cost,
        shortfalls=plan.shortfalls,
        solve=plan.solve,
        service_level=summary,
    )


def _cover_counts(
    grid: WeekGrid,
    patterns: Sequence[ShiftPattern],
    flat: np.ndarray,
    caps: list[int] | None,
    time_limit_seconds: float,
    num_workers: int,
    deterministic_time: float | None = None,
) -> tuple[list[int], SolveReport]:
    """Cover model: minimise total shortfall (only when day caps can bind), then cost.

    Without caps, every interval some pattern reaches can be covered, so coverage is hard there and
    unreachable intervals are left out (they show up as shortfalls). A greedy cover is the hint.
    """
    model = cp_model.CpModel()
    covers = _covers(patterns, grid)
    n = [
        model.new_int_var(0, max((int(flat[i]) for i in p.work), default=0), f"n{k}")
        for k, p in enumerate(patterns)
    ]
    greedy = greedy_cover(grid, patterns, flat, caps)
    staffed = np.zeros(grid.intervals, dtype=np.int64)
    for k, (p, c) in enumerate(zip(patterns, greedy, strict=True)):
        model.add_hint(n[k], c)
        staffed[list(p.work)] += c
    short = []
    for i in (int(j) for j in np.flatnonzero(flat)):
        if not covers[i]:
            continue
        if caps is None:
            model.add(sum(n[k] for k in covers[i]) >= int(flat[i]))
            continue
        s = model.new_int_var(0, int(flat[i]), f"s{i}")
        model.add(sum(n[k] for k in covers[i]) + s >= int(flat[i]))
        model.add_hint(s, max(0, int(flat[i] - staffed[i])))
        short.append(s)
    _add_day_caps(model, n, patterns, caps)
    cost = _Stage(
        "cost", _cost_expr(n, patterns, grid), maximize=False, scale=_cost_scale(grid), share=3.0
    )
    stages = [cost] if caps is None else [_Stage("shortfall", sum(short), False, 1.0, 1.0), cost]
    solver, report = solve_lexicographic(
        model,
        stages,
        time_limit_seconds=time_limit_seconds,
        num_workers=num_workers,
        main_stage="cost",
        deterministic_time=deterministic_time,
    )
    return [solver.value(v) if solver else 0 for v in n], report


def _check_common(
    time_limit_seconds: float, num_workers: int, deterministic_time: float | None = None
) -> None:
    if not (time_limit_seconds > 0 and math.isfinite(time_limit_seconds)):
        raise ValueError(f"time_limit_seconds must be positive, got {time_limit_seconds}")
    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    if deterministic_time is not None and not (
        deterministic_time > 0 and math.isfinite(deterministic_time)
    ):
        raise ValueError(f"deterministic_time must be positive, got {deterministic_time}")


def _day_caps(value: int | Sequence[int] | None, grid: WeekGrid) -> list[int] | None:
    if value is None:
        return None
    caps = (
        [int(value)] * grid.days if isinstance(value, int | np.integer) else [int(v) for v in value]
    )
    if len(caps) != grid.days or any(c < 0 for c in caps):
        raise ValueError(f"max_shifts_per_day must be one non-negative int or {grid.days} of them")
    return caps


def _add_day_caps(
    model: cp_model.CpModel,
    n: list[cp_model.IntVar],
    patterns: Sequence[ShiftPattern],
    caps: list[int] | None,
) -> None:
    if caps is None:
        return
    for d, cap in enumerate(caps):
        model.add(sum(v for v, p in zip(n, patterns, strict=True) if p.day == d) <= cap)


def _covers(patterns: Sequence[ShiftPattern], grid: WeekGrid) -> list[list[int]]:
    covers: list[list[int]] = [[] for _ in range(grid.intervals)]
    for k, p in enumerate(patterns):
        for i in p.work:
            covers[i].append(k)
    return covers


def _cost_expr(
    n: list[cp_model.IntVar], patterns: Sequence[ShiftPattern], grid: WeekGrid
) -> cp_model.LinearExprT:
    return sum(pattern_cost(p, grid) * v for v, p in zip(n, patterns, strict=True))


def _cost_scale(grid: WeekGrid) -> float:
    """CP-SAT cost units per cost unit (paid hour at cost 1.0)."""
    return 100.0 * 60.0 / grid.slot_minutes


def _plan(
    grid: WeekGrid,
    patterns: Sequence[ShiftPattern],
    counts: Sequence[int],
    required: np.ndarray,
    report: SolveReport,
    summary: ServiceLevelSummary | None,
) -> ShiftPlan:
    staffed = np.zeros(grid.intervals, dtype=np.int64)
    for p, c in zip(patterns, counts, strict=True):
        for i in p.work:
            staffed[i] += c
    staffed = staffed.reshape(grid.shape)
    req = np.asarray(required, dtype=np.int64)
    short = [
        Shortfall(
            day=int(d),
            slot=int(s),
            required=int(req[d, s]),
            staffed=int(staffed[d, s]),
            short=int(req[d, s] - staffed[d, s]),
        )
        for d, s in zip(*np.nonzero(staffed < req), strict=True)
    ]
    return ShiftPlan(
        shifts=tuple(ShiftCount(p, int(c)) for p, c in zip(patterns, counts, strict=True) if c > 0),
        staffed=frozen(staffed),
        required=frozen(req),
        paid_hours=sum(p.paid_hours * c for p, c in zip(patterns, counts, strict=True)),
        cost=sum(
            p.paid_hours * p.cost_per_paid_hour * c for p, c in zip(patterns, counts, strict=True)
        ),
        shortfalls=tuple(short),
        solve=report,
        service_level=summary,
    )
