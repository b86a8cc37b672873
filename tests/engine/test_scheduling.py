"""Tests for frontline.engine.scheduling: brute-force optima, invariants, soft shortfalls, rosters."""

from __future__ import annotations

import itertools
import math
import subprocess
import sys
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from frontline.engine.scheduling import (
    Agent,
    Break,
    RosterWeights,
    ShiftTemplate,
    SkillRequirement,
    WeekGrid,
    expand_patterns,
    roster_assign,
    service_level_of,
    shift_plan_cover,
    shift_plan_service_level,
)

HOUR = 60
DAY1 = WeekGrid(days=1, slot_minutes=60, cyclic=False)  # 24 one-hour slots
FAST = {"time_limit_seconds": 5.0, "num_workers": 2}


def tpl(
    name: str,
    hours: int,
    first: int,
    last: int,
    *,
    breaks: tuple[Break, ...] = (),
    step: int = 1,
    days: tuple[int, ...] | None = None,
) -> ShiftTemplate:
    return ShiftTemplate(
        name=name,
        length_minutes=hours * HOUR,
        earliest_start_minute=first * HOUR,
        latest_start_minute=last * HOUR,
        start_step_minutes=step * HOUR,
        breaks=breaks,
        days=days,
    )


# 1 day, 08:00-16:00 (8 slots): 4 h shifts at 08/10/12 and 2 h shifts at 08/10/14: 6 patterns.
BRUTE_TEMPLATES = (
    tpl("4h", 4, 8, 12, step=2),
    ShiftTemplate(
        name="2h",
        length_minutes=120,
        earliest_start_minute=8 * HOUR,
        latest_start_minute=14 * HOUR,
        start_step_minutes=6 * HOUR,
    ),
    ShiftTemplate(
        name="2h-mid",
        length_minutes=120,
        earliest_start_minute=10 * HOUR,
        latest_start_minute=10 * HOUR,
        start_step_minutes=HOUR,
    ),
)


def day_array(values: list[float], start: int = 8) -> np.ndarray:
    out = np.zeros((1, 24))
    out[0, start : start + len(values)] = values
    return out


def coverage_matrix(patterns) -> np.ndarray:
    m = np.zeros((len(patterns), 24), dtype=int)
    for k, p in enumerate(patterns):
        m[k, list(p.work)] = 1
    return m


def all_counts(n_patterns: int, top: int) -> np.ndarray:
    return np.array(list(itertools.product(range(top + 1), repeat=n_patterns)))


def brute_cover(required: np.ndarray) -> float:
    """Cheapest paid hours over every count vector 0..3 per pattern (enough: required <= 3)."""
    patterns = expand_patterns(grid=DAY1, templates=BRUTE_TEMPLATES)
    counts = all_counts(len(patterns), 3)
    feasible = np.all(counts @ coverage_matrix(patterns) >= required[0], axis=1)
    return float((counts[feasible] @ np.array([p.paid_hours for p in patterns])).min())


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=3), min_size=8, max_size=8))
def test_cover_matches_brute_force_optimum(req: list[int]) -> None:
    required = day_array(req).astype(int)
    plan = shift_plan_cover(grid=DAY1, required=required, templates=BRUTE_TEMPLATES, **FAST)
    assert plan.solve.status == "OPTIMAL"
    assert plan.paid_hours == brute_cover(required)
    assert np.all(plan.staffed >= required)
    assert plan.shortfalls == ()


