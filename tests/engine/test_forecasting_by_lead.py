"""frontline/engine/forecasting/by_lead.py and the per-lead scores of the backtest."""

from __future__ import annotations

import doctest
import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest

from frontline.engine.forecasting import (
    BY_LEAD,
    BacktestResult,
    ModelScore,
    SeasonalNaive,
    WeekdayMean,
    backtest,
    by_lead,
    choose_by_lead,
    forecast,
    forecast_by_lead,
    lead_blocks,
    slot_series_from_counts,
)
from frontline.engine.forecasting.series import SlotSeries


def _series(values: np.ndarray) -> SlotSeries:
    """Weekdays from Monday 1 Jan 2024, one row per day, one column per hourly slot from 09:00."""
    days = [datetime(2024, 1, 1) + timedelta(days=d) for d in range(400)]
    days = [d for d in days if d.weekday() < 5][: len(values)]
    stamps = [d + timedelta(hours=9 + s) for d in days for s in range(values.shape[1])]
    return slot_series_from_counts(timestamps=stamps, counts=values.ravel(), interval_minutes=60)


def _score(name: str, lead_mase: list[float], sq: float = 4.0, total: float = 2.0) -> ModelScore:
    h = len(lead_mase)
    return ModelScore(
        model=name, mase=float(np.nanmean(lead_mase)), wape=0.1, windows_scored=10, dispersion=9.0,
        interval_coverage=0.8, seconds=0.0, cpu_seconds=0.0, lead_mase=tuple(lead_mase),
        lead_sq_error=(sq,) * h, lead_forecast_total=(total,) * h, lead_abs_error=(1.0,) * h,
        lead_actual_total=(10.0,) * h,
    )


def _result(*scores: ModelScore, week: int = 5) -> BacktestResult:
    return BacktestResult(scores=scores, chosen=scores[0].model, origins=(date(2024, 1, 1),),
                          horizon_days=len(scores[0].lead_mase), interval_level=0.8, week_length=week)


def test_the_doctests_run() -> None:
    assert doctest.testmod(by_lead).failed == 0


@pytest.mark.parametrize(("horizon", "week", "blocks"), [
    (14, 5, ((1, 1), (2, 5), (6, 10), (11, 14))),
    (10, 5, ((1, 1), (2, 5), (6, 10))),
    (3, 5, ((1, 1), (2, 3))),
    (1, 5, ((1, 1),)),
    (14, 7, ((1, 1), (2, 7), (8, 14))),
    (3, 1, ((1, 1), (2, 2), (3, 3))),
])
def test_lead_blocks_are_day_one_the_rest_of_the_week_then_whole_weeks(horizon: int, week: int, blocks: tuple) -> None:
    assert lead_blocks(horizon_days=horizon, week_length=week) == blocks


@pytest.mark.parametrize("bad", [0, -1, 1.5, True])
def test_lead_blocks_refuses_a_horizon_that_is_not_a_whole_number(bad: object) -> None:
    with pytest.raises(ValueError, match="horizon_days"):
        lead_blocks(horizon_days=bad, week_length=5)  # type: ignore[arg-type]


def test_each_block_takes_its_lowest_mase_with_its_own_dispersion() -> None:
    result = _result(
        _score("seasonal_naive", [0.9, 0.9, 0.9, 0.5, 0.5, 0.5], sq=8.0),
        _score("level_blend", [0.5, 0.6, 0.6, 0.9, 0.9, 0.9], sq=2.0),
    )
    choice = choose_by_lead(result=result, blocks=[(1, 1), (2, 3), (4, 6)])
    assert [(b.first, b.last, b.model) for b in choice.blocks] == [
        (1, 1, "level_blend"), (2, 3, "level_blend"), (4, 6, "seasonal_naive")]
    assert [b.dispersion for b in choice.blocks] == [1.0, 1.0, 4.0]  # sum sq / sum forecast of the block
    assert choice.blocks[1].scores == (("seasonal_naive", pytest.approx(0.9)), ("level_blend", pytest.approx(0.6)))
    assert choice.mase == pytest.approx((0.5 + 0.6 + 0.6 + 0.5 * 3) / 6)
    assert choice.wape == pytest.approx(0.1) and choice.models == ("level_blend", "seasonal_naive")
    assert choice.block_for(lead=5).model == "seasonal_naive"


def test_the_default_blocks_follow_the_backtests_week() -> None:
    result = _result(_score("a", [1.0] * 10), week=5)
    assert [(b.first, b.last) for b in choose_by_lead(result=result).blocks] == [(1, 1), (2, 5), (6, 10)]


def test_ties_and_unscored_leads_go_to_the_earlier_model() -> None:
    result = _result(_score("cheap", [0.7, math.nan]), _score("dear", [0.7, math.nan]))
    choice = choose_by_lead(result=result, blocks=[(1, 1), (2, 2)])
    assert [b.model for b in choice.blocks] == ["cheap", "cheap"] and math.isnan(choice.blocks[1].mase)


