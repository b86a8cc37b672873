"""Cohen's kappa, Fleiss' kappa and percent agreement (docs/quality-agreement.md).

* :func:`cohen_kappa` — two raters, nominal labels: ``(p_o - p_e) / (1 - p_e)`` with ``p_o`` the
  share of pairs that agree and ``p_e = sum_c p_A(c) p_B(c)`` from each rater's own marginals
  (Cohen 1960).
* :func:`fleiss_kappa` — a fixed number ``n >= 2`` of ratings per item, nominal labels:
  ``(P - P_e) / (1 - P_e)`` with ``P`` the mean over items of the share of agreeing rater pairs,
  ``P_e = sum_c p_c^2`` from the pooled marginals (Fleiss 1971).
* :func:`percent_agreement` — the share of agreeing pairs (a fraction in [0, 1]).

Each returns None when undefined: no data, or chance agreement of 1 (every rating the same
label), where the formula is 0/0.

>>> round(cohen_kappa([("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10
...             + [("no", "no")] * 15), 12)
0.4
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray


def cohen_kappa(pairs: Iterable[tuple[Hashable, Hashable]]) -> float | None:
    """Cohen's kappa of two raters' labels on the same items, one ``(a, b)`` pair per item."""
    counted = _pairs(pairs)
    n = len(counted)
    if n == 0:
        return None
    observed = sum(1 for a, b in counted if a == b) / n
    first = Counter(a for a, _ in counted)
    second = Counter(b for _, b in counted)
    chance = sum(first[label] * second.get(label, 0) for label in first) / (n * n)
    if chance >= 1.0:
        return None
    return (observed - chance) / (1.0 - chance)


def fleiss_kappa(
    table: Sequence[Sequence[float]] | NDArray[np.number] | None = None,
    *,
    ratings: Iterable[tuple[Hashable, Hashable, Hashable]] | None = None,
) -> float | None:
    """Fleiss' kappa of an items x categories ``table`` of counts, or of ``ratings`` triples.

    Every item must have the same number ``n >= 2`` of ratings (Fleiss' design); with unequal
    numbers use Krippendorff's alpha (:func:`~frontline.engine.agreement.alpha`).
    """
    if (table is None) == (ratings is None):
        raise ValueError("fleiss_kappa: give either table or ratings, not both")
    counts = _table(table) if table is not None else _ratings_table(ratings or ())
    items = counts.shape[0]
    if items == 0:
        return None
    per_item = counts.sum(axis=1)
    n = float(per_item[0])
    if not np.all(per_item == n):
        raise ValueError(
            "table: every item must have the same number of ratings, got "
            f"{sorted({int(v) for v in per_item})}"
        )
    if n < 2:
        raise ValueError("table: every item needs at least 2 ratings")
    agreement = float(np.mean((np.sum(counts**2, axis=1) - n) / (n * (n - 1))))
    shares = counts.sum(axis=0) / (items * n)
    chance = float(np.sum(shares**2))
    if chance >= 1.0:
        return None
    return (agreement - chance) / (1.0 - chance)


def percent_agreement(
    ratings: Iterable[tuple[Hashable, Hashable] | tuple[Hashable, Hashable, Hashable]],
) -> float | None:
    """The share (0..1) of agreeing pairs; None without any pair.

    Given ``(a, b)`` pairs (two raters, as for :func:`cohen_kappa`): the share with ``a == b``.
    Given ``(item, rater, value)`` triples: per item with at least two ratings, the share of
    its rater pairs that gave the same value, averaged over those items (each item counts
    once, as in Fleiss' ``P``; equal to the pair share for two raters).
    """
    rows = list(ratings)
    sizes = {len(row) if isinstance(row, tuple | list) else -1 for row in rows}
    if not rows:
        return None
    if sizes == {2}:
        counted = _pairs(rows)  # type: ignore[arg-type]
        return sum(1 for a, b in counted if a == b) / len(counted)
    if sizes != {3}:
        raise ValueError("ratings: must be all (a, b) pairs or all (item, rater, value) triples")
    by_item: dict[Hashable, Counter[Hashable]] = {}
    seen: set[tuple[Hashable, Hashable]] = set()
    for item, rater, value in rows:  # type: ignore[misc]
        if (item, rater) in seen:
            raise ValueError(f"ratings: rater {rater!r} rated item {item!r} more than once")
        seen.add((item, rater))
        by_item.setdefault(item, Counter())[value] += 1
    shares = []
    for counter in by_item.values():
        m = sum(counter.values())
        if m >= 2:
            shares.append(sum(c * (c - 1) for c in counter.values()) / (m * (m - 1)))
    return sum(shares) / len(shares) if shares else None


def _pairs(pairs: Iterable[tuple[Hashable, Hashable]]) -> list[tuple[Hashable, Hashable]]:
    counted = []
    for position, pair in enumerate(pairs):
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValueError(f"pairs[{position}]: must be an (a, b) pair, got {pair!r}")
        if pair[0] is None or pair[1] is None:
            raise ValueError(f"pairs[{position}]: a label is missing (leave the pair out)")
        counted.append((pair[0], pair[1]))
    return counted


def _table(table: Sequence[Sequence[float]] | NDArray[np.number]) -> NDArray[np.float64]:
    try:
        counts = np.asarray(table, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError("table: must be an items x categories array of counts") from None
    if counts.ndim != 2:
        raise ValueError(f"table: must be 2-D (items x categories), got shape {counts.shape}")
    if counts.size and (
        not np.all(np.isfinite(counts)) or counts.min() < 0 or np.any(counts != np.round(counts))
    ):
        raise ValueError("table: counts must be whole numbers >= 0")
    return counts


def _ratings_table(ratings: Iterable[tuple[Hashable, Hashable, Hashable]]) -> NDArray[np.float64]:
    by_item: dict[Hashable, Counter[Hashable]] = {}
    labels: dict[Hashable, int] = {}
    seen: set[tuple[Hashable, Hashable]] = set()
    for position, triple in enumerate(ratings):
        if not isinstance(triple, tuple | list) or len(triple) != 3:
            raise ValueError(
                f"ratings[{position}]: must be an (item, rater, value) triple, got {triple!r}"
            )
        item, rater, value = triple
        if (item, rater) in seen:
            raise ValueError(f"ratings: rater {rater!r} rated item {item!r} more than once")
        seen.add((item, rater))
        labels.setdefault(value, len(labels))
        by_item.setdefault(item, Counter())[value] += 1
    counts = np.zeros((len(by_item), len(labels)))
    for row, counter in enumerate(by_item.values()):
        for label, count in counter.items():
            counts[row, labels[label]] = count
    return counts
