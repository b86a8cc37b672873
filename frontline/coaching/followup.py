"""Before vs after a coaching session, and the words a lead reads.

The statistics are :mod:`frontline.engine.kpis.compare`'s, chosen by the KPI's kind:

- rates (one-touch resolution, reopen, CSAT): ``compare_rates`` (Newcombe interval, z test);
- medians (first reply, full resolution): ``compare_medians`` (Price-Bonett);
- means (handle time, a QA criterion's score): ``compare_means`` (Welch).

The verdict (:func:`verdict`) is one of:

- ``too_little_data``: fewer than ``MIN_N`` observations in either window, or no test possible;
- ``improved`` / ``worsened``: the 95 % interval of the change excludes zero (p < 0.05), in the
  better / worse direction for that KPI;
- ``no_change``: enough data and the interval includes zero ("no detectable change").

This module does not import Django: its inputs are numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frontline.engine.kpis.compare import Comparison, compare_means, compare_medians, compare_rates

MIN_N = 10

# key -> (label, kind, unit for the engine's words, higher is better, display unit)
KPIS: dict[str, tuple[str, str, str, bool, str]] = {
    "first_reply_median": ("First reply, median", "median", "min", False, "minutes"),
    "resolution_median": ("Full resolution, median", "median", "min", False, "minutes"),
    "csat": ("CSAT (4\u20135 of 5)", "rate", "", True, "fraction"),
    "one_touch_rate": ("One-touch resolution (FCR)", "rate", "", True, "fraction"),
    "reopen_rate": ("Reopen rate", "rate", "", False, "fraction"),
    "handle_time_mean": ("Average handle time", "mean", "s", False, "seconds"),
}

VERDICTS = {
    "improved": "Improved, larger than noise",
    "worsened": "Worse, larger than noise",
    "no_change": "No detectable change",
    "too_little_data": "Too little data",
}


@dataclass(frozen=True)
class Verdict:
    code: str
    words: str


def compare_parts(kind: str, before: tuple[int, int] | Sequence[float], after: tuple[int, int] | Sequence[float],
                  *, unit: str = "") -> Comparison:
    """Compare two windows of one KPI: for a rate ``(successes, trials)`` each, else the values."""
    if kind == "rate":
        (k1, n1), (k2, n2) = before, after  # type: ignore[misc]
        return compare_rates(int(k1), int(n1), int(k2), int(n2))
    if kind == "median":
        return compare_medians(list(before), list(after), unit=unit)  # type: ignore[arg-type]
    if kind == "mean":
        return compare_means(list(before), list(after), unit=unit)  # type: ignore[arg-type]
    raise ValueError(f"kind: must be rate, median or mean, not {kind!r}")


def verdict(comparison: Comparison, *, higher_is_better: bool, min_n: int = MIN_N) -> Verdict:
    """The plain-words reading of a before/after comparison (see the module's docstring)."""
    if (comparison.n_before < min_n or comparison.n_after < min_n or comparison.p_value is None
            or comparison.change is None):
        return Verdict("too_little_data", VERDICTS["too_little_data"])
    if not comparison.significant or comparison.change == 0:
        return Verdict("no_change", VERDICTS["no_change"])
    better = (comparison.change > 0) == higher_is_better
    code = "improved" if better else "worsened"
    return Verdict(code, VERDICTS[code])
