"""Why did a KPI move?  Split its change into mix and rate (docs/metrics.md, "Variance explained").

A KPI that is a weighted average over segments (channels, teams, queues, agents' tenure
bands...) — ``R = sum(w_i r_i) / sum(w_i)`` with ``w_i`` the segment's volume (tickets, solved
tickets, responses) and ``r_i`` its rate or mean — can move because segments changed (*rate*:
email got slower) or because the volume moved between segments (*mix*: more email, which is
slow).  With shares ``s_i = w_i / sum(w)`` and the change ``R2 - R1 = sum(s2 r2) - sum(s1 r1)``,
the symmetric Kitagawa (1955) split — the Shapley value of the two factors, so no interaction
term is left over — is, per segment::

    rate_i = (s1_i + s2_i) / 2 * (r2_i - r1_i)
    mix_i  = ((r1_i + r2_i) / 2 - (R1 + R2) / 2) * (s2_i - s1_i)

and ``sum(rate_i) + sum(mix_i) = R2 - R1`` exactly (up to float rounding, ~1e-15 of the
values).  Centring the mix term on the overall average ``(R1 + R2) / 2`` changes no total
(the shares' changes sum to 0) but makes each segment's mix part readable: more volume in a
segment slower than average pushes the KPI up, more volume in a faster one pulls it down.

* A **new** segment (no volume before) has no before rate: its rate part is 0 and its whole
  contribution is mix, ``(r2 - (R1 + R2) / 2) * s2``.  A **vanished** segment likewise,
  ``(r1 - (R1 + R2) / 2) * (-s1)``.  (Equivalently, the missing rate is taken equal to the
  present one.)  A weight of 0 in a period means the segment is absent there.
* Works for rates (fractions, e.g. reopen rate weighted by tickets ever solved) and for means
  (mean first reply time weighted by replied tickets).  **Medians do not decompose**: the
  overall median is not a weighted average of the segments' medians, so explain a median's move
  with the mean of the same durations (or decompose the weighted average of segment medians and
  say that is what it is).

>>> d = decompose_change(before={"email": (80, 60.0), "chat": (20, 5.0)},
...                      after={"email": (50, 66.0), "chat": (50, 5.0)})
>>> d.before, d.after, round(d.rate, 6), round(d.mix, 6)
(49.0, 35.5, 3.9, -17.4)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from . import _words


@dataclass(frozen=True, slots=True)
class SegmentChange:
    """One segment's part of the change; ``status`` is ``both``, ``new`` or ``vanished``."""

    segment: str
    status: str
    before_weight: float
    after_weight: float
    before_share: float
    after_share: float
    before_rate: float | None
    after_rate: float | None
    mix: float
    rate: float

    @property
    def total(self) -> float:
        return self.mix + self.rate


@dataclass(frozen=True, slots=True)
class Decomposition:
    """``change = after - before = mix + rate``; ``segments`` largest contribution first."""

    before: float
    after: float
    change: float
    mix: float
    rate: float
    segments: tuple[SegmentChange, ...]
    reading: str


def decompose_change(
    *,
    before: Mapping[str, tuple[float, float]],
    after: Mapping[str, tuple[float, float]],
    unit: str | None = None,
) -> Decomposition:
    """Mix and rate parts of the change of a weighted average between two periods.

    ``before`` / ``after``: segment -> ``(weight, rate)``, weight >= 0 (the volume), rate
    finite.  ``unit``: None for a proportion (the reading speaks in percentage points), else the
    unit of a mean ("min").  ValueError when a period has no weight at all.
    """
    first = _segments(before, "before")
    second = _segments(after, "after")
    w1 = math.fsum(w for w, _ in first.values())
    w2 = math.fsum(w for w, _ in second.values())
    if w1 == 0:
        raise ValueError("before: the segments' weights sum to 0; nothing to compare with")
    if w2 == 0:
        raise ValueError("after: the segments' weights sum to 0; nothing to compare")
    if unit is not None and not isinstance(unit, str):
        raise ValueError(f"unit: must be a string or None, got {unit!r}")
    r1_total = math.fsum(w * r for w, r in first.values()) / w1
    r2_total = math.fsum(w * r for w, r in second.values()) / w2
    centre = (r1_total + r2_total) / 2
    parts = []
    for name in sorted(set(first) | set(second)):
        wa, ra = first.get(name, (0.0, None))
        wb, rb = second.get(name, (0.0, None))
        sa, sb = wa / w1, wb / w2
        status = (
            "both" if ra is not None and rb is not None else "new" if ra is None else "vanished"
        )
        r_before = ra if ra is not None else rb
        r_after = rb if rb is not None else ra
        assert r_before is not None and r_after is not None
        parts.append(
            SegmentChange(
                segment=name,
                status=status,
                before_weight=wa,
                after_weight=wb,
                before_share=sa,
                after_share=sb,
                before_rate=ra,
                after_rate=rb,
                mix=((r_before + r_after) / 2 - centre) * (sb - sa),
                rate=(sa + sb) / 2 * (r_after - r_before),
            )
        )
    parts.sort(key=lambda p: (-abs(p.total), p.segment))
    mix = math.fsum(p.mix for p in parts)
    rate = math.fsum(p.rate for p in parts)
    change = r2_total - r1_total
    return Decomposition(
        before=r1_total,
        after=r2_total,
        change=change,
        mix=mix,
        rate=rate,
        segments=tuple(parts),
        reading=_reading(change, mix, rate, parts, unit),
    )


def _segments(data: Mapping[str, tuple[float, float]], name: str) -> dict[str, tuple[float, float]]:
    if not isinstance(data, Mapping):
        raise ValueError(f"{name}: must map segment -> (weight, rate)")
    out: dict[str, tuple[float, float]] = {}
    for segment, pair in data.items():
        if not isinstance(segment, str):
            raise ValueError(f"{name}: segment names must be strings, got {segment!r}")
        try:
            weight, rate = pair
        except (TypeError, ValueError):
            raise ValueError(f"{name}[{segment!r}]: must be (weight, rate), got {pair!r}") from None
        for what, value in (("weight", weight), ("rate", rate)):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"{name}[{segment!r}]: {what} must be a number, got {value!r}")
            if not math.isfinite(value):
                raise ValueError(f"{name}[{segment!r}]: {what} must be finite, got {value!r}")
        if weight < 0:
            raise ValueError(f"{name}[{segment!r}]: weight must be >= 0, got {weight!r}")
        if weight > 0:
            out[segment] = (float(weight), float(rate))
    return out


def _size(value: float, unit: str | None) -> str:
    return _words.points(value) if unit is None else _words.amount(abs(value), unit)


def _signed(value: float, unit: str | None) -> str:
    return ("+" if value >= 0 else "-") + _size(value, unit)


def _reading(
    change: float, mix: float, rate: float, parts: list[SegmentChange], unit: str | None
) -> str:
    if change == 0 and all(p.total == 0 for p in parts):
        return "no change"
    head = (
        "no change overall"
        if change == 0
        else f"{'up' if change > 0 else 'down'} {_size(change, unit)}"
    )
    text = (
        f"{head}: {_signed(rate, unit)} from segments' own change (rate), "
        f"{_signed(mix, unit)} from the mix of volume"
    )
    top = parts[0]
    if top.total != 0:
        why = {"new": " (new)", "vanished": " (gone)"}.get(top.status, "")
        text += f"; most from {top.segment}{why} ({_signed(top.total, unit)})"
    return text
