"""Spikes and emerging topics: counts tested against the topic's own baseline.

**Spikes** (:func:`detect_spikes`). For each period ``t`` of a count series (a topic's items per
day, say) with at least ``min_history`` earlier periods, the baseline is the trailing window of
up to ``baseline`` periods before ``t`` (``t`` itself excluded), with mean ``m`` and sample
variance ``v``. The expected count is ``m``; when the window is empty of counts, ``0.5 / w``
(half an item over the ``w`` periods: a rate that has never been seen is small, not zero, so one
item is not infinitely surprising). The p-value is the upper tail ``P(X >= observed)``:

* Poisson(``m``) when ``v <= m``;
* negative binomial with the same mean and variance ``v`` when ``v > m`` (overdispersed: busy
  weeks and quiet weekends), i.e. ``r = m^2 / (v - m)`` (method of moments).

The p-values of all periods tested in one call are adjusted with Benjamini-Hochberg (false
discovery rate ``alpha``, default 1 %); a period is a spike when its adjusted p-value (q) is at
most ``alpha``, its count is above the expected and at least ``min_count``. The tails are
computed from the regularised incomplete gamma and beta functions; the tests check them against
``scipy.stats``.

**Emerging topics** (:func:`emerging`). A topic's count in a recent window against the earlier
window: if its rate were unchanged, the recent count given the total would be binomial with the
share ``recent_length / (recent_length + earlier_length)``; the p-value is that binomial's upper
tail, adjusted across the topics with Benjamini-Hochberg. ``new`` marks topics with no item in
the earlier window.

>>> spikes = detect_spikes([4, 5, 3, 4, 6, 5, 4, 3, 5, 4, 5, 4, 19, 5], baseline=10)
>>> [(s.index, s.observed, round(s.expected, 1), s.test) for s in spikes]
[(12, 19, 4.3, 'poisson')]
>>> [e.topic for e in emerging({1: 12, 2: 5}, {1: 0, 2: 20}, recent_length=7, earlier_length=28)]
[1]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import special


@dataclass(frozen=True, slots=True)
class Spike:
    """A period whose count is improbably high for its own baseline, with the evidence."""

    index: int
    observed: int
    expected: float
    variance: float
    window: int
    test: str
    p_value: float
    q_value: float
    reason: str


@dataclass(frozen=True, slots=True)
class Emerging:
    """A topic growing improbably fast in the recent window (``new``: none before)."""

    topic: int
    recent: int
    earlier: int
    expected: float
    p_value: float
    q_value: float
    new: bool
    reason: str


def poisson_upper(observed: int, mean: float) -> float:
    """``P(X >= observed)`` for X ~ Poisson(mean): the regularised lower incomplete gamma."""
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    return float(special.gammainc(observed, mean))


def negative_binomial_upper(observed: int, mean: float, variance: float) -> float:
    """``P(X >= observed)`` for the negative binomial with this mean and variance (> mean):
    ``r = mean^2 / (variance - mean)``, ``p = r / (r + mean)``; ``I_{1-p}(observed, r)``."""
    if variance <= mean:
        raise ValueError("variance must exceed the mean for the negative binomial")
    if observed <= 0:
        return 1.0
    if mean <= 0:
        return 0.0
    r = mean * mean / (variance - mean)
    p = r / (r + mean)
    return float(special.betainc(observed, r, 1.0 - p))


def binomial_upper(observed: int, trials: int, share: float) -> float:
    """``P(X >= observed)`` for X ~ Binomial(trials, share): ``I_share(observed, trials - observed + 1)``."""
    if observed <= 0:
        return 1.0
    if observed > trials:
        return 0.0
    return float(special.betainc(observed, trials - observed + 1, share))


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini-Hochberg adjusted p-values (q-values), in the input order."""
    p = np.asarray(p_values, dtype=np.float64)
    m = p.size
    if m == 0:
        return []
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return [float(x) for x in out]


