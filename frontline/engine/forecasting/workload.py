"""Handle-time workload per slot as it was known at a cut-off: bounded, measured, censoring-corrected.

The workload of a slot is the agent time spent on the contacts that arrived in it.  Agents
write messages on a contact for days after it arrived, so at any cut-off (a backtest origin, or
the end of the history for the live forecast) the workload of the latest days is *incomplete*
(right-censored).  This module turns agent messages, aggregated by the slot of their contact
and the day they were written (:class:`AgentWork`), into the workload grid known at a cut-off
(:func:`workload_estimate`):

* **Bounded.** Only messages written before the cut-off (the start of its day) count.
* **Measured messages only.** A message without a measured handle time is not 0 s: a slot's
  workload is its measured seconds x (its agent messages / its measured messages); a slot whose
  messages are all unmeasured gets its messages x the mean of every measured message.  The
  measured share (measured / all agent messages before the cut-off) is reported.
* **Censoring.** From *mature* days (at least ``mature_days`` calendar days before the cut-off)
  the completion profile ``F[s, a]`` = the share of a slot's workload written within ``a``
  days of its contact's day is estimated (per slot, since late contacts get less done the same
  day; slots without mature workload use the pooled profile).  A recent day of age ``a`` is
  corrected slot by slot to ``observed / F[s, a]`` (``F`` floored at ``MIN_SLOT_SHARE``, so a
  slot is never scaled up more than 5x); a day whose expected completeness (``F`` weighted by
  the mature workload profile) is below ``min_complete`` is excluded (NaN: not learnt from, not
  scored).  Without any mature day there is nothing to correct with: the observed workload is
  used and :attr:`WorkloadEstimate.corrected` is False.

:func:`workload_training` gives :func:`~.evaluation.backtest` the grid as known at each origin,
so a backtest never trains on work written after its origin.

>>> from datetime import date, datetime
>>> import numpy as np
>>> from frontline.engine.forecasting.series import slot_series_from_counts
>>> days = [date(2024, 1, 1 + d) for d in range(5)]                  # Mon-Fri, one 9:00 slot
>>> volume = slot_series_from_counts(timestamps=[datetime(d.year, d.month, d.day, 9) for d in days],
...                                  counts=[2.0] * 5, interval_minutes=60)
>>> work = AgentWork(intervals=(datetime(2024, 1, 1, 9), datetime(2024, 1, 1, 9)),
...                  written=(date(2024, 1, 1), date(2024, 1, 3)), seconds=np.array([300.0, 0.0]),
...                  measured=np.array([1.0, 0.0]), messages=np.array([1.0, 1.0]))
>>> workload_estimate(volume=volume, work=work, cutoff=date(2024, 1, 2)).series.values[0].tolist()
[300.0]
>>> later = workload_estimate(volume=volume, work=work, cutoff=date(2024, 1, 6))
>>> later.series.values[0].tolist(), later.measured_share
([600.0], 0.5)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from numpy.typing import NDArray

from .series import SlotSeries

__all__ = [
    "MATURE_DAYS",
    "MIN_COMPLETE",
    "MIN_SLOT_SHARE",
    "AgentWork",
    "WorkloadEstimate",
    "workload_estimate",
    "workload_training",
]

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

MATURE_DAYS = 28
"""A day this many calendar days before the cut-off counts as complete (its replies are in)."""
MIN_COMPLETE = 0.5
"""A recent day is used (corrected) once this share of its workload is typically written."""
MIN_SLOT_SHARE = 0.2
"""The completion share a slot is divided by is at least this (at most a 5x correction)."""


@dataclass(frozen=True, slots=True)
class AgentWork:
    """Agent messages aggregated by the slot of their contact and the day they were written.

    Entry ``i``: the messages written on ``written[i]`` (local date) on contacts that arrived in
    the slot starting at ``intervals[i]`` (local wall-clock time): ``messages[i]`` of them,
    ``measured[i]`` with a handle time, which add up to ``seconds[i]``.
    """

    intervals: tuple[datetime, ...]
    written: tuple[date, ...]
    seconds: FloatArray
    measured: FloatArray
    messages: FloatArray

    def __post_init__(self) -> None:
        n = len(self.intervals)
        arrays = {"seconds": self.seconds, "measured": self.measured, "messages": self.messages}
        if len(self.written) != n or any(np.shape(a) != (n,) for a in arrays.values()):
            raise ValueError(
                f"intervals, written, seconds, measured and messages must all have {n} entries"
            )
        for name, a in arrays.items():
            if not (np.all(np.isfinite(a)) and np.all(np.asarray(a) >= 0)):
                raise ValueError(f"{name} must be finite and >= 0")
        if np.any(np.asarray(self.measured) > np.asarray(self.messages)):
            raise ValueError("measured must not exceed messages")

    @property
    def measured_share(self) -> float:
        """Measured / all agent messages (NaN without messages)."""
        total = float(np.sum(self.messages))
        return float(np.sum(self.measured)) / total if total > 0 else math.nan


@dataclass(frozen=True, slots=True)
class WorkloadEstimate:
    """The workload grid known at ``cutoff`` (the volume grid's days and slots; rows on or after
    the cut-off are NaN, as are closed, excluded and too-incomplete days), the measured share of
    the agent messages written before the cut-off, each day's expected completeness at the
    cut-off (1 for mature days; NaN on or after it) and whether a completion profile existed."""

    cutoff: date
    series: SlotSeries
    measured_share: float
    completeness: FloatArray
    corrected: bool


@dataclass(frozen=True, slots=True)
class _Indexed:
    rows: IntArray
    slots: IntArray
    written: IntArray  # ordinal of the day written
    seconds: FloatArray
    measured: FloatArray
    messages: FloatArray
    day_ordinals: IntArray


def _index(volume: SlotSeries, work: AgentWork) -> _Indexed:
    row_of = {d: r for r, d in enumerate(volume.dates)}
    open_min = volume.slot_starts[0].hour * 60 + volume.slot_starts[0].minute
    step = volume.interval_minutes
    n_slots = len(volume.slot_starts)
    keep, rows, slots = [], [], []
    for i, ts in enumerate(work.intervals):
        row = row_of.get(ts.date())
        slot, off = divmod(ts.hour * 60 + ts.minute - open_min, step)
        if row is None or off or not 0 <= slot < n_slots:
            continue  # outside the grid, as the contacts themselves
        keep.append(i)
        rows.append(row)
        slots.append(slot)
    k = np.array(keep, dtype=np.int64)
    return _Indexed(
        rows=np.array(rows, dtype=np.int64),
        slots=np.array(slots, dtype=np.int64),
        written=np.array([work.written[i].toordinal() for i in keep], dtype=np.int64),
        seconds=np.asarray(work.seconds, dtype=float)[k],
        measured=np.asarray(work.measured, dtype=float)[k],
        messages=np.asarray(work.messages, dtype=float)[k],
        day_ordinals=np.array([d.toordinal() for d in volume.dates], dtype=np.int64),
    )


def _check_share(value: float, name: str) -> None:
    if not (isinstance(value, int | float) and math.isfinite(value) and 0.0 < value <= 1.0):
        raise ValueError(f"{name} must be in (0, 1], got {value!r}")


def _estimate(
    volume: SlotSeries, ix: _Indexed, cutoff: date, mature_days: int, min_complete: float
) -> WorkloadEstimate:
    shape = volume.values.shape
    cut = cutoff.toordinal()
    age = cut - ix.day_ordinals  # per grid day
    known = (ix.written < cut) & (age[ix.rows] > 0)
    rows, slots = ix.rows[known], ix.slots[known]
    lag = np.maximum(ix.written[known] - ix.day_ordinals[rows], 0)

    def grid(values: FloatArray, mask: NDArray[np.bool_] | None = None) -> FloatArray:
        out = np.zeros(shape)
        sel = slice(None) if mask is None else mask
        np.add.at(out, (rows[sel], slots[sel]), values[sel])
        return out

    seconds, measured, messages = ix.seconds[known], ix.measured[known], ix.messages[known]
    s_grid, m_grid, n_grid = grid(seconds), grid(measured), grid(messages)
    total_measured = float(measured.sum())
    mean_seconds = float(seconds.sum()) / total_measured if total_measured > 0 else 0.0
    observed = np.where(
        m_grid > 0,
        s_grid * np.divide(n_grid, m_grid, out=np.zeros(shape), where=m_grid > 0),
        n_grid * mean_seconds,
    )
    # Completion profile from mature days: share of each slot's measured seconds written within a days.
    mature_row = age >= mature_days
    mature = mature_row[rows]
    n_slots = shape[1]
    by_lag = np.zeros(
        (n_slots, mature_days)
    )  # mature seconds by slot and lag (the last: >= mature_days - 1)
    np.add.at(by_lag, (slots[mature], np.minimum(lag[mature], mature_days - 1)), seconds[mature])
    within = np.zeros((n_slots, mature_days))  # within[s, a]: written less than a days after
    within[:, 1:] = np.cumsum(by_lag, axis=1)[:, :-1]
    totals = np.zeros(n_slots)
    np.add.at(totals, slots[mature], seconds[mature])
    corrected = bool(totals.sum() > 0)
    if corrected:
        pooled = within.sum(axis=0) / totals.sum()
        share = np.where(
            totals[:, None] > 0,
            within / np.where(totals > 0, totals, 1.0)[:, None],
            pooled[None, :],
        )
        weights = totals / totals.sum()
    else:
        share = np.ones((n_slots, mature_days))
        weights = np.full(n_slots, 1.0 / n_slots)
    completeness = np.full(shape[0], np.nan)
    values = np.full(shape, np.nan)
    excluded = volume.excluded.copy()
    for d in np.flatnonzero(age > 0):
        a = int(age[d])
        f = np.ones(n_slots) if a >= mature_days or not corrected else share[:, a]
        completeness[d] = float(weights @ f)
        if completeness[d] < min_complete:
            excluded[d] = True
            continue
        values[d] = observed[d] / np.maximum(f, MIN_SLOT_SHARE)
    excluded |= age <= 0
    values[volume.closed | excluded] = np.nan
    total_messages = float(messages.sum())
    return WorkloadEstimate(
        cutoff=cutoff,
        series=SlotSeries(
            dates=volume.dates,
            slot_starts=volume.slot_starts,
            interval_minutes=volume.interval_minutes,
            week_length=volume.week_length,
            values=values,
            closed=volume.closed.copy(),
            excluded=excluded,
        ),
        measured_share=total_measured / total_messages if total_messages > 0 else math.nan,
        completeness=completeness,
        corrected=corrected,
    )


def _validate(volume: SlotSeries, work: AgentWork, mature_days: int, min_complete: float) -> None:
    if not isinstance(volume, SlotSeries):
        raise ValueError(f"volume must be a SlotSeries, got {type(volume).__name__}")
    if not isinstance(work, AgentWork):
        raise ValueError(f"work must be AgentWork, got {type(work).__name__}")
    if isinstance(mature_days, bool) or not isinstance(mature_days, int) or mature_days < 2:
        raise ValueError(f"mature_days must be a whole number >= 2, got {mature_days!r}")
    _check_share(min_complete, "min_complete")


def workload_estimate(
    *,
    volume: SlotSeries,
    work: AgentWork,
    cutoff: date,
    mature_days: int = MATURE_DAYS,
    min_complete: float = MIN_COMPLETE,
) -> WorkloadEstimate:
    """The workload on ``volume``'s grid as known at the start of ``cutoff`` (module docstring)."""
    _validate(volume, work, mature_days, min_complete)
    if not isinstance(cutoff, date):
        raise ValueError(f"cutoff must be a date, got {type(cutoff).__name__}")
    return _estimate(volume, _index(volume, work), cutoff, mature_days, min_complete)


def workload_training(
    *,
    volume: SlotSeries,
    work: AgentWork,
    mature_days: int = MATURE_DAYS,
    min_complete: float = MIN_COMPLETE,
) -> Callable[[int], FloatArray]:
    """For :func:`~.evaluation.backtest`'s ``training``: origin row ``o`` -> the first ``o`` rows of
    the workload known at the start of ``volume.dates[o]`` (corrected as in :func:`workload_estimate`)."""
    _validate(volume, work, mature_days, min_complete)
    ix = _index(volume, work)

    known: dict[int, FloatArray] = {}  # one estimate per origin, shared by every model's backtest

    def training(origin: int) -> FloatArray:
        if origin not in known:
            est = _estimate(volume, ix, volume.dates[origin], mature_days, min_complete)
            known[origin] = est.series.values[:origin]
        return known[origin]

    return training
