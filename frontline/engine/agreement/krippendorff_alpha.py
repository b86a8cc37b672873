"""Krippendorff's alpha at the nominal, ordinal, interval and ratio levels, with missing data.

Definitions (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"; docs/quality-agreement.md):

* Only *pairable* values count: the ratings of items rated by at least two raters.  ``n`` is
  their number (``n..``), ``m_u`` the number of ratings of item ``u``.
* The coincidence matrix ``o_ck = sum_u (number of ordered pairs of ratings (c, k) of u by
  different raters) / (m_u - 1)``; its marginals ``n_c`` count the pairable values equal to ``c``.
* ``alpha = 1 - D_o / D_e = 1 - (n - 1) * sum_ck o_ck d(c, k) / sum_ck n_c n_k d(c, k)``, with
  the level's distance ``d``:

  - nominal: 0 when ``c == k``, else 1;
  - ordinal: ``(sum_{g=c..k} n_g - (n_c + n_k) / 2) ** 2`` over the observed values in rank
    order — equal to ``(r_k - r_c) ** 2`` with ``r_c = N_c - n_c / 2`` (``N_c`` the cumulative
    marginal), the squared distance of the values' mid-ranks;
  - interval: ``(c - k) ** 2``;
  - ratio: ``((c - k) / (c + k)) ** 2`` (0 when ``c + k == 0``); values must be >= 0.

* ``alpha`` is undefined (``None``) when there are fewer than two pairable values or when every
  pairable value is the same (``D_e == 0``: nothing to disagree about).  Some programs report 1
  or raise in that case; we return ``None`` so a page can say "not enough variation".

Vectorised, no Python loop over items.  Whole-number scales of up to 17 points (yes/no, 1-5,
0-10: every QA rubric) are counted into an items x points table, one comparison pass per point,
and alpha comes from the coincidence matrix ``table.T @ (table / (m_u - 1))`` at every level.
Other values go through the general path: nominal, ordinal and interval by closed forms linear
in the number of ratings (the interval and ordinal disagreements are sums of squares within
items and overall, on the values or on their mid-ranks; nominal counts equal pairs); ratio
builds the coincidence matrix with one ``bincount`` and one matrix product, or, when the
items x distinct values table would be large, sums the distances over rater pairs and over
blocks of value pairs (quadratic in the number of distinct values).

>>> round(alpha_matrix(np.array([[1, 2, 3, 3], [1, 2, 3, 4.0]]), "interval").alpha, 6)
0.888889
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from numbers import Real

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

# Above this many cells (pairable items x distinct values) the ratio level does not build the
# dense items x values table; tests lower it to exercise the other path.
_DENSE_CELLS = 4_000_000
# Whole-number scales spanning at most this many steps are counted point by point.
_SMALL_RANGE = 16
# Rows of the values x values distance block computed at a time on the ratio fallback.
_BLOCK_CELLS = 4_000_000


class Level(StrEnum):
    """Stevens' level of measurement of the rated variable."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


@dataclass(frozen=True, slots=True)
class AlphaResult:
    """Krippendorff's alpha and what it was computed on.

    ``alpha`` is None when undefined (fewer than two pairable values, or no variation among
    them); ``items`` counts items with at least two ratings, ``raters`` the raters with at
    least one rating on such an item, ``pairable_values`` the ratings on those items (``n..``).
    """

    alpha: float | None
    items: int
    raters: int
    pairable_values: int


def level_of(level: Level | str) -> Level:
    """``level`` as a :class:`Level`; ValueError naming the allowed ones otherwise."""
    try:
        return Level(level)
    except ValueError:
        allowed = ", ".join(member.value for member in Level)
        raise ValueError(f"level: must be one of {allowed}, got {level!r}") from None


def alpha(
    ratings: Iterable[tuple[Hashable, Hashable, float | str]], level: Level | str
) -> AlphaResult:
    """Krippendorff's alpha of ``(item, rater, value)`` triples; an absent triple is missing.

    Items and raters are any hashable keys.  At the nominal level values are labels (strings or
    numbers, compared with ``==``); at the other levels they must be finite real numbers (>= 0
    for ratio).  A rater rating the same item twice is a ValueError.

    >>> alpha([("t1", "ann", "yes"), ("t1", "bob", "yes"), ("t2", "ann", "no"),
    ...        ("t2", "bob", "yes"), ("t3", "ann", "no"), ("t3", "bob", "no")], "nominal").alpha
    0.4444444444444444
    """
    lvl = level_of(level)
    matrix = ratings_matrix(ratings, lvl).matrix
    return alpha_matrix(matrix, lvl)


