"""Customer KPIs that are not read from the ticket event log (docs/metrics.md, "Quality score,
cost per contact, self-service deflection"): plain numbers in, frozen dataclasses or numbers out.

* :func:`qa_score` — the mean of QA review totals. A total is the quality app's one definition
  (``frontline/quality/scoring.py``: percent of attainable weighted points, 0-100, 0 on a
  critical error); this function only averages totals, it never re-scores a review. Each review
  counts once (a ticket reviewed twice weighs twice): the mean is over reviews, as the quality
  app's own "mean score" is.
* :func:`cost_per_contact` — support cost ÷ contacts, to the cent (half up), the budget's
  definition (``frontline/budget/selectors``): ``None`` with no contacts.
* :func:`deflection_rate` — of self-service sessions, the share that did not go on to open a
  ticket. Frontline has no self-service yet, so nothing feeds it; the formula is fixed here so
  that the knowledge base, when it lands, reports the standard number.

>>> qa_score(totals=[100.0, 70.0, 0.0])
QaScore(mean=56.666666666666664, n=3)
>>> cost_per_contact(cost=Decimal("1000.00"), contacts=3)
Decimal('333.33')
>>> deflection_rate(sessions=200, escalated=50)
0.75
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class QaScore:
    """``mean`` of the totals (0-100; ``None`` when there are none) over ``n`` reviews."""

    mean: float | None
    n: int


def qa_score(*, totals: Iterable[float]) -> QaScore:
    """The mean QA score of review totals, each a percentage from 0 to 100."""
    values = [float(t) for t in totals]
    for value in values:
        if not math.isfinite(value) or not 0 <= value <= 100:
            raise ValueError(f"totals: a review total is a percentage from 0 to 100, not {value!r}")
    if not values:
        return QaScore(mean=None, n=0)
    return QaScore(mean=math.fsum(values) / len(values), n=len(values))


def cost_per_contact(*, cost: Decimal, contacts: int) -> Decimal | None:
    """``cost`` ÷ ``contacts`` rounded to the cent (half up); ``None`` when ``contacts`` is 0.

    ``cost`` may be negative (refunds larger than spend); it is money, so a ``Decimal``.
    """
    if not isinstance(cost, Decimal) or not cost.is_finite():
        raise ValueError("cost: must be a finite Decimal amount")
    if isinstance(contacts, bool) or not isinstance(contacts, int) or contacts < 0:
        raise ValueError("contacts: must be a whole number, 0 or more")
    if contacts == 0:
        return None
    return (cost / contacts).quantize(CENT, rounding=ROUND_HALF_UP)


def deflection_rate(*, sessions: int, escalated: int) -> float | None:
    """(``sessions`` - ``escalated``) ÷ ``sessions``: self-service sessions that did not lead to a
    ticket, of all self-service sessions; ``None`` without sessions."""
    for name, value in (("sessions", sessions), ("escalated", escalated)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number, 0 or more")
    if escalated > sessions:
        raise ValueError("escalated: cannot exceed sessions")
    if sessions == 0:
        return None
    return (sessions - escalated) / sessions
