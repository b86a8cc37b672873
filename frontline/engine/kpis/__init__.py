"""Help-desk KPIs from per-ticket event sequences (Zendesk definitions; docs/metrics.md).

Pure: events (frozen :class:`Event`) in, a frozen :class:`KpiReport` out; no Django.

* ``events.py``: :class:`Event`, the kinds, roles, status categories and survey scales.
* ``tickets.py``: :func:`ticket_facts` replays each ticket's events into :class:`TicketFacts`.
* ``stats.py``: :func:`percentile` (linear interpolation between order statistics, numpy's
  default ``'linear'`` method) and :class:`Distribution` (median, p90, n).
* ``report.py``: :func:`summarize` and :func:`compute_kpis` (the catalogue).
* ``compare/`` (``rates.py``, ``means.py``, ``medians.py``): :func:`compare_rates`,
  :func:`compare_means`, :func:`compare_medians`, :func:`compare_counts`, :func:`compare_nps` — a
  change between two periods with a confidence interval, a test and a plain reading.
* ``decompose.py``: :func:`decompose_change` — a change split exactly into mix and rate.
* ``outliers.py``: :func:`flag_outliers` (:func:`flag_rate_outliers`,
  :func:`flag_duration_outliers`) — agents far from the rest of their team, with the reason.
* ``targets.py``: :func:`target_status` — met / missed / on track / at risk, projected.
* ``customer.py``: :func:`qa_score`, :func:`cost_per_contact`, :func:`deflection_rate` — the
  customer KPIs read from QA reviews, the budget and (one day) self-service, not from events.
"""

from .compare import (
    Comparison,
    compare_counts,
    compare_means,
    compare_means_counted,
    compare_medians,
    compare_medians_sorted,
    compare_nps,
    compare_nps_counted,
    compare_rates,
    median_standard_error,
    wilson_interval,
)
from .customer import QaScore, cost_per_contact, deflection_rate, qa_score
from .decompose import Decomposition, SegmentChange, decompose_change
from .events import (
    CATEGORIES,
    KINDS,
    ROLES,
    SOLVED_CATEGORIES,
    SURVEY_SCALES,
    Event,
    EventError,
    parse_survey,
)
from .outliers import (
    AgentOutlier,
    OutlierReport,
    benjamini_hochberg,
    fisher_exact_p,
    flag_duration_outliers,
    flag_outliers,
    flag_rate_outliers,
    mann_whitney_p,
)
from .report import KpiReport, KpiTotals, compute_kpis, report_of_totals, summarize
from .stats import (
    Distribution,
    distribution,
    distribution_of_sorted,
    percentile,
    percentile_of_sorted,
)
from .targets import TargetStatus, target_status
from .tickets import TicketFacts, ticket_facts

__all__ = [
    "CATEGORIES",
    "KINDS",
    "ROLES",
    "SOLVED_CATEGORIES",
    "SURVEY_SCALES",
    "AgentOutlier",
    "Comparison",
    "Decomposition",
    "Distribution",
    "Event",
    "EventError",
    "KpiReport",
    "KpiTotals",
    "OutlierReport",
    "QaScore",
    "SegmentChange",
    "TargetStatus",
    "TicketFacts",
    "benjamini_hochberg",
    "compare_counts",
    "compare_means",
    "compare_means_counted",
    "compare_medians",
    "compare_medians_sorted",
    "compare_nps",
    "compare_nps_counted",
    "compare_rates",
    "compute_kpis",
    "cost_per_contact",
    "decompose_change",
    "deflection_rate",
    "distribution",
    "distribution_of_sorted",
    "fisher_exact_p",
    "flag_duration_outliers",
    "flag_outliers",
    "flag_rate_outliers",
    "mann_whitney_p",
    "median_standard_error",
    "parse_survey",
    "percentile",
    "percentile_of_sorted",
    "qa_score",
    "report_of_totals",
    "summarize",
    "target_status",
    "ticket_facts",
    "wilson_interval",
]
