"""Agents far from their team on a rate or a duration, with the statistical reason.

(docs/metrics.md, "Outliers".)  Each agent with enough data is compared with **the rest of the
team** (the team without that agent), the p-values are adjusted across the agents tested with
Benjamini-Hochberg (false discovery rate), and an agent is flagged when the adjusted p-value is
below ``alpha`` **and** the difference is big enough to matter (``min_difference`` for a rate,
``min_ratio`` of medians for a duration: with hundreds of tickets a trivial difference is
"significant").

* **Rate** (reopen rate: reopened of ever solved): Fisher's exact test of the 2x2 table agent /
  rest x yes / no, two-sided (tables as or less likely than the observed one).  This is the
  binomial comparison of the agent with the rest conditioned on the totals; unlike a one-sample
  binomial test against the rest's rate it does not treat that rate as exactly known (a rest with
  0 reopens would flag anyone with one).
* **Duration** (handle time, first reply time): the Mann-Whitney U test of the agent's values
  against the rest's, two-sided, normal approximation with tie and continuity correction (the
  values need not be normal or even log-normal; the medians are reported).

Agents with fewer than ``min_n`` values are listed as not judged and are not counted in the
Benjamini-Hochberg adjustment.

>>> report = flag_rate_outliers(
...     per_agent={"ann": (3, 40), "bob": (4, 40), "cy": (15, 40), "dee": (3, 40)},
...     label="reopen rate",
... )
>>> [(o.agent, o.flagged) for o in report.agents]
[('cy', True), ('ann', False), ('bob', False), ('dee', False)]
>>> report.flagged[0].reason[:60]
'higher than the team: reopen rate 37.5% (15 of 40) vs 8.3% f'
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from scipy import stats

from . import _words


@dataclass(frozen=True, slots=True)
class AgentOutlier:
    """One agent against the rest of the team.

    ``value`` / ``rest_value``: the agent's and the rest's rate (fraction) or median.
    ``p_value`` / ``q_value``: the test's and the Benjamini-Hochberg adjusted p-value (None
    when not judged).  ``direction``: ``higher`` or ``lower`` than the rest (``""`` if equal).
    ``worse``: flagged on the bad side (``higher_is_worse`` decides which side that is).
    """

    agent: str
    n: int
    value: float | None
    rest_n: int
    rest_value: float | None
    p_value: float | None
    q_value: float | None
    judged: bool
    flagged: bool
    direction: str
    worse: bool
    reason: str


@dataclass(frozen=True, slots=True)
class OutlierReport:
    """Every agent, flagged first (smallest q), then the others by name."""

    measure: str
    test: str
    tested: int
    agents: tuple[AgentOutlier, ...]

    @property
    def flagged(self) -> tuple[AgentOutlier, ...]:
        return tuple(a for a in self.agents if a.flagged)


FISHER = "Fisher's exact test"
MANN_WHITNEY = "Mann-Whitney U test"


def benjamini_hochberg(p_values: Sequence[float]) -> tuple[float, ...]:
    """Benjamini-Hochberg adjusted p-values (step-up, monotone, capped at 1), input order."""
    m = len(p_values)
    for p in p_values:
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p <= 1:
            raise ValueError(f"p_values: must be in [0, 1], got {p!r}")
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [0.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = min(1.0, running)
    return tuple(adjusted)


def fisher_exact_p(a: int, b: int, c: int, d: int) -> float:
    """Two-sided p-value of Fisher's exact test of ``[[a, b], [c, d]]`` (tables with
    probability at most the observed one's, with a relative tolerance of 1e-7)."""
    for name, value in (("a", a), ("b", b), ("c", c), ("d", d)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: must be a whole number >= 0, got {value!r}")
    row1, col1, total = a + b, a + c, a + b + c + d
    low, high = max(0, col1 - (total - row1)), min(row1, col1)
    if low == high:
        return 1.0
    support = np.arange(low, high + 1)
    pmf = stats.hypergeom.pmf(support, total, col1, row1)
    observed = float(stats.hypergeom.pmf(a, total, col1, row1))
    return min(1.0, float(pmf[pmf <= observed * (1 + 1e-7)].sum()))


def mann_whitney_p(x: Sequence[float], y: Sequence[float]) -> float:
    """Two-sided Mann-Whitney U p-value, normal approximation with tie and continuity
    correction (scipy's ``method='asymptotic'``)."""
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        raise ValueError("x, y: need at least one value each")
    combined = np.concatenate([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])
    ranks = stats.rankdata(combined)
    u1 = float(ranks[:n1].sum()) - n1 * (n1 + 1) / 2
    u = max(u1, n1 * n2 - u1)
    n = n1 + n2
    _, counts = np.unique(combined, return_counts=True)
    ties = float((counts**3 - counts).sum())
    variance = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)))
    if variance <= 0:
        return 1.0
    z = (u - n1 * n2 / 2 - 0.5) / math.sqrt(variance)
    return min(1.0, float(2 * stats.norm.sf(z)))


