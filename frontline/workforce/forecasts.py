"""Stored forecasts: create a run, count its history, compute it, and read it back for the pages.

Definitions (also in docs/workforce/forecasts.md):

* **Scope**: the tickets of a team (its sub-teams included), a queue and/or a channel; none of
  them = the whole department.
* **Days**: the run's days follow its time zone. The first forecast day is *today* there
  (when the run was created: today is not over, so it is forecast whole, as of yesterday's
  close — the plan and schedule for the day under way need it); the history is the
  ``history_days`` whole days before today.
* **Contacts** of an interval = the tickets in scope whose ``created_at`` falls in it.
* **Workload** of an interval = the agent time spent on the tickets in scope *created* in it: the
  handle seconds (``Message.handle_seconds``) of their agent messages (``author_kind = agent``)
  *written before the cut-off* (the history end for the forecast, each origin's day for its
  backtest: nothing written later is used). Only measured messages give seconds: an interval's
  workload is its measured seconds x its agent messages / its measured ones (an interval with no
  measured message: its messages x the mean of every measured message), and the measured share
  is stored on the run. The latest days are incomplete at a cut-off (replies still to come): each
  is divided, interval by interval, by the share of workload typically written by then (learnt
  from days at least 28 days older), or left out when less than half of it typically is
  (:mod:`frontline.engine.forecasting.workload`). When no agent message of the history has handle
  seconds, the run has no workload: intervals store null and the AHT is not forecast.
* **AHT** (average handle time) = workload / contacts, per interval, per day or per horizon.
* **Closed days**: a day of the history with no contact at all is closed. A weekday with no
  contact in the whole history (Sunday in B2B data) is not part of the week: it is neither
  trained on nor forecast. Opening hours, when given, limit the intervals to
  [opening, closing); otherwise they run from the earliest to the latest interval seen.
* **Holidays and special days**: ``closed_dates`` are days the centre is shut: not learnt from
  in the history, forecast as 0 in the horizon. ``excluded_dates`` are days of the history that
  were open but are not representative (an outage, a launch, a storm): not learnt from or scored.
* **Carry over** (with opening hours): contacts that arrive outside the hours count in the first
  interval of the next open day instead of being left out (the night's email is the morning's
  work, and its workload moves with it); see :func:`.forecast_history._carry_target`.

The computation (:func:`forecast_compute`, run by the task ``forecast_run_compute``) backtests
every model on rolling origins of the run's own horizon, chooses a model per forecast
day (``level_blend`` unless another model's backtest MASE on that day is at least 20% lower,
see ``LEAD_MARGIN``), forecasts each day with its model and an 80% quasi-Poisson prediction
interval from that model's backtest errors on that day, and does the
same for the workload.
"""

from __future__ import annotations

import math
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from frontline.core import background
from frontline.desk.models import Channel, Queue
from frontline.engine.forecasting import (
    BacktestResult,
    Forecast,
    ForecastModel,
    LeadChoice,
    ModelScore,
    SlotSeries,
    backtest,
    choose_by_lead,
    default_models,
    forecast_by_lead,
    model_by_name,
    slot_series_from_counts,
    workload_estimate,
    workload_training,
)
from frontline.people.models import Team, User

from .forecast_history import History, forecast_history, forecast_scope_tickets, run_dates
from .forecast_selectors import (
    DayRow,
    Totals,
    forecast_chart_rows,
    forecast_day_intervals,
    forecast_days,
    forecast_get,
    forecast_lead_blocks,
    forecast_list,
    forecast_totals,
)
from .models import ForecastInterval, ForecastRun, IntervalKind

__all__ = [
    "DayRow", "History", "NotEnoughHistory", "Totals", "forecast_chart_rows", "forecast_compute", "forecast_create",
    "forecast_day_intervals", "forecast_days", "forecast_get", "forecast_history", "forecast_lead_blocks", "forecast_list", "forecast_models",
    "forecast_prepare", "forecast_rerun", "forecast_scope_tickets", "forecast_totals",
]

