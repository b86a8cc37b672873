"""Help-desk KPIs from per-ticket event sequences (Zendesk definitions; docs/metrics.md).

Pure: events (frozen :class:`Event`) in, a frozen :class:`KpiReport` out; no Django.

* ``events.py``: :class:`Event`, the kinds, roles, status categories and survey scales.
* ``tickets.py``: :func:`ticket_facts` replays each ticket's events into :class:`TicketFacts`.
* ``stats.py``: :func:`percentile` (linear interpolation between order statistics, numpy's
  default ``'linear'`` method) and :class:`Distribution` (median, p90, n).
* ``report.py``: :func:`summarize` and :func:`compute_kpis` (the catalogue).
"""

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
from .report import KpiReport, compute_kpis, summarize
from .stats import Distribution, distribution, percentile
from .tickets import TicketFacts, ticket_facts

__all__ = [
    "CATEGORIES",
    "KINDS",
    "ROLES",
    "SOLVED_CATEGORIES",
    "SURVEY_SCALES",
    "Distribution",
    "Event",
    "EventError",
    "KpiReport",
    "TicketFacts",
    "compute_kpis",
    "distribution",
    "parse_survey",
    "percentile",
    "summarize",
    "ticket_facts",
]
