"""The engine's entry points for data already sorted or counted (frontline/engine/kpis: report_of_totals,
distribution_of_sorted, compare_medians_sorted, compare_means_counted) give the same results, to the
last bit, as the list-taking functions on the same values: the metrics app's fast path relies on it."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from frontline.engine.kpis import (
    compare_means,
    compare_means_counted,
    compare_medians,
    compare_medians_sorted,
    compare_nps,
    compare_nps_counted,
    distribution,
    distribution_of_sorted,
    percentile,
    percentile_of_sorted,
)


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 10, 11, 99, 1000])
def test_sorted_percentiles_and_distributions_are_the_list_ones(n):
    rng = random.Random(n)
    values = [round(rng.lognormvariate(3, 1), rng.choice([0, 1, 6])) for _ in range(n)]
    ordered = sorted(values)
    assert distribution_of_sorted(ordered) == distribution(values=values)
    for q in (0, 10, 50, 90, 99.5, 100):
        assert percentile_of_sorted(ordered, q=q) == percentile(values=values, q=q)


@pytest.mark.parametrize("sizes", [(0, 5), (1, 1), (2, 3), (40, 41), (500, 800)])
def test_sorted_medians_compare_as_the_lists_do(sizes):
    rng = random.Random(sum(sizes))
    a = [rng.lognormvariate(4, 1) for _ in range(sizes[0])]
    b = [rng.lognormvariate(4.1, 1) for _ in range(sizes[1])]
    assert compare_medians_sorted(sorted(a), sorted(b), unit="min") == compare_medians(a, b, unit="min")


@pytest.mark.parametrize("sizes", [(0, 5), (1, 1), (2, 3), (40, 41), (3000, 2500)])
def test_counted_means_compare_as_the_written_out_values_do(sizes):
    rng = random.Random(sum(sizes))
    a = [float(round(rng.gammavariate(2, 220))) for _ in range(sizes[0])]
    b = [float(round(rng.gammavariate(2, 240))) for _ in range(sizes[1])]
    assert compare_means_counted(Counter(a), Counter(b), unit="s") == compare_means(a, b, unit="s")


def test_identical_samples_have_no_spread_counted_or_not():
    assert compare_means_counted({3.0: 4}, {3.0: 5}) == compare_means([3.0] * 4, [3.0] * 5)


@pytest.mark.parametrize("bad", [{float("nan"): 1}, {1.0: -1}, {1.0: 1.5}, {True: 1}, [1.0, 2.0]])
def test_counted_means_refuse_what_is_not_a_count_of_numbers(bad):
    with pytest.raises(ValueError, match="a"):
        compare_means_counted(bad, {1.0: 2})


@pytest.mark.parametrize("sizes", [(0, 5), (1, 1), (2, 3), (40, 41), (3000, 2500)])
def test_counted_nps_compares_as_the_written_out_responses_do(sizes):
    rng = random.Random(sum(sizes))
    a = [rng.choice(range(11)) for _ in range(sizes[0])]
    b = [rng.choice([3, 7, 8, 9, 10, 10]) for _ in range(sizes[1])]
    assert compare_nps_counted(Counter(a), Counter(b)) == compare_nps(a, b)


def test_counted_nps_of_identical_answers_has_no_spread():
    assert compare_nps_counted({10: 4}, {10: 5}) == compare_nps([10] * 4, [10] * 5)


@pytest.mark.parametrize("bad", [{11: 1}, {-1: 1}, {7.5: 1}, {True: 1}, {9: -1}, {9: 1.5}, [9, 10]])
def test_counted_nps_refuses_what_is_not_a_count_of_scores(bad):
    with pytest.raises(ValueError, match="a"):
        compare_nps_counted(bad, {9: 2})