@dataclass(frozen=True, slots=True)
class RatingsMatrix:
    """Triples laid out as a raters x items matrix (NaN = missing), with the keys of each axis.

    At the nominal level the matrix holds label codes (0, 1, ... in order of first appearance)
    and ``labels[code]`` is the label.
    """

    matrix: FloatArray
    raters: tuple[Hashable, ...]
    items: tuple[Hashable, ...]
    labels: tuple[Hashable, ...] | None


def ratings_matrix(
    ratings: Iterable[tuple[Hashable, Hashable, float | str]], level: Level | str
) -> RatingsMatrix:
    """Validate ``(item, rater, value)`` triples and lay them out as a :class:`RatingsMatrix`."""
    lvl = level_of(level)
    item_index: dict[Hashable, int] = {}
    rater_index: dict[Hashable, int] = {}
    label_index: dict[Hashable, int] = {}
    cells: dict[tuple[int, int], float] = {}
    for position, triple in enumerate(ratings):
        if not isinstance(triple, tuple | list) or len(triple) != 3:
            raise ValueError(
                f"ratings[{position}]: must be an (item, rater, value) triple, got {triple!r}"
            )
        item, rater, value = triple
        if lvl is Level.NOMINAL:
            number = float(_label_code(value, label_index, position))
        else:
            number = _number(value, lvl, position)
        i = item_index.setdefault(item, len(item_index))
        r = rater_index.setdefault(rater, len(rater_index))
        if (r, i) in cells:
            raise ValueError(
                f"ratings[{position}]: rater {rater!r} rated item {item!r} more than once"
            )
        cells[(r, i)] = number
    matrix = np.full((len(rater_index), len(item_index)), np.nan)
    if cells:
        index = np.array(list(cells.keys()), dtype=np.int64)
        matrix[index[:, 0], index[:, 1]] = np.fromiter(cells.values(), np.float64, len(cells))
    return RatingsMatrix(
        matrix=matrix,
        raters=tuple(rater_index),
        items=tuple(item_index),
        labels=tuple(label_index) if lvl is Level.NOMINAL else None,
    )


def _label_code(value: object, codes: dict[Hashable, int], position: int) -> int:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError(f"ratings[{position}]: value is missing (leave the triple out instead)")
    try:
        return codes.setdefault(value, len(codes))
    except TypeError:
        raise ValueError(
            f"ratings[{position}]: a nominal value must be hashable, got {value!r}"
        ) from None


def _number(value: object, level: Level, position: int) -> float:
    if isinstance(value, bool) or not isinstance(value, Real | Decimal):
        raise ValueError(
            f"ratings[{position}]: a {level.value} value must be a number, got {value!r}"
        )
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"ratings[{position}]: value must be finite, got {value!r}")
    if level is Level.RATIO and number < 0:
        raise ValueError(f"ratings[{position}]: a ratio value must be >= 0, got {value!r}")
    return number


