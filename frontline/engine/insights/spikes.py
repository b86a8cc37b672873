"""Spikes and emerging topics: counts tested against the topic's own baseline.

**Spikes** (:func:`detect_spikes`). For each period ``t`` of a count series (a topic's items per
day, say) with at least ``min_history`` earlier periods *of data*, the baseline is the trailing
window of up to ``baseline`` periods before ``t`` (``t`` itself excluded), with mean ``m`` and
sample variance ``v``. Periods before ``first`` (the first period with data: the feed had not
begun) are unknown, not zero: they never enter a baseline, so a short history is not padded with
empty periods that would make any count look improbable. The expected count is ``m``; when the
window is empty of counts, ``0.5 / w`` (half an item over the ``w`` periods: a rate that has
never been seen is small, not zero, so one item is not infinitely surprising). The p-value is
the upper tail ``P(X >= observed)``: the probability of a count at least this high if the
period were like its baseline, under

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
tail, adjusted across the topics with Benjamini-Hochberg. ``earlier_length`` may differ per topic
(the part of the earlier window since the topic's data began). ``new`` marks topics with no item
in the earlier window.

Each result carries its evidence and a ``reason``: one sentence that says what was tested, in
words, with p-values written by :func:`p_text` (``p < 0.0001``, else three significant digits).

>>> spikes = detect_spikes([4, 5, 3, 4, 6, 5, 4, 3, 5, 4, 5, 4, 19, 5], baseline=10)
>>> [(s.index, s.observed, round(s.expected, 1), s.test) for s in spikes]
[(12, 19, 4.3, 'poisson')]
>>> short = [0] * 12 + [2, 1, 2, 9]  # the feed began four periods ago
>>> [s.index for s in detect_spikes(short, baseline=12, min_history=4)]  # zeros taken for data
[15]
>>> detect_spikes(short, baseline=12, min_history=4, first=12)  # 3 periods of data: not tested
[]
>>> [e.topic for e in emerging({1: 12, 2: 5}, {1: 0, 2: 20}, recent_length=7, earlier_length=28)]
[1]
>>> p_text(0.03125), p_text(2e-9), p_text(0.5)
('p = 0.0312', 'p < 0.0001', 'p = 0.5')
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


def p_text(p: float, *, name: str = "p") -> str:
    """A p-value for people: ``"p < 0.0001"`` below 0.0001, else three significant digits
    (``"p = 0.0312"``, ``"p = 0.5"``). ``name``: the letter written ("q" for an adjusted one)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError("p must be between 0 and 1")
    if p < 0.0001:
        return f"{name} < 0.0001"
    return f"{name} = {p:.3g}"


