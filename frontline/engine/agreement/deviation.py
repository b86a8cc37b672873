"""How far each rater sits from the rest of the group and from an expert (docs/quality-agreement.md).

For each rater and each item they rated that at least one *other* rater also rated, the group's
consensus is taken from the *other* raters' ratings only (the rater's own rating is left out, so
a rater cannot pull the consensus towards themselves):

* interval and ratio: the mean of the others' values;
* ordinal: their median (the mean of the two middle values when their number is even);
* nominal: their most common label(s); a rating agrees when it is one of the most common labels
  (ties all count as the consensus).

``deviation_from_group`` is the mean absolute difference from the consensus (nominal: the share of
items where the rater's label is not the consensus) over those items, ``bias_from_group`` the mean
signed difference (rating minus consensus; positive = the rater scores higher; None for nominal).
With ``gold`` (item -> the expert's value), the same against the expert's value on every item the
rater rated that has one.  Each figure comes with its number of items; a figure over no items is
None.

>>> [round(d.deviation_from_group, 3) for d in rater_deviation(
...     [("a", "ann", 4), ("a", "bob", 4), ("a", "cy", 1), ("b", "ann", 5), ("b", "bob", 5),
...      ("b", "cy", 2)], "interval")]
[1.5, 1.5, 3.0]
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .krippendorff_alpha import Level, _number, level_of, ratings_matrix


@dataclass(frozen=True, slots=True)
class RaterDeviation:
    """One rater's distance from the group's consensus and from the expert (gold) values."""

    rater: Hashable
    items_with_group: int
    deviation_from_group: float | None
    bias_from_group: float | None
    items_with_gold: int
    deviation_from_gold: float | None
    bias_from_gold: float | None


def rater_deviation(
    ratings: Iterable[tuple[Hashable, Hashable, float | str]],
    level: Level | str,
    gold: Mapping[Hashable, float | str] | None = None,
) -> list[RaterDeviation]:
    """Per rater (in order of first appearance), deviation from the group and from ``gold``."""
    lvl = level_of(level)
    laid = ratings_matrix(ratings, lvl)
    matrix = laid.matrix
    nominal = lvl is Level.NOMINAL
    labels = laid.labels or ()
    gold_values = _gold(gold or {}, laid.items, lvl, labels)
    present = ~np.isnan(matrix)
    result = []
    for r, rater in enumerate(laid.raters):
        group_diffs: list[float] = []
        gold_diffs: list[float] = []
        for i in np.flatnonzero(present[r]):
            own = float(matrix[r, i])
            others = [float(v) for v in np.delete(matrix[:, i], r) if not np.isnan(v)]
            if others:
                group_diffs.append(_difference(own, others, lvl))
            expert = gold_values.get(int(i))
            if expert is not None:
                gold_diffs.append(float(own != expert) if nominal else own - expert)
        group_dev, group_bias = _summary(group_diffs, nominal)
        gold_dev, gold_bias = _summary(gold_diffs, nominal)
        result.append(
            RaterDeviation(
                rater=rater,
                items_with_group=len(group_diffs),
                deviation_from_group=group_dev,
                bias_from_group=group_bias,
                items_with_gold=len(gold_diffs),
                deviation_from_gold=gold_dev,
                bias_from_gold=gold_bias,
            )
        )
    return result


def _difference(own: float, others: list[float], level: Level) -> float:
    """Signed difference from the consensus; nominal: 1.0 when not a most common label."""
    if level is Level.NOMINAL:
        counts: dict[float, int] = {}
        for value in others:
            counts[value] = counts.get(value, 0) + 1
        top = max(counts.values())
        return 0.0 if counts.get(own, 0) == top else 1.0
    if level is Level.ORDINAL:
        return own - float(statistics.median(others))
    return own - sum(others) / len(others)


def _summary(diffs: list[float], nominal: bool) -> tuple[float | None, float | None]:
    if not diffs:
        return None, None
    if nominal:
        return sum(diffs) / len(diffs), None
    return sum(abs(d) for d in diffs) / len(diffs), sum(diffs) / len(diffs)


def _gold(
    gold: Mapping[Hashable, float | str],
    items: tuple[Hashable, ...],
    level: Level,
    labels: tuple[Hashable, ...],
) -> dict[int, float]:
    """Gold values keyed by item column; nominal labels as codes (-1 for a label no rater used)."""
    column = {item: i for i, item in enumerate(items)}
    codes = {label: code for code, label in enumerate(labels)}
    out: dict[int, float] = {}
    for position, (item, value) in enumerate(gold.items()):
        if item not in column:
            continue
        if level is Level.NOMINAL:
            if value is None:
                raise ValueError(f"gold[{item!r}]: value is missing")
            out[column[item]] = float(codes.get(value, -1))
        else:
            try:
                out[column[item]] = _number(value, level, position)
            except ValueError as error:
                raise ValueError(f"gold[{item!r}]: {str(error).split(': ', 1)[1]}") from None
    return out
