"""Target status and projection (frontline/engine/kpis/targets.py); each case by hand."""

from __future__ import annotations

import pytest
from statsmodels.stats.proportion import proportion_confint

from frontline.engine.kpis import target_status


@pytest.mark.parametrize(
    ("direction", "target", "value", "elapsed", "status", "projection"),
    [
        # solved tickets, at least 1,000 a month: 420 after 40% -> on pace for 1,050
        ("higher", 1000, 420, 0.4, "on_track", 1050.0),
        # 380 after 40% -> 950: at risk
        ("higher", 1000, 380, 0.4, "at_risk", 950.0),
        # already 1,000 with a week to go: met (a count does not come back)
        ("higher", 1000, 1000, 0.8, "met", 1250.0),
        # at most 20 escalations: 6 after half the month -> 12: on track; 11 -> 22: at risk
        ("lower", 20, 6, 0.5, "on_track", 12.0),
        ("lower", 20, 11, 0.5, "at_risk", 22.0),
        # 21 already: missed before the end
        ("lower", 20, 21, 0.5, "missed", 42.0),
        # the month is over: met / missed on the value
        ("higher", 1000, 990, 1.0, "missed", 990.0),
        ("lower", 20, 20, 1.0, "met", 20.0),
    ],
)
def test_counts_project_linearly(direction, target, value, elapsed, status, projection) -> None:
    result = target_status(
        direction=direction,
        target=target,
        value_so_far=value,
        n_so_far=0,
        elapsed_fraction=elapsed,
        kind="count",
    )
    assert (result.status, result.projection) == (status, projection)


def test_a_rate_clear_of_its_target_is_on_track() -> None:
    # CSAT 372 of 400 = 93%, target >= 90%: Wilson 95% interval ~ 90.1%-95.1% clears 90%.
    result = target_status(
        direction="higher",
        target=0.9,
        value_so_far=0.93,
        n_so_far=400,
        elapsed_fraction=0.5,
        kind="rate",
        label="CSAT",
    )
    low, high = proportion_confint(372, 400, method="wilson")
    assert (result.status, result.projection) == ("on_track", 0.93)
    assert (result.projection_low, result.projection_high) == pytest.approx((low, high))
    assert result.reading == (
        "CSAT 93.0% (n 400) against a target of at least 90.0%: on track; "
        "the 95% interval 90.1%-95.1% clears it; 50% of the period left"
    )


def test_a_rate_above_target_with_few_responses_is_at_risk() -> None:
    # 28 of 30 = 93.3%: the interval (78.7%-98.2%) includes 90%.
    result = target_status(
        direction="higher",
        target=0.9,
        value_so_far=28 / 30,
        n_so_far=30,
        elapsed_fraction=0.2,
        kind="rate",
        label="CSAT",
    )
    assert result.status == "at_risk"
    assert result.reading == (
        "CSAT 93.3% (n 30) against a target of at least 90.0%: at risk; close: the 95% interval "
        "78.7%-98.2% includes the target; 80% of the period left"
    )


def test_a_rate_on_the_wrong_side_is_at_risk_then_missed() -> None:
    running = target_status(
        direction="lower",
        target=0.05,
        value_so_far=0.08,
        n_so_far=500,
        elapsed_fraction=0.6,
        kind="rate",
        label="Reopen rate",
    )
    over = target_status(
        direction="lower",
        target=0.05,
        value_so_far=0.08,
        n_so_far=900,
        elapsed_fraction=1.2,
        kind="rate",
        label="Reopen rate",
    )
    assert (running.status, running.label) == ("at_risk", "at risk")
    assert "above the target" in running.reading
    assert (over.status, over.elapsed_fraction, over.reading) == (
        "missed",
        1.0,
        "Reopen rate 8.0% (n 900) against a target of at most 5.0%: missed",
    )


def test_a_level_uses_the_interval_given() -> None:
    kwargs = dict(
        direction="lower",
        target=60,
        value_so_far=55.0,
        n_so_far=30,
        elapsed_fraction=0.4,
        kind="level",
        label="Median first reply",
        unit="min",
    )
    assert target_status(**kwargs, ci=(41.0, 70.0)).status == "at_risk"
    assert target_status(**kwargs, ci=(48.0, 59.0)).status == "on_track"
    assert target_status(**kwargs).status == "on_track"  # no interval: the point


def test_no_data() -> None:
    rate = target_status(
        direction="higher",
        target=0.9,
        value_so_far=None,
        n_so_far=0,
        elapsed_fraction=0.1,
        kind="rate",
        label="CSAT",
    )
    count = target_status(
        direction="higher",
        target=10,
        value_so_far=0,
        n_so_far=0,
        elapsed_fraction=0,
        kind="count",
        label="Solved",
    )
    assert (rate.status, rate.label, rate.reading) == (
        "no_data",
        "no data",
        "CSAT: no data yet against a target of at least 90.0%",
    )
    assert count.status == "no_data"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"direction": "up"}, "direction: must be 'higher' or 'lower'"),
        ({"kind": "ratio"}, "kind: must be one of"),
        ({"target": 1.5}, r"target: a rate is a fraction in \[0, 1\]"),
        ({"value_so_far": float("nan")}, "value_so_far: must be a finite number"),
        ({"n_so_far": -1}, "n_so_far: must be a whole number"),
        ({"elapsed_fraction": -0.1}, "elapsed_fraction: must be >= 0"),
        ({"ci": (3, 1)}, "ci: low must be <= high"),
    ],
)
def test_bad_input_names_the_parameter(changes, message: str) -> None:
    kwargs = dict(
        direction="higher",
        target=0.9,
        value_so_far=0.5,
        n_so_far=10,
        elapsed_fraction=0.5,
        kind="rate",
    )
    with pytest.raises(ValueError, match=message):
        target_status(**{**kwargs, **changes})