def test_cover_hand_computed_optimum() -> None:
    # 1,1,2,2,2,2,1,1 from 08:00 is exactly 08-12 + 10-14 + 12-16: 12 h, nothing wasted.
    required = day_array([1, 1, 2, 2, 2, 2, 1, 1]).astype(int)
    plan = shift_plan_cover(grid=DAY1, required=required, templates=[tpl("4h", 4, 8, 12)], **FAST)
    assert (plan.paid_hours, plan.solve.objective, plan.solve.gap) == (12.0, 12.0, 0.0)
    assert sorted(s.pattern.start_minute // HOUR for s in plan.shifts) == [8, 10, 12]


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=10_000))
def test_cover_staffs_every_interval_on_random_weeks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    grid = WeekGrid(days=3, slot_minutes=60)
    required = np.zeros(grid.shape, dtype=int)
    required[:, 7:20] = rng.integers(0, 6, size=(3, 13))
    templates = [
        tpl(
            "8h",
            8,
            6,
            12,
            breaks=(
                Break(length_minutes=60, earliest_offset_minutes=180, latest_offset_minutes=300),
            ),
        ),
        tpl("4h", 4, 7, 16),
    ]
    plan = shift_plan_cover(grid=grid, required=required, templates=templates, **FAST)
    assert np.all(plan.staffed >= required)
    assert plan.shortfalls == ()
    assert plan.paid_hours >= required.sum()  # one agent-hour per required agent-hour at least


def test_cover_too_few_agents_reports_shortfall_instead_of_raising() -> None:
    required = day_array([2, 2, 3, 3]).astype(int)
    plan = shift_plan_cover(
        grid=DAY1, required=required, templates=[tpl("4h", 4, 8, 8)], max_shifts_per_day=1, **FAST
    )
    assert plan.staffed[0, 8:12].tolist() == [1, 1, 1, 1]
    assert [(s.slot, s.required, s.staffed, s.short) for s in plan.shortfalls] == [
        (8, 2, 1, 1),
        (9, 2, 1, 1),
        (10, 3, 1, 2),
        (11, 3, 1, 2),
    ]
    assert plan.solve.stages[0].objective == 6  # total agent-intervals short


def test_cover_interval_no_shift_can_reach_is_a_shortfall() -> None:
    required = day_array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]).astype(int)  # 18:00 unreachable
    plan = shift_plan_cover(grid=DAY1, required=required, templates=[tpl("2h", 2, 8, 8)], **FAST)
    assert [(s.slot, s.short) for s in plan.shortfalls] == [(18, 4)]
    assert plan.paid_hours == 2.0


def test_midnight_crossing_shift_covers_next_days_first_slots() -> None:
    grid = WeekGrid(days=2, slot_minutes=60, cyclic=False)
    required = np.zeros(grid.shape, dtype=int)
    required[1, 0:4] = 2  # 00:00-04:00 on day 1
    night = tpl("night", 6, 22, 22, days=(0,))
    plan = shift_plan_cover(grid=grid, required=required, templates=[night], **FAST)
    assert [(s.pattern.day, s.count) for s in plan.shifts] == [(0, 2)]
    assert plan.staffed[0, 22:24].tolist() == [2, 2]
    assert plan.staffed[1, 0:4].tolist() == [2, 2, 2, 2]
    assert plan.shortfalls == ()


def test_cyclic_week_wraps_the_last_night_into_day_zero() -> None:
    wrap = expand_patterns(
        grid=WeekGrid(days=2, slot_minutes=60, cyclic=True),
        templates=[tpl("night", 4, 22, 22, days=(1,))],
    )
    cut = expand_patterns(
        grid=WeekGrid(days=2, slot_minutes=60, cyclic=False),
        templates=[tpl("night", 4, 22, 22, days=(1,))],
    )
    assert wrap[0].work == (46, 47, 0, 1)
    assert cut[0].work == (46, 47)


def test_break_leaves_a_hole_and_the_solver_places_it() -> None:
    lunch = Break(length_minutes=60, earliest_offset_minutes=HOUR, latest_offset_minutes=2 * HOUR)
    patterns = expand_patterns(grid=DAY1, templates=[tpl("4h", 4, 8, 8, breaks=(lunch,))])
    assert [p.work for p in patterns] == [(8, 10, 11), (8, 9, 11)]
    assert [p.paid_minutes for p in patterns] == [180, 180]
    # Two agents must stagger lunches to keep one on the floor all the time.
    required = day_array([2, 1, 1, 2]).astype(int)
    plan = shift_plan_cover(
        grid=DAY1, required=required, templates=[tpl("4h", 4, 8, 8, breaks=(lunch,))], **FAST
    )
    assert plan.paid_hours == 6.0
    assert plan.staffed[0, 8:12].tolist() == [2, 1, 1, 2]


