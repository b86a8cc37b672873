"""Period-over-period comparisons (frontline/engine/kpis/compare/).

Checked against independent implementations: statsmodels (Wilson and Newcombe intervals, the
pooled z test), scipy (Welch's t test and interval, a percentile bootstrap of the difference of
medians), Newcombe's (1998) published example, and the Price-Bonett standard error worked by
hand with the standard library's NormalDist.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats import rates
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from frontline.engine.kpis import (
    compare_counts,
    compare_means,
    compare_medians,
    compare_nps,
    compare_rates,
    median_standard_error,
    wilson_interval,
)

RATE_CASES = [(48, 80, 56, 70), (30, 400, 52, 400), (0, 50, 3, 60), (9, 10, 10, 10), (5, 7, 1, 900)]


def test_newcombe_published_example() -> None:
    # Newcombe (1998), Stat Med 17:873, example (a): 56/70 - 48/80 = 0.2, method 10
    # (hybrid score): 0.0524 to 0.3339.
    result = compare_rates(48, 80, 56, 70)
    assert result.change == pytest.approx(0.2)
    assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (0.0524, 0.3339)


@pytest.mark.parametrize(("k1", "n1", "k2", "n2"), RATE_CASES)
def test_rates_agree_with_statsmodels(k1: int, n1: int, k2: int, n2: int) -> None:
    result = compare_rates(k1, n1, k2, n2)
    low, high = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff")
    _, p_value = proportions_ztest([k2, k1], [n2, n1])
    assert (result.before, result.after) == (k1 / n1, k2 / n2)
    assert result.ci_low == pytest.approx(low, abs=1e-12)
    assert result.ci_high == pytest.approx(high, abs=1e-12)
    assert result.p_value == pytest.approx(p_value, rel=1e-9)


@pytest.mark.parametrize(("k", "n"), [(0, 10), (3, 10), (10, 10), (412, 1000)])
def test_wilson_agrees_with_statsmodels(k: int, n: int) -> None:
    assert wilson_interval(k, n) == pytest.approx(proportion_confint(k, n, method="wilson"))


def test_rate_readings() -> None:
    up = compare_rates(30, 400, 52, 400)
    flat = compare_rates(10, 100, 10, 100)
    down = compare_rates(52, 400, 48, 400)
    assert (up.direction, up.significant) == ("up", True)
    assert up.reading == "up 5.5 points (7.5% to 13.0%); larger than noise (p = 0.01)"
    assert flat.reading == "no change; within noise (p = 1.00)"
    assert (down.direction, down.significant) == ("down", False)
    assert down.reading == "down 1.0 point (13.0% to 12.0%); within noise (p = 0.67)"


def test_all_or_nothing_in_both_periods_is_no_evidence() -> None:
    # pooled proportion 0: the z test has no spread; the same 0% twice is no change (p 1)
    result = compare_rates(0, 20, 0, 30)
    assert (result.change, result.p_value, result.significant) == (0.0, 1.0, False)
    assert result.ci_low < 0 < result.ci_high


def test_an_empty_period_gives_what_exists_and_no_inference() -> None:
    result = compare_rates(0, 0, 3, 4)
    assert (result.before, result.after, result.change) == (None, 0.75, None)
    assert (result.ci_low, result.ci_high, result.p_value, result.significant) == (
        None,
        None,
        None,
        False,
    )
    assert result.reading == "no data in the earlier period"
    assert compare_rates(1, 2, 0, 0).reading == "no data in the later period"
    assert compare_medians([], [], unit="min").reading == "no data in either period"


def test_means_agree_with_scipy_welch() -> None:
    rng = np.random.default_rng(4)
    a = rng.normal(30, 8, 40)
    b = rng.normal(34, 15, 25)
    result = compare_means(list(a), list(b), unit="min")
    reference = stats.ttest_ind(b, a, equal_var=False)
    interval = reference.confidence_interval(0.95)
    assert result.change == pytest.approx(b.mean() - a.mean())
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-9)
    assert (result.ci_low, result.ci_high) == pytest.approx((interval.low, interval.high))


@pytest.mark.parametrize(
    ("c1", "c2", "e1", "e2"), [(100, 130, 1.0, 1.0), (310, 250, 31.0, 28.0), (3, 4, 1.0, 1.0)]
)
def test_counts_agree_with_statsmodels_poisson_wald(c1: int, c2: int, e1: float, e2: float) -> None:
    result = compare_counts(c1, c2, exposure1=e1, exposure2=e2, unit="tickets")
    low, high = rates.confint_poisson_2indep(c2, e2, c1, e1, method="wald", compare="diff")
    reference = rates.test_poisson_2indep(c2, e2, c1, e1, method="wald", compare="diff")
    assert result.change == pytest.approx(c2 / e2 - c1 / e1)
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high))
    assert result.p_value == pytest.approx(reference.pvalue)


def test_count_reading_and_no_events() -> None:
    assert compare_counts(100, 130, unit="tickets").reading == (
        "up 30 tickets (100 tickets to 130 tickets); larger than noise (p = 0.048)"
    )
    nothing = compare_counts(0, 0)
    assert (nothing.change, nothing.p_value, nothing.significant) == (0.0, 1.0, False)


def test_nps_against_coded_responses() -> None:
    # NPS / 100 is the mean of the responses coded promoter +1, passive 0, detractor -1; its
    # variance per response is the population variance of those codes.
    rng = np.random.default_rng(8)
    a = list(rng.integers(0, 11, 150))
    b = list(rng.integers(3, 11, 120))
    code = np.vectorize(lambda s: 1 if s >= 9 else -1 if s <= 6 else 0)
    ca, cb = code(a), code(b)
    se = 100 * math.sqrt(ca.var() / len(ca) + cb.var() / len(cb))
    change = 100 * (cb.mean() - ca.mean())
    z = NormalDist().inv_cdf(0.975)
    result = compare_nps([int(x) for x in a], [int(x) for x in b])
    assert (result.before, result.after) == pytest.approx((100 * ca.mean(), 100 * cb.mean()))
    assert (result.ci_low, result.ci_high) == pytest.approx((change - z * se, change + z * se))
    assert result.p_value == pytest.approx(2 * NormalDist().cdf(-abs(change) / se))


def test_nps_by_hand() -> None:
    # before 9 10 7 3 9 10 8 6: 4 promoters, 2 detractors of 8 -> 25
    # after 10 10 9 9 9 8 7 10: 6 promoters, 0 detractors of 8 -> 75
    result = compare_nps([9, 10, 7, 3, 9, 10, 8, 6], [10, 10, 9, 9, 9, 8, 7, 10])
    assert (result.before, result.after, result.change) == (25.0, 75.0, 50.0)
    assert result.reading == "up 50 points (25 points to 75 points); within noise (p = 0.13)"
    with pytest.raises(ValueError, match="a: NPS responses are whole numbers 0-10"):
        compare_nps([11, 3], [1, 2])


def test_median_standard_error_by_hand() -> None:
    # n = 10: c = round(11/2 - sqrt 10) = round(2.34) = 2; P(Bin(10, 1/2) <= 1) = 11/1024;
    # z_c = Phi^-1(1 - 11/1024); se = (Y(9) - Y(2)) / (2 z_c) = (9 - 2) / (2 z_c).
    z_c = NormalDist().inv_cdf(1 - 11 / 1024)
    assert median_standard_error(list(range(1, 11))) == pytest.approx(7 / (2 * z_c))


def test_medians_by_hand() -> None:
    a = [float(x) for x in range(1, 11)]  # median 5.5
    b = [x + 12 for x in a]  # median 17.5, the same spread
    se = math.hypot(median_standard_error(a), median_standard_error(b))
    result = compare_medians(a, b, unit="min")
    z = NormalDist().inv_cdf(0.975)
    assert (result.before, result.after, result.change) == (5.5, 17.5, 12.0)
    assert (result.ci_low, result.ci_high) == pytest.approx((12 - z * se, 12 + z * se))
    assert result.p_value == pytest.approx(2 * NormalDist().cdf(-12 / se))
    assert result.reading.startswith("up 12 min (5.5 min to 17.5 min); larger than noise")


def test_median_interval_is_close_to_a_bootstrap() -> None:
    # An independent estimate of the same interval: scipy's percentile bootstrap (fixed seed).
    rng = np.random.default_rng(3)
    a = rng.lognormal(3, 0.8, 300)
    b = rng.lognormal(3.2, 0.8, 300)
    result = compare_medians(list(a), list(b))
    boot = stats.bootstrap(
        (b, a),
        lambda x, y, axis: np.median(x, axis=axis) - np.median(y, axis=axis),
        method="percentile",
        n_resamples=2000,
        rng=np.random.default_rng(0),
    ).confidence_interval
    width = boot.high - boot.low
    assert result.change == pytest.approx(np.median(b) - np.median(a))
    assert abs(result.ci_low - boot.low) < 0.15 * width
    assert abs(result.ci_high - boot.high) < 0.15 * width


def test_median_interval_covers_about_95_percent() -> None:
    # 400 pairs of skewed samples with the same median: the 95% interval holds 0 ~95% of times
    # (binomial sd ~1.1 points) and the test rejects ~5%.
    rng = np.random.default_rng(11)
    results = [
        compare_medians(list(rng.lognormal(2, 1, 60)), list(rng.lognormal(2, 1, 80)))
        for _ in range(400)
    ]
    covered = sum(r.ci_low <= 0 <= r.ci_high for r in results) / len(results)
    rejected = sum(r.significant for r in results) / len(results)
    assert 0.91 <= covered <= 0.99
    assert rejected == pytest.approx(1 - covered)


def test_no_spread_is_a_point_interval() -> None:
    same = compare_medians([5.0] * 4, [5.0] * 6)
    moved = compare_means([5.0] * 4, [7.0] * 6, unit="min")
    assert (same.ci_low, same.ci_high, same.p_value, same.significant) == (0.0, 0.0, 1.0, False)
    assert (moved.ci_low, moved.ci_high, moved.p_value, moved.significant) == (2.0, 2.0, 0.0, True)


def test_one_value_is_too_few() -> None:
    result = compare_means([3.0], [4.0, 5.0])
    assert (result.change, result.p_value, result.reading) == (
        1.5,
        None,
        "too few to judge (n 1 before, 2 after)",
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: compare_rates(5, 4, 1, 2), "k1: must be at most n1"),
        (lambda: compare_rates(-1, 4, 1, 2), "k1: must be a whole number"),
        (lambda: compare_rates(1, 4, 1.5, 2), "k2: must be a whole number"),
        (lambda: compare_rates(1, 4, 1, 2, alpha=1), "alpha: must be in"),
        (lambda: compare_means([1.0, float("nan")], [1.0]), "a: must hold finite"),
        (lambda: compare_medians([1.0], ["2"]), "b: must hold numbers"),
        (lambda: compare_medians([1.0], [2.0], unit=3), "unit: must be a string"),
        (lambda: median_standard_error([1.0]), "values: need at least 2"),
    ],
)
def test_bad_input_names_the_parameter(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("name", ["compare", "compare.means", "decompose", "outliers", "targets"])
def test_the_docstring_examples_run(name: str) -> None:
    import doctest
    import importlib

    module = importlib.import_module(f"frontline.engine.kpis.{name}")
    assert doctest.testmod(module).failed == 0
