"""A KPI's change between two slices (this period vs the previous one, or vs last year), and
whether it is larger than noise: the statistics are :mod:`frontline.engine.kpis.compare`'s.

- rates (one-touch, reopen, reassignment, escalation, CSAT): ``compare_rates`` (Newcombe interval,
  two-proportion z test) on successes of trials;
- medians (first reply, full resolution): ``compare_medians`` (Price-Bonett standard errors);
- means (handle time): ``compare_means`` (Welch);
- counts (tickets, solved): ``compare_counts`` (Poisson, per hour of the lengths compared);
- NPS: ``compare_nps_counted``; CES: ``compare_means``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from frontline.engine.kpis import distribution_of_sorted
from frontline.engine.kpis.compare import (
    compare_counts,
    compare_means_counted,
    compare_medians_sorted,
    compare_nps_counted,
    compare_rates,
)

from .samples import Sample, sample_of_rows
from .selectors import KPI_KINDS

# card key -> the KPI whose parts a test compares
_KPI_OF = {"tickets": "tickets", "solved": "solved", "first_reply_median": "first_reply_median",
           "resolution_median": "resolution_median", "one_touch_rate": "one_touch_rate", "reopen_rate": "reopen_rate",
           "reassignment_rate": "reassignment_rate", "escalation_rate": "escalation_rate",
           "handle_time_mean": "handle_time_mean", "csat": "csat", "nps": "nps", "ces": "ces"}
_UNITS = {"first_reply_median": "min", "resolution_median": "min", "handle_time_mean": "s"}


@dataclass(frozen=True)
class Change:
    before: float | None
    delta: float | None  # now - before, in the KPI's unit
    significant: bool | None  # None: not tested (a count, or too little data to test)
    low: float | None = None  # confidence interval (95 %) of the change
    high: float | None = None
    p_value: float | None = None
    method: str = ""
    reading: str = ""


def change(*, key: str, test: str, now: Sample | Sequence[dict], before: Sample | Sequence[dict],
           hours: tuple[float, float] = (1.0, 1.0)) -> Change:
    """The change of card ``key`` from ``before`` to ``now`` with the test of its kind (``test``).

    ``now`` and ``before`` are samples (metrics/samples.py) or fact rows (read into samples).
    ``hours``: the lengths (before, now) the rows were counted over: a count is tested as a rate per
    hour (Poisson), so a 31-day month is not "more tickets" than a 28-day one.
    """
    kpi = _KPI_OF[key]
    after_s = now if isinstance(now, Sample) else sample_of_rows(now)
    before_s = before if isinstance(before, Sample) else sample_of_rows(before)
    value_now, value_before = sample_value(after_s, kpi), sample_value(before_s, kpi)
    delta = None if value_now is None or value_before is None else value_now - value_before
    if test == "rate":
        (k2, n2), (k1, n1) = sample_parts(after_s, kpi), sample_parts(before_s, kpi)  # type: ignore[misc]
        if not n1 or not n2:
            return Change(before=value_before, delta=delta, significant=None)
        result = compare_rates(k1, n1, k2, n2)
    elif test == "count":
        (c2, _), (c1, _) = sample_parts(after_s, kpi), sample_parts(before_s, kpi)  # type: ignore[misc]
        if hours[0] <= 0 or hours[1] <= 0:
            return Change(before=value_before, delta=delta, significant=None)
        result = compare_counts(c1, c2, exposure1=hours[0], exposure2=hours[1])
    elif test == "nps":
        result = compare_nps_counted(before_s.totals.nps, after_s.totals.nps)
    elif test == "median":
        a, b = sample_parts(before_s, kpi), sample_parts(after_s, kpi)
        result = compare_medians_sorted(a, b, unit=_UNITS.get(kpi, ""))  # type: ignore[arg-type]
    elif test == "mean":
        a, b = sample_parts(before_s, kpi), sample_parts(after_s, kpi)
        result = compare_means_counted(a, b, unit=_UNITS.get(kpi, ""))  # type: ignore[arg-type]
    else:
        return Change(before=value_before, delta=delta, significant=None)
    tested = result.p_value is not None
    return Change(before=value_before, delta=delta, significant=result.significant if tested else None,
                  low=result.ci_low, high=result.ci_high, p_value=result.p_value, method=result.method,
                  reading=result.reading)


def sample_parts(sample: Sample, kpi: str) -> tuple[int, int] | Sequence[float] | Mapping[float, int]:
    """What a test compares of a sample: (successes, trials) for a rate, (count, count) for a count,
    the sorted values for a median, ``{value: how many}`` for a mean (as :func:`selectors.kpi_parts` of rows)."""
    t = sample.totals
    parts: dict[str, tuple[int, int]] = {
        "one_touch_rate": (t.one_touch, t.solved), "reopen_rate": (t.reopened, t.ever_solved),
        "reassignment_rate": (t.reassigned, t.tickets), "escalation_rate": (sample.escalated, t.tickets),
        "csat": (sum(n for s, n in t.csat.items() if s >= 4), sum(t.csat.values())),
        "solved": (t.solved, t.solved), "tickets": (t.tickets, t.tickets),
    }
    if kpi in parts:
        return parts[kpi]
    if kpi == "first_reply_median":
        return sample.first_reply
    if kpi == "resolution_median":
        return sample.resolution
    if kpi == "handle_time_mean":
        return dict(zip(map(float, sample.handle), sample.handle.values(), strict=True))
    if kpi == "ces":
        return dict(zip(map(float, t.ces), t.ces.values(), strict=True))
    raise ValueError(f"kpi: unknown KPI {kpi!r}")


def sample_value(sample: Sample, kpi: str) -> float | None:
    """One KPI's value over a sample; equal to :func:`selectors.kpi_value` over the same rows."""
    kind = KPI_KINDS[kpi]
    if kind == "nps":
        nps = sample.totals.nps
        n = sum(nps.values())
        if not n:
            return None
        return 100 * (sum(c for s, c in nps.items() if s >= 9) - sum(c for s, c in nps.items() if s <= 6)) / n
    parts = sample_parts(sample, kpi)
    if kind == "count":
        return float(parts[0])  # type: ignore[index]
    if kind == "rate":
        k, n = parts  # type: ignore[misc]
        return k / n if n else None
    if kind == "median":
        return distribution_of_sorted(parts).median  # type: ignore[arg-type]
    counts: Mapping[float, int] = parts  # type: ignore[assignment]
    n = sum(counts.values())
    return sum(v * c for v, c in counts.items()) / n if n else None