def test_paid_break_costs_but_does_not_cover() -> None:
    paid = Break(
        length_minutes=60, earliest_offset_minutes=HOUR, latest_offset_minutes=HOUR, paid=True
    )
    (p,) = expand_patterns(grid=DAY1, templates=[tpl("4h", 4, 8, 8, breaks=(paid,))])
    assert (p.work, p.paid_minutes) == ((8, 10, 11), 240)


def test_closed_hours_exclude_patterns_that_would_work_them() -> None:
    open_mask = np.zeros(DAY1.shape, dtype=bool)
    open_mask[0, 9:17] = True
    patterns = expand_patterns(grid=DAY1, templates=[tpl("4h", 4, 8, 14)], open_mask=open_mask)
    assert [p.start_minute // HOUR for p in patterns] == [9, 10, 11, 12, 13]


# --- service-level model -------------------------------------------------------------------

SL_CURVE = [0.0, 0.3, 0.65, 0.85, 0.95, 1.0]


def sl_table(n_slots: int = 24) -> np.ndarray:
    return np.tile(np.array(SL_CURVE), (1, n_slots, 1))


def brute_service_level(calls: np.ndarray, target: float, floor: float) -> tuple[float, float]:
    """Cheapest plan meeting floor and week target, then its best week SL, over counts 0..4."""
    patterns = expand_patterns(grid=DAY1, templates=BRUTE_TEMPLATES)
    counts = all_counts(len(patterns), 4)
    staffed = np.minimum(counts @ coverage_matrix(patterns), len(SL_CURVE) - 1)
    sl = np.array(SL_CURVE)[staffed]
    active = calls[0] > 0
    week = (sl[:, active] @ calls[0, active]) / calls[0, active].sum()
    ok = np.all(sl[:, active] >= floor, axis=1) & (week >= target - 1e-9)
    hours = counts @ np.array([p.paid_hours for p in patterns])
    best = hours[ok].min()
    return float(best), float(week[ok & (hours == best)].max())


@pytest.mark.parametrize("calls", [[10, 20, 40, 40, 30, 20, 10, 5], [5, 5, 50, 10, 10, 50, 5, 5]])
def test_service_level_model_matches_brute_force(calls: list[float]) -> None:
    c = day_array(calls)
    plan = shift_plan_service_level(
        grid=DAY1,
        calls=c,
        service_level=sl_table(),
        templates=BRUTE_TEMPLATES,
        target=0.8,
        floor=0.6,
        **FAST,
    )
    hours, week = brute_service_level(c, 0.8, 0.6)
    assert plan.solve.status == "OPTIMAL"
    assert plan.paid_hours == hours
    assert plan.service_level is not None
    assert plan.service_level.week == pytest.approx(week, abs=1e-4)
    assert plan.service_level.min_interval >= 0.6
    assert plan.shortfalls == ()


def test_service_level_model_uses_fewer_hours_than_cover_at_the_target() -> None:
    c = day_array([10, 20, 40, 40, 30, 20, 10, 5])
    required = np.argmax(sl_table() >= 0.8, axis=2) * (c > 0)
    cover = shift_plan_cover(grid=DAY1, required=required, templates=BRUTE_TEMPLATES, **FAST)
    sl = shift_plan_service_level(
        grid=DAY1,
        calls=c,
        service_level=sl_table(),
        templates=BRUTE_TEMPLATES,
        target=0.8,
        floor=0.6,
        **FAST,
    )
    assert sl.paid_hours <= cover.paid_hours
    assert sl.service_level is not None and sl.service_level.week >= 0.8


def test_unreachable_floor_is_reported_not_raised() -> None:
    c = day_array([10, 10])
    capped = np.tile(np.array([0.0, 0.2, 0.5]), (1, 24, 1))  # never reaches the 0.6 floor
    plan = shift_plan_service_level(
        grid=DAY1,
        calls=c,
        service_level=capped,
        templates=[tpl("2h", 2, 8, 8)],
        target=0.8,
        floor=0.6,
        **FAST,
    )
    assert [(s.slot, s.required, s.staffed) for s in plan.shortfalls] == [(8, 3, 2), (9, 3, 2)]
    assert plan.service_level is not None and plan.service_level.week == pytest.approx(0.5)
    assert plan.solve.stages[1].name == "target" and plan.solve.stages[1].objective > 0


def test_service_level_with_too_few_agents_reports_floor_shortfall() -> None:
    c = day_array([10, 10, 10, 10])
    plan = shift_plan_service_level(
        grid=DAY1,
        calls=c,
        service_level=sl_table(),
        templates=[tpl("4h", 4, 8, 8)],
        max_shifts_per_day=1,
        **FAST,
    )
    # floor 0.6 needs 2 agents; only 1 may work: short by 1 in each of the 4 intervals.
    assert [(s.slot, s.required, s.staffed, s.short) for s in plan.shortfalls] == [
        (8, 2, 1, 1),
        (9, 2, 1, 1),
        (10, 2, 1, 1),
        (11, 2, 1, 1),
    ]
    assert plan.service_level is not None and plan.service_level.week == pytest.approx(0.3)


def test_service_level_of_reads_the_table() -> None:
    s = service_level_of(
        staffed=np.array([[0, 2, 5, 9]]),
        calls=np.array([[0.0, 10.0, 30.0, 10.0]]),
        service_level=np.tile(np.array(SL_CURVE), (1, 4, 1)),
        target=0.8,
        floor=0.6,
    )
    assert s.week == pytest.approx((10 * 0.65 + 30 * 1.0 + 10 * 1.0) / 50)
    assert (s.min_interval, s.intervals_below_target, s.intervals_below_floor) == (0.65, 1, 0)
    assert math.isnan(s.per_interval[0, 0])


# --- solver bookkeeping ----------------------------------------------------------------------


def _busy_week(
    *, seed: int, max_agents: int
) -> tuple[WeekGrid, np.ndarray, np.ndarray, list[ShiftTemplate]]:
    """A week of random daytime calls, a crude monotone service-level ramp, one 8 h shift type."""
    rng = np.random.default_rng(seed)
    grid = WeekGrid(days=7, slot_minutes=30)
    calls = np.zeros(grid.shape)
    calls[:, 14:42] = rng.uniform(20, 200, size=(7, 28))
    load = calls * 300 / 1800
    ks = np.arange(max_agents)
    table = np.clip((ks[None, None, :] - load[..., None]) / 6, 0, 1)
    templates = [
        ShiftTemplate(
            name="8h",
            length_minutes=480,
            earliest_start_minute=360,
            latest_start_minute=900,
            start_step_minutes=30,
            breaks=(
                Break(length_minutes=30, earliest_offset_minutes=180, latest_offset_minutes=300),
            ),
        )
    ]
    return grid, calls, table, templates


def test_time_limit_is_honoured_and_reported() -> None:
    grid, calls, table, templates = _busy_week(seed=7, max_agents=80)
    t0 = time.perf_counter()
    plan = shift_plan_service_level(
        grid=grid,
        calls=calls,
        service_level=table,
        templates=templates,
        time_limit_seconds=2.0,
        num_workers=2,
    )
    assert time.perf_counter() - t0 < 6.0  # limit + model building
    assert plan.solve.status in {"OPTIMAL", "FEASIBLE"}
    assert plan.solve.best_bound <= plan.solve.objective + 1e-6
    assert 0.0 <= plan.solve.gap <= 1.0


def test_deterministic_time_gives_the_same_plan_and_roster_each_time() -> None:
    # Stopped by deterministic time (not the clock) with one worker, as the product solves: two solves of
    # the same week must agree exactly, whatever else the machine is doing meanwhile.
    grid, calls, table, templates = _busy_week(seed=11, max_agents=60)
    kwargs = {
        "grid": grid,
        "calls": calls,
        "service_level": table,
        "templates": templates,
        "time_limit_seconds": 60.0,
        "deterministic_time": 0.5,
        "num_workers": 1,
    }
    first = shift_plan_service_level(**kwargs)  # type: ignore[arg-type]
    second = shift_plan_service_level(**kwargs)  # type: ignore[arg-type]
    assert first.solve.status in {"OPTIMAL", "FEASIBLE"}
    assert [(s.pattern, s.count) for s in first.shifts] == [
        (s.pattern, s.count) for s in second.shifts
    ]
    agents = [Agent(name=f"a{i}", max_days=5) for i in range(40)]
    roster_kwargs = {
        "grid": grid,
        "agents": agents,
        "patterns": [s.pattern for s in first.shifts],
        "pattern_caps": [s.count for s in first.shifts],
        "requirements": [SkillRequirement(skill=None, required=first.staffed)],
        "time_limit_seconds": 60.0,
        "deterministic_time": 0.5,
        "num_workers": 1,
    }
    r1 = roster_assign(**roster_kwargs)  # type: ignore[arg-type]
    r2 = roster_assign(**roster_kwargs)  # type: ignore[arg-type]
    assert [(s.agent, s.pattern) for s in r1.shifts] == [(s.agent, s.pattern) for s in r2.shifts]


def test_engine_does_not_import_django() -> None:
    code = (
        "import sys, frontline.engine.scheduling as s; "
        "assert 'django' not in sys.modules, [m for m in sys.modules if 'django' in m]"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"required": np.zeros((2, 24))}, "required"),
        ({"required": -np.ones((1, 24))}, "required"),
        ({"time_limit_seconds": 0.0}, "time_limit_seconds"),
        ({"deterministic_time": 0.0}, "deterministic_time"),
        ({"deterministic_time": math.inf}, "deterministic_time"),
        ({"max_shifts_per_day": [1, 2]}, "max_shifts_per_day"),
        ({"templates": [tpl("odd", 1, 8, 8), tpl("odd", 2, 8, 8)]}, "templates"),
        (
            {
                "templates": [
                    ShiftTemplate(
                        name="x",
                        length_minutes=90,
                        earliest_start_minute=480,
                        latest_start_minute=480,
                        start_step_minutes=60,
                    )
                ]
            },
            "length_minutes",
        ),
    ],
)
def test_cover_rejects_bad_parameters_by_name(kwargs: dict, name: str) -> None:
    args = {
        "grid": DAY1,
        "required": np.zeros((1, 24)),
        "templates": [tpl("4h", 4, 8, 8)],
        **kwargs,
    }
    with pytest.raises(ValueError, match=name):
        shift_plan_cover(**args)


