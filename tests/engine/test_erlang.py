"""Tests for frontline.engine.erlang: published reference values, an independent birth-death
computation, and invariants (monotone in agents, Erlang A -> Erlang C, vectorised == scalar)."""

from __future__ import annotations

import csv
import doctest
import math
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

from frontline.engine import erlang
from frontline.engine.erlang import (
    erlang_a,
    erlang_b,
    erlang_c,
    required_agents,
    required_agents_many,
    scheduled_agents,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
INTERVAL = 1800.0


loads = st.floats(min_value=0.05, max_value=300.0)
ahts = st.floats(min_value=10.0, max_value=900.0)
thresholds = st.floats(min_value=0.0, max_value=120.0)
patiences = st.floats(min_value=5.0, max_value=1200.0)
targets = st.floats(min_value=0.05, max_value=0.98)


def _calls(load: float, aht: float) -> float:
    return load * INTERVAL / aht


# ----------------------------------------------------------------------------- reference values


def _row_inputs(row: dict[str, str]) -> dict[str, float]:
    return {
        "calls": float(row["calls_per_interval"]),
        "interval_s": float(row["interval_s"]),
        "aht_s": float(row["aht_s"]),
        "threshold_s": float(row["target_answer_s"]),
    }


def _c(row: dict[str, str]) -> erlang.ErlangCMetrics:
    return erlang_c(agents=int(row["agents"]), **_row_inputs(row))


def _a(row: dict[str, str]) -> erlang.ErlangAMetrics:
    return erlang_a(
        agents=int(row["agents"]), patience_s=float(row["patience_s"]), **_row_inputs(row)
    )


REFERENCE_METRICS: dict[tuple[str, str], Callable[[dict[str, str]], float]] = {
    ("erlangC", "p_wait"): lambda row: _c(row).p_wait,
    ("erlangC", "service_level"): lambda row: _c(row).service_level,
    ("erlangC", "asa_s"): lambda row: _c(row).asa_s,
    ("erlangC", "required_agents_80_20"): lambda row: (
        required_agents(target_sl=0.8, **{**_row_inputs(row), "threshold_s": 20.0}).agents
    ),
    ("erlangB", "blocking"): lambda row: erlang_b(
        agents=int(row["agents"]), offered_load=float(row["offered_load_erlangs"])
    ),
    ("erlangA", "p_wait"): lambda row: _a(row).p_wait,
    ("erlangA", "p_abandon"): lambda row: _a(row).p_abandon,
    ("erlangA", "sl_answered_of_all"): lambda row: _a(row).service_level,
    ("erlangA", "mean_wait_all_s"): lambda row: _a(row).asa_s,
}


def _published(text: str) -> object:
    """The reference value, to 1e-9 relative or half a unit in its last printed decimal.

    cases.csv prints values to 10 decimals (some to 7 or 9), so below 0.05 the rounding of the
    file itself exceeds 1e-9 relative (B03 = B(10, 5) = 0.018384570336648... is printed
    0.0183845703); whole numbers (required agents) must match exactly.
    """
    half_unit = 0.5 * 10.0 ** Decimal(text).as_tuple().exponent
    return pytest.approx(float(text), rel=1e-9, abs=half_unit)


def test_every_reference_case_matches(shared_data: Path) -> None:
    with open(shared_data / "erlang_reference" / "cases.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    got = {row["case_id"]: REFERENCE_METRICS[row["model"], row["metric"]](row) for row in rows}
    expected = {row["case_id"]: _published(row["reference_value"]) for row in rows}
    assert len(rows) == 15
    assert got == expected


def test_reference_values_printed_to_fewer_digits_match_their_fuller_cross_checks() -> None:
    """The PROVENANCE notes give 12-13 digit birth-death values for the Erlang A cases."""
    m = erlang_a(agents=13, calls=100, interval_s=1800, aht_s=180, threshold_s=20, patience_s=300)
    b = erlang_b(agents=10, offered_load=5)
    assert (m.p_wait, m.p_abandon, m.asa_s) == pytest.approx(
        (0.225797084047, 0.0249633036336, 7.48899109007), rel=1e-11
    )
    assert b == pytest.approx(
        float(
            Fraction(5**10, math.factorial(10))
            / sum(Fraction(5**k, math.factorial(k)) for k in range(11))
        ),
        rel=1e-13,
    )


def test_required_agents_reference_is_a_whole_number() -> None:
    result = required_agents(calls=100, interval_s=1800, aht_s=180, threshold_s=20, target_sl=0.8)
    assert (type(result.agents), result.agents) == (int, 14)


def test_module_doctests_pass() -> None:
    assert doctest.testmod(erlang).failed == 0


def _birth_death(
    load: float, servers: int, aht: float, patience: float
) -> tuple[float, float, float]:
    """Independent M/M/N+M: truncated chain in log space -> (P(wait), P(abandon), mean wait)."""
    lam, mu, theta = load / aht, 1.0 / aht, 1.0 / patience
    j = np.arange(1, servers + 20_000)
    death = np.minimum(j, servers) * mu + np.maximum(j - servers, 0) * theta
    log_p = np.concatenate(([0.0], np.cumsum(np.log(lam) - np.log(death))))
    p = np.exp(log_p - logsumexp(log_p))
    queue = np.maximum(np.arange(p.size) - servers, 0)
    mean_queue = float(np.sum(p * queue))
    return float(p[servers:].sum()), theta * mean_queue / lam, mean_queue / lam


@settings(max_examples=40, deadline=None)
@given(
    load=st.floats(0.2, 120.0), extra=st.integers(-20, 20), aht=ahts, ratio=st.floats(0.05, 20.0)
)
def test_erlang_a_matches_an_independent_birth_death_chain(
    load: float, extra: int, aht: float, ratio: float
) -> None:
    servers = max(1, math.floor(load) + extra)
    patience = ratio * aht
    m = erlang_a(
        agents=servers,
        calls=_calls(load, aht),
        interval_s=INTERVAL,
        aht_s=aht,
        threshold_s=20,
        patience_s=patience,
    )
    p_wait, p_abandon, mean_wait = _birth_death(load, servers, aht, patience)
    assert (m.p_wait, m.p_abandon, m.asa_s) == pytest.approx(
        (p_wait, p_abandon, mean_wait), rel=1e-8, abs=1e-14
    )


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(1, 400),
    excess=st.floats(0.0, 200.0),
    ratio=st.floats(0.01, 50.0),
    t=st.floats(0.0, 5.0),
)
def test_erlang_a_series_and_incomplete_gamma_forms_agree(
    n: int, excess: float, ratio: float, t: float
) -> None:
    """The closed form is the one used when load >= agents and the series would be too long."""
    load = n + excess
    series = erlang._erlang_a_core(n, load, ratio, t, method="series")
    closed = erlang._erlang_a_core(n, load, ratio, t, method="closed")
    assert closed == pytest.approx(series, rel=1e-7, abs=1e-12)


# ----------------------------------------------------------------------------- Erlang A staffing


def test_erlang_a_staffs_below_the_offered_load_when_callers_are_impatient() -> None:
    inputs = {"calls": 9600, "interval_s": 1800, "aht_s": 90, "threshold_s": 60, "patience_s": 30}
    result = required_agents(target_sl=0.8, **inputs)
    below = erlang_a(agents=384, **inputs)
    assert (result.metrics.offered_load, result.agents) == (480.0, 385)
    assert below.service_level < 0.8 <= result.metrics.service_level


def test_erlang_a_combined_targets_take_the_strictest() -> None:
    inputs = {"calls": 100, "interval_s": 1800, "aht_s": 180, "threshold_s": 20, "patience_s": 300}
    each = [
        required_agents(target_sl=0.8, **inputs).agents,
        required_agents(max_abandon=0.01, **inputs).agents,
        required_agents(target_asa_s=5, **inputs).agents,
        required_agents(max_occupancy=0.7, **inputs).agents,
    ]
    combined = required_agents(
        target_sl=0.8, max_abandon=0.01, target_asa_s=5, max_occupancy=0.7, **inputs
    )
    assert combined.agents == max(each)


# ----------------------------------------------------------------------------- properties


@settings(max_examples=60, deadline=None)
@given(load=loads, aht=ahts, t=thresholds)
def test_erlang_c_improves_with_every_agent(load: float, aht: float, t: float) -> None:
    agents = range(math.floor(load) + 1, math.floor(load) + 40)
    ms = [
        erlang_c(agents=n, calls=_calls(load, aht), interval_s=INTERVAL, aht_s=aht, threshold_s=t)
        for n in agents
    ]
    assert np.all(np.diff([m.p_wait for m in ms]) <= 1e-12)
    assert np.all(np.diff([m.asa_s for m in ms]) <= 1e-9)
    assert np.all(np.diff([m.service_level for m in ms]) >= -1e-12)


@settings(max_examples=40, deadline=None)
@given(load=loads, aht=ahts, t=thresholds, patience=patiences)
def test_erlang_a_improves_with_every_agent(
    load: float, aht: float, t: float, patience: float
) -> None:
    calls = _calls(load, aht)
    ms = [
        erlang_a(
            agents=n,
            calls=calls,
            interval_s=INTERVAL,
            aht_s=aht,
            threshold_s=t,
            patience_s=patience,
        )
        for n in range(0, math.floor(load) + 30)
    ]
    assert np.all(np.diff([m.p_wait for m in ms]) <= 1e-12)
    assert np.all(np.diff([m.p_abandon for m in ms]) <= 1e-12)
    assert np.all(np.diff([m.asa_s for m in ms]) <= 1e-9)
    assert np.all(np.diff([m.service_level for m in ms]) >= -1e-12)


@settings(max_examples=100, deadline=None)
@given(
    load=st.floats(0.0, 2000.0),
    agents=st.integers(0, 2100),
    aht=ahts,
    t=thresholds,
    patience=patiences,
)
def test_probabilities_stay_within_zero_and_one(
    load: float, agents: int, aht: float, t: float, patience: float
) -> None:
    common = {
        "agents": agents,
        "calls": _calls(load, aht),
        "interval_s": INTERVAL,
        "aht_s": aht,
        "threshold_s": t,
    }
    c = erlang_c(**common)
    a = erlang_a(patience_s=patience, **common)
    values = np.array(
        [
            c.p_wait,
            c.service_level,
            c.occupancy,
            a.p_wait,
            a.p_abandon,
            a.service_level,
            a.occupancy,
        ]
    )
    assert np.all((values >= 0) & (values <= 1))
    assert a.p_abandon <= a.p_wait
    assert a.service_level <= 1 - a.p_abandon + 1e-12


@settings(max_examples=30, deadline=None)
@given(load=st.floats(0.1, 60.0), extra=st.floats(0.5, 15.0), aht=ahts, t=thresholds)
def test_erlang_a_tends_to_erlang_c_as_patience_grows(
    load: float, extra: float, aht: float, t: float
) -> None:
    agents = math.ceil(load + extra)
    common = {
        "agents": agents,
        "calls": _calls(load, aht),
        "interval_s": INTERVAL,
        "aht_s": aht,
        "threshold_s": t,
    }
    c = erlang_c(**common)
    a = erlang_a(patience_s=1e9 * aht, **common)
    assert (a.p_wait, a.service_level) == pytest.approx((c.p_wait, c.service_level), abs=1e-5)
    assert a.asa_s == pytest.approx(c.asa_s, rel=1e-4)
    assert a.p_abandon < 1e-6


def test_a_ten_thousand_erlang_centre_is_finite() -> None:
    common = {"calls": 100_000, "interval_s": 1800, "aht_s": 180, "threshold_s": 20}
    c = erlang_c(agents=10_050, **common)
    a = erlang_a(agents=9_900, patience_s=60, **common)
    sized = required_agents(target_sl=0.8, **common)
    sized_a = required_agents(target_sl=0.8, patience_s=120, **common)
    values = [c.p_wait, c.service_level, c.asa_s, a.p_wait, a.p_abandon, a.service_level, a.asa_s]
    assert np.all(np.isfinite(values))
    assert 0 < c.p_wait < 1 and 0 < a.p_abandon < 1
    assert 10_000 < sized.agents < 10_100
    assert sized_a.agents < 10_000
    assert (
        required_agents_many(
            calls=[100_000], aht_s=180, interval_s=1800, threshold_s=20, target_sl=0.8
        )[0]
        == sized.agents
    )


@settings(max_examples=30, deadline=None)
@given(
    load=st.lists(st.floats(0.0, 500.0), min_size=1, max_size=20),
    aht=ahts,
    t=thresholds,
    target=targets,
    asa=st.one_of(st.none(), st.floats(1.0, 120.0)),
    occupancy=st.one_of(st.none(), st.floats(0.5, 1.0)),
    concurrency=st.integers(1, 3),
)
def test_vectorised_matches_scalar(
    load: list[float],
    aht: float,
    t: float,
    target: float,
    asa: float | None,
    occupancy: float | None,
    concurrency: int,
) -> None:
    calls = [_calls(x, aht) for x in load]
    targets_ = {
        "target_sl": target,
        "target_asa_s": asa,
        "max_occupancy": occupancy,
        "concurrency": concurrency,
    }
    many = required_agents_many(
        calls=calls, aht_s=aht, interval_s=INTERVAL, threshold_s=t, **targets_
    )
    scalar = [
        required_agents(calls=c, aht_s=aht, interval_s=INTERVAL, threshold_s=t, **targets_).agents
        for c in calls
    ]
    assert many.dtype == np.int64
    assert many.tolist() == scalar


@settings(max_examples=30, deadline=None)
@given(load=loads, aht=ahts, t=thresholds, target=targets)
def test_required_agents_is_the_fewest_meeting_the_target(
    load: float, aht: float, t: float, target: float
) -> None:
    common = {"calls": _calls(load, aht), "interval_s": INTERVAL, "aht_s": aht, "threshold_s": t}
    n = required_agents(target_sl=target, **common).agents
    assert erlang_c(agents=n, **common).service_level >= target
    assert erlang_c(agents=n - 1, **common).service_level < target


def test_ten_thousand_intervals_are_sized_quickly() -> None:
    rng = np.random.default_rng(7)
    load = np.exp(rng.uniform(np.log(0.3), np.log(500.0), 10_000))
    aht = rng.uniform(120, 600, 10_000)
    result = required_agents_many(
        calls=load * 1800 / aht, aht_s=aht, interval_s=1800, threshold_s=20, target_sl=0.8
    )
    assert np.all(result > load)


def test_zero_volume_needs_no_agents_and_has_defined_metrics() -> None:
    common = {"calls": 0, "interval_s": 1800, "aht_s": 180, "threshold_s": 20}
    c = erlang_c(agents=0, **common)
    a = erlang_a(agents=3, patience_s=60, **common)
    assert required_agents(target_sl=0.9, **common).agents == 0
    assert required_agents(target_sl=0.9, patience_s=60, **common).agents == 0
    assert required_agents_many(
        calls=[0, 0.0], aht_s=180, interval_s=1800, threshold_s=20, target_sl=0.9
    ).tolist() == [0, 0]
    assert (c.p_wait, c.service_level, c.asa_s, c.occupancy) == (0.0, 1.0, 0.0, 0.0)
    assert (a.p_wait, a.p_abandon, a.service_level, a.asa_s, a.occupancy) == (
        0.0,
        0.0,
        1.0,
        0.0,
        0.0,
    )


def test_a_vanishing_load_is_treated_as_no_load() -> None:
    common = {"agents": 1, "calls": 1e-321, "interval_s": 1800, "aht_s": 10, "threshold_s": 0}
    c = erlang_c(**common)
    a = erlang_a(patience_s=5, **common)
    assert a.offered_load > 0
    assert (c.p_wait, c.service_level, a.p_wait, a.p_abandon, a.service_level) == pytest.approx(
        (0, 1, 0, 0, 1), abs=1e-300
    )


def test_unstable_erlang_c_is_reported_not_raised() -> None:
    m = erlang_c(agents=10, calls=100, interval_s=1800, aht_s=180, threshold_s=20)
    assert (m.p_wait, m.service_level, m.asa_s, m.occupancy) == (1.0, 0.0, math.inf, 1.0)


# ----------------------------------------------------------------------------- options


@settings(max_examples=50, deadline=None)
@given(x=st.floats(0.0, 300.0), load=st.floats(0.01, 400.0))
def test_fractional_erlang_b_satisfies_the_erlang_b_recursion(x: float, load: float) -> None:
    b = erlang_b(agents=x, offered_load=load, fractional=True)
    b_next = erlang_b(agents=x + 1, offered_load=load, fractional=True)
    assert b_next == pytest.approx(load * b / (x + 1 + load * b), rel=1e-9, abs=1e-300)


def test_fractional_agents_lie_between_whole_neighbours() -> None:
    common = {"calls": 100, "interval_s": 1800, "aht_s": 180, "threshold_s": 20}
    whole = required_agents(target_sl=0.8, **common)
    frac = required_agents(target_sl=0.8, fractional=True, **common)
    at = erlang_c(agents=frac.agents, fractional=True, **common)
    assert 13 < frac.agents <= whole.agents == 14
    assert at.service_level == pytest.approx(0.8, abs=1e-8)
    assert erlang_c(agents=13.5, fractional=True, **common).service_level == pytest.approx(
        0.5
        * (
            erlang_c(agents=13, **common).service_level
            + erlang_c(agents=14, **common).service_level
        ),
        abs=0.01,
    )


def test_chat_concurrency_treats_each_agent_as_k_slots() -> None:
    common = {"calls": 300, "interval_s": 1800, "aht_s": 300, "threshold_s": 30}
    per_agent = erlang_c(agents=20, concurrency=3, **common)
    per_slot = erlang_c(agents=60, **common)
    slots = required_agents(target_sl=0.9, **common).agents
    agents = required_agents(target_sl=0.9, concurrency=3, **common).agents
    assert (per_agent.servers, per_agent.service_level, per_agent.p_wait) == (
        60,
        per_slot.service_level,
        per_slot.p_wait,
    )
    assert agents == math.ceil(slots / 3)


def test_shrinkage_is_applied_exactly() -> None:
    result = required_agents(
        calls=100, interval_s=1800, aht_s=180, threshold_s=20, target_sl=0.8, shrinkage=0.3
    )
    assert (result.agents, result.scheduled_agents) == (14, 20)
    assert scheduled_agents(agents=15, shrinkage=0.3) == 22
    assert scheduled_agents(agents=0, shrinkage=0.5) == 0


def test_occupancy_cap_at_an_exact_boundary_agrees_in_both_paths() -> None:
    common = {"calls": 85, "interval_s": 1800, "aht_s": 180, "threshold_s": 20}
    scalar = required_agents(max_occupancy=0.85, **common).agents
    many = required_agents_many(max_occupancy=0.85, **common)
    assert (scalar, int(many)) == (10, 10)


# ----------------------------------------------------------------------------- validation

GOOD = {"agents": 12, "calls": 100, "interval_s": 1800, "aht_s": 180, "threshold_s": 20}


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"agents": -1}, "agents"),
        ({"agents": 12.5}, "agents"),
        ({"calls": -5}, "calls"),
        ({"calls": math.nan}, "calls"),
        ({"interval_s": 0}, "interval_s"),
        ({"aht_s": -180}, "aht_s"),
        ({"threshold_s": -1}, "threshold_s"),
        ({"concurrency": 0}, "concurrency"),
        ({"calls": "many"}, "calls"),
        ({"agents": True}, "agents"),
    ],
)
def test_erlang_c_rejects_bad_arguments_by_name(change: dict[str, object], name: str) -> None:
    with pytest.raises(ValueError, match=name):
        erlang_c(**{**GOOD, **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"target_sl": 1.0}, "target_sl"),
        ({"target_sl": 0}, "target_sl"),
        ({"target_asa_s": 0}, "target_asa_s"),
        ({"max_occupancy": 1.2}, "max_occupancy"),
        ({"patience_s": 0}, "patience_s"),
        ({"patience_s": 300, "max_abandon": 0}, "max_abandon"),
        ({"max_abandon": 0.05}, "max_abandon"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"target_sl": None}, "target_sl"),
    ],
)
def test_required_agents_rejects_bad_arguments_by_name(
    change: dict[str, object], name: str
) -> None:
    good = {"calls": 100, "interval_s": 1800, "aht_s": 180, "threshold_s": 20, "target_sl": 0.8}
    with pytest.raises(ValueError, match=name):
        required_agents(**{**good, **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "name"),
    [
        ({"calls": [1, -1]}, "calls"),
        ({"aht_s": [0.0]}, "aht_s"),
        ({"interval_s": np.inf}, "interval_s"),
    ],
)
def test_required_agents_many_rejects_bad_arrays_by_name(
    change: dict[str, object], name: str
) -> None:
    good = {"calls": [100], "aht_s": 180, "interval_s": 1800, "threshold_s": 20, "target_sl": 0.8}
    with pytest.raises(ValueError, match=name):
        required_agents_many(**{**good, **change})  # type: ignore[arg-type]


def test_erlang_a_rejects_bad_patience_by_name() -> None:
    with pytest.raises(ValueError, match="patience_s"):
        erlang_a(patience_s=-3, **GOOD)


def test_the_engine_does_not_import_django() -> None:
    code = (
        "import frontline.engine.erlang, sys; assert 'django' not in sys.modules, 'django imported'"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