def detect_spikes(
    series: Sequence[int],
    *,
    baseline: int = 28,
    min_history: int = 7,
    alpha: float = 0.01,
    min_count: int = 3,
    last: int | None = None,
    first: int = 0,
    unit: str = "period",
) -> list[Spike]:
    """Periods of ``series`` that spike against their trailing baseline (module docstring).

    ``last``: test only the last ``last`` periods (e.g. 1 for "is today a spike?"); all
    periods with enough history by default. ``first``: the index of the first period with data
    (earlier periods are not zeros but unknown: they are neither tested nor in any baseline);
    a period is tested only with ``min_history`` periods of data before it. ``unit``: the name
    of a period in the reasons ("week"). Returns spikes in period order.
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
    if first < 0:
        raise ValueError("first must not be negative")
    if not unit.strip():
        raise ValueError("unit must name the period")
    start = first + min_history if last is None else max(first + min_history, len(counts) - last)
    tested = []
    for t in range(start, len(counts)):
        window = counts[max(first, t - baseline) : t]
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
            spikes.append(Spike(t, observed, expected, variance, size, test, p, q,
                                _spike_reason(observed, expected, size, test, p, q, alpha, len(tested), unit)))
    return spikes


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _spike_reason(observed: int, expected: float, window: int, test: str, p: float, q: float, alpha: float,
                  tested: int, unit: str) -> str:
    model = ("Poisson" if test == "poisson" else
             "negative binomial (these " + unit + "s vary more than a Poisson count would)")
    return (
        f"{observed} items against {expected:.1f} expected from the previous {_plural(window, unit)}. "
        f"Test: if this {unit} were like those, {observed} or more would come with probability "
        f"{p_text(p)} ({model} upper tail); after the Benjamini-Hochberg correction for the "
        f"{_plural(tested, unit)} tested, {p_text(q, name='q')}, within the {alpha * 100:g} % false discovery rate."
    )


def emerging(
    recent: Mapping[int, int],
    earlier: Mapping[int, int],
    *,
    recent_length: float,
    earlier_length: float | Mapping[int, float],
    alpha: float = 0.01,
    min_count: int = 3,
    unit: str = "day",
) -> list[Emerging]:
    """Topics whose recent count is improbably high given the earlier window (module
    docstring), most significant first. ``recent`` / ``earlier``: topic id -> count;
    ``*_length``: the windows' lengths in ``unit``s; ``earlier_length`` may be a mapping topic
    id -> length (a topic without an entry, or with length 0, is not tested)."""
    if recent_length <= 0:
        raise ValueError("recent_length must be positive")
    if isinstance(earlier_length, Mapping):
        lengths = {int(t): float(v) for t, v in earlier_length.items()}
        if any(v < 0 for v in lengths.values()):
            raise ValueError("earlier_length must not be negative")
    else:
        if earlier_length <= 0:
            raise ValueError("earlier_length must be positive")
        lengths = {int(t): float(earlier_length) for t in set(recent) | set(earlier)}
    if not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    if min_count < 1:
        raise ValueError("min_count must be at least 1")
    rows = []
    for topic in sorted(set(recent) | set(earlier)):
        r = int(recent.get(topic, 0))
        e = int(earlier.get(topic, 0))
        if r < 0 or e < 0:
            raise ValueError(f"counts must not be negative (topic {topic})")
        length = lengths.get(topic, 0.0)
        if r < min_count or length <= 0:
            continue
        share = recent_length / (recent_length + length)
        rows.append((topic, r, e, length, share, (r + e) * share, binomial_upper(r, r + e, share)))
    q_values = benjamini_hochberg([row[-1] for row in rows])
    found = []
    for (topic, r, e, length, share, expected, p), q in zip(rows, q_values, strict=True):
        if q <= alpha and r > expected:
            reason = (
                f"{r} items in the last {_plural_length(recent_length, unit)} against {e} in the "
                f"{_plural_length(length, unit)} before ({expected:.1f} expected at the earlier rate). Test: "
                f"if the rate had not changed, each of the {r + e} items would fall in the recent window with "
                f"chance {share * 100:.0f} %, and {r} or more of them would with probability {p_text(p)} (binomial upper "
                f"tail); after the Benjamini-Hochberg correction for the {_plural(len(rows), 'topic')} tested, "
                f"{p_text(q, name='q')}, within the {alpha * 100:g} % false discovery rate."
            )
            found.append(Emerging(topic, r, e, expected, p, q, e == 0, reason))
    return sorted(found, key=lambda x: (x.p_value, x.topic))


def _plural_length(length: float, unit: str) -> str:
    return f"{length:g} {unit}" if length == 1 else f"{length:g} {unit}s"


def _counts(series: Sequence[int], name: str) -> np.ndarray:
    values = np.asarray(series, dtype=np.float64)
    if values.ndim != 1:
        raise ValueError(f"{name} must be a 1-D sequence of counts")
    if values.size and (not np.isfinite(values).all() or (values < 0).any() or (values != np.round(values)).any()):
        raise ValueError(f"{name} must hold non-negative whole counts")
    return values.astype(np.int64)
