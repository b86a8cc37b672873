"""Day-ahead interval forecasting models on a days x slots grid.

Every model takes ``history`` (days x slots, NaN rows for closed or excluded days), the number
of open days per week ``week_length`` and ``horizon_days``, and returns the forecasts of the
next ``horizon_days`` grid rows (horizon_days x slots, >= 0).  "Same weekday" means
``week_length`` rows back; a model looking back skips NaN days and only uses rows before the
forecast origin (so for day ``j`` of the horizon, the first lag is at least ``j // week_length
+ 1`` weeks back).

* :class:`SeasonalNaive` - the same slot of the latest usable same weekday ("last week").
* :class:`WeekdayMean` - the mean of the last ``weeks`` usable same weekdays, slot by slot.
* :class:`LevelBlend` (Frontline's own) - a daily total times an intraday profile:
  the total is the ``weeks``-weekday mean's total times ``r ** (level_weight x damping ** k)``,
  where ``r`` is the actual total of the latest ``level_days`` usable days over what the weekday
  mean had forecast for them (recent level shifts persist, fading with the lead: ``k`` counts
  the days from the newest of them, 0 for the first forecast day after it; ``r`` is clipped to
  [0.5, 2]); the profile (shares of the day per slot) is ``profile_weight`` x the weekday
  mean's own profile + the rest x the mean profile of the last ``profile_days`` usable days of
  any weekday (less noisy).  Every default was chosen on the US-bank *tuning* origins only,
  never on the reference windows it is reported on (``python -m bench.tune_level_blend``;
  docs/engine/forecasting.md).
* :class:`StatsforecastETS` / :class:`StatsforecastMSTL` - statsforecast's AutoETS (daily
  seasonality, ``slots`` per season) and MSTL (daily + weekly seasonality, AutoETS trend) on the
  flattened open-hours series of the last ``train_days`` days (NaN days imputed with the
  previous usable same weekday); ``train_days=None`` uses all history.

>>> import numpy as np
>>> week = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0], [9.0, 10.0]])
>>> history = np.vstack([week, week + 1.0])          # two weeks of 5 days, 2 slots each
>>> SeasonalNaive().predict(history=history, week_length=5, horizon_days=2).tolist()
[[2.0, 3.0], [4.0, 5.0]]
>>> WeekdayMean(weeks=2).predict(history=history, week_length=5, horizon_days=1).tolist()
[[1.5, 2.5]]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ForecastModel",
    "LevelBlend",
    "SeasonalNaive",
    "StatsforecastETS",
    "StatsforecastMSTL",
    "WeekdayMean",
    "default_models",
    "model_by_name",
]

FloatArray = NDArray[np.float64]


@runtime_checkable
class ForecastModel(Protocol):
    """A model: a ``name`` and ``predict(history=, week_length=, horizon_days=)``."""

    @property
    def name(self) -> str: ...

    def predict(
        self, *, history: FloatArray, week_length: int, horizon_days: int
    ) -> FloatArray: ...


def _check(history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
    grid = np.asarray(history, dtype=float)
    if grid.ndim != 2 or grid.shape[0] < 1 or grid.shape[1] < 1:
        raise ValueError(f"history must be a non-empty days x slots array, got shape {grid.shape}")
    if isinstance(week_length, bool) or not isinstance(week_length, int) or week_length < 1:
        raise ValueError(f"week_length must be a whole number >= 1, got {week_length!r}")
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 1:
        raise ValueError(f"horizon_days must be a whole number >= 1, got {horizon_days!r}")
    return grid


def _whole(value: int, name: str, low: int = 1) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")


def _unit(value: float, name: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0.0 <= value <= 1.0):
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")


def _same_weekday_rows(
    grid: FloatArray, *, target: int, origin: int, week_length: int, count: int
) -> FloatArray:
    """Up to ``count`` usable rows ``week_length`` apart before ``origin``, newest first."""
    rows: list[FloatArray] = []
    row = target - week_length * ((target - origin) // week_length + 1)
    while row >= 0 and len(rows) < count:
        if np.all(np.isfinite(grid[row])):
            rows.append(grid[row])
        row -= week_length
    if not rows:
        raise ValueError(
            f"history has no usable day of the weekday of row {target} before row {origin}"
        )
    return np.array(rows)


def _weekday_means(
    grid: FloatArray, *, origin: int, week_length: int, horizon_days: int, weeks: int
) -> FloatArray:
    return np.array(
        [
            _same_weekday_rows(
                grid, target=origin + j, origin=origin, week_length=week_length, count=weeks
            ).mean(axis=0)
            for j in range(horizon_days)
        ]
    )


@dataclass(frozen=True, slots=True)
class SeasonalNaive:
    """Same slot of the latest usable same weekday before the origin."""

    @property
    def name(self) -> str:
        return "seasonal_naive"

    def predict(self, *, history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
        grid = _check(history, week_length, horizon_days)
        return _weekday_means(
            grid, origin=len(grid), week_length=week_length, horizon_days=horizon_days, weeks=1
        )


@dataclass(frozen=True, slots=True)
class WeekdayMean:
    """Slot-by-slot mean of the last ``weeks`` usable same weekdays."""

    weeks: int = 4

    def __post_init__(self) -> None:
        _whole(self.weeks, "weeks")

    @property
    def name(self) -> str:
        return f"weekday_mean_{self.weeks}"

    def predict(self, *, history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
        grid = _check(history, week_length, horizon_days)
        return _weekday_means(
            grid,
            origin=len(grid),
            week_length=week_length,
            horizon_days=horizon_days,
            weeks=self.weeks,
        )


def _shares(rows: FloatArray) -> FloatArray:
    totals = rows.sum(axis=-1, keepdims=True)
    out: FloatArray = np.divide(rows, totals, out=np.zeros_like(rows), where=totals > 0)
    return out


@dataclass(frozen=True, slots=True)
class LevelBlend:
    """Weekday-mean daily total corrected by a recent level ratio (damped with the lead) x a
    blended intraday profile.  Defaults: chosen on tuning origins only (``bench.tune_level_blend``)."""

    weeks: int = 4
    level_weight: float = 0.5
    profile_weight: float = 0.4
    profile_days: int = 120
    level_days: int = 1
    damping: float = 0.3

    def __post_init__(self) -> None:
        _whole(self.weeks, "weeks")
        _whole(self.profile_days, "profile_days")
        _whole(self.level_days, "level_days")
        _unit(self.level_weight, "level_weight")
        _unit(self.profile_weight, "profile_weight")
        _unit(self.damping, "damping")

    @property
    def name(self) -> str:
        return "level_blend"

    def level_ratio(self, *, history: FloatArray, week_length: int) -> tuple[float, int]:
        """(r, age): ``r`` = the actual totals of the last ``level_days`` usable days over what
        the ``weeks``-weekday mean had forecast for them, clipped to [0.5, 2] (1 when there is
        nothing to compare); ``age`` = rows from the newest of them to the end of ``history``."""
        grid = _check(history, week_length, 1)
        usable = np.flatnonzero(np.all(np.isfinite(grid), axis=1))
        actual = expected = 0.0
        for row in usable[::-1][: self.level_days]:
            r = int(row)
            try:
                same = _same_weekday_rows(
                    grid, target=r, origin=r, week_length=week_length, count=self.weeks
                )
            except ValueError:
                break
            actual += float(grid[r].sum())
            expected += float(same.mean(axis=0).sum())
        age = len(grid) - 1 - int(usable[-1]) if len(usable) else 0
        if expected <= 0:
            return 1.0, age
        return float(np.clip(actual / expected, 0.5, 2.0)), age

    def exponents(self, *, age: int, horizon_days: int) -> FloatArray:
        """The power of the level ratio for each day of the horizon: ``level_weight x
        damping ** (age + j)`` for day ``j`` (0-based), ``age`` as in :meth:`level_ratio`."""
        steps = age + np.arange(horizon_days, dtype=float)
        out: FloatArray = self.level_weight * np.power(self.damping, steps)
        return out

    def predict(self, *, history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
        grid = _check(history, week_length, horizon_days)
        base = _weekday_means(
            grid,
            origin=len(grid),
            week_length=week_length,
            horizon_days=horizon_days,
            weeks=self.weeks,
        )
        ratio, age = self.level_ratio(history=grid, week_length=week_length)
        factor = np.power(ratio, self.exponents(age=age, horizon_days=horizon_days))[:, None]
        recent = grid[np.all(np.isfinite(grid), axis=1)][-self.profile_days :]
        recent = recent[recent.sum(axis=1) > 0]
        recent_profile = (
            _shares(recent).mean(axis=0)
            if len(recent)
            else np.full(grid.shape[1], 1.0 / grid.shape[1])
        )
        totals = base.sum(axis=1, keepdims=True)
        profile = self.profile_weight * _shares(base) + (1.0 - self.profile_weight) * recent_profile
        profile = _shares(profile)
        return np.asarray(totals * factor * profile, dtype=float)


def _impute(grid: FloatArray, week_length: int) -> FloatArray:
    """NaN rows -> the previous usable same weekday (else the next one, else the usable mean)."""
    out = grid.copy()
    usable = np.all(np.isfinite(grid), axis=1)
    if not usable.any():
        raise ValueError("history has no usable day")
    fallback = grid[usable].mean(axis=0)
    for row in np.flatnonzero(~usable):
        candidates = [r for r in range(row - week_length, -1, -week_length) if usable[r]]
        candidates += [r for r in range(row + week_length, len(grid), week_length) if usable[r]]
        out[row] = grid[candidates[0]] if candidates else fallback
    return out


def _nonnegative(mean: object, horizon_days: int, slots: int) -> FloatArray:
    out: FloatArray = np.clip(np.asarray(mean, dtype=float).reshape(horizon_days, slots), 0.0, None)
    return out


def _flat_training(history: FloatArray, week_length: int, train_days: int | None) -> FloatArray:
    grid = _impute(history, week_length)
    if train_days is not None:
        grid = grid[-train_days:]
    return grid.ravel()


@dataclass(frozen=True, slots=True)
class StatsforecastETS:
    """statsforecast AutoETS with one season per day on the last ``train_days`` days."""

    train_days: int | None = 40

    def __post_init__(self) -> None:
        if self.train_days is not None:
            _whole(self.train_days, "train_days", low=2)

    @property
    def name(self) -> str:
        return "auto_ets" if self.train_days is not None else "auto_ets_full"

    def predict(self, *, history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
        from statsforecast.models import AutoETS

        grid = _check(history, week_length, horizon_days)
        slots = grid.shape[1]
        season = slots if slots > 1 else week_length
        y = _flat_training(grid, week_length, self.train_days)
        if len(y) < 2 * season + 2:
            season = 1
        mean = AutoETS(season_length=season).forecast(y=y, h=horizon_days * slots)["mean"]
        return _nonnegative(mean, horizon_days, slots)


@dataclass(frozen=True, slots=True)
class StatsforecastMSTL:
    """statsforecast MSTL (daily + weekly seasonality, AutoETS trend) on the last ``train_days`` days."""

    train_days: int | None = 40

    def __post_init__(self) -> None:
        if self.train_days is not None:
            _whole(self.train_days, "train_days", low=2)

    @property
    def name(self) -> str:
        return "mstl" if self.train_days is not None else "mstl_full"

    def predict(self, *, history: FloatArray, week_length: int, horizon_days: int) -> FloatArray:
        from statsforecast.models import MSTL, AutoETS

        grid = _check(history, week_length, horizon_days)
        slots = grid.shape[1]
        y = _flat_training(grid, week_length, self.train_days)
        seasons = [
            s for s in dict.fromkeys([slots, slots * week_length]) if s > 1 and len(y) >= 2 * s + 1
        ]
        model = MSTL(season_length=seasons or 1, trend_forecaster=AutoETS(model="ZZN"))
        mean = model.forecast(y=y, h=horizon_days * slots)["mean"]
        return _nonnegative(mean, horizon_days, slots)


def default_models(*, include_statsforecast: bool = True) -> tuple[ForecastModel, ...]:
    """The models a backtest compares by default, cheapest first (ties go to the earlier)."""
    models: tuple[ForecastModel, ...] = (SeasonalNaive(), WeekdayMean(weeks=4), LevelBlend())
    if include_statsforecast:
        models += (StatsforecastETS(), StatsforecastMSTL())
    return models


def model_by_name(*, name: str) -> ForecastModel:
    """A model with default settings from its name (``weekday_mean_K`` for any K >= 1)."""
    fixed: dict[str, ForecastModel] = {
        m.name: m
        for m in (
            SeasonalNaive(),
            LevelBlend(),
            StatsforecastETS(),
            StatsforecastETS(train_days=None),
            StatsforecastMSTL(),
            StatsforecastMSTL(train_days=None),
        )
    }
    if name in fixed:
        return fixed[name]
    prefix = "weekday_mean_"
    if name.startswith(prefix) and name[len(prefix) :].isdigit() and int(name[len(prefix) :]) >= 1:
        return WeekdayMean(weeks=int(name[len(prefix) :]))
    raise ValueError(f"name must be one of {sorted(fixed)} or weekday_mean_K, got {name!r}")