INTERVAL_LEVEL = 0.8
MIN_WINDOWS = 5
"""A backtest needs at least this many rolling origins to choose a model."""
BACKTEST_WINDOWS = 10
"""Rolling origins per backtest. Each origin forecasts the whole horizon (about 10 open days for
14 days), so 10 origins score ~100 day-forecasts per model. The statsforecast models cost
~1 s per fit on 90 days of around-the-clock 30-minute data (20 origins: ~35 s a series);
10 keeps a department forecast under half a minute of background work."""
LEAD_DEFAULT = "level_blend"
LEAD_MARGIN = 0.2
"""Each forecast day (lead) is served by ``LEAD_DEFAULT`` unless another model's backtest MASE on
that day is below (1 - ``LEAD_MARGIN``) x its own; without it among the models, the lowest MASE
serves. The blocks (one per day), the margin and the extra candidates (``EXTRA_MODELS``) were
chosen on the US-bank tuning origins only (``python -m bench.lead_choice``;
docs/engine/forecasting.md, which also says how this does on the untouched windows)."""
EXTRA_MODELS = ("weekday_mean_2", "weekday_mean_3")
"""Cheap candidates added to the engine's defaults for the per-day choice."""


# ---------------------------------------------------------------- create


def _zone_name(*, team: Team | None, queue: Queue | None) -> str:
    if team is not None:
        return team.time_zone
    if queue is not None and queue.team is not None:
        return queue.team.time_zone
    return settings.TIME_ZONE


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _validate(run: ForecastRun) -> None:
    errors: dict[str, str] = {}
    if not run.name.strip():
        errors["name"] = "Give the forecast a name."
    if run.channel and run.channel not in Channel.values:
        errors["channel"] = f"Choose one of {', '.join(Channel.values)}, or leave blank for every channel."
    try:
        zoneinfo.ZoneInfo(run.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = f"{run.time_zone!r} is not a time zone name (e.g. Europe/Berlin)."
    if (run.opening is None) != (run.closing is None):
        errors["closing" if run.opening is not None else "opening"] = "Give both opening and closing, or neither (around the clock)."
    elif run.opening is not None and run.closing is not None:
        step = run.interval_minutes
        open_min = _minutes(run.opening)
        close_min = 1440 if run.closing == time(0) else _minutes(run.closing)
        if run.opening.second or run.opening.microsecond or open_min % step:
            errors["opening"] = f"Opening must be on the {step}-minute grid (e.g. 08:00)."
        if run.closing.second or run.closing.microsecond or close_min % step:
            errors["closing"] = f"Closing must be on the {step}-minute grid (e.g. 18:00)."
        elif close_min <= open_min:
            errors["closing"] = "Closing must be after opening (00:00 means midnight)."
    try:
        run.full_clean(exclude=["created_by", "team", "queue", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, " ".join(messages))
    if errors:
        raise ValidationError(errors)


def _dates(*, zone: str, now: datetime | None) -> tuple[date, date]:
    """(today, the first forecast day) in ``zone`` at ``now``: both today."""
    today = timezone.localtime(now or timezone.now(), zoneinfo.ZoneInfo(zone)).date()
    return today, today


def forecast_prepare(
    *,
    actor: User | None,
    name: str,
    team: Team | None = None,
    queue: Queue | None = None,
    channel: str = "",
    interval_minutes: int = 30,
    history_days: int = 91,
    horizon_days: int = 14,
    opening: time | None = None,
    closing: time | None = None,
    time_zone: str | None = None,
    closed_dates: Sequence[date] = (),
    excluded_dates: Sequence[date] = (),
    carry_over: bool = False,
    now: datetime | None = None,
) -> ForecastRun:
    """Validate and save a queued run without enqueuing its computation (see :func:`forecast_create`;
    the demo computes its runs synchronously)."""
    zone = time_zone or _zone_name(team=team, queue=queue)
    run = ForecastRun(
        name=(name or "").strip(), team=team, queue=queue, channel=channel or "", time_zone=zone,
        interval_minutes=interval_minutes, history_days=history_days, horizon_days=horizon_days,
        opening=opening, closing=closing, created_by=actor, backtest_windows=BACKTEST_WINDOWS,
        closed_dates=sorted({d.isoformat() for d in closed_dates}),
        excluded_dates=sorted({d.isoformat() for d in excluded_dates}),
        carry_over=bool(carry_over and opening is not None),
    )
    _validate(run)
    today, run.first_date = _dates(zone=zone, now=now)
    run.last_date = run.first_date + timedelta(days=run.horizon_days - 1)
    run.history_start = today - timedelta(days=run.history_days)
    with transaction.atomic():
        run.save()
    return run


def forecast_create(*, actor: User | None, name: str, **settings_: Any) -> ForecastRun:
    """A queued forecast run; its computation is enqueued when the transaction commits.

    ``interval_minutes`` 15/30/60, ``history_days`` 21-730, ``horizon_days`` 1-92,
    ``opening``/``closing`` both or neither; ``time_zone`` defaults to the team's zone, else the
    queue's team's, else ``settings.TIME_ZONE``. ``now`` (default: the current time) fixes the
    run's days: the first forecast day is ``now``'s day in the run's zone. Invalid settings raise
    ``ValidationError`` per field. Takes the keyword arguments of :func:`forecast_prepare`.
    """
    with transaction.atomic():
        run = forecast_prepare(actor=actor, name=name, **settings_)
        background.enqueue_on_commit("workforce.forecast", run.pk)
    return run


def forecast_rerun(*, run: ForecastRun, actor: User | None, now: datetime | None = None) -> ForecastRun:
    """A new run with ``run``'s settings, its days counted from ``now`` ("refresh")."""
    return forecast_create(
        actor=actor, name=run.name, team=run.team, queue=run.queue, channel=run.channel,
        interval_minutes=run.interval_minutes, history_days=run.history_days, horizon_days=run.horizon_days,
        opening=run.opening, closing=run.closing, time_zone=run.time_zone, now=now,
        closed_dates=run_dates(run.closed_dates), excluded_dates=run_dates(run.excluded_dates),
        carry_over=run.carry_over,
    )


# ---------------------------------------------------------------- compute


class NotEnoughHistory(Exception):
    pass


def _series(run: ForecastRun, values: dict[datetime, float], stamps: Sequence[datetime]) -> SlotSeries:
    """The history grid; holidays (closed dates) and special days (excluded dates) are not learnt from."""
    return slot_series_from_counts(
        timestamps=list(stamps), counts=[float(values[s]) for s in stamps], interval_minutes=run.interval_minutes,
        opening=run.opening, closing=run.closing,
        closed_dates=run_dates(run.closed_dates), excluded_dates=run_dates(run.excluded_dates),
    )


def _aware(day: date, start: time, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """The interval's start in ``zone``; None for a wall-clock time the zone skips (the hour the
    clocks go forward), which has no interval that day."""
    moment = datetime.combine(day, start, zone)
    back = moment.astimezone(UTC).astimezone(zone)
    return moment if back.replace(tzinfo=None) == moment.replace(tzinfo=None) else None


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def _score_row(score: ModelScore) -> dict[str, float | str | int | None]:
    return {
        "model": score.model, "mase": _finite(score.mase), "wape": _finite(score.wape),
        "interval_coverage": _finite(score.interval_coverage), "seconds": round(score.seconds, 4),
        "windows": score.windows_scored, "dispersion": _finite(score.dispersion),
    }


@dataclass(frozen=True)
class Choice:
    scores: tuple[ModelScore, ...]
    lead: LeadChoice


def _choose(
    series: SlotSeries, models: Sequence[ForecastModel], *, horizon: int, windows: int,
    on_model: Callable[[int, str], None], training: Callable[[int], Any] | None = None,
) -> Choice:
    """Backtest each model (one call per model, so progress can be reported), then choose per
    block of forecast days (:func:`~frontline.engine.forecasting.choose_by_lead`); ties and NaN
    go to the earlier (cheaper) model, as in the engine's own choice."""
    scores: list[ModelScore] = []
    result: BacktestResult | None = None
    for i, model in enumerate(models):
        on_model(i, model.name)
        result = backtest(series=series, models=(model,), horizon_days=horizon, windows=windows,
                          interval_level=INTERVAL_LEVEL, training=training)
        scores.append(result.scores[0])
    assert result is not None
    best = min(range(len(scores)), key=lambda i: (math.isnan(scores[i].mase), scores[i].mase, i))
    every = BacktestResult(scores=tuple(scores), chosen=scores[best].model, origins=result.origins,
                           horizon_days=horizon, interval_level=INTERVAL_LEVEL, week_length=series.week_length)
    names = [m.name for m in models]
    lead = choose_by_lead(result=every, blocks=[(h, h) for h in range(1, horizon + 1)],
                          default=LEAD_DEFAULT if LEAD_DEFAULT in names else None, margin=LEAD_MARGIN)
    return Choice(scores=tuple(scores), lead=lead)


def _block_rows(fc: Forecast, lead: LeadChoice, first_date: date) -> list[dict[str, Any]]:
    """The blocks for the run page: leads, their dates (from the run's first day), the model that
    serves them and every model's block MASE."""
    rows: list[dict[str, Any]] = []
    for b in lead.blocks:
        dates = [d for d in fc.dates[b.first - 1 : b.last] if d >= first_date]
        if not dates:
            continue
        rows.append({
            "first": b.first, "last": b.last, "first_date": dates[0].isoformat(), "last_date": dates[-1].isoformat(),
            "model": b.model, "mase": _finite(b.mase), "wape": _finite(b.wape), "dispersion": _finite(b.dispersion),
            "scores": [{"model": name, "mase": _finite(value)} for name, value in b.scores],
        })
    return rows


def forecast_models() -> tuple[ForecastModel, ...]:
    """The models a stored forecast compares: the engine's defaults (statsforecast included) and the
    2- and 3-weekday means (``EXTRA_MODELS``), or the names in ``settings.FRONTLINE_FORECAST_MODELS``
    (e.g. the three fast baselines on a small box)."""
    names = getattr(settings, "FRONTLINE_FORECAST_MODELS", None)
    if not names:
        return (*default_models(), *(model_by_name(name=name) for name in EXTRA_MODELS))
    return tuple(model_by_name(name=name) for name in names)


def forecast_compute(*, run: ForecastRun, step: Callable[[int, str], None]) -> None:
    """Compute ``run`` and store its intervals and scores (see the module docstring).

    Raises :class:`NotEnoughHistory` when the history has too few open days for the backtest.
    """
    step(5, "Reading the ticket history")
    history = forecast_history(run=run)
    assert run.first_date is not None and run.last_date is not None
    stamps = sorted(history.counts)
    models = forecast_models()
    if not stamps:
        needed = MIN_WINDOWS + run.horizon_days - 1 + 2 * 7
        raise NotEnoughHistory(f"Not enough history: this forecast needs at least {needed} days of it and found no ticket "
                               "in its scope. Widen the scope or lengthen the history.")
    volume = _series(run, {k: float(v) for k, v in history.counts.items()}, stamps)
    week = volume.week_length
    weekdays = set(volume.open_weekdays)
    grid_end = volume.dates[-1]
    # Forecast every open weekday from the end of the grid to the last day; keep those from the first day.
    count = sum(1 for d in range(1, (run.last_date - grid_end).days + 1)
                if (grid_end + timedelta(days=d)).weekday() in weekdays)
    if count < 1:
        raise NotEnoughHistory("Nothing to forecast: the horizon has only weekdays without contacts in the history "
                               "(closed days). Lengthen the horizon.")
    needed = MIN_WINDOWS + count - 1 + 2 * week
    if len(volume.dates) < needed:
        raise NotEnoughHistory(
            f"Not enough history: this forecast needs at least {needed} days of history; found {len(volume.dates)} "
            f"(open weekdays from the first to the last day with contacts; {week} open weekdays a week)."
        )
    windows = min(run.backtest_windows, len(volume.dates) - count + 1 - 2 * week)
    has_work = history.work is not None
    span = 50 if has_work else 80  # progress points for the backtests

    def on_model(offset: int, label: str) -> Callable[[int, str], None]:
        share = span // (2 if has_work else 1)
        return lambda i, name: step(10 + offset + share * i // len(models), f"Backtesting {label}: {name}")

    volume_choice = _choose(volume, models, horizon=count, windows=windows, on_model=on_model(0, "contacts"))
    step(10 + (span // 2 if has_work else span), f"Forecasting contacts with {', '.join(volume_choice.lead.models)}")
    holidays = run_dates(run.closed_dates)
    volume_fc = forecast_by_lead(series=volume, models=models, choice=volume_choice.lead,
                                 interval_level=INTERVAL_LEVEL, closed_dates=holidays)
    work_series = work_choice = work_fc = None
    measured_share = None
    if history.work is not None:
        # The workload known at the history end (recent days corrected for replies still to come, or
        # left out when too incomplete); each backtest origin sees only what was written before it.
        estimate = workload_estimate(volume=volume, work=history.work, cutoff=run.first_date)
        work_series, measured_share = estimate.series, _finite(estimate.measured_share)
        work_choice = _choose(work_series, models, horizon=count, windows=windows,
                              on_model=on_model(span // 2, "handle time"),
                              training=workload_training(volume=volume, work=history.work))
        step(10 + span, f"Forecasting handle time with {', '.join(work_choice.lead.models)}")
        work_fc = forecast_by_lead(series=work_series, models=models, choice=work_choice.lead,
                                   interval_level=INTERVAL_LEVEL, closed_dates=holidays)
    step(95, "Storing the forecast")
    zone = zoneinfo.ZoneInfo(run.time_zone)
    rows: list[ForecastInterval] = []
    for d, day in enumerate(volume.dates):
        if not volume.usable[d]:
            continue
        for s, start in enumerate(volume.slot_starts):
            if (starts_at := _aware(day, start, zone)) is None:
                continue
            rows.append(ForecastInterval(
                run=run, kind=IntervalKind.HISTORY, starts_at=starts_at,
                volume=float(volume.values[d, s]),
                handle_seconds=_finite(work_series.values[d, s]) if work_series is not None else None,
            ))
    for d, day in enumerate(volume_fc.dates):
        if day < run.first_date:
            continue
        for s, start in enumerate(volume_fc.slot_starts):
            if (starts_at := _aware(day, start, zone)) is None:
                continue
            rows.append(ForecastInterval(
                run=run, kind=IntervalKind.FORECAST, starts_at=starts_at,
                volume=float(volume_fc.point[d, s]), lower=float(volume_fc.lower[d, s]), upper=float(volume_fc.upper[d, s]),
                handle_seconds=float(work_fc.point[d, s]) if work_fc is not None else None,
            ))
    blocks = _block_rows(volume_fc, volume_choice.lead, run.first_date)
    with transaction.atomic():
        ForecastInterval.objects.filter(run=run).delete()
        ForecastInterval.objects.bulk_create(rows, batch_size=2000)
        ForecastRun.objects.filter(pk=run.pk).update(
            scores=[_score_row(s) for s in volume_choice.scores], chosen_model=volume_fc.model,
            mase=_served_mase(blocks), wape=_served_wape(volume_choice.lead),
            lead_blocks=blocks,
            aht_scores=[_score_row(s) for s in work_choice.scores] if work_choice else [],
            aht_model=work_fc.model if work_fc else "", aht_measured_share=measured_share,
            aht_lead_blocks=_block_rows(work_fc, work_choice.lead, run.first_date) if work_fc and work_choice else [],
        )


def _served_mase(blocks: Sequence[dict[str, Any]]) -> float | None:
    """The backtest MASE of the models that serve the run's days, each forecast day weighted alike."""
    weights = [(b["last"] - b["first"] + 1, b["mase"]) for b in blocks]
    if not weights or any(m is None for _, m in weights):
        return None
    return sum(w * m for w, m in weights) / sum(w for w, _ in weights)


def _served_wape(lead: LeadChoice) -> float | None:
    return _finite(lead.wape)