def alpha_matrix(
    matrix: NDArray[np.floating] | list[list[float]], level: Level | str
) -> AlphaResult:
    """Krippendorff's alpha of a raters x items matrix with NaN for a missing rating.

    The fast path: vectorised over all ratings.  Values are numbers at every level (at the
    nominal level any numeric codes; use :func:`alpha` for string labels); NaN or None = missing.
    """
    lvl = level_of(level)
    try:
        data = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            "matrix: must be a raters x items array of numbers (NaN = missing)"
        ) from None
    if data.ndim != 2:
        raise ValueError(f"matrix: must be 2-D (raters x items), got shape {data.shape}")
    present = ~np.isnan(data)
    if np.isinf(data).any():
        raise ValueError("matrix: values must be finite (NaN marks a missing rating)")
    if lvl is Level.RATIO and data.size and np.fmin.reduce(data, axis=None) < 0:
        raise ValueError("matrix: ratio values must be >= 0")
    per_item = present.sum(axis=0)
    pairable = per_item >= 2
    counted = present & pairable[None, :]
    items = int(pairable.sum())
    raters = int(counted.any(axis=1).sum())
    table = _scale_table(data, present) if items else None
    if table is not None:
        return _from_table(*table, per_item, pairable, lvl, items, raters)
    # Values grouped by item (row-major over the items x raters transpose).
    values = data.T[counted.T]
    n = int(values.size)
    if n < 2 or values.min() == values.max():
        return AlphaResult(alpha=None, items=items, raters=raters, pairable_values=n)
    sizes = per_item[pairable].astype(np.int64)
    m = sizes.astype(np.float64)
    weight = 1.0 / (m - 1.0)
    if lvl is Level.INTERVAL:
        observed, expected = _squared(values, sizes, weight)
    else:
        domain, codes = _encode(values)
        if lvl is Level.ORDINAL:
            marginals = np.bincount(codes, minlength=domain.size).astype(np.float64)
            midranks = np.cumsum(marginals) - marginals / 2.0
            observed, expected = _squared(midranks[codes], sizes, weight)
        else:
            item_of = np.repeat(np.arange(items, dtype=np.int64), sizes)
            if lvl is Level.NOMINAL:
                observed, expected = _nominal(codes, item_of, m, weight, domain.size)
            else:
                observed, expected = _ratio(data[:, pairable], codes, item_of, weight, domain)
    value = 1.0 - (n - 1) * observed / expected
    return AlphaResult(alpha=float(value), items=items, raters=raters, pairable_values=n)


def _scale_table(
    data: FloatArray, present: NDArray[np.bool_]
) -> tuple[FloatArray, FloatArray] | None:
    """For whole-number scales of at most ``_SMALL_RANGE + 1`` points (yes/no, 1-5, 0-10):
    the scale's points and an items x points table of how many raters gave each; else None.

    One comparison pass per scale point, no sort and no gather.  The subtraction is exact (the
    low end is a whole number below 2**40 and values lie within 16 of it), so a value counted
    at point ``v`` is exactly ``low + v``; values off the grid leave the table short and send
    the matrix down the general path.
    """
    low = float(np.fmin.reduce(data, axis=None))
    high = float(np.fmax.reduce(data, axis=None))
    if not (high - low <= _SMALL_RANGE and low == math.floor(low) and abs(low) <= 2.0**40):
        return None
    shifted = data - low
    points = int(high - low) + 1
    table = np.empty((data.shape[1], points))
    for v in range(points):
        table[:, v] = np.count_nonzero(shifted == v, axis=0)
    if int(table.sum()) != int(np.count_nonzero(present)):
        return None
    return low + np.arange(points, dtype=np.float64), table


def _from_table(
    scale: FloatArray,
    table: FloatArray,
    per_item: IntArray,
    pairable: NDArray[np.bool_],
    level: Level,
    items: int,
    raters: int,
) -> AlphaResult:
    """Alpha from the coincidence matrix of an items x values table (values x values)."""
    counts = table[pairable]
    marginals = counts.sum(axis=0)
    used = marginals > 0
    scale, counts, marginals = scale[used], counts[:, used], marginals[used]
    n = int(marginals.sum())
    if n < 2 or scale.size < 2:
        return AlphaResult(alpha=None, items=items, raters=raters, pairable_values=n)
    weight = 1.0 / (per_item[pairable] - 1.0)
    coincidences = counts.T @ (counts * weight[:, None])
    distance = _distance_matrix(scale, marginals, level)
    observed = float(np.sum(coincidences * distance))
    expected = float(marginals @ distance @ marginals)
    value = 1.0 - (n - 1) * observed / expected
    return AlphaResult(alpha=float(value), items=items, raters=raters, pairable_values=n)


def _distance_matrix(scale: FloatArray, marginals: FloatArray, level: Level) -> FloatArray:
    """delta(c, k) for every pair of the observed values (sorted), at ``level``."""
    if level is Level.NOMINAL:
        return 1.0 - np.eye(scale.size)
    if level is Level.RATIO:
        return _ratio_distance(scale[:, None], scale[None, :])
    points = np.cumsum(marginals) - marginals / 2.0 if level is Level.ORDINAL else scale
    return np.asarray((points[:, None] - points[None, :]) ** 2, dtype=np.float64)


