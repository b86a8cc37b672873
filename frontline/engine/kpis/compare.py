"""Is a KPI's change between two periods larger than noise? (docs/metrics.md, "Comparing periods")

Three comparisons of a *before* period with an *after* period (previous period, or the same
period last year), each returning a frozen :class:`Comparison`: ``before``, ``after``,
``change = after - before``, a two-sided confidence interval for the change (``ci_low``,
``ci_high``; 95 % at ``alpha = 0.05``), a two-sided ``p_value`` for "no change", ``significant``
(``p_value < alpha``) and a one-line ``reading`` ("up 12 min; larger than noise (p = 0.003)").

* :func:`compare_rates` — a proportion (reopen rate, one-touch rate, CSAT, SLA attainment):
  difference of proportions with Newcombe's hybrid score interval (Newcombe 1998, method 10:
  built from the two Wilson intervals) and the pooled two-proportion z test (the score test).
* :func:`compare_means` — a mean (CES, replies per solved, mean handle time): Welch's unequal
  variance t interval and test.
* :func:`compare_counts` — a count (tickets created, solved): two Poisson counts, per unit of
  exposure (e.g. per day when the periods differ in length), Wald interval and z test of the
  difference (the z test is the score test of equal rates when exposures are equal).
* :func:`compare_nps` — NPS (-100..100) from the 0-10 responses: the multinomial variance of
  ``%promoters - %detractors``, ``(p + d - (p - d)^2) / n`` (x 100^2), Wald interval and z test.
* :func:`compare_medians` — a median duration (first reply, resolution): difference of the
  sample medians with the distribution-free standard error of each median of Price & Bonett
  (2002): from the order statistics ``Y(c)`` and ``Y(n-c+1)``, ``c = round((n+1)/2 - sqrt n)``,
  whose exact binomial coverage ``1 - 2 P(B <= c-1)`` (``B ~ Bin(n, 1/2)``) gives the normal
  quantile ``z_c``: ``se = (Y(n-c+1) - Y(c)) / (2 z_c)``.  The interval is ``change ± z se`` and
  the test is its Wald z, so the interval and the test always agree.  Chosen over a bootstrap
  (deterministic, O(n log n) on a dashboard's thousands of tickets, no seed) and over
  Hodges-Lehmann (which estimates the median of pairwise differences, not the change of the
  median the page shows).  It assumes continuous data; heavy ties at the median make it
  conservative or degenerate (a zero spread: see below).

Assumptions: the two periods' tickets are independent samples.  Medians and means need at
least 2 values per period, rates a non-zero denominator; otherwise the estimates that exist are
given and the interval, p-value are None, ``significant`` False.  When both samples have no
spread (all values equal) the interval is the point ``[change, change]`` and ``p_value`` is 1
for no change and 0 otherwise.  The Newcombe interval and the z test are different procedures
and can disagree at the 5 % boundary (rarely); ``significant`` follows the test.

>>> r = compare_rates(30, 400, 52, 400)
>>> round(r.change, 3), r.significant, r.reading
(0.055, True, 'up 5.5 points (7.5% to 13.0%); larger than noise (p = 0.01)')
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from scipy import stats

from . import _words

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
    if se == 0:
        return _degenerate(before, after, change, c1, c2, alpha, COUNT_METHOD, unit)
    z = _z(alpha)
    return _result(
        before,
        after,
        change,
        change - z * se,
        change + z * se,
        _two_sided_normal(change, se),
        c1,
        c2,
        alpha,
        COUNT_METHOD,
        unit,
    )


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
    if se == 0:
        return _degenerate(before, after, change, n_a, n_b, alpha, NPS_METHOD, unit)
    z = _z(alpha)
    return _result(
        before,
        after,
        change,
        change - z * se,
        change + z * se,
        _two_sided_normal(change, se),
        n_a,
        n_b,
        alpha,
        NPS_METHOD,
        unit,
    )


def _nps_parts(tally: tuple[int, int, int]) -> tuple[float, float]:
    """NPS (-100..100) and the variance of one response's contribution (x 100^2) of a tally."""
    promoting, detracting, n = tally
    if not n:
        return 0.0, 0.0
    promoters = promoting / n
    detractors = detracting / n
    score = promoters - detractors
    return 100 * score, 10_000 * (promoters + detractors - score * score)


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
    if se == 0:
        return _degenerate(before, after, change, len(xs), len(ys), alpha, MEDIAN_METHOD, unit)
    z = _z(alpha)
    return _result(
        before,
        after,
        change,
        change - z * se,
        change + z * se,
        _two_sided_normal(change, se),
        len(xs),
        len(ys),
        alpha,
        MEDIAN_METHOD,
        unit,
    )


# -- helpers -------------------------------------------------------------------------------


def _median(ordered: Sequence[float]) -> float | None:
    """The middle of values sorted ascending (the mean of the two middle ones for an even count)."""
    if not len(ordered):
        return None
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[mid])
    return (float(ordered[mid - 1]) + float(ordered[mid])) / 2


def _z(alpha: float) -> float:
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
