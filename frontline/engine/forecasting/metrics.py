"""Forecast accuracy metrics: MASE against the one-week seasonal naive, and WAPE.

* ``seasonal_scale`` is the in-sample MAE of the one-week seasonal naive forecast on a
  days x slots training grid: the mean of ``|y[d, s] - y[d - week_length, s]|`` over every
  pair of usable (non-NaN) days ``week_length`` rows apart.
* ``mase`` = MAE of the forecast / ``seasonal_scale`` of its training data.  A perfect forecast
  has MASE 0; when the scale is 0 (a training series that repeats exactly every week) the
  result is 0 if the forecast is exact too and ``inf`` otherwise.
* ``wape`` = sum |actual - forecast| / sum actual over all points (0 if both sums are 0,
  ``inf`` if only the actuals sum to 0).

>>> import numpy as np
>>> round(wape(actual=np.array([10.0, 20.0, 30.0]), forecast=np.array([12.0, 18.0, 30.0])), 4)
0.0667
>>> train = np.array([[1.0, 2.0], [3.0, 4.0], [2.0, 3.0], [4.0, 5.0]])
>>> seasonal_scale(training=train, week_length=2)
1.0
>>> mase(actual=np.array([3.0, 5.0]), forecast=np.array([3.0, 4.0]), training=train, week_length=2)
0.5
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["mase", "seasonal_scale", "wape"]

FloatArray = NDArray[np.float64]


def _ratio(numerator: float, denominator: float) -> float:
    if denominator > 0:
        return numerator / denominator
    return 0.0 if numerator == 0 else math.inf


def _same_shape(actual: FloatArray, forecast: FloatArray) -> tuple[FloatArray, FloatArray]:
    a = np.asarray(actual, dtype=float)
    f = np.asarray(forecast, dtype=float)
    if a.shape != f.shape:
        raise ValueError(f"forecast must have the shape of actual {a.shape}, got {f.shape}")
    if a.size == 0:
        raise ValueError("actual must not be empty")
    if not (np.all(np.isfinite(a)) and np.all(np.isfinite(f))):
        raise ValueError("actual and forecast must be finite")
    return a, f


def seasonal_scale(*, training: FloatArray, week_length: int) -> float:
    """In-sample MAE of the one-week seasonal naive on a days x slots grid (NaN days skipped)."""
    if isinstance(week_length, bool) or not isinstance(week_length, int) or week_length < 1:
        raise ValueError(f"week_length must be a whole number >= 1, got {week_length!r}")
    grid = np.asarray(training, dtype=float)
    if grid.ndim != 2:
        raise ValueError(f"training must be a days x slots array, got shape {grid.shape}")
    diffs = (
        np.abs(grid[week_length:] - grid[:-week_length])
        if len(grid) > week_length
        else np.empty((0, grid.shape[1]))
    )
    diffs = diffs[np.isfinite(diffs)]
    if diffs.size == 0:
        raise ValueError(f"training needs two usable days {week_length} rows apart")
    return float(diffs.mean())


def mase(
    *, actual: FloatArray, forecast: FloatArray, training: FloatArray, week_length: int
) -> float:
    """Mean absolute scaled error of ``forecast`` (scale: :func:`seasonal_scale` of ``training``)."""
    a, f = _same_shape(actual, forecast)
    scale = seasonal_scale(training=training, week_length=week_length)
    return _ratio(float(np.mean(np.abs(a - f))), scale)


def wape(*, actual: FloatArray, forecast: FloatArray) -> float:
    """Weighted absolute percentage error: sum |actual - forecast| / sum actual."""
    a, f = _same_shape(actual, forecast)
    return _ratio(float(np.sum(np.abs(a - f))), float(np.sum(a)))
