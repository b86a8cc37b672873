"""Numerical kernels: Erlang B in log space (continuous extension), Erlang C on arrays, and the
Erlang A (M/M/N+M) birth-death sums, all without factorials."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special

# Above this many birth-death terms Erlang A switches from the direct series to the
# closed incomplete-gamma form (only reached for patience thousands of times the AHT).
_MAX_SERIES_TERMS = 200_000


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