def test_service_level_rejects_decreasing_table() -> None:
    bad = np.tile(np.array([0.0, 0.9, 0.8]), (1, 24, 1))
    with pytest.raises(ValueError, match="service_level"):
        shift_plan_service_level(
            grid=DAY1, calls=day_array([1.0]), service_level=bad, templates=[tpl("4h", 4, 8, 8)]
        )


# --- roster ----------------------------------------------------------------------------------


def one_need(
    grid: WeekGrid, days: list[int], first: int, last: int, n: int = 1
) -> SkillRequirement:
    req = np.zeros(grid.shape, dtype=int)
    for d in days:
        req[d, first:last] = n
    return SkillRequirement(skill=None, required=req)


WEEK = WeekGrid(days=7, slot_minutes=60, cyclic=True)
DAY_SHIFT = tpl("8h", 8, 8, 8)


def test_roster_respects_availability_and_time_off() -> None:
    grid = WeekGrid(days=3, slot_minutes=60, cyclic=False)
    patterns = expand_patterns(grid=grid, templates=[DAY_SHIFT])
    ana = Agent(
        name="ana",
        availability=((0, 1440), None, (0, 1440)),
        time_off=((2 * 1440 + 12 * 60, 2 * 1440 + 13 * 60),),
    )  # dentist on day 2
    r = roster_assign(
        grid=grid,
        agents=[ana],
        patterns=patterns,
        requirements=[one_need(grid, [0, 1, 2], 8, 16)],
        **FAST,
    )
    assert [s.pattern.day for s in r.shifts] == [0]
    assert {(s.day, s.short) for s in r.shortfalls} == {(1, 1), (2, 1)}
    assert len(r.shortfalls) == 16