def detect_spikes(
    series: Sequence[int],
    *,
    baseline: int = 28,
    min_history: int = 7,
    alpha: float = 0.01,
    min_count: int = 3,
    last: int | None = None,
) -> list[Spike]:
    """Periods of ``series`` that spike against their trailing baseline (module docstring).

    ``last``: test only the last ``last`` periods (e.g. 1 for "is today a spike?"); all
    periods with enough history by default. Returns spikes in period order.
    """
    counts = _counts(series, "series")
    if baseline < 1:
        raise ValueError("baseline must be at least 1")
    if not 1 <= min_history <= baseline:
        raise ValueError("min_history must be between 1 and baseline")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    if last is not None and last < 1:
        raise ValueError("last must be at least 1")
    start = min_history if last is None else max(min_history, len(counts) - last)
    tested = []
    for t in range(start, len(counts)):
        window = counts[max(0, t - baseline) : t]
        mean = float(window.mean())
        variance = float(window.var(ddof=1)) if window.size > 1 else mean
        observed = int(counts[t])
        if mean == 0:
            expected, test, p = 0.5 / window.size, "poisson", poisson_upper(observed, 0.5 / window.size)
        elif variance > mean:
            expected, test, p = mean, "negative binomial", negative_binomial_upper(observed, mean, variance)
        else:
            expected, test, p = mean, "poisson", poisson_upper(observed, mean)
        tested.append((t, observed, expected, variance, window.size, test, p))
    q_values = benjamini_hochberg([row[-1] for row in tested])
    spikes = []
    for (t, observed, expected, variance, size, test, p), q in zip(tested, q_values, strict=True):
        if q <= alpha and observed >= min_count and observed > expected:
            reason = (
                f"{observed} against {expected:.1f} expected from the previous {size} periods "
                f"({test}, p = {p:.2g}, adjusted q = {q:.2g} <= {alpha:g})"
            )
            spikes.append(Spike(t, observed, expected, variance, size, test, p, q, reason))
    return spikes


def emerging(
    recent: Mapping[int, int],
    earlier: Mapping[int, int],
    *,
    recent_length: float,
    earlier_length: float,
    alpha: float = 0.01,
    min_count: int = 3,
) -> list[Emerging]:
    """Topics whose recent count is improbably high given the earlier window (module
    docstring), most significant first. ``recent`` / ``earlier``: topic id -> count;
    ``*_length``: the windows' lengths in any one unit (days)."""
    if recent_length <= 0 or earlier_length <= 0:
        raise ValueError("recent_length and earlier_length must be positive")
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    share = recent_length / (recent_length + earlier_length)
    rows = []
    for topic in sorted(set(recent) | set(earlier)):
        r = int(recent.get(topic, 0))
        e = int(earlier.get(topic, 0))
        if r < 0 or e < 0:
            raise ValueError(f"counts must not be negative (topic {topic})")
        if r < min_count:
            continue
        rows.append((topic, r, e, (r + e) * share, binomial_upper(r, r + e, share)))
    q_values = benjamini_hochberg([row[-1] for row in rows])
    found = []
    for (topic, r, e, expected, p), q in zip(rows, q_values, strict=True):
        if q <= alpha and r > expected:
            reason = (
                f"{r} in the last {recent_length:g} against {e} in the {earlier_length:g} before "
                f"({expected:.1f} expected at the earlier rate; binomial p = {p:.2g}, q = {q:.2g})"
            )
            found.append(Emerging(topic, r, e, expected, p, q, e == 0, reason))
    return sorted(found, key=lambda x: (x.p_value, x.topic))


def _counts(series: Sequence[int], name: str) -> np.ndarray:
    values = np.asarray(series, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of counts")
    if values.size and (not np.isfinite(values).all() or (values < 0).any() or (values != np.round(values)).any()):
        raise ValueError(f"{name} must hold non-negative whole counts")
    return values.astype(np.int64)
