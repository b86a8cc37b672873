"""The verdict of a before/after comparison (frontline/coaching/followup.py), checked against scipy and
statsmodels computed independently."""

from __future__ import annotations

import pytest
from scipy import stats

from frontline.coaching.followup import MIN_N, compare_parts, verdict


def test_a_rate_that_rose_beyond_noise_is_improved_when_higher_is_better() -> None:
    comparison = compare_parts("rate", (30, 60), (50, 60))
    # independent: two-proportion z test (pooled) as statsmodels' proportions_ztest computes it
    from statsmodels.stats.proportion import proportions_ztest

    _z, p = proportions_ztest([50, 30], [60, 60])
    assert comparison.p_value == pytest.approx(p, abs=1e-9)
    assert verdict(comparison, higher_is_better=True).code == "improved"
    assert verdict(comparison, higher_is_better=False).code == "worsened"


def test_a_small_change_is_no_detectable_change() -> None:
    comparison = compare_parts("rate", (30, 60), (33, 60))
    assert verdict(comparison, higher_is_better=True).words == "No detectable change"


def test_too_few_observations_is_too_little_data_even_when_large() -> None:
    comparison = compare_parts("rate", (0, MIN_N - 1), (MIN_N - 1, MIN_N - 1))
    assert verdict(comparison, higher_is_better=True).code == "too_little_data"


def test_mean_matches_welch() -> None:
    before = [300.0 + (i * 37) % 120 for i in range(25)]
    after = [220.0 + (i * 53) % 110 for i in range(25)]
    comparison = compare_parts("mean", before, after, unit="s")
    t = stats.ttest_ind(after, before, equal_var=False)
    assert comparison.p_value == pytest.approx(t.pvalue, rel=1e-9)
    assert verdict(comparison, higher_is_better=False).code == "improved"


def test_median_with_no_data_after_is_too_little_data() -> None:
    comparison = compare_parts("median", [10.0] * 20, [], unit="min")
    assert verdict(comparison, higher_is_better=False).code == "too_little_data"


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        compare_parts("count", (1, 1), (1, 1))
