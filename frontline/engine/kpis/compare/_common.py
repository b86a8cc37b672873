"""What every comparison shares: the :class:`Comparison` it returns, argument checks, the normal
quantiles and the plain-English reading."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy import stats

from .. import _words

RATE_METHOD = "Newcombe hybrid score interval; pooled two-proportion z test"
MEAN_METHOD = "Welch t interval and test"
MEDIAN_METHOD = "Price-Bonett median standard errors; Wald z interval and test"
COUNT_METHOD = "Poisson counts: Wald interval and z test of the difference"
NPS_METHOD = "NPS: multinomial Wald interval and z test"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The change of one KPI from ``before`` to ``after``; None where it cannot be computed."""

    before: float | None
    after: float | None
    change: float | None
    ci_low: float | None
    ci_high: float | None
    p_value: float | None
    significant: bool
    n_before: int
    n_after: int
    alpha: float
    method: str
    reading: str

    @property
    def direction(self) -> str:
        """``"up"``, ``"down"``, ``"flat"`` or ``""`` when there is no change to speak of."""
        if self.change is None:
            return ""
        return "up" if self.change > 0 else "down" if self.change < 0 else "flat"


def _median(ordered: Sequence[float]) -> float | None:
    """The middle of values sorted ascending (the mean of the two middle ones for an even count)."""
    if not len(ordered):
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (float(ordered[mid - 1]) + float(ordered[mid])) / 2


@functools.lru_cache(maxsize=64)
def _z(alpha: float) -> float:
    """The two-sided normal quantile of ``alpha`` (a page asks for the same one dozens of times)."""
    return float(stats.norm.isf(alpha / 2))


def _two_sided_normal(change: float, se: float) -> float:
    if se == 0:
        return 1.0 if change == 0 else 0.0
    return min(1.0, float(2 * stats.norm.sf(abs(change) / se)))


def _check_count(k: int, n: int, k_name: str, n_name: str) -> None:
    for name, value in ((k_name, k), (n_name, n)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number >= 0, got {value!r}")
    if k > n:
        raise ValueError(f"{k_name}: must be at most {n_name} ({n}), got {k}")


def _check_alpha(alpha: float) -> None:
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha!r}")


def _values(values: Sequence[float], name: str) -> list[float]:
    if isinstance(values, str | bytes):
        raise ValueError(f"{name}: must be a sequence of numbers")
    out = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{name}: must hold numbers, got {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{name}: must hold finite numbers, got {value!r}")
        out.append(float(value))
    return out


def _check_unit(unit: str) -> str:
    if not isinstance(unit, str):
        raise ValueError(f"unit: must be a string, got {unit!r}")
    return unit


def _size(change: float, unit: str | None) -> str:
    """The size of a change: percentage points for a rate (``unit`` None), else the amount."""
    return _words.points(change) if unit is None else _words.amount(abs(change), unit)


def _level(value: float, unit: str | None) -> str:
    return _words.percent(value) if unit is None else _words.amount(value, unit)


def _result(
    before: float,
    after: float,
    change: float,
    low: float,
    high: float,
    p_value: float,
    n1: int,
    n2: int,
    alpha: float,
    method: str,
    unit: str | None,
) -> Comparison:
    significant = p_value < alpha
    noise = "larger than noise" if significant else "within noise"
    if change == 0:
        head = "no change"
    else:
        word = "up" if change > 0 else "down"
        head = f"{word} {_size(change, unit)} ({_level(before, unit)} to {_level(after, unit)})"
    return Comparison(
        before=before,
        after=after,
        change=change,
        ci_low=low,
        ci_high=high,
        p_value=p_value,
        significant=significant,
        n_before=n1,
        n_after=n2,
        alpha=alpha,
        method=method,
        reading=f"{head}; {noise} ({_words.p_text(p_value)})",
    )


def _degenerate(
    before: float,
    after: float,
    change: float,
    n1: int,
    n2: int,
    alpha: float,
    method: str,
    unit: str | None,
) -> Comparison:
    p_value = 1.0 if change == 0 else 0.0
    return _result(before, after, change, change, change, p_value, n1, n2, alpha, method, unit)


def _partial(
    before: float | None,
    after: float | None,
    n1: int,
    n2: int,
    alpha: float,
    method: str,
    unit: str | None,
) -> Comparison:
    if n1 == 0 and n2 == 0:
        reading = "no data in either period"
    elif n1 == 0:
        reading = "no data in the earlier period"
    elif n2 == 0:
        reading = "no data in the later period"
    else:
        reading = f"too few to judge (n {n1} before, {n2} after)"
    change = None if before is None or after is None else after - before
    return Comparison(
        before=before,
        after=after,
        change=change,
        ci_low=None,
        ci_high=None,
        p_value=None,
        significant=False,
        n_before=n1,
        n_after=n2,
        alpha=alpha,
        method=method,
        reading=reading,
    )


def _normal(
    before: float,
    after: float,
    change: float,
    se: float,
    n1: int,
    n2: int,
    alpha: float,
    method: str,
    unit: str | None,
) -> Comparison:
    """A change whose estimate is normal with standard error ``se``: change ± z·se, two-sided p."""
    if se == 0:
        return _degenerate(before, after, change, n1, n2, alpha, method, unit)
    z = _z(alpha)
    return _result(before, after, change, change - z * se, change + z * se, _two_sided_normal(change, se),
                   n1, n2, alpha, method, unit)