def test_the_default_keeps_a_block_unless_beaten_by_the_margin() -> None:
    result = _result(_score("seasonal_naive", [0.75, 0.85]), _score("level_blend", [1.0, 1.0]))
    choice = choose_by_lead(result=result, blocks=[(1, 1), (2, 2)], default="level_blend", margin=0.2)
    assert [b.model for b in choice.blocks] == ["seasonal_naive", "level_blend"]  # 25% better; only 15%
    assert choice.blocks[1].mase == 1.0
    always = choose_by_lead(result=result, blocks=[(1, 1), (2, 2)], default="level_blend", margin=1.0)
    assert always.models == ("level_blend",)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"blocks": [(1, 1), (3, 4)]}, "blocks must cover leads 1..4"),
    ({"blocks": [(1, 2)]}, "blocks must cover leads 1..4"),
    ({"blocks": [(2, 4)]}, "blocks must cover leads 1..4"),
    ({"default": "mstl"}, "default must be one of"),
    ({"margin": 1.5}, "margin must be in"),
])
def test_bad_choice_arguments_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        choose_by_lead(result=_result(_score("a", [1.0] * 4)), **kwargs)


def test_a_result_without_per_lead_scores_is_refused() -> None:
    bare = ModelScore(model="a", mase=1.0, wape=0.1, windows_scored=1, dispersion=1.0, interval_coverage=0.8,
                      seconds=0.0, cpu_seconds=0.0)
    result = BacktestResult(scores=(bare,), chosen="a", origins=(date(2024, 1, 1),), horizon_days=2,
                            interval_level=0.8, week_length=5)
    with pytest.raises(ValueError, match="per-lead scores"):
        choose_by_lead(result=result)


# ----------------------------------------------------------------------------------- backtest per lead


def _noisy(days: int = 60, seed: int = 3) -> SlotSeries:
    rng = np.random.default_rng(seed)
    level = np.repeat(rng.uniform(20, 60, size=(1, 4)), days, axis=0)
    return _series(rng.poisson(level).astype(float))


def test_the_per_lead_scores_add_up_to_the_whole_horizon() -> None:
    series = _noisy()
    result = backtest(series=series, models=(SeasonalNaive(), WeekdayMean(weeks=4)), horizon_days=5, windows=8)
    for score in result.scores:
        assert len(score.lead_mase) == 5
        # Every window scores all 5 days with the same scale: the whole-horizon MASE is the mean of the leads.
        assert score.mase == pytest.approx(float(np.mean(score.lead_mase)))
        assert score.dispersion == pytest.approx(sum(score.lead_sq_error) / sum(score.lead_forecast_total))
        assert score.wape == pytest.approx(sum(score.lead_abs_error) / sum(score.lead_actual_total))


def test_a_day_ahead_backtest_has_one_lead_equal_to_its_mase() -> None:
    score = backtest(series=_noisy(), models=(WeekdayMean(weeks=4),), horizon_days=1, windows=10).scores[0]
    assert score.lead_mase == (pytest.approx(score.mase),)


def test_latest_leads_scores_the_newest_targets_and_keeps_the_whole_horizon_scores() -> None:
    # The last two days triple: the whole-horizon origins (rows 50-55) reach them at leads 4-5 only.
    series = _noisy()
    series.values[-2:] *= 3
    old = backtest(series=series, models=(SeasonalNaive(),), horizon_days=5, windows=6).scores[0]
    new = backtest(series=series, models=(SeasonalNaive(),), horizon_days=5, windows=6, latest_leads=True).scores[0]
    # Lead 1 on the latest 6 origins (rows 54-59) includes both days; on rows 50-55, neither.
    assert new.lead_mase[0] > 3 * old.lead_mase[0]
    assert new.lead_actual_total[0] > old.lead_actual_total[0]
    assert (new.mase, new.wape, new.dispersion) == (old.mase, old.wape, old.dispersion)


# ----------------------------------------------------------------------------------- forecast by lead


def test_each_day_is_forecast_by_its_blocks_model_with_its_blocks_interval() -> None:
    series = _noisy()
    models = (SeasonalNaive(), WeekdayMean(weeks=4))
    result = _result(_score("seasonal_naive", [0.5, 0.5, 0.9], sq=2.0), _score("weekday_mean_4", [0.9, 0.9, 0.5], sq=32.0))
    choice = choose_by_lead(result=result, blocks=[(1, 2), (3, 3)])
    fc = forecast_by_lead(series=series, models=models, choice=choice)
    naive = forecast(series=series, model=models[0], dispersion=1.0, horizon_days=3)
    mean = forecast(series=series, model=models[1], dispersion=16.0, horizon_days=3)
    assert fc.model == BY_LEAD and fc.day_models == ("seasonal_naive", "seasonal_naive", "weekday_mean_4")
    np.testing.assert_allclose(fc.point, np.vstack([naive.point[:2], mean.point[2:]]))
    np.testing.assert_allclose(fc.upper, np.vstack([naive.upper[:2], mean.upper[2:]]))
    assert fc.dates == naive.dates


def test_closed_dates_are_zero_and_one_model_keeps_its_name() -> None:
    series = _noisy()
    models = (WeekdayMean(weeks=4),)
    choice = choose_by_lead(result=_result(_score("weekday_mean_4", [0.5, 0.5])), blocks=[(1, 2)])
    holiday = series.next_dates(count=2)[1]
    fc = forecast_by_lead(series=series, models=models, choice=choice, closed_dates=[holiday])
    assert fc.model == "weekday_mean_4" and fc.point[1].tolist() == [0.0] * 4 and fc.upper[1].tolist() == [0.0] * 4
    assert bool(np.all(fc.point[0] > 0))


def test_a_chosen_model_missing_from_the_models_is_refused() -> None:
    choice = choose_by_lead(result=_result(_score("level_blend", [0.5])), blocks=[(1, 1)])
    with pytest.raises(ValueError, match="models must include the chosen"):
        forecast_by_lead(series=_noisy(), models=(SeasonalNaive(),), choice=choice)
