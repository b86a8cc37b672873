"""Inter-rater reliability (docs/quality-agreement.md). Pure: numbers in, frozen dataclasses out.

* ``krippendorff_alpha.py``: :class:`Level`, :func:`alpha` (``(item, rater, value)`` triples) and
  :func:`alpha_matrix` (raters x items, NaN missing) — Krippendorff's alpha at every level;
  :func:`ratings_matrix` lays triples out as that matrix.
* ``kappa.py``: :func:`cohen_kappa`, :func:`fleiss_kappa`, :func:`percent_agreement`.
* ``bootstrap.py``: :func:`alpha_interval` — alpha with a bootstrap interval over items and the
  share of resamples below a threshold.
* ``deviation.py``: :func:`rater_deviation` — each rater against the group and the expert.
"""

from .bootstrap import AlphaInterval, alpha_interval
from .deviation import RaterDeviation, rater_deviation
from .kappa import cohen_kappa, fleiss_kappa, percent_agreement
from .krippendorff_alpha import (
    AlphaResult,
    Level,
    RatingsMatrix,
    alpha,
    alpha_matrix,
    level_of,
    ratings_matrix,
)

__all__ = [
    "AlphaInterval",
    "AlphaResult",
    "Level",
    "RaterDeviation",
    "RatingsMatrix",
    "alpha",
    "alpha_interval",
    "alpha_matrix",
    "cohen_kappa",
    "fleiss_kappa",
    "level_of",
    "percent_agreement",
    "rater_deviation",
    "ratings_matrix",
]
