"""Agents far from their team (frontline/engine/kpis/outliers.py).

The tests inside are checked against scipy (Fisher's exact test, Mann-Whitney U) and
statsmodels (Benjamini-Hochberg); the flags on small hand-made teams.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from frontline.engine.kpis import (
    benjamini_hochberg,
    fisher_exact_p,
    flag_duration_outliers,
    flag_outliers,
    flag_rate_outliers,
    mann_whitney_p,
)


@pytest.mark.parametrize(
    "table", [(2, 38, 19, 66), (15, 25, 6, 79), (0, 30, 0, 90), (3, 0, 1, 9), (1, 19, 0, 200)]
)
def test_fisher_agrees_with_scipy(table: tuple[int, int, int, int]) -> None:
    a, b, c, d = table
    assert fisher_exact_p(a, b, c, d) == pytest.approx(stats.fisher_exact([[a, b], [c, d]]).pvalue)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_mann_whitney_agrees_with_scipy_with_ties(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = np.round(rng.lognormal(2, 0.6, 25))  # whole minutes: many ties
    y = np.round(rng.lognormal(2.2, 0.6, 70))
    expected = stats.mannwhitneyu(x, y, method="asymptotic", use_continuity=True).pvalue
    assert mann_whitney_p(list(x), list(y)) == pytest.approx(expected, rel=1e-9)


def test_benjamini_hochberg_agrees_with_statsmodels() -> None:
    p = [0.01, 0.04, 0.03, 0.5, 0.001, 0.04, 1.0]
    assert benjamini_hochberg(p) == pytest.approx(tuple(multipletests(p, method="fdr_bh")[1]))


def test_the_agent_who_reopens_far_more_is_flagged_with_the_reason() -> None:
    # cy: 15 of 40 reopened; the rest (ann, bob, dee and eve, who is too new to judge but is
    # in the team) 2 + 3 + 4 + 1 = 10 of 125 (8.0%).
    report = flag_rate_outliers(
        per_agent={"ann": (2, 40), "bob": (3, 40), "cy": (15, 40), "dee": (4, 40), "eve": (1, 5)},
        label="reopen rate",
    )
    cy = report.agents[0]
    rest_p = stats.fisher_exact([[15, 25], [10, 115]]).pvalue
    assert (cy.agent, cy.flagged, cy.worse, cy.direction) == ("cy", True, True, "higher")
    assert (cy.value, cy.rest_value, cy.rest_n) == (15 / 40, 10 / 125, 125)
    assert cy.p_value == pytest.approx(rest_p)
    assert cy.reason.startswith(
        "higher than the team: reopen rate 37.5% (15 of 40) vs 8.0% for the rest of the team "
        "(10 of 125); Fisher's exact test p < 0.001, q < 0.001 after Benjamini-Hochberg across 4 agents"
    )
    assert [a.agent for a in report.flagged] == ["cy"]
    eve = next(a for a in report.agents if a.agent == "eve")
    assert (eve.judged, eve.flagged, eve.p_value) == (False, False, None)
    assert eve.reason == "not judged: 5 values (fewer than 20)"
    assert report.tested == 4


def test_team_counts_include_people_not_listed() -> None:
    # The team solved 300 with 30 reopens; ann's 10 of 40 vs the rest 20 of 260 (7.7%).
    report = flag_rate_outliers(per_agent={"ann": (10, 40)}, team=(30, 300))
    ann = report.agents[0]
    assert (ann.rest_n, ann.rest_value, ann.flagged) == (260, 20 / 260, True)
    assert ann.p_value == pytest.approx(stats.fisher_exact([[10, 30], [20, 240]]).pvalue)


def test_a_significant_but_small_difference_is_not_flagged() -> None:
    # 3,000 tickets each: 10% vs 8% is "significant" but under the 5-point minimum.
    report = flag_rate_outliers(per_agent={"ann": (300, 3000), "bob": (240, 3000)})
    ann = report.agents[0]
    assert ann.q_value < 0.05
    assert (ann.flagged, ann.reason.split(":")[0]) == (False, "different but not by much")


def test_slow_agent_on_handle_time() -> None:
    rng = np.random.default_rng(5)
    team = {name: list(rng.lognormal(2.0, 0.4, 40)) for name in ("ann", "bob", "dee")}
    team["cy"] = list(rng.lognormal(2.7, 0.4, 40))  # ~2x slower median
    report = flag_duration_outliers(per_agent=team, label="handle time", unit="min")
    cy = report.agents[0]
    rest = team["ann"] + team["bob"] + team["dee"]
    assert (cy.agent, cy.flagged, cy.worse) == ("cy", True, True)
    assert (cy.value, cy.rest_value) == (float(np.median(team["cy"])), float(np.median(rest)))
    assert cy.p_value == pytest.approx(
        stats.mannwhitneyu(team["cy"], rest, method="asymptotic").pvalue
    )
    assert cy.reason.startswith("higher than the team: median handle time ")
    assert "Mann-Whitney U test p < 0.001" in cy.reason


def test_duration_team_values_of_people_not_listed_are_in_the_rest() -> None:
    ann = [5.0] * 20
    others = [10.0] * 30 + [30.0] * 30
    report = flag_duration_outliers(per_agent={"ann": ann}, team=ann + others)
    assert (report.agents[0].rest_n, report.agents[0].rest_value) == (60, 20.0)
    with pytest.raises(ValueError, match=r"team: must include every value of per_agent\['ann'\]"):
        flag_duration_outliers(per_agent={"ann": ann}, team=others)


def test_flag_outliers_dispatches() -> None:
    assert (
        flag_outliers(per_agent={"a": (1, 30), "b": (2, 30)}, kind="rate").test
        == "Fisher's exact test"
    )
    assert flag_outliers(per_agent={"a": [1.0] * 3}, kind="duration").tested == 0
    with pytest.raises(ValueError, match="kind: must be 'rate' or 'duration'"):
        flag_outliers(per_agent={}, kind="speed")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: flag_rate_outliers(per_agent={"a": (5, 3)}), r"per_agent\['a'\]: events \(5\)"),
        (lambda: flag_rate_outliers(per_agent={"a": (1, 3)}, team=(0, 2)), r"team: must include"),
        (lambda: flag_rate_outliers(per_agent={"": (1, 3)}), "agent names must be non-empty"),
        (lambda: flag_rate_outliers(per_agent={"a": (1, 3)}, alpha=0), "alpha: must be in"),
        (lambda: flag_rate_outliers(per_agent={"a": (1, 3)}, min_n=1), "min_n: must be"),
        (
            lambda: flag_duration_outliers(per_agent={"a": [1.0, "x"]}),
            r"per_agent\['a'\]: must hold",
        ),
        (lambda: flag_duration_outliers(per_agent={"a": [1.0]}, min_ratio=0.5), "min_ratio"),
        (lambda: benjamini_hochberg([0.5, 1.2]), "p_values: must be in"),
    ],
)
def test_bad_input_names_the_parameter(call, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()
