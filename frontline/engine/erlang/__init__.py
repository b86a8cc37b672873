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

from .kernels import _erlang_a_core as _erlang_a_core
from .metrics import (
    ErlangAMetrics,
    ErlangCMetrics,
    erlang_a,
    erlang_b,
    erlang_c,
    offered_load,
)
from .staffing import (
    StaffingRequirement,
    required_agents,
    required_agents_many,
    scheduled_agents,
)

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


# doctest.testmod(this package) only finds examples in objects defined here; list the
# re-exported functions so their examples run too (in this namespace).
__test__ = {
    name: globals()[name]
    for name in (
        "offered_load",
        "erlang_b",
        "erlang_c",
        "erlang_a",
        "scheduled_agents",
        "required_agents",
        "required_agents_many",
    )
}
