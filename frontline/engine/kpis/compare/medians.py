"""Medians: :func:`compare_medians`, :func:`compare_medians_sorted` (Price-Bonett standard errors,
Wald z interval and test) and :func:`median_standard_error`."""

from __future__ import annotations

import math
from collections.abc import Sequence

from scipy import stats

from ._common import (
    MEDIAN_METHOD,
    Comparison,
    _check_alpha,
    _check_unit,
    _median,
    _normal,
    _partial,
    _values,
)


def median_standard_error(values: Sequence[float]) -> float:
    """Price & Bonett's distribution-free standard error of the sample median (``n >= 2``)."""
    ordered = sorted(_values(values, "values"))
    if len(ordered) < 2:
        raise ValueError(f"values: need at least 2, got {len(ordered)}")
    return _median_se_sorted(ordered)


def _median_se_sorted(ordered: Sequence[float]) -> float:
    n = len(ordered)
    c = max(1, round((n + 1) / 2 - math.sqrt(n)))
    tail = float(stats.binom.cdf(c - 1, n, 0.5))
    z_c = float(stats.norm.isf(tail))
    return (float(ordered[n - c]) - float(ordered[c - 1])) / (2 * z_c)


def compare_medians(
    a: Sequence[float], b: Sequence[float], *, unit: str = "", alpha: float = 0.05
) -> Comparison:
    """Median of ``a`` (before) vs median of ``b`` (after) (medians by linear interpolation,
    as everywhere in the catalogue); Price-Bonett standard errors, Wald z interval and test."""
    xs, ys = _values(a, "a"), _values(b, "b")
    _check_alpha(alpha)
    return _compare_sorted_medians(sorted(xs), sorted(ys), unit=_check_unit(unit), alpha=alpha)


def compare_medians_sorted(
    a: Sequence[float], b: Sequence[float], *, unit: str = "", alpha: float = 0.05
) -> Comparison:
    """:func:`compare_medians` of samples already **sorted ascending** and finite (lists or numpy
    arrays, e.g. sorted by a database): only a few order statistics are read, so it costs
    O(1) after the sort; the result equals :func:`compare_medians` on the same values."""
    _check_alpha(alpha)
    return _compare_sorted_medians(a, b, unit=_check_unit(unit), alpha=alpha)


def _compare_sorted_medians(
    xs: Sequence[float], ys: Sequence[float], *, unit: str, alpha: float
) -> Comparison:
    before = _median(xs)
    after = _median(ys)
    if before is None or after is None or len(xs) < 2 or len(ys) < 2:
        return _partial(before, after, len(xs), len(ys), alpha, MEDIAN_METHOD, unit)
    change = after - before
    se = math.hypot(_median_se_sorted(xs), _median_se_sorted(ys))
    return _normal(before, after, change, se, len(xs), len(ys), alpha, MEDIAN_METHOD, unit)