def flag_rate_outliers(
    *,
    per_agent: Mapping[str, tuple[int, int]],
    team: tuple[int, int] | None = None,
    label: str = "rate",
    higher_is_worse: bool = True,
    alpha: float = 0.05,
    min_n: int = 20,
    min_difference: float = 0.05,
) -> OutlierReport:
    """``per_agent``: agent -> ``(events, n)`` (e.g. reopened, ever solved).  ``team``: the
    team's ``(events, n)`` including the agents (tickets of people not listed count in the
    rest); default the sum of ``per_agent``."""
    _check_common(label, alpha, min_n)
    counts = {}
    for agent, pair in _items(per_agent):
        try:
            k, n = pair
        except (TypeError, ValueError):
            raise ValueError(f"per_agent[{agent!r}]: must be (events, n), got {pair!r}") from None
        _check_count(k, n, f"per_agent[{agent!r}]")
        counts[agent] = (k, n)
    if team is None:
        team_k = sum(k for k, _ in counts.values())
        team_n = sum(n for _, n in counts.values())
    else:
        try:
            team_k, team_n = team
        except (TypeError, ValueError):
            raise ValueError(f"team: must be (events, n), got {team!r}") from None
        _check_count(team_k, team_n, "team")
    for agent, (k, n) in counts.items():
        if k > team_k or n > team_n or n - k > team_n - team_k:
            raise ValueError(f"team: must include per_agent[{agent!r}] ({k} of {n})")
    if (
        isinstance(min_difference, bool)
        or not isinstance(min_difference, int | float)
        or not 0 <= min_difference <= 1
    ):
        raise ValueError(f"min_difference: must be in [0, 1], got {min_difference!r}")
    raw = []
    for agent, (k, n) in counts.items():
        rk, rn = team_k - k, team_n - n
        judged = n >= min_n and rn >= min_n
        p = fisher_exact_p(k, n - k, rk, rn - rk) if judged else None
        raw.append(
            (
                agent,
                n,
                k / n if n else None,
                rn,
                rk / rn if rn else None,
                p,
                f"{k} of {n}",
                f"{rk} of {rn}",
            )
        )
    return _report(
        raw,
        measure=label,
        test=FISHER,
        higher_is_worse=higher_is_worse,
        alpha=alpha,
        min_n=min_n,
        big_enough=lambda v, r: abs(v - r) >= min_difference,
        show=_words.percent,
    )


def flag_duration_outliers(
    *,
    per_agent: Mapping[str, Sequence[float]],
    team: Sequence[float] | None = None,
    label: str = "handle time",
    unit: str = "min",
    higher_is_worse: bool = True,
    alpha: float = 0.05,
    min_n: int = 20,
    min_ratio: float = 1.25,
) -> OutlierReport:
    """``per_agent``: agent -> the agent's durations.  ``team``: all the team's durations,
    the agents' included (values of people not listed count in the rest); default the agents'
    values together.  Each agent's values must be among the team's."""
    _check_common(label, alpha, min_n)
    if isinstance(min_ratio, bool) or not isinstance(min_ratio, int | float) or min_ratio < 1:
        raise ValueError(f"min_ratio: must be a number >= 1, got {min_ratio!r}")
    values = {agent: _durations(v, f"per_agent[{agent!r}]") for agent, v in _items(per_agent)}
    everyone = [x for v in values.values() for x in v] if team is None else _durations(team, "team")
    pool = Counter(everyone)
    raw = []
    for agent, mine in values.items():
        rest_counter = pool.copy()
        rest_counter.subtract(Counter(mine))
        if any(c < 0 for c in rest_counter.values()):
            raise ValueError(f"team: must include every value of per_agent[{agent!r}]")
        rest = list(rest_counter.elements())
        judged = len(mine) >= min_n and len(rest) >= min_n
        p = mann_whitney_p(mine, rest) if judged else None
        mine_median = float(np.median(mine)) if mine else None
        rest_median = float(np.median(rest)) if rest else None
        raw.append(
            (
                agent,
                len(mine),
                mine_median,
                len(rest),
                rest_median,
                p,
                f"n {len(mine)}",
                f"n {len(rest)}",
            )
        )

    def big_enough(v: float, r: float) -> bool:
        if v == r:
            return False
        low, high = min(v, r), max(v, r)
        return low <= 0 or high / low >= min_ratio

    return _report(
        raw,
        measure=f"median {label}",
        test=MANN_WHITNEY,
        higher_is_worse=higher_is_worse,
        alpha=alpha,
        min_n=min_n,
        big_enough=big_enough,
        show=lambda v: _words.amount(v, unit),
    )


