"""The one definition of a review's total (docs/quality.md, "The total"). Plain Python: no queries.

Each criterion scored earns ``weight * fraction`` of its ``weight`` attainable points, where the
fraction is 1 for "yes" and 0 for "no" on a yes/no scale, and ``(value - 1) / 4`` on 1-5 (1 → 0,
3 → 0.5, 5 → 1). A criterion marked N/A drops out of both earned and attainable points. The total
is ``100 * earned / attainable`` (a percentage); when an auto-fail ("critical error") criterion
gets its lowest score ("no", or 1), the total is 0. No attainable points (all N/A): no total.

Because it is a share of what was attainable, totals on different versions of a rubric (other
criteria, other weights) are on the same 0-100 scale and can be compared and averaged.

>>> total([Item(weight=2, scale="yes_no", value=1), Item(weight=1, scale="one_five", value=3)]).percent
83.33333333333333
>>> total([Item(weight=1, scale="yes_no", value=0, auto_fail=True), Item(weight=3, scale="yes_no", value=1)]).percent
0.0
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

YES_NO = frozenset({"yes_no", "yes_no_na"})
ONE_FIVE = frozenset({"one_five", "one_five_na"})
WITH_NA = frozenset({"yes_no_na", "one_five_na"})


@dataclass(frozen=True)
class Item:
    weight: int
    scale: str
    value: int | None  # None with na=True: not applicable; None with na=False: not scored
    na: bool = False
    auto_fail: bool = False


@dataclass(frozen=True)
class Total:
    percent: float | None
    earned: float
    attainable: float
    auto_failed: bool
    unscored: int  # criteria neither scored nor N/A


def values_of(scale: str) -> tuple[int, ...]:
    """The values a score on ``scale`` may take (N/A apart)."""
    if scale in YES_NO:
        return (0, 1)
    if scale in ONE_FIVE:
        return (1, 2, 3, 4, 5)
    raise ValueError(f"scale: unknown scale {scale!r}")


def fraction(scale: str, value: int) -> float:
    """The share of a criterion's weight that ``value`` earns."""
    if value not in values_of(scale):
        raise ValueError(f"value: {value!r} is not on the {scale} scale")
    return float(value) if scale in YES_NO else (value - 1) / 4


def is_lowest(scale: str, value: int) -> bool:
    return value == values_of(scale)[0]


def total(items: Iterable[Item]) -> Total:
    earned = attainable = 0.0
    failed = False
    unscored = 0
    for item in items:
        if item.weight < 0:
            raise ValueError("weight: must not be negative")
        if item.na:
            if item.scale not in WITH_NA:
                raise ValueError(f"na: the {item.scale} scale has no N/A")
            continue
        if item.value is None:
            unscored += 1
            continue
        attainable += item.weight
        earned += item.weight * fraction(item.scale, item.value)
        failed = failed or (item.auto_fail and is_lowest(item.scale, item.value))
    if failed:
        return Total(0.0, earned, attainable, True, unscored)
    percent = 100 * earned / attainable if attainable else None
    return Total(percent, earned, attainable, False, unscored)