def test_roster_availability_window_limits_start_times() -> None:
    grid = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    patterns = expand_patterns(grid=grid, templates=[tpl("4h", 4, 6, 14)])
    bo = Agent(name="bo", availability=((10 * 60, 15 * 60),))
    r = roster_assign(
        grid=grid, agents=[bo], patterns=patterns, requirements=[one_need(grid, [0], 6, 18)], **FAST
    )
    (s,) = r.shifts
    assert s.pattern.start_minute >= 10 * 60 and s.pattern.end_abs_minute <= 15 * 60


def test_roster_max_hours_and_one_shift_a_day() -> None:
    patterns = expand_patterns(grid=WEEK, templates=[DAY_SHIFT, tpl("4h", 4, 16, 16)])
    agents = [Agent(name="cy", max_hours=16), Agent(name="di", max_hours=40, max_days=5)]
    r = roster_assign(
        grid=WEEK,
        agents=agents,
        patterns=patterns,
        requirements=[one_need(WEEK, list(range(7)), 8, 20)],
        time_limit_seconds=2.0,
        num_workers=2,
    )
    by = {a.agent: a for a in r.agents}
    assert by["cy"].paid_hours <= 16 and by["di"].paid_hours <= 40 and by["di"].days_worked <= 5
    days = [(s.agent, s.pattern.day) for s in r.shifts]
    assert len(days) == len(set(days))  # at most one shift per agent per day
    assert r.shortfalls  # 7 x 12 h of need cannot fit into 56 h: reported, not raised


