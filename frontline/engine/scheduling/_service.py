"""The service level a staffing delivers, read from a per-interval table (used by :mod:`.shifts`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._common import frozen


@dataclass(frozen=True, eq=False)  # holds arrays: identity equality
class ServiceLevelSummary:
    """Service level delivered by a plan, read from the caller's table.

    ``per_interval`` is NaN where an interval has no calls. ``week`` is call-weighted.
    """

    target: float
    floor: float
    week: float
    min_interval: float
    intervals_below_target: int
    intervals_below_floor: int
    per_interval: np.ndarray


def service_level_of(
    *,
    staffed: np.ndarray,
    calls: np.ndarray,
    service_level: np.ndarray,
    target: float = 0.8,
    floor: float = 0.6,
) -> ServiceLevelSummary:
    """Service level a staffing delivers, read from a table as in :func:`shift_plan_service_level`.

    >>> import numpy as np
    >>> s = service_level_of(staffed=np.array([[1, 2]]), calls=np.array([[10.0, 30.0]]),
    ...     service_level=np.array([[[0, .5, .9], [0, .5, .9]]]))
    >>> round(s.week, 3), s.intervals_below_target
    (0.8, 1)
    """
    st = np.asarray(staffed)
    cl = np.asarray(calls, dtype=float)
    table = np.asarray(service_level, dtype=float)
    if st.shape != cl.shape or table.shape[:2] != cl.shape or table.ndim != 3:
        raise ValueError("staffed, calls and service_level[..., 0] must have the same shape")
    return _service_summary(st, cl, table, target=target, floor=floor)


def _service_summary(
    staffed: np.ndarray, calls: np.ndarray, table: np.ndarray, *, target: float, floor: float
) -> ServiceLevelSummary:
    kmax = table.shape[2] - 1
    idx = np.minimum(np.asarray(staffed, dtype=np.int64), kmax)
    sl = np.take_along_axis(table, idx[..., None], axis=2)[..., 0]
    active = calls > 0
    per = np.where(active, sl, np.nan)
    total = calls[active].sum()
    week = float((sl[active] * calls[active]).sum() / total) if total > 0 else 1.0
    eps = 1e-9
    return ServiceLevelSummary(
        target=target,
        floor=floor,
        week=week,
        min_interval=float(sl[active].min()) if active.any() else 1.0,
        intervals_below_target=int((sl[active] < target - eps).sum()),
        intervals_below_floor=int((sl[active] < floor - eps).sum()),
        per_interval=frozen(per),
    )