def flag_outliers(
    *,
    per_agent: Mapping[str, tuple[int, int]] | Mapping[str, Sequence[float]],
    team: tuple[int, int] | Sequence[float] | None = None,
    kind: str,
    **options: object,
) -> OutlierReport:
    """``kind="rate"``: :func:`flag_rate_outliers`; ``kind="duration"``:
    :func:`flag_duration_outliers` (same arguments)."""
    if kind == "rate":
        return flag_rate_outliers(per_agent=per_agent, team=team, **options)  # type: ignore[arg-type]
    if kind == "duration":
        return flag_duration_outliers(per_agent=per_agent, team=team, **options)  # type: ignore[arg-type]
    raise ValueError(f"kind: must be 'rate' or 'duration', got {kind!r}")


# -- helpers -------------------------------------------------------------------------------

_T = TypeVar("_T")
_Raw = tuple[str, int, float | None, int, float | None, float | None, str, str]


def _report(
    raw: list[_Raw],
    *,
    measure: str,
    test: str,
    higher_is_worse: bool,
    alpha: float,
    min_n: int,
    big_enough: Callable[[float, float], bool],
    show: Callable[[float], str],
) -> OutlierReport:
    tested = [r for r in raw if r[5] is not None]
    q_values = dict(
        zip(
            (r[0] for r in tested),
            benjamini_hochberg([r[5] for r in tested if r[5] is not None]),
            strict=True,
        )
    )
    m = len(tested)
    out = []
    for agent, n, value, rest_n, rest_value, p, mine_text, rest_text in raw:
        q = q_values.get(agent)
        direction = ""
        if value is not None and rest_value is not None and value != rest_value:
            direction = "higher" if value > rest_value else "lower"
        if p is None or q is None or value is None or rest_value is None:
            reason = (
                f"not judged: {n} value{'s' if n != 1 else ''} (fewer than {min_n})"
                if n < min_n
                else f"not judged: the rest of the team has {rest_n} (fewer than {min_n})"
            )
            out.append(
                AgentOutlier(
                    agent,
                    n,
                    value,
                    rest_n,
                    rest_value,
                    None,
                    None,
                    False,
                    False,
                    direction,
                    False,
                    reason,
                )
            )
            continue
        flagged = q < alpha and bool(big_enough(value, rest_value))
        worse = flagged and (direction == "higher") == higher_is_worse
        compare = (
            f"{measure} {show(value)} ({mine_text}) vs {show(rest_value)} for the rest of the "
            f"team ({rest_text}); {test} {_words.p_text(p)}, "
            f"{_words.p_text(q).replace('p ', 'q ', 1)} after Benjamini-Hochberg across {m} "
            f"agent{'s' if m != 1 else ''}"
        )
        if flagged:
            reason = f"{direction} than the team: {compare}"
        elif q < alpha:
            reason = f"different but not by much: {compare}"
        else:
            reason = f"within the team's range: {compare}"
        out.append(
            AgentOutlier(
                agent, n, value, rest_n, rest_value, p, q, True, flagged, direction, worse, reason
            )
        )
    out.sort(
        key=lambda a: (
            not a.flagged,
            a.q_value if a.flagged and a.q_value is not None else 0.0,
            a.agent,
        )
    )
    return OutlierReport(measure=measure, test=test, tested=m, agents=tuple(out))


def _items(per_agent: Mapping[str, _T]) -> list[tuple[str, _T]]:
    if not isinstance(per_agent, Mapping):
        raise ValueError("per_agent: must map agent -> data")
    for agent in per_agent:
        if not isinstance(agent, str) or not agent:
            raise ValueError(f"per_agent: agent names must be non-empty strings, got {agent!r}")
    return list(per_agent.items())


def _check_common(label: str, alpha: float, min_n: int) -> None:
    if not isinstance(label, str) or not label:
        raise ValueError(f"label: must be a non-empty string, got {label!r}")
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1:
        raise ValueError(f"alpha: must be in (0, 1), got {alpha!r}")
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 2:
        raise ValueError(f"min_n: must be a whole number >= 2, got {min_n!r}")


def _check_count(k: object, n: object, name: str) -> None:
    for value in (k, n):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name}: counts must be whole numbers >= 0, got {value!r}")
    assert isinstance(k, int) and isinstance(n, int)
    if k > n:
        raise ValueError(f"{name}: events ({k}) must be at most n ({n})")


def _durations(values: object, name: str) -> list[float]:
    if isinstance(values, str | bytes) or not isinstance(values, Sequence):
        raise ValueError(f"{name}: must be a sequence of durations")
    out = []
    for value in values:
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ValueError(f"{name}: must hold finite numbers, got {value!r}")
        out.append(float(value))
    return out
