"""Offered load and the Erlang B, C and A metrics for a given number of agents, with their
result dataclasses.  The model and its assumptions are in the package docstring."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._validate import _agents, _concurrency, _non_negative, _positive
from .kernels import _erlang_a_core, _erlang_c_arrays, _log_erlang_b


@dataclass(frozen=True, slots=True)
class ErlangCMetrics:
    """Erlang C (M/M/N) steady-state metrics for ``agents`` agents (``servers`` slots)."""

    agents: float
    servers: float
    offered_load: float
    p_wait: float
    service_level: float
    asa_s: float
    occupancy: float


@dataclass(frozen=True, slots=True)
class ErlangAMetrics:
    """Erlang A (M/M/N+M) steady-state metrics; ``service_level`` is over all arrivals."""

    agents: float
    servers: float
    offered_load: float
    p_wait: float
    p_abandon: float
    service_level: float
    asa_s: float
    occupancy: float


def offered_load(*, calls: float, interval_s: float, aht_s: float) -> float:
    """Offered load in Erlangs, ``calls * aht_s / interval_s``.

    >>> offered_load(calls=100, interval_s=1800, aht_s=180)
    10.0
    """
    return (
        _non_negative("calls", calls)
        * _positive("aht_s", aht_s)
        / _positive("interval_s", interval_s)
    )


def erlang_b(*, agents: float, offered_load: float, fractional: bool = False) -> float:
    """Erlang B blocking probability B(N, A) of an M/M/N/N loss system.

    >>> round(erlang_b(agents=5, offered_load=2), 10)
    0.0366972477
    """
    n = _agents(agents, fractional)
    a = _non_negative("offered_load", offered_load)
    return float(np.exp(_log_erlang_b(n, a)))


def erlang_c(
    *,
    agents: float,
    calls: float,
    interval_s: float,
    aht_s: float,
    threshold_s: float,
    concurrency: int = 1,
    fractional: bool = False,
) -> ErlangCMetrics:
    """Erlang C metrics: SL = 1 - P(wait)·exp(-(N-A)·t/AHT), ASA = P(wait)·AHT/(N-A).

    With N <= A the queue is unstable: P(wait)=1, SL=0, ASA=inf, occupancy 1.

    >>> round(erlang_c(agents=11, calls=100, interval_s=1800, aht_s=180, threshold_s=20).p_wait, 10)
    0.6821182047
    """
    n = _agents(agents, fractional)
    k = _concurrency(concurrency)
    a = offered_load(calls=calls, interval_s=interval_s, aht_s=aht_s)
    t = _non_negative("threshold_s", threshold_s)
    return _c_metrics(n, k, a, float(aht_s), t)


def _c_metrics(
    agents: float, concurrency: int, load: float, aht_s: float, threshold_s: float
) -> ErlangCMetrics:
    servers = agents * concurrency
    p_wait, sl, asa, occ = _erlang_c_arrays(
        np.array([servers]), np.array([load]), np.array([threshold_s / aht_s])
    )
    return ErlangCMetrics(
        agents=_tidy(agents),
        servers=_tidy(servers),
        offered_load=load,
        p_wait=float(p_wait[0]),
        service_level=float(sl[0]),
        asa_s=float(asa[0]) * aht_s,
        occupancy=float(occ[0]),
    )


def erlang_a(
    *,
    agents: float,
    calls: float,
    interval_s: float,
    aht_s: float,
    threshold_s: float,
    patience_s: float,
    concurrency: int = 1,
    fractional: bool = False,
) -> ErlangAMetrics:
    """Erlang A (M/M/N+M) metrics with exponential patience of mean ``patience_s``.

    ``service_level`` is the share of all arrivals answered within ``threshold_s``;
    ``asa_s`` the mean wait of all arrivals; occupancy the carried load A·(1-P(abandon))/N.

    >>> m = erlang_a(agents=13, calls=100, interval_s=1800, aht_s=180, threshold_s=20, patience_s=300)
    >>> round(m.p_wait, 6), round(m.p_abandon, 6), round(m.service_level, 6), round(m.asa_s, 4)
    (0.225797, 0.024963, 0.858178, 7.489)
    """
    n = _agents(agents, fractional)
    k = _concurrency(concurrency)
    a = offered_load(calls=calls, interval_s=interval_s, aht_s=aht_s)
    t = _non_negative("threshold_s", threshold_s)
    patience = _positive("patience_s", patience_s)
    return _a_metrics(n, k, a, float(aht_s), t, patience)


def _a_metrics(
    agents: float,
    concurrency: int,
    load: float,
    aht_s: float,
    threshold_s: float,
    patience_s: float,
) -> ErlangAMetrics:
    servers = agents * concurrency
    if load == 0:
        p_wait, p_abandon, sl = 0.0, 0.0, 1.0
    elif servers == 0:
        p_wait, p_abandon, sl = 1.0, 1.0, 0.0
    else:
        p_wait, p_abandon, sl = _erlang_a_core(
            servers, load, patience_s / aht_s, threshold_s / patience_s
        )
    if servers > 0:
        occupancy = min(1.0, load * (1.0 - p_abandon) / servers)
    else:
        occupancy = 1.0 if load > 0 else 0.0
    return ErlangAMetrics(
        agents=_tidy(agents),
        servers=_tidy(servers),
        offered_load=load,
        p_wait=p_wait,
        p_abandon=p_abandon,
        service_level=sl,
        asa_s=p_abandon * patience_s,
        occupancy=occupancy,
    )


def _tidy(value: float) -> float:
    return int(value) if value == math.floor(value) else value
