"""Erlang B, C and A queueing formulas for contact-centre staffing.

Model and assumptions (all functions):

* Calls (or chats) arrive as a Poisson process at a constant rate within the interval;
  handle times are exponential with mean ``aht_s``; ``N`` identical servers take calls
  first come, first served; the interval is long enough for the queue to be in steady state.
  Offered load ``A = calls * aht_s / interval_s`` Erlangs.
* Erlang B (M/M/N/N): blocked calls are lost.  Erlang C (M/M/N): callers wait forever.
  Erlang A (M/M/N+M): each caller abandons after an exponential patience with mean
  ``patience_s`` if not answered by then (Palm 1943; Garnett, Mandelbaum & Reiman 2002;
  Mandelbaum & Zeltyn 2005).
* Service level is the share of *all* arrivals answered within ``threshold_s``; in Erlang A
  callers who abandon count as not answered within the threshold.  ASA is the mean wait over
  all arrivals (for Erlang A, abandoners included, which equals ``P(abandon) * patience_s``).
* Chat concurrency ``k``: an agent is ``k`` independent servers ("slots"); a chat holds a slot
  for its whole measured handle time ``aht_s`` (the handle time observed at concurrency ``k``).
  ``N`` agents are ``N * k`` servers; occupancy is slot occupancy.
* Everything is computed in log space or with stable recursions and the regularised
  incomplete gamma / beta functions, never with factorials, so a 10,000-Erlang centre works.
  ``fractional=True`` uses the continuous extension of Erlang B (incomplete gamma), which the
  Erlang C and A formulas inherit; agents are whole numbers otherwise.

Example (CallCentreHelper's worked example: 100 calls in 30 min, AHT 180 s, 80% in 20 s):

>>> m = erlang_c(agents=14, calls=100, interval_s=1800, aht_s=180, threshold_s=20)
>>> round(m.p_wait, 4), round(m.service_level, 4), round(m.asa_s, 2), round(m.occupancy, 4)
(0.1741, 0.8884, 7.84, 0.7143)
>>> required_agents(calls=100, interval_s=1800, aht_s=180, threshold_s=20, target_sl=0.8).agents
14
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

__all__ = [
    "ErlangAMetrics",
    "ErlangCMetrics",
    "StaffingRequirement",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "offered_load",
    "required_agents",
    "required_agents_many",
    "scheduled_agents",
]

# Above this many birth-death terms Erlang A switches from the direct series to the
# closed incomplete-gamma form (only reached for patience thousands of times the AHT).
_MAX_SERIES_TERMS = 200_000
_MAX_SERVERS = 2**40


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


@dataclass(frozen=True, slots=True)
class StaffingRequirement:
    """Fewest agents meeting every given target, head count after shrinkage, and metrics."""

    agents: float
    scheduled_agents: float
    metrics: ErlangCMetrics | ErlangAMetrics


# ----------------------------------------------------------------------------- validation


def _number(name: str, value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number, not a bool")
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return number


def _non_negative(name: str, value: object) -> float:
    number = _number(name, value)
    if number < 0:
        raise ValueError(f"{name} must be >= 0, got {value!r}")
    return number


def _positive(name: str, value: object) -> float:
    number = _number(name, value)
    if number <= 0:
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return number


def _in_range(
    name: str, value: object, low: float, high: float, *, open_low: bool, open_high: bool
) -> float:
    number = _number(name, value)
    if (number <= low if open_low else number < low) or (
        number >= high if open_high else number > high
    ):
        lo, hi = "(" if open_low else "[", ")" if open_high else "]"
        raise ValueError(f"{name} must be in {lo}{low:g}, {high:g}{hi}, got {value!r}")
    return number


def _agents(value: object, fractional: bool) -> float:
    number = _non_negative("agents", value)
    if not fractional and number != math.floor(number):
        raise ValueError(f"agents must be a whole number unless fractional=True, got {value!r}")
    return number


def _concurrency(value: object) -> int:
    number = _number("concurrency", value)
    if number < 1 or number != math.floor(number):
        raise ValueError(f"concurrency must be a whole number >= 1, got {value!r}")
    return int(number)


def _array(name: str, value: ArrayLike, *, positive: bool) -> NDArray[np.float64]:
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numbers") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite")
    if np.any(array <= 0) if positive else np.any(array < 0):
        raise ValueError(f"{name} must be {'> 0' if positive else '>= 0'}")
    return array


# ----------------------------------------------------------------------------- kernels


def _log_erlang_b(servers: ArrayLike, load: ArrayLike) -> NDArray[np.float64]:
    """log B(n, a) for real n >= 0, a >= 0 (continuous extension), never overflowing.

    Where the upper regularised gamma Q(n+1, a) is representable, B = a^n e^-a / n! / Q(n+1, a)
    is evaluated in logs; far below the load (a >> n) 1/B = sum_k n(n-1)...(n-k+1)/a^k, which
    converges geometrically there.
    """
    n, a = np.broadcast_arrays(
        np.asarray(servers, dtype=np.float64), np.asarray(load, dtype=np.float64)
    )
    out = np.zeros(n.shape)
    out[(a == 0) & (n > 0)] = -np.inf
    work = (a > 0) & (n > 0)
    nw, aw = n[work], a[work]
    q = special.gammaincc(nw + 1.0, aw)
    upper = q > 1e-280
    res = np.empty(nw.shape)
    with np.errstate(divide="ignore"):
        res[upper] = (
            nw[upper] * np.log(aw[upper])
            - aw[upper]
            - special.gammaln(nw[upper] + 1.0)
            - np.log(q[upper])
        )
    low = ~upper
    if np.any(low):
        nl, al = nw[low], aw[low]
        total, term = np.ones(nl.shape), np.ones(nl.shape)
        active = np.ones(nl.shape, dtype=bool)
        last = np.floor(nl) + 1.0
        k = 0
        while np.any(active) and k < 1_000_000:
            term = np.where(active, term * (nl - k) / al, 0.0)
            total += term
            k += 1
            active &= (np.abs(term) > 1e-17 * total) & (k < last)
        res[low] = -np.log(total)
    out[work] = res
    return out


def _erlang_c_arrays(
    servers: NDArray[np.float64], load: NDArray[np.float64], threshold_over_aht: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """P(wait), service level, ASA/AHT and occupancy for arrays of servers and loads."""
    n, a, t = np.broadcast_arrays(servers, load, threshold_over_aht)
    p_wait, sl = np.ones(n.shape), np.zeros(n.shape)
    asa = np.full(n.shape, np.inf)
    occupancy = np.ones(n.shape)
    zero = a == 0
    p_wait[zero], sl[zero], asa[zero], occupancy[zero] = 0.0, 1.0, 0.0, 0.0
    stable = (n > a) & ~zero
    ns, as_, ts = n[stable], a[stable], t[stable]
    b = np.exp(_log_erlang_b(ns, as_))
    rho = as_ / ns
    c = b / ((1.0 - rho) + rho * b)
    p_wait[stable] = c
    sl[stable] = 1.0 - c * np.exp(-(ns - as_) * ts)
    asa[stable] = c / (ns - as_)
    occupancy[stable] = rho
    return p_wait, sl, asa, occupancy


def _erlang_a_core(
    n: float,
    a: float,
    patience_over_aht: float,
    threshold_over_patience: float,
    *,
    method: str = "auto",
) -> tuple[float, float, float]:
    """(P(wait), P(abandon), service level of all arrivals) for M/M/n+M; n > 0, a > 0.

    Birth-death chain: pi_j ~ a^j/j! up to n, then pi_{n+m} = pi_n * prod_{k<=m} y/(x+k) with
    x = n*patience/aht, y = a*patience/aht.  A caller finding m queued ahead is answered within
    t with probability x/(x+m+1) * I_p(m+1, x+1), p = 1 - exp(-t/patience) (regularised
    incomplete beta): its wait is the (m+1)-th order statistic of x+m exponential clocks.
    Summed over m this gives Mandelbaum & Zeltyn's incomplete-gamma closed form, used when the
    direct (log-space) series would be too long.
    """
    x, y = n * patience_over_aht, a * patience_over_aht
    if y == 0.0:  # a load so small that a * patience / aht underflows: nobody waits
        return 0.0, 0.0, 1.0
    q = -math.expm1(-threshold_over_patience)
    log_b = float(_log_erlang_b(n, a))
    if log_b == 0.0:
        log_g = -math.inf
    elif -log_b > 30.0:
        log_g = -log_b + math.log1p(-math.exp(log_b))
    else:
        log_g = math.log(math.expm1(-log_b))  # log(1/B - 1): non-waiting states relative to pi_n
    # Terms beyond the peak (m ~ y - x) shrink like exp(-d^2 / 2y), or geometrically by y/x.
    terms = max(0.0, y - x) + 10.0 * math.sqrt(max(x, y))
    if y < x:
        terms = min(terms, 45.0 / math.log(x / y))
    terms = math.ceil(terms + 100.0)
    closed_ok = y > x or special.gammainc(x, y) > 1e-280
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "series" or (
            method == "auto" and (terms <= _MAX_SERIES_TERMS or not closed_ok)
        ):
            k = np.arange(1, terms + 1, dtype=np.float64)
            log_r = np.concatenate(([0.0], np.cumsum(math.log(y) - np.log(x + k))))
            m = np.arange(terms + 1, dtype=np.float64)
            top = float(log_r.max())
            w = np.exp(log_r - top)
            served = x / (x + m + 1.0)
            log_wait = top + math.log(float(w.sum()))
            log_abandon = top + math.log(float(np.sum(w * (m + 1.0) / (x + m + 1.0))))
            log_sl = top + np.log(float(np.sum(w * served * special.betainc(m + 1.0, x + 1.0, q))))
        else:
            log_e = y - x * math.log(y) + float(special.gammaln(x + 1.0))
            p_x = float(special.gammainc(x, y))
            log_wait = log_e + math.log(p_x)
            if y > x:
                log_abandon = float(
                    np.logaddexp(log_e + math.log1p(-x / y) + math.log(p_x), math.log(x / y))
                )
            else:
                diff = p_x - x / y * float(special.gammainc(x + 1.0, y))
                log_abandon = log_e + math.log(max(diff, 1e-300))
            y_t = y * math.exp(-threshold_over_patience)
            if y_t > x + 1.0:
                gap = float(special.gammaincc(x + 1.0, y_t) - special.gammaincc(x + 1.0, y))
            else:
                gap = float(special.gammainc(x + 1.0, y) - special.gammainc(x + 1.0, y_t))
            log_sl = math.log(x / y) + log_e + np.log(max(gap, 0.0))
    log_total = float(np.logaddexp(log_g, log_wait))
    p_wait = math.exp(log_wait - log_total)
    p_abandon = math.exp(log_abandon - log_total)
    sl = math.exp(float(np.logaddexp(log_g, log_sl)) - log_total)
    return min(p_wait, 1.0), min(p_abandon, 1.0), min(sl, 1.0)


# ----------------------------------------------------------------------------- metrics


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


# ----------------------------------------------------------------------------- staffing


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
