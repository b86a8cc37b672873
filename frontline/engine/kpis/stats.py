"""Percentiles with linear interpolation between order statistics, and median/p90 summaries."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(*, values: Iterable[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100) of ``values``, None when there are none.

    Linear interpolation between order statistics (Hyndman & Fan type 7, numpy's default
    ``'linear'`` method): sort ``x``, take position ``h = (n - 1) q / 100`` and return
    ``x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])``.
    """
    if isinstance(q, bool) or not isinstance(q, int | float) or not 0 <= q <= 100:
        raise ValueError(f"q: must be a number in [0, 100], got {q!r}")
    ordered = sorted(float(v) for v in values)
    if any(not math.isfinite(v) for v in ordered):
        raise ValueError("values: must be finite numbers")
    return percentile_of_sorted(ordered, q=q)


def percentile_of_sorted(ordered: Sequence[float], *, q: float) -> float | None:
    """:func:`percentile` of values already sorted ascending and checked finite (a list or a
    numpy array): only the two order statistics around position ``(n - 1) q / 100`` are read."""
    if not len(ordered):
        return None
    h = (len(ordered) - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, len(ordered) - 1)
    low, high = float(ordered[lo]), float(ordered[hi])
    return low + (h - lo) * (high - low)


@dataclass(frozen=True, slots=True)
class Distribution:
    """Median and p90 of ``n`` durations in minutes (None when ``n`` is 0)."""

    median: float | None
    p90: float | None
    n: int


def distribution(*, values: Iterable[float]) -> Distribution:
    """The :class:`Distribution` of ``values``."""
    data = [float(v) for v in values]
    return Distribution(
        median=percentile(values=data, q=50), p90=percentile(values=data, q=90), n=len(data)
    )


def distribution_of_sorted(ordered: Sequence[float]) -> Distribution:
    """:func:`distribution` of values already sorted ascending and checked finite (equal to it
    on the same values, to the last bit)."""
    return Distribution(
        median=percentile_of_sorted(ordered, q=50),
        p90=percentile_of_sorted(ordered, q=90),
        n=len(ordered),
    )
