"""Rolling-origin backtest, model choice and forecasts with prediction intervals.

Backtest: one origin per grid day over the last ``windows`` origins; at each origin every model
is refitted on all days before it and forecasts the next ``horizon_days`` days.  The last
origin leaves exactly ``horizon_days`` days to score, so origins run from row
``days - windows - horizon_days + 1`` to ``days - horizon_days``.  Closed and excluded target
days are not scored (a window with nothing to score is skipped); the first origin needs at
least two weeks (``2 * week_length`` rows) of history.

* window MASE = the window's MAE / the in-sample MAE of the one-week seasonal naive on that
  window's training data (:func:`~.metrics.seasonal_scale`); a model's MASE is the mean over
  windows.  WAPE = sum |error| / sum actual over every scored point of every window.
* The chosen model has the lowest MASE (ties: the earlier model in ``models``).
* Prediction intervals are quasi-Poisson: ``Var(y) = dispersion x forecast``, with
  ``dispersion = sum (y - f)^2 / sum f`` over the model's backtest errors, and the interval
  ``f -/+ z * sqrt(dispersion * f)`` (normal approximation, lower end clipped at 0).  Because
  the dispersion is fitted, it absorbs the unit of the series (calls, or handle seconds).
  ``interval_coverage`` scores each window's intervals with the dispersion of the earlier
  windows only (an honest out-of-sample coverage; NaN with fewer than two windows).

>>> from datetime import datetime, timedelta
>>> import numpy as np
>>> from frontline.engine.forecasting.models import SeasonalNaive, WeekdayMean
>>> from frontline.engine.forecasting.series import slot_series_from_counts
>>> rng = np.random.default_rng(1)
>>> days = [datetime(2024, 1, 1) + timedelta(days=d) for d in range(70)]
>>> days = [d for d in days if d.weekday() < 5]
>>> stamps = [d + timedelta(hours=h) for d in days for h in range(8, 12)]
>>> counts = rng.poisson(50, len(stamps)).astype(float)
>>> series = slot_series_from_counts(timestamps=stamps, counts=counts, interval_minutes=60)
>>> result = backtest(series=series, models=(SeasonalNaive(), WeekdayMean(weeks=4)), windows=10)
>>> result.chosen, [s.model for s in result.scores]
('weekday_mean_4', ['seasonal_naive', 'weekday_mean_4'])
>>> fc = forecast(series=series, model=WeekdayMean(weeks=4), dispersion=1.0, horizon_days=1)
>>> fc.point.shape, bool(np.all(fc.lower <= fc.point)), fc.dates[0].isoformat()
((1, 4), True, '2024-03-11')
"""

from __future__ import annotations

import math
import time as _time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from .metrics import seasonal_scale
from .models import ForecastModel, default_models
from .series import SlotSeries

__all__ = ["BacktestResult", "Forecast", "ModelScore", "backtest", "forecast"]

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ModelScore:
    """One model's backtest: mean MASE over windows, overall WAPE, interval calibration, and the
    wall-clock and CPU seconds of all its fits and predictions."""

    model: str
    mase: float
    wape: float
    windows_scored: int
    dispersion: float
    interval_coverage: float
    seconds: float
    cpu_seconds: float
    lead_mase: tuple[float, ...] = ()
    """Per lead (index 0 = the first forecast day): the mean over windows of that day's MAE over
    the window's scale; NaN for a lead never scored."""
    lead_sq_error: tuple[float, ...] = ()
    """Per lead: the sum of squared errors (with ``lead_forecast_total``, a block's dispersion)."""
    lead_forecast_total: tuple[float, ...] = ()
    """Per lead: the sum of the forecasts scored."""
    lead_abs_error: tuple[float, ...] = ()
    """Per lead: the sum of absolute errors (with ``lead_actual_total``, a block's WAPE)."""
    lead_actual_total: tuple[float, ...] = ()
    """Per lead: the sum of the actuals scored."""


@dataclass(frozen=True, slots=True)
class BacktestResult:
    """Scores in the order the models were given and the chosen (lowest-MASE) model."""

    scores: tuple[ModelScore, ...]
    chosen: str
    origins: tuple[date, ...]
    horizon_days: int
    interval_level: float
    week_length: int = 7

    def score(self, *, model: str) -> ModelScore:
        for s in self.scores:
            if s.model == model:
                return s
        raise ValueError(f"model must be one of {[s.model for s in self.scores]}, got {model!r}")


@dataclass(frozen=True, slots=True)
class Forecast:
    """Point forecasts and a ``level`` prediction interval, days x slots (0 on closed days)."""

    model: str
    dates: tuple[date, ...]
    slot_starts: tuple[time, ...]
    point: FloatArray
    lower: FloatArray
    upper: FloatArray
    level: float
    day_models: tuple[str, ...] = ()
    """The model of each forecast day (empty when one model serves them all, see ``model``)."""


