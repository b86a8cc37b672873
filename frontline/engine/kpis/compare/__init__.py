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

from ._common import COUNT_METHOD, MEAN_METHOD, MEDIAN_METHOD, NPS_METHOD, RATE_METHOD, Comparison
from .means import compare_means, compare_means_counted
from .medians import compare_medians, compare_medians_sorted, median_standard_error
from .rates import compare_counts, compare_nps, compare_nps_counted, compare_rates, wilson_interval

__all__ = [
    "COUNT_METHOD",
    "MEAN_METHOD",
    "MEDIAN_METHOD",
    "NPS_METHOD",
    "RATE_METHOD",
    "Comparison",
    "compare_counts",
    "compare_means",
    "compare_means_counted",
    "compare_medians",
    "compare_medians_sorted",
    "compare_nps",
    "compare_nps_counted",
    "compare_rates",
    "median_standard_error",
    "wilson_interval",
]
