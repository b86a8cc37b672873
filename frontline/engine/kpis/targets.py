"""Where a KPI stands against its target for a period (docs/metrics.md, "Targets").

:func:`target_status` returns a frozen :class:`TargetStatus`: one of

* ``met`` / ``missed`` — the period is over (``elapsed_fraction >= 1``) and the value meets /
  does not meet the target; also before the end for a **count** that cannot come back: a
  "higher is better" count already at its target is met, a "lower is better" count (a cap,
  e.g. escalations <= 20) already over it is missed;
* ``on_track`` / ``at_risk`` — the period is running:

  - **count** (solved tickets, surveys sent): projected linearly to the period's end,
    ``value_so_far / elapsed_fraction``; on track when the projection meets the target.
  - **rate** (a fraction: CSAT, one-touch, SLA attainment) and **level** (a mean or median):
    the projection is the current value (a rate does not grow with time).  On track when the
    value meets the target *and* its confidence interval lies wholly on the target's side
    (for a rate: the Wilson interval of ``value_so_far`` over ``n_so_far``; for a level: the
    ``ci`` given, e.g. from :func:`frontline.engine.kpis.compare.median_standard_error`, or the
    point when none is given); at risk otherwise — the value is on the wrong side, or too close
    to the target to tell with this many tickets.

* ``no_data`` — nothing measured yet (``n_so_far`` 0 for a rate or level; no time elapsed for
  a count).

"Meets" is ``value >= target`` when higher is better, ``value <= target`` when lower is better.

>>> s = target_status(direction="higher", target=0.9, value_so_far=0.93, n_so_far=400,
...                   elapsed_fraction=0.5, kind="rate", label="CSAT")
>>> s.status, s.reading
('on_track', 'CSAT 93.0% (n 400) against a target of at least 90.0%: on track; the 95% interval 90.1%-95.1% clears it; 50% of the period left')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import _words
from .compare import wilson_interval

STATUSES = ("met", "missed", "on_track", "at_risk", "no_data")
LABELS = {
    "met": "met",
    "missed": "missed",
    "on_track": "on track",
    "at_risk": "at risk",
    "no_data": "no data",
}
KINDS = ("count", "rate", "level")


@dataclass(frozen=True, slots=True)
class TargetStatus:
    """``projection`` (with ``projection_low``/``high`` where an interval exists) is the value
    expected at the period's end; ``label`` is the status in words."""

    status: str
    direction: str
    target: float
    value: float | None
    projection: float | None
    projection_low: float | None
    projection_high: float | None
    elapsed_fraction: float
    reading: str

    @property
    def label(self) -> str:
        return LABELS[self.status]


