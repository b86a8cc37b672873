"""Shared types for shift scheduling: the week grid, shift templates, patterns, solve reports.

Time is a grid of ``days`` x ``slots_per_day`` intervals (``slot_minutes`` long, starting at
midnight). An *absolute* interval index is ``day * slots_per_day + slot``. A shift that runs past
midnight covers the first slots of the next day; past the last day it wraps to day 0 when the grid
is ``cyclic`` (a repeating week) and is cut off otherwise.
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class WeekGrid:
    """The planning horizon: ``days`` days of ``1440 / slot_minutes`` intervals each."""

    days: int
    slot_minutes: int = 30
    cyclic: bool = True

    def __post_init__(self) -> None:
        if self.days < 1:
            raise ValueError(f"days must be >= 1, got {self.days}")
        if self.slot_minutes < 1 or MINUTES_PER_DAY % self.slot_minutes:
            raise ValueError(f"slot_minutes must divide 1440, got {self.slot_minutes}")

    @property
    def slots_per_day(self) -> int:
        return MINUTES_PER_DAY // self.slot_minutes

    @property
    def intervals(self) -> int:
        return self.days * self.slots_per_day

    @property
    def shape(self) -> tuple[int, int]:
        return (self.days, self.slots_per_day)


@dataclass(frozen=True)
class Break:
    """A break inside a shift, placed by the solver anywhere in its window.

    Offsets are minutes after the shift starts: the break may start at any multiple of the slot
    length between ``earliest_offset_minutes`` and ``latest_offset_minutes``. The agent is not
    working during the break (a hole in coverage); ``paid`` says whether it counts as paid time.
    """

    length_minutes: int
    earliest_offset_minutes: int
    latest_offset_minutes: int
    paid: bool = False


@dataclass(frozen=True)
class ShiftTemplate:
    """A kind of shift: its length, allowed start times and breaks.

    Starts run from ``earliest_start_minute`` to ``latest_start_minute`` (minutes after
    midnight) every ``start_step_minutes``, on the ``days`` listed (every day when ``None``).
    ``cost_per_paid_hour`` weights the cost objective (1.0: cost = paid hours).
    """

    name: str
    length_minutes: int
    earliest_start_minute: int
    latest_start_minute: int
    start_step_minutes: int
    breaks: tuple[Break, ...] = ()
    days: tuple[int, ...] | None = None
    cost_per_paid_hour: float = 1.0


@dataclass(frozen=True)
class ShiftPattern:
    """One concrete shift: a template started on ``day`` at ``start_minute`` with its breaks placed.

    ``work`` lists the absolute interval indices the agent is working (breaks excluded).
    """

    template: str
    day: int
    start_minute: int
    length_minutes: int
    break_offsets_minutes: tuple[int, ...]
    paid_minutes: int
    work: tuple[int, ...]
    cost_per_paid_hour: float = 1.0

    @property
    def start_abs_minute(self) -> int:
        return self.day * MINUTES_PER_DAY + self.start_minute

    @property
    def end_abs_minute(self) -> int:
        return self.start_abs_minute + self.length_minutes

    @property
    def paid_hours(self) -> float:
        return self.paid_minutes / 60.0


@dataclass(frozen=True)
class Shortfall:
    """An interval where staffing stays below what was asked, and by how many agents."""

    day: int
    slot: int
    required: int
    staffed: int
    short: int
    skill: str | None = None


@dataclass(frozen=True)
class StageReport:
    """One lexicographic stage of a solve, in the stage's own units."""

    name: str
    status: str
    objective: float
    best_bound: float
    gap: float
    wall_seconds: float


@dataclass(frozen=True)
class SolveReport:
    """Solver outcome: overall status, the main objective, its bound and gap, and every stage.

    ``status`` is ``OPTIMAL`` when every stage was proved optimal, ``FEASIBLE`` when a plan was
    found but some stage ran out of time, otherwise the CP-SAT status of the stage that failed.
    ``objective``/``best_bound``/``gap`` are those of the main stage named by ``main_stage``.
    """

    status: str
    objective: float
    best_bound: float
    gap: float
    wall_seconds: float
    main_stage: str
    stages: tuple[StageReport, ...]


def check_grid_array(name: str, value: object, grid: WeekGrid, *, integer: bool) -> np.ndarray:
    """Return ``value`` as a read-only float or int array of the grid's shape, or raise."""
    arr = np.asarray(value, dtype=float)
    if arr.shape != grid.shape:
        raise ValueError(
            f"{name} must have shape {grid.shape} (days, slots_per_day), got {arr.shape}"
        )
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError(f"{name} must be finite and non-negative")
    if integer:
        if np.any(arr != np.round(arr)):
            raise ValueError(f"{name} must hold whole numbers of agents")
        arr = arr.astype(np.int64)
    return frozen(arr)


def frozen(arr: np.ndarray) -> np.ndarray:
    out = np.array(arr, copy=True)
    out.setflags(write=False)
    return out