def _z(level: float) -> float:
    if not (isinstance(level, int | float) and 0.0 < level < 1.0):
        raise ValueError(f"interval_level must be in (0, 1), got {level!r}")
    return NormalDist().inv_cdf(0.5 + level / 2.0)


def _interval(point: FloatArray, dispersion: float, z: float) -> tuple[FloatArray, FloatArray]:
    half = z * np.sqrt(dispersion * np.clip(point, 0.0, None))
    return np.clip(point - half, 0.0, None), point + half


def _whole(value: int, name: str, low: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")


def _dispersion(sq_err: float, total_forecast: float) -> float:
    return sq_err / total_forecast if total_forecast > 0 else 0.0


def _known(
    series: SlotSeries, training: Callable[[int], FloatArray] | None
) -> Callable[[int], FloatArray]:
    if training is None:
        return lambda o: series.values[:o]
    if not callable(training):
        raise ValueError(f"training must be a callable or None, got {type(training).__name__}")
    cache: dict[int, FloatArray] = {}

    def known(o: int) -> FloatArray:
        if o not in cache:
            rows = np.asarray(training(o), dtype=float)
            if rows.shape != (o, series.values.shape[1]):
                raise ValueError(
                    f"training({o}) must have shape {(o, series.values.shape[1])}, got {rows.shape}"
                )
            cache[o] = rows
        return cache[o]

    return known


def backtest(
    *,
    series: SlotSeries,
    models: Sequence[ForecastModel] | None = None,
    horizon_days: int = 1,
    windows: int = 20,
    interval_level: float = 0.8,
    training: Callable[[int], FloatArray] | None = None,
    latest_leads: bool = False,
) -> BacktestResult:
    """Rolling-origin backtest of ``models`` (default :func:`~.models.default_models`).

    ``latest_leads``: score each lead ``h`` (``ModelScore.lead_mase`` and its dispersion sums)
    on the ``windows`` latest origins that have a target at that lead - origins up to
    ``h`` days before the history end, the last ones forecasting only part of the horizon -
    instead of the whole-horizon origins, whose day-ahead targets are ``horizon_days`` days
    older.  The whole-horizon scores (``mase``, ``wape``, ...) are unchanged.

    ``training(o)``, when given, is the history as it was known at origin row ``o`` (its first
    ``o`` rows): what the models fit on and what the MASE is scaled by, e.g. a workload whose
    latest days were still incomplete then (:func:`~.workload.workload_training`).  The scored
    actuals are always ``series.values``.  Default: ``series.values[:o]``.
    """
    if not isinstance(series, SlotSeries):
        raise ValueError(f"series must be a SlotSeries, got {type(series).__name__}")
    _whole(horizon_days, "horizon_days")
    _whole(windows, "windows")
    z = _z(interval_level)
    chosen_models = tuple(default_models() if models is None else models)
    if not chosen_models:
        raise ValueError("models must not be empty")
    names = [m.name for m in chosen_models]
    if len(set(names)) != len(names):
        raise ValueError(f"models must have distinct names, got {names}")
    n_days = len(series.dates)
    week = series.week_length
    first = n_days - windows - horizon_days + 1
    if first < 2 * week:
        raise ValueError(
            f"windows: {windows} windows of {horizon_days} day(s) need at least {windows + horizon_days - 1 + 2 * week} days "
            f"of history ({2 * week} to train the first), the series has {n_days}"
        )
    usable = series.usable
    full = range(first, n_days - horizon_days + 1)
    origins = list(range(first, n_days if latest_leads else full.stop))
    known = _known(series, training)
    scales: dict[int, float] = {}
    for o in origins:
        if usable[o : o + horizon_days].any():
            rows = known(o)
            try:
                scales[o] = seasonal_scale(training=rows, week_length=week)
            except ValueError:
                raise ValueError(
                    f"windows: the history before {series.dates[o]} has no two usable days a week apart"
                ) from None
    scores: list[ModelScore] = []
    for model in chosen_models:
        started, started_cpu = _time.perf_counter(), _time.process_time()
        window_mase: list[float] = []
        abs_err = actual_sum = sq_err = fc_sum = 0.0
        hits = tried = 0
        lead_sum = np.zeros(horizon_days)
        lead_n = np.zeros(horizon_days)
        lead_sq = np.zeros(horizon_days)
        lead_fc = np.zeros(horizon_days)
        lead_abs = np.zeros(horizon_days)
        lead_y = np.zeros(horizon_days)
        for o in origins:
            if o not in scales:
                continue
            predicted = np.asarray(
                model.predict(history=known(o), week_length=week, horizon_days=horizon_days),
                dtype=float,
            )
            mask = np.zeros(horizon_days, dtype=bool)
            mask[: min(horizon_days, n_days - o)] = usable[o : o + horizon_days]
            if latest_leads:  # lead j: the `windows` latest origins with a target at j
                leads = [j for j in np.flatnonzero(mask) if o >= n_days - j - windows]
            else:
                leads = list(np.flatnonzero(mask)) if o in full else []
            rows = np.abs(series.values[o : o + horizon_days] - predicted[: n_days - o])
            for j in leads:
                row_mae = float(rows[j].mean())
                lead_sum[j] += (
                    row_mae / scales[o] if scales[o] > 0 else (0.0 if row_mae == 0 else math.inf)
                )
                lead_n[j] += 1
                lead_sq[j] += float(np.sum((series.values[o + j] - predicted[j]) ** 2))
                lead_fc[j] += float(np.sum(predicted[j]))
                lead_abs[j] += float(rows[j].sum())
                lead_y[j] += float(np.sum(series.values[o + j]))
            if o not in full:
                continue
            y = series.values[o : o + horizon_days][mask]
            f = predicted[mask]
            if sq_err > 0 or fc_sum > 0:
                lo, hi = _interval(f, _dispersion(sq_err, fc_sum), z)
                hits += int(np.sum((y >= lo) & (y <= hi)))
                tried += y.size
            err = np.abs(y - f)
            mae = float(err.mean())
            scale = scales[o]
            window_mase.append(mae / scale if scale > 0 else (0.0 if mae == 0 else math.inf))
            abs_err += float(err.sum())
            actual_sum += float(y.sum())
            sq_err += float(np.sum((y - f) ** 2))
            fc_sum += float(f.sum())
        wape = abs_err / actual_sum if actual_sum > 0 else (0.0 if abs_err == 0 else math.inf)
        scores.append(
            ModelScore(
                model=model.name,
                mase=float(np.mean(window_mase)) if window_mase else math.nan,
                wape=wape,
                windows_scored=len(window_mase),
                dispersion=_dispersion(sq_err, fc_sum),
                interval_coverage=hits / tried if tried else math.nan,
                seconds=_time.perf_counter() - started,
                cpu_seconds=_time.process_time() - started_cpu,
                lead_mase=tuple(
                    float(lead_sum[j] / lead_n[j]) if lead_n[j] else math.nan
                    for j in range(horizon_days)
                ),
                lead_sq_error=tuple(float(x) for x in lead_sq),
                lead_forecast_total=tuple(float(x) for x in lead_fc),
                lead_abs_error=tuple(float(x) for x in lead_abs),
                lead_actual_total=tuple(float(x) for x in lead_y),
            )
        )
    if not any(s.windows_scored for s in scores):
        raise ValueError("windows: every target day in the backtest is closed or excluded")
    best = min(range(len(scores)), key=lambda i: (math.isnan(scores[i].mase), scores[i].mase, i))
    return BacktestResult(
        scores=tuple(scores),
        chosen=scores[best].model,
        origins=tuple(series.dates[o] for o in origins),
        horizon_days=horizon_days,
        interval_level=float(interval_level),
        week_length=week,
    )


def forecast(
    *,
    series: SlotSeries,
    model: ForecastModel,
    dispersion: float,
    horizon_days: int = 1,
    interval_level: float = 0.8,
    closed_dates: Iterable[date] = (),
) -> Forecast:
    """Forecast the ``horizon_days`` open-weekday dates after the series, with intervals.

    ``dispersion`` is the quasi-Poisson dispersion from :func:`backtest` (``ModelScore``);
    ``closed_dates`` among the forecast dates get 0 with a zero-width interval.
    """
    if not isinstance(series, SlotSeries):
        raise ValueError(f"series must be a SlotSeries, got {type(series).__name__}")
    if not isinstance(model, ForecastModel):
        raise ValueError(f"model must be a ForecastModel, got {type(model).__name__}")
    if not (isinstance(dispersion, int | float) and math.isfinite(dispersion) and dispersion >= 0):
        raise ValueError(f"dispersion must be a finite number >= 0, got {dispersion!r}")
    _whole(horizon_days, "horizon_days")
    z = _z(interval_level)
    dates = series.next_dates(count=horizon_days)
    point = np.clip(
        np.asarray(
            model.predict(
                history=series.values, week_length=series.week_length, horizon_days=horizon_days
            ),
            dtype=float,
        ),
        0.0,
        None,
    )
    closed = set(closed_dates)
    point[[d in closed for d in dates]] = 0.0
    lower, upper = _interval(point, float(dispersion), z)
    return Forecast(
        model=model.name,
        dates=dates,
        slot_starts=series.slot_starts,
        point=point,
        lower=lower,
        upper=upper,
        level=float(interval_level),
    )
