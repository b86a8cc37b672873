"""frontline.engine.insights.spikes: tails checked against scipy.stats, spikes on synthetic
series with known spikes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from frontline.engine.insights import (
    benjamini_hochberg,
    binomial_upper,
    detect_spikes,
    emerging,
    negative_binomial_upper,
    p_text,
    poisson_upper,
)


@pytest.mark.parametrize(("k", "mu"), [(1, 0.1), (5, 4.2), (19, 4.3), (0, 3.0), (50, 20.5), (3, 1e-3)])
def test_poisson_tail_matches_scipy(k: int, mu: float) -> None:
    assert poisson_upper(k, mu) == pytest.approx(stats.poisson.sf(k - 1, mu), rel=1e-10, abs=1e-300)


@pytest.mark.parametrize(("k", "mean", "var"), [(10, 4.0, 9.0), (30, 12.5, 60.0), (1, 0.5, 0.8), (100, 20.0, 400.0)])
def test_negative_binomial_tail_matches_scipy(k: int, mean: float, var: float) -> None:
    r = mean * mean / (var - mean)
    expected = stats.nbinom.sf(k - 1, r, r / (r + mean))

    assert negative_binomial_upper(k, mean, var) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(("k", "n", "p"), [(3, 3, 0.2), (12, 12, 0.2), (5, 25, 0.2), (0, 4, 0.5), (10, 40, 0.1)])
def test_binomial_tail_matches_scipy(k: int, n: int, p: float) -> None:
    assert binomial_upper(k, n, p) == pytest.approx(stats.binom.sf(k - 1, n, p), rel=1e-10)


def test_benjamini_hochberg_matches_scipy() -> None:
    p = [0.01, 0.04, 0.03, 0.5, 0.001, 0.2]

    np.testing.assert_allclose(benjamini_hochberg(p), stats.false_discovery_control(p, method="bh"))


def test_known_spikes_are_found_and_nothing_else_in_a_steady_series() -> None:
    rng = np.random.default_rng(42)
    series = rng.poisson(6.0, 120)
    series[[60, 95]] = [25, 22]

    spikes = detect_spikes(series.tolist())

    assert [s.index for s in spikes] == [60, 95]
    assert all(s.q_value <= 0.01 and s.observed > s.expected for s in spikes)
    assert "expected from the previous 28 periods" in spikes[0].reason


def test_a_noisy_series_uses_the_negative_binomial_and_is_not_flagged_for_its_own_swings() -> None:
    rng = np.random.default_rng(7)
    weekly = np.tile([14, 12, 13, 12, 15, 2, 1], 16)  # weekends are quiet
    series = rng.poisson(weekly)

    spikes = detect_spikes(series.tolist())

    assert spikes == []
    doubled = series.copy()
    doubled[100] = 60
    found = detect_spikes(doubled.tolist())
    assert [(s.index, s.test) for s in found] == [(100, "negative binomial")]


def test_a_first_ever_burst_is_a_spike_but_one_stray_item_is_not() -> None:
    assert [s.index for s in detect_spikes([0] * 20 + [6])] == [20]
    assert detect_spikes([0] * 20 + [1]) == []  # below min_count


def test_last_tests_only_the_latest_periods() -> None:
    series = [5, 4, 6, 5, 4, 5, 6, 5, 30, 5, 4, 5, 6, 4, 5, 28]

    assert [s.index for s in detect_spikes(series, last=1)] == []  # the earlier spike widened the baseline
    assert [s.index for s in detect_spikes(series, last=8)] == [8]
    assert [s.index for s in detect_spikes(series[9:], min_history=5, last=1)] == [6]
    assert [s.index for s in detect_spikes(series[:12])] == [8]


def test_short_series_are_not_tested() -> None:
    assert detect_spikes([1, 50]) == []


def test_emerging_finds_new_and_fast_growing_topics_with_their_evidence() -> None:
    found = emerging(
        {1: 12, 2: 5, 3: 30, 4: 2}, {1: 0, 2: 20, 3: 30, 4: 0}, recent_length=7, earlier_length=28
    )

    assert [(e.topic, e.new) for e in found] == [(1, True), (3, False)]
    assert found[0].expected == pytest.approx(12 * 7 / 35)
    assert found[0].p_value == pytest.approx(stats.binom.sf(11, 12, 0.2))


def test_periods_before_the_data_began_are_neither_baseline_nor_tested() -> None:
    short = [0] * 12 + [2, 1, 2, 9]  # the feed began 4 periods ago

    padded = detect_spikes(short, baseline=12, min_history=4)
    honest = detect_spikes(short, baseline=12, min_history=4, first=12)

    assert [(s.index, s.window) for s in padded] == [(15, 12)]  # 9 against 0.4: "significant"
    assert honest == []  # only 3 periods of data before the last one
    longer = [0] * 10 + [2, 1, 2, 3, 2, 9]
    assert [(s.index, s.window, round(s.expected, 1)) for s in
            detect_spikes(longer, baseline=12, min_history=4, first=10)] == [(15, 5, 2.0)]


def test_emerging_counts_only_the_earlier_weeks_with_data() -> None:
    weekly = [0] * 10 + [5] * 6  # steady since 6 weeks: 10 earlier items in 2 weeks of data
    recent, earlier = {1: sum(weekly[-4:])}, {1: sum(weekly[:-4])}

    padded = emerging(recent, earlier, recent_length=4, earlier_length=12, unit="week")
    honest = emerging(recent, earlier, recent_length=4, earlier_length={1: 2}, unit="week")

    assert [e.topic for e in padded] == [1] and honest == []
    assert [e.topic for e in emerging({1: 40, 2: 40}, {1: 10, 2: 10}, recent_length=4,
                                      earlier_length={1: 12, 2: 0})] == [1]  # 0 or missing: not tested


@pytest.mark.parametrize(
    ("p", "text"),
    [(0.0, "p < 0.0001"), (9.99e-5, "p < 0.0001"), (0.0001, "p = 0.0001"), (0.000123456, "p = 0.000123"),
     (0.03125, "p = 0.0312"), (0.5, "p = 0.5"), (0.98765, "p = 0.988"), (1.0, "p = 1")],
)
def test_p_values_read_as_less_than_or_three_significant_digits(p: float, text: str) -> None:
    assert p_text(p) == text


def test_reasons_say_in_words_what_was_tested() -> None:
    spike = detect_spikes([2, 3, 2, 2, 3, 2, 30], min_history=4, unit="week")[0]
    grown = emerging({1: 30}, {1: 3}, recent_length=4, earlier_length=12, unit="week")[0]

    assert spike.reason == (
        "30 items against 2.3 expected from the previous 6 weeks. Test: if this week were like those, 30 or more "
        "would come with probability p < 0.0001 (Poisson upper tail); after the Benjamini-Hochberg correction for "
        "the 3 weeks tested, q < 0.0001, within the 1 % false discovery rate.")
    assert grown.reason.startswith("30 items in the last 4 weeks against 3 in the 12 weeks before (8.2 expected")
    assert "chance 25 %" in grown.reason and "binomial upper tail" in grown.reason
    assert "0.0000" not in spike.reason + grown.reason


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: detect_spikes([1, -1]), "non-negative whole"),
        (lambda: detect_spikes([1.5]), "non-negative whole"),
        (lambda: detect_spikes([[1]]), "1-D"),
        (lambda: detect_spikes([1], baseline=0), "baseline"),
        (lambda: detect_spikes([1], min_history=40), "min_history"),
        (lambda: detect_spikes([1], alpha=1), "alpha"),
        (lambda: detect_spikes([1], last=0), "last"),
        (lambda: detect_spikes([1], first=-1), "first"),
        (lambda: detect_spikes([1], unit=" "), "unit"),
        (lambda: emerging({1: 3}, {}, recent_length=1, earlier_length={1: -1.0}), "earlier_length"),
        (lambda: p_text(1.5), "between 0 and 1"),
        (lambda: emerging({}, {}, recent_length=0, earlier_length=1), "positive"),
        (lambda: emerging({1: -2}, {}, recent_length=1, earlier_length=1), "negative"),
        (lambda: negative_binomial_upper(3, 4.0, 4.0), "variance"),
    ],
)
def test_bad_arguments_are_refused(call, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        call()
