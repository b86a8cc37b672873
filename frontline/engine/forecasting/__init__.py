"""Contact-volume and handle-time forecasting per series at 15/30/60-minute intervals.

Pure engine (numpy, statsforecast; no Django).  The package map:

* :mod:`.series` - (timestamp, count) rows -> :class:`SlotSeries`, a days x slots grid with
  fixed opening hours, the open weekdays as the week, closed and excluded (holiday) days.
* :mod:`.models` - seasonal naive, mean of the last k same weekdays, ``level_blend``
  (Frontline's own), statsforecast AutoETS and MSTL.
* :mod:`.metrics` - MASE (scaled by the one-week seasonal naive) and WAPE.
* :mod:`.evaluation` - the rolling-origin backtest, lowest-MASE model choice, and forecasts
  with quasi-Poisson prediction intervals.
* :mod:`.by_lead` - lead-aware choice: per block of forecast days the model with the lowest
  backtest MASE on that block, its interval from that block's errors.
* :mod:`.workload` - handle-time workload per slot as known at a cut-off: only messages
  written before it, measured messages only, recent incomplete days corrected or excluded.

Handle time: forecast the *total* handle seconds per slot (workload) with the same models,
backtested on the workload known at each origin; the average handle time is that over the
volume forecast.  See docs/engine/forecasting.md.

>>> from datetime import datetime, timedelta
>>> import numpy as np
>>> days = [datetime(2024, 1, 1) + timedelta(days=d) for d in range(42) if d % 7 < 5]
>>> stamps = [d + timedelta(hours=9, minutes=30 * s) for d in days for s in range(4)]
>>> counts = np.tile([10.0, 20.0, 30.0, 20.0], len(days))
>>> series = slot_series_from_counts(timestamps=stamps, counts=counts, interval_minutes=30)
>>> result = backtest(series=series, models=(SeasonalNaive(), WeekdayMean(weeks=4)), windows=5)
>>> [(s.model, s.mase, s.wape) for s in result.scores]
[('seasonal_naive', 0.0, 0.0), ('weekday_mean_4', 0.0, 0.0)]
"""

from .by_lead import (
    BY_LEAD,
    BlockChoice,
    LeadChoice,
    choose_by_lead,
    forecast_by_lead,
    lead_blocks,
)
from .evaluation import BacktestResult, Forecast, ModelScore, backtest, forecast
from .metrics import mase, seasonal_scale, wape
from .models import (
    ForecastModel,
    LevelBlend,
    SeasonalNaive,
    StatsforecastETS,
    StatsforecastMSTL,
    WeekdayMean,
    default_models,
    model_by_name,
)
from .series import SlotSeries, slot_series_from_counts
from .workload import AgentWork, WorkloadEstimate, workload_estimate, workload_training

__all__ = [
    "BY_LEAD",
    "AgentWork",
    "BacktestResult",
    "BlockChoice",
    "Forecast",
    "ForecastModel",
    "LeadChoice",
    "LevelBlend",
    "ModelScore",
    "SeasonalNaive",
    "SlotSeries",
    "StatsforecastETS",
    "StatsforecastMSTL",
    "WeekdayMean",
    "WorkloadEstimate",
    "backtest",
    "choose_by_lead",
    "default_models",
    "forecast",
    "forecast_by_lead",
    "lead_blocks",
    "mase",
    "model_by_name",
    "seasonal_scale",
    "slot_series_from_counts",
    "wape",
    "workload_estimate",
    "workload_training",
]
