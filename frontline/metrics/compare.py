"""A KPI's change between two slices (this period vs the previous one, or vs last year), and
whether it is larger than noise: the statistics are :mod:`frontline.engine.kpis.compare`'s.

- rates (one-touch, reopen, reassignment, escalation, CSAT): ``compare_rates`` (Newcombe interval,
  two-proportion z test) on successes of trials;
- medians (first reply, full resolution): ``compare_medians`` (Price-Bonett standard errors);
- means (handle time): ``compare_means`` (Welch);
- counts (tickets, solved): ``compare_counts`` (Poisson, per hour of the lengths compared);
- NPS: ``compare_nps``; CES: ``compare_means``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from frontline.engine.kpis.compare import (
    compare_counts,
    compare_means,
    compare_medians,
    compare_nps,
    compare_rates,
)

from .selectors import kpi_parts, kpi_value

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


def change(*, key: str, test: str, now: Sequence[dict], before: Sequence[dict],
           hours: tuple[float, float] = (1.0, 1.0)) -> Change:
    """The change of card ``key`` from ``before`` to ``now`` with the test of its kind (``test``).

    ``hours``: the lengths (before, now) the rows were counted over: a count is tested as a rate per
    hour (Poisson), so a 31-day month is not "more tickets" than a 28-day one.
    """
    kpi = _KPI_OF[key]
    value_now, value_before = kpi_value(now, kpi), kpi_value(before, kpi)
    delta = None if value_now is None or value_before is None else value_now - value_before
    if test == "rate":
        (k2, n2), (k1, n1) = kpi_parts(now, kpi), kpi_parts(before, kpi)  # type: ignore[misc]
        if not n1 or not n2:
            return Change(before=value_before, delta=delta, significant=None)
        result = compare_rates(k1, n1, k2, n2)
    elif test == "count":
        (c2, _), (c1, _) = kpi_parts(now, kpi), kpi_parts(before, kpi)  # type: ignore[misc]
        if hours[0] <= 0 or hours[1] <= 0:
            return Change(before=value_before, delta=delta, significant=None)
        result = compare_counts(c1, c2, exposure1=hours[0], exposure2=hours[1])
    elif test == "nps":
        a, b = kpi_parts(before, kpi), kpi_parts(now, kpi)
        result = compare_nps([int(x) for x in a], [int(x) for x in b])  # type: ignore[union-attr]
    elif test in ("median", "mean"):
        a, b = kpi_parts(before, kpi), kpi_parts(now, kpi)
        compare = compare_medians if test == "median" else compare_means
        result = compare(a, b, unit=_UNITS.get(kpi, ""))  # type: ignore[arg-type]
    else:
        return Change(before=value_before, delta=delta, significant=None)
    tested = result.p_value is not None
    return Change(before=value_before, delta=delta, significant=result.significant if tested else None,
                  low=result.ci_low, high=result.ci_high, p_value=result.p_value, method=result.method,
                  reading=result.reading)
