"""Staffing: the fewest agents meeting service-level, ASA, occupancy and abandonment targets
(one interval, or many at once with Erlang C), and head count after shrinkage."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._validate import _array, _concurrency, _in_range, _non_negative, _positive
from .kernels import _log_erlang_b
from .metrics import ErlangAMetrics, ErlangCMetrics, _a_metrics, _c_metrics, _tidy, offered_load

_MAX_SERVERS = 2**40


@dataclass(frozen=True, slots=True)
class StaffingRequirement:
    """Fewest agents meeting every given target, head count after shrinkage, and metrics."""

    agents: float
    scheduled_agents: float
    metrics: ErlangCMetrics | ErlangAMetrics


def scheduled_agents(*, agents: float, shrinkage: float) -> float:
    """Head count to schedule so that ``agents`` remain after shrinkage: ceil(N / (1 - s)).

    The division is done exactly on the decimal values given (14 / (1 - 0.3) is 20, not 21).
    Fractional (non-whole) agents are returned unrounded.

    >>> scheduled_agents(agents=14, shrinkage=0.3)
    20
    """
    n = _non_negative("agents", agents)
    s = _in_range("shrinkage", shrinkage, 0.0, 1.0, open_low=False, open_high=True)
    exact = Fraction(repr(n)) / (1 - Fraction(repr(s)))
    if n != math.floor(n):
        return float(exact)
    return math.ceil(exact)


def required_agents(
    *,
    calls: float,
    interval_s: float,
    aht_s: float,
    threshold_s: float,
    target_sl: float | None = None,
    target_asa_s: float | None = None,
    max_occupancy: float | None = None,
    patience_s: float | None = None,
    max_abandon: float | None = None,
    shrinkage: float = 0.0,
    concurrency: int = 1,
    fractional: bool = False,
) -> StaffingRequirement:
    """Fewest agents meeting every given target (Erlang C, or Erlang A with ``patience_s``).

    Targets: service level >= ``target_sl`` at ``threshold_s``; ASA <= ``target_asa_s``;
    occupancy <= ``max_occupancy``; P(abandon) <= ``max_abandon`` (Erlang A only).  Erlang C
    also needs N > A.  Erlang A may need fewer agents than the offered load when callers are
    impatient.  Zero calls need 0 agents.

    >>> r = required_agents(calls=9600, interval_s=1800, aht_s=90, threshold_s=60,
    ...                     target_sl=0.8, patience_s=30)
    >>> r.metrics.offered_load, r.agents
    (480.0, 385)
    """
    a = offered_load(calls=calls, interval_s=interval_s, aht_s=aht_s)
    aht = float(aht_s)
    t = _non_negative("threshold_s", threshold_s)
    k = _concurrency(concurrency)
    sl, asa, occ = _targets(target_sl, target_asa_s, max_occupancy)
    patience = None if patience_s is None else _positive("patience_s", patience_s)
    abandon = (
        None
        if max_abandon is None
        else _in_range("max_abandon", max_abandon, 0, 1, open_low=True, open_high=False)
    )
    _in_range("shrinkage", shrinkage, 0.0, 1.0, open_low=False, open_high=True)
    if abandon is not None and patience is None:
        raise ValueError("max_abandon needs patience_s (abandonment is an Erlang A quantity)")
    if sl is None and asa is None and occ is None and abandon is None:
        raise ValueError(
            "give at least one target: target_sl, target_asa_s, max_occupancy or max_abandon"
        )

    def evaluate(servers: float) -> ErlangCMetrics | ErlangAMetrics:
        if patience is None:
            return _c_metrics(servers, 1, a, aht, t)
        return _a_metrics(servers, 1, a, aht, t, patience)

    def meets(servers: float) -> bool:
        m = evaluate(servers)
        stable = patience is not None or servers > a
        return (
            stable
            and (sl is None or m.service_level >= sl)
            and (asa is None or m.asa_s <= asa)
            and (occ is None or m.occupancy <= occ)
            and (abandon is None or (isinstance(m, ErlangAMetrics) and m.p_abandon <= abandon))
        )

    if a == 0:
        servers: float = 0
    else:
        start = 0 if patience is not None else math.floor(a) + 1
        servers = _fewest(meets, start=start)
        if fractional and servers > 0:
            servers = _fewest_real(
                meets, low=max(servers - 1.0, 0.0 if patience is not None else a), high=servers
            )
    agents = servers / k if fractional else math.ceil(servers / k)
    metrics = (
        _c_metrics(agents, k, a, aht, t)
        if patience is None
        else _a_metrics(agents, k, a, aht, t, patience)
    )
    return StaffingRequirement(
        agents=_tidy(agents) if not fractional else agents,
        scheduled_agents=scheduled_agents(agents=agents, shrinkage=shrinkage),
        metrics=metrics,
    )


def _targets(
    target_sl: float | None, target_asa_s: float | None, max_occupancy: float | None
) -> tuple[float | None, float | None, float | None]:
    """The service-level, ASA and occupancy targets, checked (None where not given)."""
    sl = (
        None
        if target_sl is None
        else _in_range("target_sl", target_sl, 0, 1, open_low=True, open_high=True)
    )
    asa = None if target_asa_s is None else _positive("target_asa_s", target_asa_s)
    occ = (
        None
        if max_occupancy is None
        else _in_range("max_occupancy", max_occupancy, 0, 1, open_low=True, open_high=False)
    )
    return sl, asa, occ


def _fewest(meets: Callable[[float], bool], *, start: int) -> int:
    """Smallest whole ``n >= start`` with ``meets(n)``, for a monotone ``meets``."""
    if meets(start):
        return start
    low, high = start, max(2 * start, start + 1)
    while not meets(high):
        low, high = high, 2 * high
        if high > _MAX_SERVERS:
            raise ValueError("targets cannot be met by any number of agents")
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if meets(mid) else (mid, high)
    return high


def _fewest_real(meets: Callable[[float], bool], *, low: float, high: float) -> float:
    """Smallest real servers in (low, high] meeting the targets, to about 1e-9."""
    for _ in range(60):
        if high - low <= 1e-10 * max(1.0, high):
            break
        mid = 0.5 * (low + high)
        low, high = (low, mid) if meets(mid) else (mid, high)
    return high


def required_agents_many(
    *,
    calls: ArrayLike,
    aht_s: ArrayLike,
    interval_s: ArrayLike,
    threshold_s: float,
    target_sl: float | None = None,
    target_asa_s: float | None = None,
    max_occupancy: float | None = None,
    concurrency: int = 1,
) -> NDArray[np.int64]:
    """Erlang C required agents for many intervals at once (whole agents, arrays broadcast).

    Starts every interval at its smallest stable (and occupancy-feasible) server count, with
    B evaluated there by the incomplete gamma function, then steps all unfinished intervals
    together with the Erlang B recursion B(n) = A·B(n-1) / (n + A·B(n-1)).

    >>> required_agents_many(calls=[0, 100, 360], aht_s=[180, 180, 240], interval_s=1800,
    ...                      threshold_s=20, target_sl=0.8).tolist()
    [0, 14, 54]
    """
    c = _array("calls", calls, positive=False)
    h = _array("aht_s", aht_s, positive=True)
    i = _array("interval_s", interval_s, positive=True)
    t = _non_negative("threshold_s", threshold_s)
    k = _concurrency(concurrency)
    sl, asa, occ = _targets(target_sl, target_asa_s, max_occupancy)
    if sl is None and asa is None and occ is None:
        raise ValueError("give at least one target: target_sl, target_asa_s or max_occupancy")
    c, h, i = np.broadcast_arrays(c, h, i)
    a = (c * h / i).ravel()
    aht = h.ravel()
    servers = np.zeros(a.shape)
    todo = np.flatnonzero(a > 0)
    n = np.floor(a[todo]) + 1.0
    if occ is not None:
        n_occ = np.ceil(a[todo] / occ)
        fits_below = (n_occ > 1) & (a[todo] / np.maximum(n_occ - 1.0, 1.0) <= occ)
        n_occ = np.where(fits_below, n_occ - 1.0, n_occ)
        n = np.maximum(n, n_occ)
    a_t, aht_t = a[todo], aht[todo]
    b = np.exp(_log_erlang_b(n, a_t))
    for _ in range(1_000_000):
        if todo.size == 0:
            break
        rho = a_t / n
        p_wait = b / ((1.0 - rho) + rho * b)
        ok = np.ones(todo.shape, dtype=bool)
        if sl is not None:
            ok &= 1.0 - p_wait * np.exp(-(n - a_t) * t / aht_t) >= sl
        if asa is not None:
            ok &= p_wait * aht_t / (n - a_t) <= asa
        servers[todo[ok]] = n[ok]
        keep = ~ok
        todo, n, a_t, aht_t, b = todo[keep], n[keep] + 1.0, a_t[keep], aht_t[keep], b[keep]
        b = a_t * b / (n + a_t * b)
    agents = np.ceil(servers / k).astype(np.int64)
    return agents.reshape(c.shape)
