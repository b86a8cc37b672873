"""Roster: assign concrete shifts to named agents over the horizon.

One boolean per (agent, pattern) the agent may work. Hard rules: availability windows, time off,
at most one shift a day, maximum working days, maximum weekly hours, minimum rest between shifts
(including across midnight and across the week boundary of a cyclic grid), and optional caps per
pattern (the counts of a :class:`~.shifts.ShiftPlan`). Everything else is soft, in one weighted
objective (:class:`RosterWeights`): coverage shortfall, hours below contract minimum, the most
weekend shifts any agent works, starts outside an agent's preferred times, no consecutive days
off, and paid time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from ._common import (
    MINUTES_PER_DAY,
    ShiftPattern,
    Shortfall,
    SolveReport,
    StageReport,
    WeekGrid,
    check_grid_array,
    frozen,
)


@dataclass(frozen=True)
class Agent:
    """A person to roster.

    ``availability[d]`` is a ``(from_minute, to_minute)`` window relative to day ``d``'s midnight
    that a shift starting on day ``d`` must fit in (``to_minute`` may pass 1440), or ``None`` when
    the agent cannot start a shift that day; ``None`` for the whole field means always available.
    ``time_off`` holds ``[start, end)`` ranges in minutes from the start of the horizon that no
    shift may overlap. ``max_days`` defaults to every day of the horizon. An empty
    ``preferred_start_minutes`` means no preference.
    """

    name: str
    skills: frozenset[str] = frozenset()
    min_hours: float = 0.0
    max_hours: float = 40.0
    max_days: int | None = None
    availability: tuple[tuple[int, int] | None, ...] | None = None
    time_off: tuple[tuple[int, int], ...] = ()
    preferred_start_minutes: frozenset[int] = frozenset()


@dataclass(frozen=True, eq=False)  # holds arrays: identity equality
class SkillRequirement:
    """Agents needed per interval (days x slots) from those having ``skill`` (``None``: anyone)."""

    skill: str | None
    required: np.ndarray


@dataclass(frozen=True)
class RosterWeights:
    """Penalties of the soft rules, in objective points (integers).

    Defaults rank: coverage >> contract minimum hours >> weekend fairness >> start preference and
    consecutive days off >> paid time, so one agent-interval short outweighs every other term
    an agent can move.
    """

    shortfall: int = 1000  # per agent-interval below requirement
    min_hours: int = 100  # per paid interval below an agent's min_hours
    weekend_max: int = 50  # per weekend shift of the most-loaded agent
    start_preference: int = 5  # per shift starting outside the agent's preferred times
    consecutive_days_off: int = 10  # bonus per agent with at least one pair of consecutive days off
    paid_slot: int = 1  # per paid interval rostered


@dataclass(frozen=True)
class RosterShift:
    agent: str
    pattern: ShiftPattern


@dataclass(frozen=True)
class AgentSummary:
    agent: str
    paid_hours: float
    days_worked: int
    weekend_shifts: int
    hours_below_min: float
    non_preferred_starts: int
    consecutive_days_off: bool


@dataclass(frozen=True, eq=False)  # holds arrays: identity equality
class Roster:
    """Who works which shift, coverage per requirement, shortfalls and the solve report."""

    shifts: tuple[RosterShift, ...]
    agents: tuple[AgentSummary, ...]
    staffed: tuple[np.ndarray, ...]
    shortfalls: tuple[Shortfall, ...]
    max_weekend_shifts: int
    solve: SolveReport
    unassigned_agents: tuple[str, ...] = field(default=())


def roster_assign(
    *,
    grid: WeekGrid,
    agents: Sequence[Agent],
    patterns: Sequence[ShiftPattern],
    requirements: Sequence[SkillRequirement],
    pattern_caps: Sequence[int] | None = None,
    min_rest_minutes: int = 660,
    weekend_days: Sequence[int] = (),
    weights: RosterWeights = RosterWeights(),
    time_limit_seconds: float = 10.0,
    num_workers: int = 8,
    deterministic_time: float | None = None,
) -> Roster:
    """Assign shifts to agents; report uncovered intervals instead of failing.

    ``patterns`` are the shifts that may be worked (``expand_patterns`` for a free choice, or the
    patterns of a ``ShiftPlan`` with ``pattern_caps`` set to its counts). An agent counts toward
    every requirement whose skill it has: for a multi-skilled agent this is optimistic (the agent
    cannot serve two queues at once). Single weighted objective, see :class:`RosterWeights`.
    ``deterministic_time`` (optional): stop after that much CP-SAT deterministic time, with
    ``time_limit_seconds`` only a wall-clock safety limit, and run several workers interleaved, so
    the same input gives the same roster whatever the machine's load.

    >>> import numpy as np
    >>> from frontline.engine.scheduling import ShiftTemplate, expand_patterns
    >>> g = WeekGrid(days=2, slot_minutes=60, cyclic=False)
    >>> t = ShiftTemplate(name="8h", length_minutes=480, earliest_start_minute=480,
    ...     latest_start_minute=480, start_step_minutes=60)
    >>> req = np.zeros((2, 24), dtype=int); req[:, 8:16] = 1
    >>> ana = Agent(name="ana", availability=((0, 1440), None))  # not on day 1
    >>> r = roster_assign(grid=g, agents=[ana, Agent(name="bo", max_days=1)],
    ...     patterns=expand_patterns(grid=g, templates=[t]),
    ...     requirements=[SkillRequirement(skill=None, required=req)], time_limit_seconds=5)
    >>> sorted((s.agent, s.pattern.day) for s in r.shifts), r.shortfalls
    ([('ana', 0), ('bo', 1)], ())
    """
    reqs = _check(
        grid,
        agents,
        patterns,
        requirements,
        pattern_caps,
        min_rest_minutes,
        weekend_days,
        time_limit_seconds,
        num_workers,
    )
    if deterministic_time is not None and not (
        deterministic_time > 0 and math.isfinite(deterministic_time)
    ):
        raise ValueError(f"deterministic_time must be positive, got {deterministic_time}")
    sm = grid.slot_minutes
    horizon = grid.days * MINUTES_PER_DAY
    caps = list(pattern_caps) if pattern_caps is not None else [len(agents)] * len(patterns)
    paid_slots = [p.paid_minutes // sm for p in patterns]
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for a, ag in enumerate(agents):
        max_slots = math.floor(ag.max_hours * 60 / sm + 1e-9)
        for k, p in enumerate(patterns):
            if caps[k] > 0 and paid_slots[k] <= max_slots and _allowed(ag, p, horizon):
                x[a, k] = model.new_bool_var(f"x{a}_{k}")
    by_agent: list[list[int]] = [[] for _ in agents]
    for a, k in x:
        by_agent[a].append(k)
    for k in range(len(patterns)):
        vs = [x[a, k] for a in range(len(agents)) if (a, k) in x]
        if vs and caps[k] < len(vs):
            model.add(sum(vs) <= caps[k])
    conflicts = _rest_conflicts(patterns, grid, min_rest_minutes)
    objective: list[cp_model.LinearExprT] = []
    weekend = set(weekend_days)
    max_weekend = model.new_int_var(0, grid.days, "max_weekend")
    for a, ag in enumerate(agents):
        ks = by_agent[a]
        day_vars = []
        for d in range(grid.days):
            on_d = [x[a, k] for k in ks if patterns[k].day == d]
            work = model.new_bool_var(f"w{a}_{d}")
            model.add(sum(on_d) == work)
            day_vars.append(work)
        model.add(sum(day_vars) <= (grid.days if ag.max_days is None else ag.max_days))
        hours = sum(paid_slots[k] * x[a, k] for k in ks)
        model.add(hours <= math.floor(ag.max_hours * 60 / sm + 1e-9))
        min_slots = math.ceil(ag.min_hours * 60 / sm - 1e-9)
        if min_slots > 0:
            deficit = model.new_int_var(0, min_slots, f"def{a}")
            model.add(hours + deficit >= min_slots)
            objective.append(weights.min_hours * deficit)
        have = set(ks)
        for k, groups in conflicts.items():
            if k in have:
                for group in groups:
                    later = [x[a, q] for q in group if q in have]
                    if later:
                        model.add(x[a, k] + sum(later) <= 1)
        model.add(max_weekend >= sum(day_vars[d] for d in weekend))
        if ag.preferred_start_minutes:
            objective.append(
                weights.start_preference
                * sum(
                    x[a, k]
                    for k in ks
                    if patterns[k].start_minute not in ag.preferred_start_minutes
                )
            )
        pairs = [(d, d + 1) for d in range(grid.days - 1)]
        if grid.cyclic and grid.days > 2:
            pairs.append((grid.days - 1, 0))
        if pairs and weights.consecutive_days_off:
            both_off = []
            for d, e in pairs:
                b = model.new_bool_var(f"off{a}_{d}")
                model.add(b + day_vars[d] <= 1)
                model.add(b + day_vars[e] <= 1)
                both_off.append(b)
            got = model.new_bool_var(f"pair{a}")
            model.add(got <= sum(both_off))
            objective.append(-weights.consecutive_days_off * got)
        objective.append(weights.paid_slot * hours)
    if weekend:
        objective.append(weights.weekend_max * max_weekend)
    short_vars = []
    for r, req in zip(requirements, reqs, strict=True):
        flat = req.reshape(-1)
        members = {a for a, ag in enumerate(agents) if r.skill is None or r.skill in ag.skills}
        cover: list[list[cp_model.IntVar]] = [[] for _ in range(grid.intervals)]
        for (a, k), v in x.items():
            if a in members:
                for i in patterns[k].work:
                    cover[i].append(v)
        for i in (int(j) for j in np.flatnonzero(flat)):
            s = model.new_int_var(0, int(flat[i]), f"s{r.skill}_{i}")
            model.add(sum(cover[i]) + s >= int(flat[i]))
            short_vars.append(s)
    objective.append(weights.shortfall * sum(short_vars))
    model.minimize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_seconds
    solver.parameters.num_workers = num_workers
    if deterministic_time is not None:
        solver.parameters.max_deterministic_time = deterministic_time
        solver.parameters.interleave_search = num_workers > 1
    status = solver.solve(model)
    name = solver.status_name(status)
    ok = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    obj = solver.objective_value if ok else math.nan
    bound = solver.best_objective_bound if ok else math.nan
    gap = abs(obj - bound) / max(1.0, abs(obj)) if ok else math.nan
    stage = StageReport("weighted", name, obj, bound, gap, solver.wall_time)
    report = SolveReport(name, obj, bound, gap, solver.wall_time, "weighted", (stage,))
    chosen = {key for key, v in x.items() if ok and solver.value(v)}
    return _roster(grid, agents, patterns, requirements, reqs, chosen, weekend, report)


def _allowed(ag: Agent, p: ShiftPattern, horizon: int) -> bool:
    if ag.availability is not None:
        window = ag.availability[p.day]
        if window is None:
            return False
        if not (window[0] <= p.start_minute and p.start_minute + p.length_minutes <= window[1]):
            return False
    s, e = p.start_abs_minute, p.end_abs_minute
    for lo, hi in ag.time_off:
        for shift in (0, -horizon):  # the tail of a shift that wraps past the horizon
            if s + shift < hi and lo < e + shift:
                return False
    return True


def _rest_conflicts(
    patterns: Sequence[ShiftPattern], grid: WeekGrid, rest: int
) -> dict[int, list[list[int]]]:
    """For each pattern, groups (one per later day) of patterns starting too soon after it ends."""
    horizon = grid.days * MINUTES_PER_DAY
    out: dict[int, list[list[int]]] = {}
    for k, p in enumerate(patterns):
        groups: dict[int, list[int]] = {}
        for q, o in enumerate(patterns):
            if o.day == p.day:
                continue
            start = o.start_abs_minute
            if o.day < p.day:
                if not grid.cyclic:
                    continue
                start += horizon
            if start - p.end_abs_minute < rest:
                groups.setdefault(o.day, []).append(q)
        if groups:
            out[k] = list(groups.values())
    return out


def _check(
    grid: WeekGrid,
    agents: Sequence[Agent],
    patterns: Sequence[ShiftPattern],
    requirements: Sequence[SkillRequirement],
    pattern_caps: Sequence[int] | None,
    min_rest_minutes: int,
    weekend_days: Sequence[int],
    time_limit_seconds: float,
    num_workers: int,
) -> list[np.ndarray]:
    names = [a.name for a in agents]
    if len(set(names)) != len(names):
        raise ValueError("agents must have distinct names")
    for ag in agents:
        if not 0 <= ag.min_hours <= ag.max_hours:
            raise ValueError(f"agents[{ag.name!r}]: need 0 <= min_hours <= max_hours")
        if ag.max_days is not None and ag.max_days < 0:
            raise ValueError(f"agents[{ag.name!r}].max_days must be >= 0")
        if ag.availability is not None and len(ag.availability) != grid.days:
            raise ValueError(f"agents[{ag.name!r}].availability must have {grid.days} entries")
        if any(lo >= hi for lo, hi in ag.time_off):
            raise ValueError(f"agents[{ag.name!r}].time_off ranges must have start < end")
    if any(p.day >= grid.days or p.start_minute % grid.slot_minutes for p in patterns):
        raise ValueError("patterns must come from expand_patterns on the same grid")
    if pattern_caps is not None and (
        len(pattern_caps) != len(patterns) or min(pattern_caps, default=0) < 0
    ):
        raise ValueError("pattern_caps must give one non-negative count per pattern")
    if min_rest_minutes < 0:
        raise ValueError(f"min_rest_minutes must be >= 0, got {min_rest_minutes}")
    if any(not 0 <= d < grid.days for d in weekend_days):
        raise ValueError(f"weekend_days must be in 0..{grid.days - 1}")
    if not requirements:
        raise ValueError("requirements must not be empty")
    if not (time_limit_seconds > 0 and math.isfinite(time_limit_seconds)):
        raise ValueError(f"time_limit_seconds must be positive, got {time_limit_seconds}")
    if num_workers < 1:
        raise ValueError(f"num_workers must be >= 1, got {num_workers}")
    return [
        check_grid_array("requirements.required", r.required, grid, integer=True)
        for r in requirements
    ]


def _roster(
    grid: WeekGrid,
    agents: Sequence[Agent],
    patterns: Sequence[ShiftPattern],
    requirements: Sequence[SkillRequirement],
    reqs: Sequence[np.ndarray],
    chosen: set[tuple[int, int]],
    weekend: set[int],
    report: SolveReport,
) -> Roster:
    shifts = tuple(RosterShift(agents[a].name, patterns[k]) for a, k in sorted(chosen))
    summaries = []
    pairs = [(d, d + 1) for d in range(grid.days - 1)]
    if grid.cyclic and grid.days > 2:
        pairs.append((grid.days - 1, 0))
    for a, ag in enumerate(agents):
        mine = [patterns[k] for b, k in chosen if b == a]
        days = {p.day for p in mine}
        hours = sum(p.paid_hours for p in mine)
        summaries.append(
            AgentSummary(
                agent=ag.name,
                paid_hours=hours,
                days_worked=len(days),
                weekend_shifts=len(days & weekend),
                hours_below_min=max(0.0, ag.min_hours - hours),
                non_preferred_starts=sum(
                    1
                    for p in mine
                    if ag.preferred_start_minutes
                    and p.start_minute not in ag.preferred_start_minutes
                ),
                consecutive_days_off=any(d not in days and e not in days for d, e in pairs),
            )
        )
    staffed_all = []
    shortfalls = []
    for r, req in zip(requirements, reqs, strict=True):
        staffed = np.zeros(grid.intervals, dtype=np.int64)
        for a, k in chosen:
            if r.skill is None or r.skill in agents[a].skills:
                for i in patterns[k].work:
                    staffed[i] += 1
        staffed = staffed.reshape(grid.shape)
        staffed_all.append(frozen(staffed))
        for d, s in zip(*np.nonzero(staffed < req), strict=True):
            shortfalls.append(
                Shortfall(
                    int(d),
                    int(s),
                    int(req[d, s]),
                    int(staffed[d, s]),
                    int(req[d, s] - staffed[d, s]),
                    r.skill,
                )
            )
    return Roster(
        shifts=shifts,
        agents=tuple(summaries),
        staffed=tuple(staffed_all),
        shortfalls=tuple(shortfalls),
        max_weekend_shifts=max((s.weekend_shifts for s in summaries), default=0),
        solve=report,
        unassigned_agents=tuple(s.agent for s in summaries if s.days_worked == 0),
    )
