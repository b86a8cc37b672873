"""Rates, counts and NPS: :func:`compare_rates` (Newcombe interval, pooled z test),
:func:`compare_counts` (Poisson, Wald), :func:`compare_nps` and :func:`compare_nps_counted`."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from ._common import (
    COUNT_METHOD,
    NPS_METHOD,
    RATE_METHOD,
    Comparison,
    _check_alpha,
    _check_count,
    _check_unit,
    _normal,
    _partial,
    _result,
    _two_sided_normal,
    _values,
    _z,
)


def wilson_interval(k: int, n: int, *, alpha: float = 0.05) -> tuple[float, float]:
    """The Wilson score interval of the proportion ``k / n`` (``n > 0``)."""
    _check_count(k, n, "k", "n")
    if n == 0:
        raise ValueError("n: must be positive for an interval")
    z = _z(alpha)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def compare_rates(k1: int, n1: int, k2: int, n2: int, *, alpha: float = 0.05) -> Comparison:
    """``k1`` of ``n1`` before, ``k2`` of ``n2`` after; the change is in proportion (0.032 =
    3.2 percentage points).  Newcombe hybrid score interval, pooled z test."""
    _check_count(k1, n1, "k1", "n1")
    _check_count(k2, n2, "k2", "n2")
    _check_alpha(alpha)
    before = k1 / n1 if n1 else None
    after = k2 / n2 if n2 else None
    if before is None or after is None:
        return _partial(before, after, n1, n2, alpha, RATE_METHOD, None)
    change = after - before
    l1, u1 = wilson_interval(k1, n1, alpha=alpha)
    l2, u2 = wilson_interval(k2, n2, alpha=alpha)
    low = change - math.sqrt((after - l2) ** 2 + (u1 - before) ** 2)
    high = change + math.sqrt((u2 - after) ** 2 + (before - l1) ** 2)
    pooled = (k1 + k2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = _two_sided_normal(change, se)
    return _result(before, after, change, low, high, p_value, n1, n2, alpha, RATE_METHOD, None)



def compare_counts(
    c1: int,
    c2: int,
    *,
    exposure1: float = 1.0,
    exposure2: float = 1.0,
    unit: str = "",
    alpha: float = 0.05,
) -> Comparison:
    """``c1`` events over ``exposure1`` before, ``c2`` over ``exposure2`` after (Poisson); the
    values compared are the rates ``c / exposure`` (the counts themselves with the default
    exposure 1).  Wald interval and z test of the difference."""
    for name, value in (("c1", c1), ("c2", c2)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number >= 0, got {value!r}")
    for name, exposure in (("exposure1", exposure1), ("exposure2", exposure2)):
        if (
            isinstance(exposure, bool)
            or not isinstance(exposure, int | float)
            or not math.isfinite(exposure)
            or exposure <= 0
        ):
            raise ValueError(f"{name}: must be a positive number, got {exposure!r}")
    _check_alpha(alpha)
    unit = _check_unit(unit)
    before, after = c1 / exposure1, c2 / exposure2
    change = after - before
    se = math.sqrt(c1 / exposure1**2 + c2 / exposure2**2)
    return _normal(before, after, change, se, c1, c2, alpha, COUNT_METHOD, unit)


def compare_nps(a: Sequence[int], b: Sequence[int], *, alpha: float = 0.05) -> Comparison:
    """NPS of the 0-10 responses ``a`` (before) vs ``b`` (after), in NPS points."""
    xs, ys = _values(a, "a"), _values(b, "b")
    for name, values in (("a", xs), ("b", ys)):
        if any(v != int(v) or not 0 <= v <= 10 for v in values):
            raise ValueError(f"{name}: NPS responses are whole numbers 0-10")
    _check_alpha(alpha)
    return _compare_nps_tallies(_nps_tally(xs), _nps_tally(ys), alpha)


def compare_nps_counted(a: Mapping[int, int], b: Mapping[int, int], *, alpha: float = 0.05) -> Comparison:
    """:func:`compare_nps` of responses given as ``{score: how many}``: the same result, to the last
    bit, as on the responses written out (the test reads only how many promote and detract)."""
    tallies = []
    for name, counts in (("a", a), ("b", b)):
        if not isinstance(counts, Mapping):
            raise ValueError(f"{name}: must map scores to counts")
        for score, count in counts.items():
            if isinstance(score, bool) or not isinstance(score, int | float) or score != int(score) \
                    or not 0 <= score <= 10:
                raise ValueError(f"{name}: NPS responses are whole numbers 0-10")
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                raise ValueError(f"{name}: counts must be whole numbers >= 0, got {count!r}")
        tallies.append((sum(c for v, c in counts.items() if v >= 9), sum(c for v, c in counts.items() if v <= 6),
                        sum(counts.values())))
    _check_alpha(alpha)
    return _compare_nps_tallies(tallies[0], tallies[1], alpha)


def _nps_tally(values: list[float]) -> tuple[int, int, int]:
    """(promoters, detractors, responses)."""
    return sum(1 for v in values if v >= 9), sum(1 for v in values if v <= 6), len(values)


def _compare_nps_tallies(a: tuple[int, int, int], b: tuple[int, int, int], alpha: float) -> Comparison:
    parts = [_nps_parts(tally) for tally in (a, b)]
    n_a, n_b = a[2], b[2]
    before = parts[0][0] if n_a else None
    after = parts[1][0] if n_b else None
    unit = "points"
    if before is None or after is None or n_a < 2 or n_b < 2:
        return _partial(before, after, n_a, n_b, alpha, NPS_METHOD, unit)
    change = after - before
    se = math.sqrt(parts[0][1] / n_a + parts[1][1] / n_b)
    return _normal(before, after, change, se, n_a, n_b, alpha, NPS_METHOD, unit)


def _nps_parts(tally: tuple[int, int, int]) -> tuple[float, float]:
    """NPS (-100..100) and the variance of one response's contribution (x 100^2) of a tally."""
    promoting, detracting, n = tally
    if not n:
        return 0.0, 0.0
    promoters = promoting / n
    detractors = detracting / n
    score = promoters - detractors
    return 100 * score, 10_000 * (promoters + detractors - score * score)
