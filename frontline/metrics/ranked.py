"""Sorted durations read at a few ranks, without sorting them (:class:`Ranked`).

A median, a p90 and the Price-Bonett standard error of a median read a sorted sample at two to
four ranks each; :class:`Ranked` places just those ranks by partial partitioning (numpy's
introselect), which gives exactly the values a full sort would. :func:`catalogue_ranks` names the
ranks the catalogue and its comparisons read, so that a read can place them all at once
(:meth:`Ranked.place`: one partition at several ranks, outside the GIL, in the thread that read the
values) before the page's thread asks for them.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence

import numpy as np


class Ranked(Sequence[float]):
    """Durations read by rank: ``ranked[k]`` is the k-th smallest (0-based), placed by partitioning only
    the stretch between the ranks already placed (numpy's introselect: O(n) for the first, less after).

    The engine's :func:`~frontline.engine.kpis.percentile_of_sorted`, ``compare_medians_sorted``
    read a sorted sequence only at a handful of ranks, so this gives them exactly what a full sort
    would, without sorting ~100,000 values per KPI. Iterating (tests, packing) sorts.
    """

    __slots__ = ("_fixed", "_values")

    def __init__(self, values: Iterable[float] | np.ndarray) -> None:
        self._values = np.array(values if isinstance(values, np.ndarray) else list(values), dtype=np.float64)
        self._fixed: list[int] = []

    @classmethod
    def owning(cls, values: np.ndarray) -> Ranked:
        """A Ranked over ``values`` (float64) itself, not a copy: for an array nothing else holds (it is reordered)."""
        ranked = cls.__new__(cls)
        ranked._values, ranked._fixed = values, []
        return ranked

    def __len__(self) -> int:
        return len(self._values)

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        n = len(self._values)
        if isinstance(k, slice | bool) or not isinstance(k, int | np.integer):
            raise TypeError("Ranked: index by one rank")
        k = int(k) + (n if k < 0 else 0)
        if not 0 <= k < n:
            raise IndexError("Ranked: rank out of range")
        i = bisect.bisect_left(self._fixed, k)
        if i == len(self._fixed) or self._fixed[i] != k:
            lo = self._fixed[i - 1] + 1 if i else 0
            hi = self._fixed[i] if i < len(self._fixed) else n
            self._values[lo:hi].partition(k - lo)  # in place: ranks outside [lo, hi) stay where they are
            self._fixed.insert(i, k)
        return float(self._values[k])

    def place(self, ranks: Iterable[int]) -> None:
        """Put these ranks in place now, in one partition (when no rank is placed yet; else one by one)."""
        n = len(self._values)
        wanted = sorted({int(k) for k in ranks if 0 <= k < n})
        if self._fixed or not wanted:
            for k in wanted:
                self[k]
            return
        self._values.partition(wanted)  # each wanted rank holds its sorted value, smaller before, larger after
        self._fixed = wanted

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.sorted().tolist())

    def sorted(self) -> np.ndarray:
        return np.sort(self._values)

    @property
    def values(self) -> np.ndarray:
        """The values in no particular order."""
        return self._values


def catalogue_ranks(n: int) -> list[int]:
    """The ranks of ``n`` sorted values that the catalogue reads: around the median's and the p90's positions
    (:func:`~frontline.engine.kpis.percentile_of_sorted`) and Price-Bonett's order statistics ``c`` and
    ``n - c + 1`` (:func:`~frontline.engine.kpis.compare_medians_sorted`). Only which ranks to place early:
    a rank not named here is still placed when read."""
    if n == 0:
        return []
    ranks = set()
    for q in (50, 90):
        low = math.floor((n - 1) * q / 100)
        ranks |= {low, min(low + 1, n - 1)}
    c = max(1, round((n + 1) / 2 - math.sqrt(n)))
    return sorted(ranks | {c - 1, n - c})
