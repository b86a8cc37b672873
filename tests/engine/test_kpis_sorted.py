"""The engine's entry points for data already sorted or counted (frontline/engine/kpis: report_of_totals,
distribution_of_sorted, compare_medians_sorted, compare_means_counted) give the same results, to the
last bit, as the list-taking functions on the same values: the metrics app's fast path relies on it."""

from __future__ import annotations

import math
import random
from collections import Counter
from fractions import Fraction

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
from frontline.engine.kpis.compare import means
from frontline.engine.kpis.compare.means import exact_counted_sum


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


AWKWARD = [
    [(1.0, 1), (2.0**-53, 1)],  # a tie: rounds to even (1.0)
    [(1.0, 1), (2.0**-53, 3)],  # just above a tie
    [(0.1, 10), (0.2, 7), (0.3, 3)],  # decimals no float holds exactly
    [(1e16, 3), (-1e16, 3), (1.0, 5), (2.0**-40, 9)],  # cancellation leaves the small terms
    [(5e-324, 1000), (2.2250738585072014e-308, 3), (-1e-310, 7)],  # subnormals
    [(1e300, 2), (-1e300, 2), (1e-300, 1)],  # magnitudes 600 decades apart
    [(1.7976931348623157e308, 1), (-1.7976931348623157e308, 1)],  # the largest floats cancel
    [(-0.0, 4)], [(0.0, 2), (-0.0, 3)], [],  # zeros and nothing
    [(3.0, 0), (2.5, 2)],  # a zero count
]


@pytest.mark.parametrize("numpy_limit", [means._NUMPY_SUM_LIMIT, 0])  # numpy's int64 sums, and Python's integers
@pytest.mark.parametrize("terms", AWKWARD)
def test_the_exact_counted_sum_is_fsum_of_the_values_written_out(terms, numpy_limit, monkeypatch):
    monkeypatch.setattr(means, "_NUMPY_SUM_LIMIT", numpy_limit)
    written_out = [v for v, c in terms for _ in range(c)]
    got, want = exact_counted_sum(terms), math.fsum(written_out)
    assert (got, math.copysign(1, got)) == (want, math.copysign(1, want))


@pytest.mark.parametrize("numpy_limit", [means._NUMPY_SUM_LIMIT, 0])
@pytest.mark.parametrize("seed", range(40))
def test_the_exact_counted_sum_is_fsum_on_random_mixed_magnitudes(seed, numpy_limit, monkeypatch):
    monkeypatch.setattr(means, "_NUMPY_SUM_LIMIT", numpy_limit)
    rng = random.Random(seed)
    terms = [(rng.choice([-1, 1]) * rng.random() * 10.0 ** rng.randint(-30, 30), rng.randint(0, 50))
             for _ in range(rng.randint(1, 60))]
    assert exact_counted_sum(terms) == math.fsum(v for v, c in terms for _ in range(c))


@pytest.mark.parametrize("seed", range(10))
def test_counts_too_many_to_write_out_sum_exactly(seed):
    rng = random.Random(seed)
    terms = [(rng.choice([-1, 1]) * rng.random() * 10.0 ** rng.randint(-20, 20), rng.randint(1, 2**40))
             for _ in range(rng.randint(1, 30))]
    assert exact_counted_sum(terms) == float(sum(Fraction(v) * c for v, c in terms))  # Fraction: rounded once


def test_infinities_sum_as_fsum_sums_them():
    assert exact_counted_sum([(math.inf, 3), (1.0, 2)]) == math.inf
    assert math.isnan(exact_counted_sum([(math.nan, 2)]))
    with pytest.raises(ValueError, match="inf"):
        exact_counted_sum([(math.inf, 2), (-math.inf, 1)])


@pytest.mark.parametrize("seed", range(12))
def test_counted_means_on_awkward_values_compare_as_the_written_out_values_do(seed):
    rng = random.Random(seed)
    pool = [0.1, 0.7, 1e-9, 123456789.123, 2.0**-30, 1e15 + 0.5, -3.25, 7.0]
    a = Counter({rng.choice(pool) * rng.randint(1, 9): rng.randint(1, 40) for _ in range(rng.randint(2, 8))})
    b = Counter({rng.choice(pool) / rng.randint(1, 9): rng.randint(1, 40) for _ in range(rng.randint(2, 8))})
    written_a, written_b = list(a.elements()), list(b.elements())
    assert compare_means_counted(a, b) == compare_means(written_a, written_b)


def test_counted_means_merge_int_and_float_keys_and_skip_zero_counts():
    a, b = {1: 2, 2.5: 0, 3.0: 1, 4: 3}, {0.5: 2, 7: 1, -0.0: 0}
    assert compare_means_counted(a, b) == compare_means([1.0, 1.0, 3.0, 4.0, 4.0, 4.0], [0.5, 0.5, 7.0])
