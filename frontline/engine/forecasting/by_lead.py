"""Lead-aware model choice: each block of forecast days gets the model with the lowest backtest
MASE on that block, and its prediction interval from that model's errors on that block.

One model rarely wins at every lead: a model that tracks the latest level (``level_blend``) wins
the first days, while the weekday means or the seasonal naive can win further out, where every
lag is already one or two weeks old.  :func:`backtest` scores every model per lead
(``ModelScore.lead_mase``) over the same rolling origins - the run's own history, no future
data - and :func:`choose_by_lead` picks, block by block, the lowest mean lead MASE (ties and NaN
go to the earlier model in the backtest, the cheaper one).  :func:`forecast_by_lead` then
forecasts each block with its model, its quasi-Poisson interval using the dispersion of that
model's backtest errors *on that block* (errors grow with the lead).

The default blocks (:func:`lead_blocks`) follow the lags the weekday models can use: day 1, the
rest of the first week (the same lags, one day older), then whole weeks (each one a week further
back): ``[1], [2-5], [6-10], [11-14]`` for a 5-day week.  ``default`` and ``margin`` keep a
trusted model unless another beats it on a block by a clear margin.  The stored forecasts use one
block per day, ``level_blend`` as the default and a margin of 0.2 - chosen on the US-bank
*tuning* origins only, among these block structures, margins and candidate sets
(``python -m bench.lead_choice``; docs/engine/forecasting.md says how it does out of sample).

>>> from datetime import datetime, timedelta
>>> import numpy as np
>>> from frontline.engine.forecasting.evaluation import backtest
>>> from frontline.engine.forecasting.models import SeasonalNaive, WeekdayMean
>>> from frontline.engine.forecasting.series import slot_series_from_counts
>>> lead_blocks(horizon_days=10, week_length=5)
((1, 1), (2, 5), (6, 10))
>>> rng = np.random.default_rng(1)
>>> days = [datetime(2024, 1, 1) + timedelta(days=d) for d in range(98) if d % 7 < 5]
>>> stamps = [d + timedelta(hours=h) for d in days for h in range(8, 12)]
>>> series = slot_series_from_counts(timestamps=stamps, interval_minutes=60,
...                                  counts=rng.poisson(50, len(stamps)).astype(float))
>>> models = (SeasonalNaive(), WeekdayMean(weeks=4))
>>> choice = choose_by_lead(result=backtest(series=series, models=models, horizon_days=7, windows=10))
>>> [(b.first, b.last, b.model) for b in choice.blocks]
[(1, 1, 'weekday_mean_4'), (2, 5, 'weekday_mean_4'), (6, 7, 'weekday_mean_4')]
>>> fc = forecast_by_lead(series=series, models=models, choice=choice)
>>> fc.point.shape, fc.day_models[0], fc.model
((7, 4), 'weekday_mean_4', 'weekday_mean_4')
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from .evaluation import BacktestResult, Forecast, _interval, _z
from .models import ForecastModel
from .series import SlotSeries

__all__ = ["BY_LEAD", "BlockChoice", "LeadChoice", "choose_by_lead", "forecast_by_lead", "lead_blocks"]

BY_LEAD = "by_lead"
"""``Forecast.model`` when different blocks use different models (``day_models`` says which)."""


@dataclass(frozen=True, slots=True)
class BlockChoice:
    """Leads ``first``..``last`` (1 = the first forecast day): the chosen ``model``, its block
    MASE and dispersion, and every model's block MASE (``scores``, in backtest order)."""

    first: int
    last: int
    model: str
    mase: float
    wape: float
    dispersion: float
    scores: tuple[tuple[str, float], ...]
    abs_error: float = 0.0
    actual: float = 0.0


@dataclass(frozen=True, slots=True)
class LeadChoice:
    """The blocks, in lead order, covering leads 1..``horizon_days``."""

    blocks: tuple[BlockChoice, ...]

    @property
    def horizon_days(self) -> int:
        return self.blocks[-1].last

    def block_for(self, *, lead: int) -> BlockChoice:
        for block in self.blocks:
            if block.first <= lead <= block.last:
                return block
        raise ValueError(f"lead must be in 1..{self.horizon_days}, got {lead!r}")

    @property
    def mase(self) -> float:
        """The chosen models' backtest MASE, each lead weighted alike."""
        return sum(b.mase * (b.last - b.first + 1) for b in self.blocks) / self.horizon_days

    @property
    def wape(self) -> float:
        """The chosen models' backtest WAPE, each block's absolute errors over its actuals."""
        return _wape(sum(b.abs_error for b in self.blocks), sum(b.actual for b in self.blocks))

    @property
    def models(self) -> tuple[str, ...]:
        """The distinct chosen models, in lead order."""
        return tuple(dict.fromkeys(b.model for b in self.blocks))


def _wape(abs_error: float, actual: float) -> float:
    return abs_error / actual if actual > 0 else (0.0 if abs_error == 0 else math.inf)


def lead_blocks(*, horizon_days: int, week_length: int) -> tuple[tuple[int, int], ...]:
    """``[1]``, ``[2..week_length]``, then whole weeks, cut at ``horizon_days`` (1-based, inclusive)."""
    for value, name in ((horizon_days, "horizon_days"), (week_length, "week_length")):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    edges = [1, 2, *range(week_length + 1, horizon_days + 1, week_length)]
    starts = [e for e in dict.fromkeys(edges) if e <= horizon_days]
    return tuple(
        (first, (starts[i + 1] - 1) if i + 1 < len(starts) else horizon_days)
        for i, first in enumerate(starts)
    )


