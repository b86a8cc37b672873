"""Means: :func:`compare_means` and :func:`compare_means_counted` (Welch's t interval and test)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

from scipy import stats

from ._common import (
    MEAN_METHOD,
    Comparison,
    _check_alpha,
    _check_unit,
    _degenerate,
    _partial,
    _result,
    _values,
)


def compare_means(
    a: Sequence[float], b: Sequence[float], *, unit: str = "", alpha: float = 0.05
) -> Comparison:
    """Mean of ``a`` (before) vs mean of ``b`` (after): Welch's t interval and test."""
    xs, ys = _values(a, "a"), _values(b, "b")
    _check_alpha(alpha)
    return _welch(xs, ys, unit=_check_unit(unit), alpha=alpha)


def compare_means_counted(
    a: Mapping[float, int], b: Mapping[float, int], *, unit: str = "", alpha: float = 0.05
) -> Comparison:
    """:func:`compare_means` of samples given as ``{value: how many times}`` (handle seconds,
    CES scores): the same result, to the last bit, as on the values written out, in time
    proportional to the distinct values (the sums are :func:`exact_counted_sum`: exact, then
    rounded once, as ``math.fsum`` rounds the written-out values)."""
    xs, ys = _counted(a, "a"), _counted(b, "b")
    _check_alpha(alpha)
    return _welch(xs, ys, unit=_check_unit(unit), alpha=alpha)


class _Repeated:
    """Values with their multiplicities (``{value: count}``, counts > 0), summed as the written-out list."""

    def __init__(self, counts: dict[float, int]) -> None:
        self.counts = counts
        self.n = sum(counts.values())

    def __len__(self) -> int:
        return self.n

    def total(self) -> float:
        return exact_counted_sum(self.counts.items())

    def squared_deviations(self, centre: float) -> float:
        return exact_counted_sum(((v - centre) ** 2, c) for v, c in self.counts.items())


def exact_counted_sum(terms: Iterable[tuple[float, int]]) -> float:
    """``math.fsum`` of each ``value`` written out ``count`` times, to the last bit, in one pass over
    the distinct values: fsum returns the exact sum correctly rounded (half to even), and so does
    this, adding ``count * value`` exactly as integers over a common power-of-two denominator
    (every finite float is ``p / 2**k``) and rounding once (``int / int`` is correctly rounded).

    >>> exact_counted_sum([(0.1, 3), (1e16, 1), (-1e16, 1)]) == math.fsum([0.1] * 3 + [1e16, -1e16])
    True
    """
    kept = [(float(v), c) for v, c in terms if c]
    if not all(math.isfinite(v) for v, _ in kept):
        return math.fsum(v for v, _ in kept)  # inf, nan or an error whatever the counts, as fsum gives them
    ratios = [(v.as_integer_ratio(), c) for v, c in kept]
    shift = max((q.bit_length() - 1 for (_, q), _ in ratios), default=0)  # each q is a power of two
    total = sum(p * c << (shift - q.bit_length() + 1) for (p, q), c in ratios)
    if total == 0:
        return math.fsum(v for v, _ in kept)  # a zero with the sign fsum gives it
    return total / (1 << shift)


def _counted(counts: Mapping[float, int], name: str) -> _Repeated:
    if not isinstance(counts, Mapping):
        raise ValueError(f"{name}: must map values to counts")
    out: dict[float, int] = {}
    for value, count in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{name}: must hold finite numbers, got {value!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{name}: counts must be whole numbers >= 0, got {count!r}")
        if count:
            out[float(value)] = out.get(float(value), 0) + count
    return _Repeated(out)


def _sum(values: Sequence[float] | _Repeated) -> float:
    return values.total() if isinstance(values, _Repeated) else math.fsum(values)


def _sum_of_squared_deviations(values: Sequence[float] | _Repeated, centre: float) -> float:
    if isinstance(values, _Repeated):
        return values.squared_deviations(centre)
    return math.fsum((x - centre) ** 2 for x in values)


def _welch(
    xs: Sequence[float] | _Repeated, ys: Sequence[float] | _Repeated, *, unit: str, alpha: float
) -> Comparison:
    """Welch's t interval and test (the one implementation; ``xs``, ``ys`` lists or _Repeated)."""
    before = _sum(xs) / len(xs) if len(xs) else None
    after = _sum(ys) / len(ys) if len(ys) else None
    if before is None or after is None or len(xs) < 2 or len(ys) < 2:
        return _partial(before, after, len(xs), len(ys), alpha, MEAN_METHOD, unit)
    change = after - before
    va = _sum_of_squared_deviations(xs, before) / (len(xs) - 1) / len(xs)
    vb = _sum_of_squared_deviations(ys, after) / (len(ys) - 1) / len(ys)
    se = math.sqrt(va + vb)
    if se == 0:
        return _degenerate(before, after, change, len(xs), len(ys), alpha, MEAN_METHOD, unit)
    df = (va + vb) ** 2 / (va * va / (len(xs) - 1) + vb * vb / (len(ys) - 1))
    t_crit = float(stats.t.ppf(1 - alpha / 2, df))
    p_value = float(2 * stats.t.sf(abs(change) / se, df))
    return _result(
        before,
        after,
        change,
        change - t_crit * se,
        change + t_crit * se,
        min(1.0, p_value),
        len(xs),
        len(ys),
        alpha,
        MEAN_METHOD,
        unit,
    )

