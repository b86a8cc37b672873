"""Means: :func:`compare_means` and :func:`compare_means_counted` (Welch's t interval and test)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
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
    """Values with their multiplicities (distinct finite values, counts > 0), summed as the written-out list."""

    def __init__(self, values: list[float], counts: list[int]) -> None:
        self.values = values
        self.counts = counts
        self.n = sum(counts)

    def __len__(self) -> int:
        return self.n

    def total(self) -> float:
        return _exact_sum(self.values, self.counts)

    def squared_deviations(self, centre: float) -> float:
        # each deviation squared as the list path squares it (Python's ``**``), then summed exactly
        return _exact_sum([(v - centre) ** 2 for v in self.values], self.counts)


def exact_counted_sum(terms: Iterable[tuple[float, int]]) -> float:
    """``math.fsum`` of each ``value`` written out ``count`` times, to the last bit, in time
    proportional to the distinct values: fsum returns the exact sum correctly rounded (half to
    even), and so does this, adding ``count * value`` exactly as integers over a common power of
    two (every finite float is ``m * 2**e`` with an integer ``|m| < 2**53``) and rounding once
    (``int / int`` is correctly rounded).

    >>> exact_counted_sum([(0.1, 3), (1e16, 1), (-1e16, 1)]) == math.fsum([0.1] * 3 + [1e16, -1e16])
    True
    """
    kept = [(float(v), c) for v, c in terms if c]
    return _exact_sum([v for v, _ in kept], [c for _, c in kept])


# Below this many values in all, the exact sums fit numpy's int64 (|m| < 2**53 split in 27 + 26 bits).
_NUMPY_SUM_LIMIT = 2**35
_LOW_BITS = 26


def _exact_sum(values: list[float], counts: list[int]) -> float:
    """:func:`exact_counted_sum` of ``values[i]`` written out ``counts[i] > 0`` times."""
    array = np.array(values, dtype=np.float64)
    if not values or not np.isfinite(array).all():
        return math.fsum(values)  # nothing (0.0); inf, nan or fsum's error whatever the counts, as fsum gives them
    n = sum(counts)
    if n < _NUMPY_SUM_LIMIT:
        fraction, exponent = np.frexp(array)  # value = fraction * 2**exponent, 0.5 <= |fraction| < 1
        mantissa = np.ldexp(fraction, 53).astype(np.int64)  # exact: a float has 53 significant bits
        power = exponent.astype(np.int64) - 53  # value = mantissa * 2**power
        order = np.argsort(power, kind="stable")
        mantissa, power = mantissa[order], power[order]
        times = np.array(counts, dtype=np.int64)[order]
        sign, size = np.sign(mantissa), np.abs(mantissa)
        high = sign * (size >> _LOW_BITS) * times  # |sum| < 2**27 * n < 2**62: no overflow
        low = sign * (size & ((1 << _LOW_BITS) - 1)) * times
        starts = np.flatnonzero(np.r_[True, power[1:] != power[:-1]])  # one group per power of two
        base = int(power[0])
        total = sum(((int(h) << _LOW_BITS) + int(lo)) << (int(p) - base) for h, lo, p in zip(
            np.add.reduceat(high, starts), np.add.reduceat(low, starts), power[starts], strict=True))
    else:  # more values than int64 sums can hold: the same sum with Python's integers
        ratios = [v.as_integer_ratio() for v in values]  # (p, 2**k): value = p * 2**-k
        base = -max(q.bit_length() - 1 for _, q in ratios)  # the sum is total * 2**base
        total = sum(p * c << (-base - (q.bit_length() - 1)) for (p, q), c in zip(ratios, counts, strict=True))
    if total == 0:
        return math.fsum(values)  # a zero with the sign fsum gives it
    return total / (1 << -base) if base < 0 else float(total << base)


def _counted(counts: Mapping[float, int], name: str) -> _Repeated:
    if not isinstance(counts, Mapping):
        raise ValueError(f"{name}: must map values to counts")
    values, times = list(counts), list(counts.values())
    if (set(map(type, values)) <= {float} and set(map(type, times)) <= {int} and min(times, default=0) >= 0
            and np.isfinite(np.array(values, dtype=np.float64)).all()):  # distinct finite floats: nothing to merge
        if 0 in times:
            values, times = [v for v, c in zip(values, times, strict=True) if c], [c for c in times if c]
        return _Repeated(values, times)
    out: dict[float, int] = {}
    for value, count in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"{name}: must hold finite numbers, got {value!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"{name}: counts must be whole numbers >= 0, got {count!r}")
        if count:
            out[float(value)] = out.get(float(value), 0) + count
    return _Repeated(list(out), list(out.values()))


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