def _check_blocks(blocks: Sequence[tuple[int, int]], horizon_days: int) -> tuple[tuple[int, int], ...]:
    out = tuple((int(a), int(b)) for a, b in blocks)
    expected = 1
    for first, last in out:
        if first != expected or last < first:
            raise ValueError(f"blocks must cover leads 1..{horizon_days} in order without gaps, got {list(out)}")
        expected = last + 1
    if expected != horizon_days + 1:
        raise ValueError(f"blocks must cover leads 1..{horizon_days} in order without gaps, got {list(out)}")
    return out


def choose_by_lead(
    *,
    result: BacktestResult,
    blocks: Sequence[tuple[int, int]] | None = None,
    default: str | None = None,
    margin: float = 0.0,
) -> LeadChoice:
    """Per block (default: :func:`lead_blocks` of the backtest's horizon and week), the model with
    the lowest mean lead MASE over the block's scored leads; ties and NaN go to the earlier model.
    ``blocks``: (first, last) leads, 1-based and inclusive, covering the horizon in order.
    ``default``, when given, keeps a block unless another model's block MASE is below
    ``(1 - margin)`` x the default's (a short backtest is noisy: a small win is often luck)."""
    if not (isinstance(margin, int | float) and 0.0 <= margin <= 1.0):
        raise ValueError(f"margin must be in [0, 1], got {margin!r}")
    names = [s.model for s in result.scores] if isinstance(result, BacktestResult) else []
    if default is not None and default not in names:
        raise ValueError(f"default must be one of {names}, got {default!r}")
    if not isinstance(result, BacktestResult):
        raise ValueError(f"result must be a BacktestResult, got {type(result).__name__}")
    horizon = result.horizon_days
    if any(len(s.lead_mase) != horizon for s in result.scores):
        raise ValueError("result must come from backtest() (per-lead scores missing)")
    chosen_blocks = _check_blocks(
        lead_blocks(horizon_days=horizon, week_length=result.week_length) if blocks is None else blocks, horizon
    )
    out: list[BlockChoice] = []
    for first, last in chosen_blocks:
        leads = slice(first - 1, last)
        block_scores: list[tuple[str, float]] = []
        for s in result.scores:
            values = np.asarray(s.lead_mase[leads], dtype=float)
            values = values[~np.isnan(values)]
            block_scores.append((s.model, float(values.mean()) if values.size else math.nan))
        best = min(
            range(len(block_scores)),
            key=lambda i: (math.isnan(block_scores[i][1]), block_scores[i][1], i),
        )
        if default is not None:
            keep = names.index(default)
            kept = block_scores[keep][1]
            if not math.isnan(kept) and not block_scores[best][1] < (1.0 - margin) * kept:
                best = keep
        score = result.scores[best]
        sq = float(np.sum(score.lead_sq_error[leads]))
        total = float(np.sum(score.lead_forecast_total[leads]))
        abs_err = float(np.sum(score.lead_abs_error[leads]))
        actual = float(np.sum(score.lead_actual_total[leads]))
        out.append(
            BlockChoice(
                first=first,
                last=last,
                model=score.model,
                mase=block_scores[best][1],
                wape=_wape(abs_err, actual),
                abs_error=abs_err,
                actual=actual,
                dispersion=sq / total if total > 0 else score.dispersion,
                scores=tuple(block_scores),
            )
        )
    return LeadChoice(blocks=tuple(out))


def forecast_by_lead(
    *,
    series: SlotSeries,
    models: Sequence[ForecastModel],
    choice: LeadChoice,
    interval_level: float = 0.8,
    closed_dates: Iterable[date] = (),
) -> Forecast:
    """Forecast ``choice.horizon_days`` open days after the series, each block with its model and
    an ``interval_level`` interval from that block's dispersion; closed dates get 0."""
    if not isinstance(series, SlotSeries):
        raise ValueError(f"series must be a SlotSeries, got {type(series).__name__}")
    if not isinstance(choice, LeadChoice):
        raise ValueError(f"choice must be a LeadChoice, got {type(choice).__name__}")
    by_name = {m.name: m for m in models}
    missing = [name for name in choice.models if name not in by_name]
    if missing:
        raise ValueError(f"models must include the chosen {missing}")
    z = _z(interval_level)
    horizon = choice.horizon_days
    dates = series.next_dates(count=horizon)
    predictions = {
        name: np.clip(
            np.asarray(
                by_name[name].predict(
                    history=series.values, week_length=series.week_length, horizon_days=horizon
                ),
                dtype=float,
            ),
            0.0,
            None,
        )
        for name in choice.models
    }
    slots = series.values.shape[1]
    point = np.zeros((horizon, slots))
    lower = np.zeros((horizon, slots))
    upper = np.zeros((horizon, slots))
    day_models: list[str] = []
    closed = set(closed_dates)
    for block in choice.blocks:
        rows = slice(block.first - 1, block.last)
        block_point = predictions[block.model][rows].copy()
        block_point[[d in closed for d in dates[rows]]] = 0.0
        point[rows] = block_point
        lower[rows], upper[rows] = _interval(block_point, block.dispersion, z)
        day_models += [block.model] * (block.last - block.first + 1)
    names = choice.models
    return Forecast(
        model=names[0] if len(names) == 1 else BY_LEAD,
        dates=dates,
        slot_starts=series.slot_starts,
        point=point,
        lower=lower,
        upper=upper,
        level=float(interval_level),
        day_models=tuple(day_models),
    )