def test_roster_minimum_rest_across_midnight() -> None:
    grid = WeekGrid(days=2, slot_minutes=60, cyclic=False)
    patterns = expand_patterns(
        grid=grid, templates=[tpl("late", 8, 16, 16, days=(0,)), tpl("early", 8, 6, 6, days=(1,))]
    )
    req = np.zeros(grid.shape, dtype=int)
    req[0, 16:24] = 1
    req[1, 6:14] = 1
    need = [SkillRequirement(skill=None, required=req)]
    rested = roster_assign(
        grid=grid,
        agents=[Agent(name="ed")],
        patterns=patterns,
        requirements=need,
        min_rest_minutes=11 * 60,
        **FAST,
    )
    tired = roster_assign(
        grid=grid,
        agents=[Agent(name="ed")],
        patterns=patterns,
        requirements=need,
        min_rest_minutes=6 * 60,
        **FAST,
    )
    assert (len(rested.shifts), sum(s.short for s in rested.shortfalls)) == (1, 8)
    assert (len(tired.shifts), tired.shortfalls) == (2, ())


def test_roster_weekend_fairness_spreads_weekend_shifts() -> None:
    patterns = expand_patterns(grid=WEEK, templates=[DAY_SHIFT])
    agents = [Agent(name=f"a{i}", max_days=5) for i in range(4)]
    need = [one_need(WEEK, list(range(5)), 8, 16, n=2), one_need(WEEK, [5, 6], 8, 16, n=2)]
    need = [SkillRequirement(skill=None, required=need[0].required + need[1].required)]
    r = roster_assign(
        grid=WEEK, agents=agents, patterns=patterns, requirements=need, weekend_days=(5, 6), **FAST
    )
    assert r.shortfalls == ()
    assert r.max_weekend_shifts == 1  # 4 weekend shifts over 4 agents
    assert all(a.consecutive_days_off for a in r.agents)