def expand_patterns(
    *,
    grid: WeekGrid,
    templates: Sequence[ShiftTemplate],
    open_mask: np.ndarray | None = None,
) -> tuple[ShiftPattern, ...]:
    """Every concrete shift the templates allow: day x start time x break placement.

    With ``open_mask`` (bool, days x slots) a pattern that would work a closed interval is left
    out; breaks may fall in closed intervals.

    >>> g = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    >>> t = ShiftTemplate(name="4h", length_minutes=240, earliest_start_minute=480,
    ...     latest_start_minute=540, start_step_minutes=60,
    ...     breaks=(Break(length_minutes=60, earliest_offset_minutes=60, latest_offset_minutes=120),))
    >>> [(p.start_minute, p.break_offsets_minutes, p.work) for p in expand_patterns(grid=g, templates=[t])]
    [(480, (60,), (8, 10, 11)), (480, (120,), (8, 9, 11)), (540, (60,), (9, 11, 12)), (540, (120,), (9, 10, 12))]
    """
    if not templates:
        raise ValueError("templates must not be empty")
    mask = None
    if open_mask is not None:
        mask = np.asarray(open_mask, dtype=bool)
        if mask.shape != grid.shape:
            raise ValueError(f"open_mask must have shape {grid.shape}, got {mask.shape}")
        mask = mask.reshape(-1)
    names = [t.name for t in templates]
    if len(set(names)) != len(names):
        raise ValueError("templates must have distinct names")
    sm = grid.slot_minutes
    out: list[ShiftPattern] = []
    for t in templates:
        _check_template(t, grid)
        variants = [
            range(b.earliest_offset_minutes, b.latest_offset_minutes + 1, sm) for b in t.breaks
        ]
        days = range(grid.days) if t.days is None else t.days
        for day in days:
            for start in range(
                t.earliest_start_minute, t.latest_start_minute + 1, t.start_step_minutes
            ):
                for offsets in itertools.product(*variants):
                    holes: set[int] = set()
                    clash = False
                    for b, off in zip(t.breaks, offsets, strict=True):
                        slots = set(range(off // sm, (off + b.length_minutes) // sm))
                        clash = clash or bool(holes & slots)
                        holes |= slots
                    if clash:
                        continue
                    first = (day * MINUTES_PER_DAY + start) // sm
                    work = []
                    for k in range(t.length_minutes // sm):
                        if k in holes:
                            continue
                        idx = first + k
                        if idx >= grid.intervals:
                            if not grid.cyclic:
                                continue
                            idx %= grid.intervals
                        work.append(idx)
                    if mask is not None and not all(mask[i] for i in work):
                        continue
                    unpaid = sum(b.length_minutes for b in t.breaks if not b.paid)
                    out.append(
                        ShiftPattern(
                            template=t.name,
                            day=day,
                            start_minute=start,
                            length_minutes=t.length_minutes,
                            break_offsets_minutes=tuple(offsets),
                            paid_minutes=t.length_minutes - unpaid,
                            work=tuple(work),
                            cost_per_paid_hour=t.cost_per_paid_hour,
                        )
                    )
    return tuple(out)


def _check_template(t: ShiftTemplate, grid: WeekGrid) -> None:
    sm = grid.slot_minutes
    n = f"templates[{t.name!r}]"
    if t.length_minutes <= 0 or t.length_minutes % sm:
        raise ValueError(f"{n}.length_minutes must be a positive multiple of {sm}")
    if t.length_minutes > MINUTES_PER_DAY:
        raise ValueError(f"{n}.length_minutes must be at most 1440")
    if t.start_step_minutes <= 0 or t.start_step_minutes % sm:
        raise ValueError(f"{n}.start_step_minutes must be a positive multiple of {sm}")
    if not (0 <= t.earliest_start_minute <= t.latest_start_minute < MINUTES_PER_DAY):
        raise ValueError(f"{n}: need 0 <= earliest_start_minute <= latest_start_minute < 1440")
    if t.earliest_start_minute % sm:
        raise ValueError(f"{n}.earliest_start_minute must be a multiple of {sm}")
    if t.cost_per_paid_hour < 0 or not math.isfinite(t.cost_per_paid_hour):
        raise ValueError(f"{n}.cost_per_paid_hour must be finite and >= 0")
    if t.days is not None and any(not 0 <= d < grid.days for d in t.days):
        raise ValueError(f"{n}.days must be in 0..{grid.days - 1}")
    for b in t.breaks:
        ok = (
            b.length_minutes > 0
            and b.length_minutes % sm == 0
            and b.earliest_offset_minutes % sm == 0
            and b.latest_offset_minutes % sm == 0
            and 0 < b.earliest_offset_minutes <= b.latest_offset_minutes
            and b.latest_offset_minutes + b.length_minutes < t.length_minutes
        )
        if not ok:
            raise ValueError(
                f"{n}.breaks: lengths and offsets must be multiples of {sm}, "
                "0 < earliest <= latest, and the break must end before the shift does"
            )


def pattern_cost(p: ShiftPattern, grid: WeekGrid) -> int:
    """Integer cost of a pattern for CP-SAT: paid slots x round(100 * cost_per_paid_hour)."""
    return (p.paid_minutes // grid.slot_minutes) * round(100 * p.cost_per_paid_hour)


@dataclass(frozen=True)
class _Stage:
    name: str
    expr: cp_model.LinearExprT
    maximize: bool
    scale: float  # divide CP-SAT objective values by this to get natural units
    share: float  # relative share of the time budget


def solve_lexicographic(
    model: cp_model.CpModel,
    stages: Sequence[_Stage],
    *,
    time_limit_seconds: float,
    num_workers: int,
    main_stage: str,
    deterministic_time: float | None = None,
) -> tuple[cp_model.CpSolver | None, SolveReport]:
    """Optimise ``stages`` in order; after each, fix its objective at the value found.

    Returns the solver holding the last solution (``None`` when no stage found one) and a report.
    The time budget is split by ``share`` over the stages still to run, so time a stage does not
    use passes to later ones.

    With ``deterministic_time`` the budget split is CP-SAT's deterministic time (work units, not
    seconds), so the same model gives the same solution on an idle or a loaded machine;
    ``time_limit_seconds`` is then only a wall-clock safety limit, and several workers run
    interleaved (CP-SAT is deterministic only so, or with one worker).
    """
    t0 = time.perf_counter()
    deadline = t0 + time_limit_seconds
    det_left = deterministic_time
    reports: list[StageReport] = []
    best: cp_model.CpSolver | None = None
    n_vars = len(model.Proto().variables)
    # The incumbent is the best known solution, hinted to every stage. A caller's hint starts it
    # when feasible; a stage's solution replaces it only when strictly better for that stage, so a
    # good warm start survives early stages that many solutions tie on.
    incumbent = (_hinted_solution(model, num_workers, deterministic=deterministic_time is not None)
                 if model.Proto().solution_hint.vars else None)
    for k, st in enumerate(stages):
        remaining = max(0.0, deadline - time.perf_counter())
        share = st.share / sum(s.share for s in stages[k:])
        if st.maximize:
            model.maximize(st.expr)
        else:
            model.minimize(st.expr)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = num_workers
        if det_left is None:
            solver.parameters.max_time_in_seconds = max(0.01, remaining * share)
        else:
            solver.parameters.max_time_in_seconds = max(0.01, remaining)
            solver.parameters.max_deterministic_time = max(0.01, det_left * share)
            solver.parameters.interleave_search = num_workers > 1
        s0 = time.perf_counter()
        status = solver.solve(model)
        if det_left is not None:
            det_left = max(0.0, det_left - solver.response_proto.deterministic_time)
        wall = time.perf_counter() - s0
        name = solver.status_name(status)
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        if not found and incumbent is None:
            reports.append(StageReport(st.name, name, math.nan, math.nan, math.nan, wall))
            break
        bound = solver.best_objective_bound if found or status == cp_model.UNKNOWN else math.nan
        chosen = solver if found else incumbent
        assert chosen is not None
        obj = float(chosen.value(st.expr))
        if found and incumbent is not None:
            inc = float(incumbent.value(st.expr))
            if (inc >= obj) if st.maximize else (inc <= obj):
                obj, chosen = inc, incumbent
        solver = chosen
        gap = abs(obj - bound) / max(1.0, abs(obj))
        reports.append(StageReport(st.name, name, obj / st.scale, bound / st.scale, gap, wall))
        best = incumbent = solver
        value = round(obj)
        if k + 1 < len(stages):
            model.add(st.expr >= value if st.maximize else st.expr <= value)
            model.clear_hints()  # type: ignore[no-untyped-call]
            for i in range(n_vars):
                var = model.get_int_var_from_proto_index(i)
                model.add_hint(var, solver.value(var))
    statuses = [r.status for r in reports]
    if best is None:
        overall = statuses[-1] if statuses else "UNKNOWN"
    elif len(reports) == len(stages) and all(s == "OPTIMAL" for s in statuses):
        overall = "OPTIMAL"
    else:
        overall = "FEASIBLE"
    main = next((r for r in reports if r.name == main_stage), None)
    report = SolveReport(
        status=overall,
        objective=main.objective if main else math.nan,
        best_bound=main.best_bound if main else math.nan,
        gap=main.gap if main else math.nan,
        wall_seconds=time.perf_counter() - t0,
        main_stage=main_stage,
        stages=tuple(reports),
    )
    return best, report


def _hinted_solution(model: cp_model.CpModel, num_workers: int, *, deterministic: bool = False) -> cp_model.CpSolver | None:
    """Solve with every hinted variable fixed: the hint as a full solution, or None if infeasible.

    ``deterministic``: bounded by CP-SAT's deterministic time, not the clock (a check cut short by
    a busy machine would change which solution the stages start from, and so the result).
    """
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    if deterministic:
        solver.parameters.max_deterministic_time = 5.0
        solver.parameters.max_time_in_seconds = 120.0  # only a safety limit
    else:
        solver.parameters.max_time_in_seconds = 5.0
    solver.parameters.num_workers = num_workers
    solver.parameters.interleave_search = num_workers > 1  # deterministic (only a hint check)
    status = solver.solve(model)
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
