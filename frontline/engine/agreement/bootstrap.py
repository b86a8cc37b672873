"""How sure an alpha is: a bootstrap over items (docs/quality-agreement.md).

A calibration session scores a handful of tickets, so its alpha is uncertain: 0.70 from 8 items
may well be 0.45 or 0.85.  :func:`alpha_interval` resamples the *items* with replacement (each
resample keeps an item's ratings together, so the dependence between raters on one item is
kept), recomputes alpha on each resample and reports the percentile interval and the share of
resamples below a threshold (by default Krippendorff's 0.667: "the probability that the
criterion is not reliable enough for tentative conclusions").  Resamples whose alpha is
undefined (no variation among their values) are left out and counted.

This is the nonparametric bootstrap over subjects recommended for Krippendorff's alpha by
Zapf et al. (2016, BMC Medical Research Methodology 16:93), not Hayes & Krippendorff's (2007)
resampling of value pairs.  Vectorised: one items x values table, and each resample's
coincidence matrix is the item-multiplicity-weighted sum of the items' own, in one matrix
product for all resamples.

>>> result = alpha_interval([(i, r, v) for i, row in enumerate([(1, 1), (2, 2), (3, 3), (4, 3),
...     (5, 5), (2, 1), (4, 4), (1, 1)]) for r, v in enumerate(row)], "interval", seed=1)
>>> round(result.alpha, 3), result.low < result.alpha < result.high
(0.941, True)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from .krippendorff_alpha import Level, alpha_matrix, level_of, ratings_matrix

FloatArray = NDArray[np.float64]
_BLOCK_CELLS = 4_000_000  # resamples x values x values computed at a time


@dataclass(frozen=True, slots=True)
class AlphaInterval:
    """Alpha with a bootstrap percentile interval over items.

    ``low`` / ``high`` bound the central ``confidence`` share of the resampled alphas;
    ``below_threshold`` is the share of resamples with alpha < ``threshold``; ``resamples`` how
    many resamples had a defined alpha (of ``requested``).  Every figure is None when alpha
    itself is undefined.
    """

    alpha: float | None
    low: float | None
    high: float | None
    confidence: float
    threshold: float
    below_threshold: float | None
    resamples: int
    requested: int
    items: int


def alpha_interval(
    ratings: Iterable[tuple[Hashable, Hashable, float | str]],
    level: Level | str,
    *,
    confidence: float = 0.95,
    threshold: float = 0.667,
    resamples: int = 2000,
    seed: int = 0,
) -> AlphaInterval:
    """Alpha of ``(item, rater, value)`` triples with a bootstrap interval over items."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence: must be in (0, 1), got {confidence!r}")
    if isinstance(resamples, bool) or not isinstance(resamples, int) or resamples < 1:
        raise ValueError(f"resamples: must be a whole number >= 1, got {resamples!r}")
    lvl = level_of(level)
    matrix = ratings_matrix(ratings, lvl).matrix
    point = alpha_matrix(matrix, lvl)
    empty = AlphaInterval(
        alpha=None,
        low=None,
        high=None,
        confidence=confidence,
        threshold=threshold,
        below_threshold=None,
        resamples=0,
        requested=resamples,
        items=point.items,
    )
    if point.alpha is None:
        return empty
    table, scale = item_table(matrix)
    rng = np.random.default_rng(seed)
    multiplicity = rng.multinomial(
        table.shape[0], np.full(table.shape[0], 1 / table.shape[0]), size=resamples
    )
    block = max(1, _BLOCK_CELLS // scale.size**2)
    values = np.concatenate(
        [
            weighted_alphas(
                table, scale, lvl, multiplicity[start : start + block].astype(np.float64)
            )
            for start in range(0, resamples, block)
        ]
    )
    defined = values[np.isfinite(values)]
    if defined.size == 0:
        return replace(empty, alpha=point.alpha)
    tail = (1 - confidence) / 2
    low, high = np.quantile(defined, [tail, 1 - tail])
    return AlphaInterval(
        alpha=point.alpha,
        low=float(low),
        high=float(high),
        confidence=confidence,
        threshold=threshold,
        below_threshold=float(np.mean(defined < threshold)),
        resamples=int(defined.size),
        requested=resamples,
        items=point.items,
    )


def item_table(matrix: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The pairable items x distinct values table of counts, and the sorted distinct values."""
    present = ~np.isnan(matrix)
    pairable = present.sum(axis=0) >= 2
    sub = matrix[:, pairable]
    values = sub[~np.isnan(sub)]
    scale, codes = np.unique(values, return_inverse=True)
    items = np.nonzero(~np.isnan(sub))[1]
    table = np.zeros((sub.shape[1], scale.size))
    np.add.at(table, (items, codes.reshape(-1)), 1.0)
    return table, scale.astype(np.float64)


def weighted_alphas(
    table: FloatArray, scale: FloatArray, level: Level, multiplicity: FloatArray
) -> FloatArray:
    """Alpha for each row of ``multiplicity`` (how many times each item is drawn); NaN where
    a resample has no variation.  A row of ones gives the alpha of the table itself."""
    m = table.sum(axis=1)
    weight = 1.0 / (m - 1.0)
    points = scale.size
    pair_counts = (table[:, :, None] * table[:, None, :]).reshape(table.shape[0], points * points)
    coincidences = ((multiplicity * weight) @ pair_counts).reshape(-1, points, points)
    marginals = multiplicity @ table  # resamples x values
    n = marginals.sum(axis=1)
    if level is Level.ORDINAL:
        ranks = np.cumsum(marginals, axis=1) - marginals / 2.0
        distance = (ranks[:, :, None] - ranks[:, None, :]) ** 2
    elif level is Level.NOMINAL:
        distance = np.broadcast_to(1.0 - np.eye(points), coincidences.shape)
    elif level is Level.INTERVAL:
        distance = np.broadcast_to((scale[:, None] - scale[None, :]) ** 2, coincidences.shape)
    else:
        total = scale[:, None] + scale[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(
                total != 0,
                (scale[:, None] - scale[None, :]) / np.where(total != 0, total, 1.0),
                0.0,
            )
        distance = np.broadcast_to(ratio**2, coincidences.shape)
    observed = np.einsum("bck,bck->b", coincidences, distance)
    expected = np.einsum("bc,bck,bk->b", marginals, distance, marginals)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = 1.0 - (n - 1.0) * observed / expected
    return np.where(expected > 0, values, np.nan)