def target_status(
    *,
    direction: str,
    target: float,
    value_so_far: float | None,
    n_so_far: int,
    elapsed_fraction: float,
    kind: str,
    ci: tuple[float, float] | None = None,
    label: str = "value",
    unit: str = "",
    alpha: float = 0.05,
) -> TargetStatus:
    """The status of one KPI against its target (see the module's rules).

    ``direction``: ``higher`` or ``lower`` (which is better).  ``value_so_far``: the count so
    far, the rate (fraction 0-1) or the level; None when nothing was measured.  ``n_so_far``:
    the denominator (tickets, responses) behind a rate or level (for a count: any, unused).
    ``elapsed_fraction``: the share of the period gone, 0-1 (more than 1 is taken as 1).
    """
    if direction not in ("higher", "lower"):
        raise ValueError(f"direction: must be 'higher' or 'lower', got {direction!r}")
    if kind not in KINDS:
        raise ValueError(f"kind: must be one of {', '.join(KINDS)}, got {kind!r}")
    _number(target, "target")
    if value_so_far is not None:
        _number(value_so_far, "value_so_far")
    if isinstance(n_so_far, bool) or not isinstance(n_so_far, int) or n_so_far < 0:
        raise ValueError(f"n_so_far: must be a whole number >= 0, got {n_so_far!r}")
    _number(elapsed_fraction, "elapsed_fraction")
    if elapsed_fraction < 0:
        raise ValueError(f"elapsed_fraction: must be >= 0, got {elapsed_fraction!r}")
    if not isinstance(label, str) or not isinstance(unit, str):
        raise ValueError("label, unit: must be strings")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha!r}")
    if kind == "rate":
        for name, value in (("target", target), ("value_so_far", value_so_far)):
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"{name}: a rate is a fraction in [0, 1], got {value!r}")
    if kind == "count" and value_so_far is not None and value_so_far < 0:
        raise ValueError(f"value_so_far: a count is >= 0, got {value_so_far!r}")
    if ci is not None:
        try:
            low, high = ci
        except (TypeError, ValueError):
            raise ValueError(f"ci: must be (low, high), got {ci!r}") from None
        _number(low, "ci")
        _number(high, "ci")
        if low > high:
            raise ValueError(f"ci: low must be <= high, got {ci!r}")
    elapsed = min(1.0, float(elapsed_fraction))
    fmt = _Show(kind, unit)
    goal = f"{'at least' if direction == 'higher' else 'at most'} {fmt(target)}"
    left = f"{round(100 * (1 - elapsed))}% of the period left"

    def meets(value: float) -> bool:
        return value >= target if direction == "higher" else value <= target

    def done(
        status: str,
        value: float | None,
        projection: float | None,
        why: str,
        low: float | None = None,
        high: float | None = None,
    ) -> TargetStatus:
        return TargetStatus(
            status=status,
            direction=direction,
            target=float(target),
            value=None if value is None else float(value),
            projection=projection,
            projection_low=low,
            projection_high=high,
            elapsed_fraction=elapsed,
            reading=why,
        )

    if value_so_far is None or (kind != "count" and n_so_far == 0):
        return done("no_data", None, None, f"{label}: no data yet against a target of {goal}")
    value = float(value_so_far)
    shown = fmt(value) if kind == "count" else f"{fmt(value)} (n {n_so_far})"
    head = f"{label} {shown} against a target of {goal}"
    if elapsed >= 1:
        status = "met" if meets(value) else "missed"
        return done(status, value, value, f"{head}: {LABELS[status]}")
    if kind == "count":
        if direction == "higher" and meets(value):
            return done(
                "met", value, value / elapsed if elapsed else None, f"{head}: met already; {left}"
            )
        if direction == "lower" and not meets(value):
            return done(
                "missed",
                value,
                value / elapsed if elapsed else None,
                f"{head}: missed, already over it; {left}",
            )
        if elapsed == 0:
            return done("no_data", value, None, f"{head}: the period has not started")
        projection = value / elapsed
        status = "on_track" if meets(projection) else "at_risk"
        return done(
            status,
            value,
            projection,
            f"{head}: {LABELS[status]}, on pace for {fmt(projection)}; {left}",
        )
    if kind == "rate":
        k = round(value * n_so_far)
        low, high = wilson_interval(k, n_so_far, alpha=alpha)
        low, high = min(low, value), max(high, value)
    elif ci is not None:
        low, high = float(ci[0]), float(ci[1])
    else:
        low = high = value
    clears = meets(low) and meets(high)
    interval = f"the {round(100 * (1 - alpha))}% interval {fmt(low)}-{fmt(high)}"
    if not meets(value):
        status, why = "at_risk", f"{'below' if direction == 'higher' else 'above'} the target"
    elif clears:
        status, why = "on_track", f"{interval} clears it" if low != high else "meets it"
    else:
        status, why = "at_risk", f"close: {interval} includes the target"
    return done(status, value, value, f"{head}: {LABELS[status]}; {why}; {left}", low, high)


@dataclass(frozen=True, slots=True)
class _Show:
    kind: str
    unit: str

    def __call__(self, value: float) -> str:
        return _words.percent(value) if self.kind == "rate" else _words.amount(value, self.unit)


def _number(value: object, name: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name}: must be a finite number, got {value!r}")