def test_roster_skills_count_only_skilled_agents() -> None:
    grid = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    patterns = expand_patterns(grid=grid, templates=[DAY_SHIFT])
    need = one_need(grid, [0], 8, 16)
    spanish = SkillRequirement(skill="es", required=need.required)
    r = roster_assign(
        grid=grid,
        agents=[Agent(name="fi"), Agent(name="gu", skills=frozenset({"es"}))],
        patterns=patterns,
        requirements=[spanish],
        **FAST,
    )
    assert [s.agent for s in r.shifts] == ["gu"]
    r2 = roster_assign(
        grid=grid, agents=[Agent(name="fi")], patterns=patterns, requirements=[spanish], **FAST
    )
    assert {(s.skill, s.short) for s in r2.shortfalls} == {("es", 1)}


def test_roster_preferred_start_and_min_hours() -> None:
    grid = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    patterns = expand_patterns(grid=grid, templates=[tpl("4h", 4, 8, 12)])
    hu = Agent(name="hu", preferred_start_minutes=frozenset({11 * 60}), min_hours=8)
    r = roster_assign(
        grid=grid,
        agents=[hu],
        patterns=patterns,
        requirements=[SkillRequirement(skill=None, required=np.zeros(grid.shape, dtype=int))],
        weights=RosterWeights(),
        **FAST,
    )
    ((s,), (summary,)) = (r.shifts, r.agents)
    assert s.pattern.start_minute == 11 * 60
    assert summary.hours_below_min == 4.0  # one shift a day: the 8 h minimum cannot be met


def test_roster_caps_follow_a_plan() -> None:
    grid = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    required = day_array([1, 1, 2, 2, 2, 2, 1, 1]).astype(int)
    plan = shift_plan_cover(grid=grid, required=required, templates=[tpl("4h", 4, 8, 12)], **FAST)
    agents = [Agent(name=n) for n in ("ia", "jo", "ka", "lu")]
    r = roster_assign(
        grid=grid,
        agents=agents,
        patterns=[s.pattern for s in plan.shifts],
        pattern_caps=[s.count for s in plan.shifts],
        requirements=[SkillRequirement(skill=None, required=plan.staffed)],
        **FAST,
    )
    assert r.shortfalls == ()
    assert np.array_equal(r.staffed[0], plan.staffed)
    assert len(r.unassigned_agents) == 1


def test_roster_rest_wraps_around_a_cyclic_week() -> None:
    grid = WeekGrid(days=2, slot_minutes=60, cyclic=True)
    patterns = expand_patterns(
        grid=grid, templates=[tpl("night", 8, 22, 22, days=(1,)), tpl("early", 8, 8, 8, days=(0,))]
    )
    req = np.zeros(grid.shape, dtype=int)
    req[1, 22:24] = 1
    req[0, 0:6] = 1  # the night's tail, wrapped into day 0
    req[0, 8:16] = 1
    r = roster_assign(
        grid=grid,
        agents=[Agent(name="mo")],
        patterns=patterns,
        requirements=[SkillRequirement(skill=None, required=req)],
        **FAST,
    )
    assert len(r.shifts) == 1  # night then early (2 h later, next week) breaks the 11 h rest
    assert sum(s.short for s in r.shortfalls) == 8


def test_roster_without_agents_reports_everything_short() -> None:
    grid = WeekGrid(days=1, slot_minutes=60, cyclic=False)
    need = one_need(grid, [0], 8, 12, n=2)
    r = roster_assign(
        grid=grid,
        agents=[],
        patterns=expand_patterns(grid=grid, templates=[DAY_SHIFT]),
        requirements=[need],
        **FAST,
    )
    assert (r.shifts, [s.short for s in r.shortfalls]) == ((), [2, 2, 2, 2])


def test_cover_with_caps_reports_both_stages() -> None:
    required = day_array([1, 1, 1, 1]).astype(int)
    plan = shift_plan_cover(
        grid=DAY1, required=required, templates=[tpl("4h", 4, 8, 8)], max_shifts_per_day=3, **FAST
    )
    assert [(s.name, s.status, s.objective) for s in plan.solve.stages] == [
        ("shortfall", "OPTIMAL", 0.0),
        ("cost", "OPTIMAL", 4.0),
    ]
    assert (plan.solve.status, plan.solve.main_stage, plan.agent_shifts) == ("OPTIMAL", "cost", 1)
