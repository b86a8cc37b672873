"""Means: :func:`compare_means` and :func:`compare_means_counted` (Welch's t interval and test)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence

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
    CES scores): the same result, to the last bit, as on the values written out, without
    materialising them (``math.fsum`` is exactly rounded, so the order of the terms is moot)."""
    xs, ys = _counted(a, "a"), _counted(b, "b")
    _check_alpha(alpha)
    return _welch(xs, ys, unit=_check_unit(unit), alpha=alpha)


class _Repeated:
    """Values with their multiplicities, iterable like the written-out list."""

    def __init__(self, counts: dict[float, int]) -> None:
        self.counts = counts
        self.n = sum(counts.values())

    def __len__(self) -> int:
        return self.n

    def __iter__(self) -> Iterator[float]:
        return itertools.chain.from_iterable(
            itertools.repeat(v, c) for v, c in self.counts.items()
        )

    def squared_deviations(self, centre: float) -> Iterator[float]:
        return itertools.chain.from_iterable(
            itertools.repeat((v - centre) ** 2, c) for v, c in self.counts.items()
        )


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


def _squared_deviations(values: Sequence[float] | _Repeated, centre: float) -> Iterable[float]:
    if isinstance(values, _Repeated):
        return values.squared_deviations(centre)
    return ((x - centre) ** 2 for x in values)


def _welch(
    xs: Sequence[float] | _Repeated, ys: Sequence[float] | _Repeated, *, unit: str, alpha: float
) -> Comparison:
    """Welch's t interval and test (the one implementation; ``xs``, ``ys`` lists or _Repeated)."""
    before = math.fsum(xs) / len(xs) if len(xs) else None
    after = math.fsum(ys) / len(ys) if len(ys) else None
    if before is None or after is None or len(xs) < 2 or len(ys) < 2:
        return _partial(before, after, len(xs), len(ys), alpha, MEAN_METHOD, unit)
    change = after - before
    va = math.fsum(_squared_deviations(xs, before)) / (len(xs) - 1) / len(xs)
    vb = math.fsum(_squared_deviations(ys, after)) / (len(ys) - 1) / len(ys)
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