def _encode(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """The sorted distinct values and each value's index among them (``np.unique``).

    Rating scales are usually small whole numbers: then a ``bincount`` over the range replaces
    the sort.
    """
    low, high = float(values.min()), float(values.max())
    if high - low <= 65_536:
        whole = values.astype(np.int64)
        if np.array_equal(whole, values):
            offset = whole - int(low)
            seen = np.bincount(offset) > 0
            domain = (np.flatnonzero(seen) + int(low)).astype(np.float64)
            if seen.all():
                return domain, offset
            rank = np.cumsum(seen) - 1
            return domain, rank[offset].astype(np.int64)
    domain, inverse = np.unique(values, return_inverse=True)
    return domain.astype(np.float64), inverse.reshape(-1).astype(np.int64)


def _squared(x: FloatArray, sizes: IntArray, weight: FloatArray) -> tuple[float, float]:
    """Sum of o_ck (c - k)^2 and of n_c n_k (c - k)^2 via within-item and total sums of squares.

    ``x`` holds each item's values contiguously, ``sizes`` how many.  For m values, the sum over
    ordered pairs i != j of (x_i - x_j)^2 is 2 m sum_i (x_i - mean)^2.
    """
    starts = np.cumsum(sizes) - sizes
    m = sizes.astype(np.float64)
    centred = x - x.mean()
    means = np.add.reduceat(centred, starts) / m
    within = np.add.reduceat((centred - np.repeat(means, sizes)) ** 2, starts)
    observed = float(np.sum(weight * 2.0 * m * within))
    expected = float(2.0 * x.size * np.sum(centred**2))
    return observed, expected


def _nominal(
    codes: IntArray, item_of: IntArray, m: FloatArray, weight: FloatArray, values: int
) -> tuple[float, float]:
    """Pairs of different labels: m_u^2 - sum_c n_uc^2 within items, n^2 - sum_c n_c^2 overall."""
    if m.size * values <= _DENSE_CELLS:
        table = np.bincount(item_of * values + codes, minlength=m.size * values)
        counts = table.reshape(m.size, values).astype(np.float64)
        same = np.sum(counts**2, axis=1)
    else:
        cell_items, cell_counts = _cells(codes, item_of, values)
        same = np.bincount(cell_items, weights=cell_counts**2, minlength=m.size)
    observed = float(np.sum(weight * (m**2 - same)))
    marginals = np.bincount(codes, minlength=values).astype(np.float64)
    n = float(codes.size)
    expected = n * n - float(np.sum(marginals**2))
    return observed, expected


def _cells(codes: IntArray, item_of: IntArray, values: int) -> tuple[IntArray, FloatArray]:
    """The non-empty (item, value) cells: their item and how many ratings each holds."""
    keys = item_of * values + codes
    unique, counts = np.unique(keys, return_counts=True)
    return unique // values, counts.astype(np.float64)


def _ratio(
    sub: FloatArray,
    codes: IntArray,
    item_of: IntArray,
    weight: FloatArray,
    domain: FloatArray,
) -> tuple[float, float]:
    values = domain.size
    items = weight.size
    marginals = np.bincount(codes, minlength=values).astype(np.float64)
    if items * values <= _DENSE_CELLS:
        table = np.bincount(item_of * values + codes, minlength=items * values)
        counts = table.reshape(items, values).astype(np.float64)
        coincidences = counts.T @ (counts * weight[:, None])
        distance = _distance_matrix(domain, marginals, Level.RATIO)
        return float(np.sum(coincidences * distance)), float(marginals @ distance @ marginals)
    # Large domains: pairs of raters within items, then blocks of value pairs.
    sub_present = ~np.isnan(sub)
    observed = 0.0
    for r in range(sub.shape[0] - 1):
        both = sub_present[r] & sub_present[r + 1 :]
        d = _ratio_distance(sub[r][None, :], sub[r + 1 :])
        observed += 2.0 * float(np.sum(np.where(both, d, 0.0) * weight[None, :]))
    expected = 0.0
    rows = max(1, _BLOCK_CELLS // values)
    for start in range(0, values, rows):
        block = _ratio_distance(domain[start : start + rows, None], domain[None, :])
        expected += float(marginals[start : start + rows] @ block @ marginals)
    return observed, expected


def _ratio_distance(a: FloatArray, b: FloatArray) -> FloatArray:
    a, b = np.broadcast_arrays(a, b)
    total = a + b
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total != 0, (a - b) / np.where(total != 0, total, 1.0), 0.0)
    return np.asarray(ratio**2, dtype=np.float64)
