"""Durations read by rank (frontline/metrics/ranked.py): placing ranks early, at once, changes no value read, and
:func:`catalogue_ranks` names every rank the catalogue and its comparisons read."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from frontline.engine.kpis import compare_medians_sorted, distribution_of_sorted
from frontline.metrics.ranked import Ranked, catalogue_ranks


class Recorded(Sequence[float]):
    """Sorted values that remember which ranks were read."""

    def __init__(self, values: np.ndarray) -> None:
        self.values, self.read = np.sort(values), set()

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, k):  # type: ignore[no-untyped-def, override]
        self.read.add(k if k >= 0 else len(self.values) + k)
        return float(self.values[k])


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 9, 10, 11, 99, 100, 1001, 123227])
def test_the_catalogue_ranks_are_the_ranks_the_catalogue_reads(n):
    values = np.random.default_rng(n).lognormal(4, 1, n)
    one, other = Recorded(values), Recorded(values[: max(2, n // 2)])
    distribution_of_sorted(one)
    compare_medians_sorted(other if n > 1 else one, one)
    assert one.read <= set(catalogue_ranks(n))


@pytest.mark.parametrize("n", [1, 2, 3, 10, 11, 1000, 12345])
@pytest.mark.parametrize("first", ["place", "read"])
def test_placed_ranks_read_as_a_full_sort_would(n, first):
    rng = np.random.default_rng(n)
    values = rng.lognormal(3, 1, n).round(int(rng.integers(0, 3)))  # ties too
    ranked, ordered = Ranked(values), np.sort(values)
    if first == "read":
        assert ranked[n // 3] == ordered[n // 3]  # a rank already placed: the others are placed one by one
    ranked.place([*catalogue_ranks(n), n + 5, -1])  # ranks out of range are not there to place
    ranks = [int(k) for k in rng.permutation(n)[:25]] + [0, n - 1, *catalogue_ranks(n)]
    assert [ranked[k] for k in ranks] == [float(ordered[k]) for k in ranks]
    assert list(ranked) == ordered.tolist()
