"""How many agents the shifts put to work per interval, and what they cost.

A shift works from ``starts_at`` to ``ends_at`` except during its breaks. Coverage of an interval
is fractional: an agent working 15 of an interval's 30 minutes counts 0.5, so a 15-minute break
shows as half an agent missing rather than disappearing or counting whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from .models import Schedule, ScheduleStatus, Shift

DASH = "\u2013"


@dataclass(frozen=True, slots=True)
class Span:
    start: datetime
    end: datetime
    paid: bool = True


def shift_breaks(shift: Shift) -> list[Span]:
    out = []
    for b in shift.breaks or []:
        start, end = parse_datetime(str(b["start"])), parse_datetime(str(b["end"]))
        if start is not None and end is not None and end > start:
            out.append(Span(start, end, bool(b.get("paid", False))))
    return out


def work_spans(shift: Shift) -> list[Span]:
    """The shift's working time: its span with the breaks cut out, in time order."""
    spans: list[Span] = []
    cursor = shift.starts_at
    for b in sorted(shift_breaks(shift), key=lambda s: s.start):
        if b.start > cursor:
            spans.append(Span(cursor, min(b.start, shift.ends_at)))
        cursor = max(cursor, b.end)
    if cursor < shift.ends_at:
        spans.append(Span(cursor, shift.ends_at))
    return spans


def paid_hours(shift: Shift) -> float:
    """Shift length less unpaid breaks, in hours."""
    unpaid = sum(((b.end - b.start).total_seconds() for b in shift_breaks(shift) if not b.paid), 0.0)
    return ((shift.ends_at - shift.starts_at).total_seconds() - unpaid) / 3600


def shifts_between(start: datetime, end: datetime, *, team_id: int | None = None, published_only: bool = True) -> QuerySet[Shift]:
    """Shifts overlapping ``[start, end)``, of one team's schedules or all of them."""
    qs = Shift.objects.filter(starts_at__lt=end, ends_at__gt=start).select_related("agent", "schedule")
    if team_id is not None:
        qs = qs.filter(schedule__team_id=team_id)
    if published_only:
        qs = qs.filter(schedule__state=ScheduleStatus.PUBLISHED)
    return qs


def coverage(shifts: Iterable[Shift], starts: Sequence[datetime], minutes: int) -> list[float]:
    """Agents working in each interval ``[t, t + minutes)`` for ``t`` in ``starts`` (fractional)."""
    width = timedelta(minutes=minutes)
    out = [0.0] * len(starts)
    if not starts:
        return out
    index = {t: i for i, t in enumerate(starts)}
    for shift in shifts:
        for span in work_spans(shift):
            # walk the intervals this span touches
            first = starts[0] + ((span.start - starts[0]) // width) * width
            t = first
            while t < span.end:
                i = index.get(t)
                if i is not None:
                    overlap = min(span.end, t + width) - max(span.start, t)
                    out[i] += overlap / width
                t += width
    return out


def scheduled_by_interval(
    starts: Sequence[datetime], minutes: int, *, team_id: int | None = None, published_only: bool = True
) -> list[float]:
    """Agents on shift and not on a break per interval, from (published) schedules."""
    if not starts:
        return []
    shifts = shifts_between(starts[0], starts[-1] + timedelta(minutes=minutes), team_id=team_id, published_only=published_only)
    return coverage(shifts, starts, minutes)


def shift_cost(shift: Shift) -> Decimal:
    """Paid hours times the agent's fully loaded hourly cost (0 without a profile)."""
    profile = getattr(shift.agent, "agent_profile", None)
    rate = profile.hourly_cost if profile is not None else Decimal(0)
    return (Decimal(str(round(paid_hours(shift), 4))) * rate).quantize(Decimal("0.01"))


def scheduled_cost(start: datetime, end: datetime, *, team_id: int | None = None) -> tuple[float, Decimal]:
    """Paid hours and cost of published shifts starting in ``[start, end)``."""
    qs = Shift.objects.filter(starts_at__gte=start, starts_at__lt=end, schedule__state=ScheduleStatus.PUBLISHED)
    if team_id is not None:
        qs = qs.filter(schedule__team_id=team_id)
    hours, cost = 0.0, Decimal(0)
    for shift in qs.select_related("agent__agent_profile"):
        hours += paid_hours(shift)
        cost += shift_cost(shift)
    return hours, cost


def published_schedules(team_id: int | None = None) -> QuerySet[Schedule]:
    qs = Schedule.objects.filter(state=ScheduleStatus.PUBLISHED)
    return qs.filter(Q(team_id=team_id)) if team_id is not None else qs


def draft_schedules(*, team_id: int | None, start: datetime, end: datetime) -> list[Schedule]:
    """Draft schedules of the team (every team for None) with shifts in ``[start, end)``."""
    qs = Schedule.objects.filter(state=ScheduleStatus.DRAFT, shifts__starts_at__lt=end, shifts__ends_at__gt=start)
    if team_id is not None:
        qs = qs.filter(team_id=team_id)
    return list(qs.select_related("team").distinct().order_by("week_start", "team__name"))


# --- the optimiser's report (schedules helper) ---------------------------------------------------


def call_weighted_service_level(targets: Any, rows: Sequence[Any], scheduled: Sequence[float]) -> float | None:
    """Week service level the shifts deliver, weighted by forecast calls.

    Per forecast interval ``i`` with ``v_i > 0`` calls: ``SL_i = expected(v_i, aht_i, agents =
    scheduled_i * (1 - shrinkage)).service_level`` (Erlang C, or A with a patience), where
    ``scheduled_i`` is the fractional count of agents on shift and not on a break
    (:func:`coverage`). The week figure is ``Σ v_i · SL_i / Σ v_i``; None without calls.
    """
    from frontline.workforce.staffing import expected

    total = sum(r.volume for r in rows if r.volume > 0)
    if total <= 0:
        return None
    weighted = 0.0
    for row, on_shift in zip(rows, scheduled, strict=True):
        if row.volume > 0:
            sl = expected(targets, volume=row.volume, aht_s=row.aht_s, minutes=row.minutes,
                          agents=on_shift * (1 - targets.shrinkage)).service_level
            weighted += row.volume * sl
    return round(weighted / total, 4)


def shortfall_rows(rows: Sequence[Any], scheduled: Sequence[float], zone: Any) -> list[dict[str, Any]]:
    """Intervals where fewer agents are on shift (not on a break) than the plan's ``to_schedule``.

    ``short = to_schedule - scheduled`` (fractional, one decimal); consecutive intervals of a day
    with the same shortfall and requirement are merged into one row. Times are ISO with the team's
    offset, plus a label on the team's clock.
    """
    out: list[dict[str, Any]] = []
    for row, on_shift in zip(rows, scheduled, strict=True):
        short = round(row.to_schedule - on_shift, 1)
        if short <= 0:
            continue
        start, end = row.starts_at.astimezone(zone), (row.starts_at + timedelta(minutes=row.minutes)).astimezone(zone)
        last = out[-1] if out else None
        if (last is not None and last["ends_at"] == start.isoformat() and last["short"] == short
                and last["required"] == row.to_schedule and last["day"] == start.date().isoformat()):
            last["ends_at"] = end.isoformat()
            last["label"] = f"{last['label'].split(DASH)[0]}{DASH}{end:%H:%M}"
            last["intervals"] += 1
            continue
        out.append({"day": start.date().isoformat(), "starts_at": start.isoformat(), "ends_at": end.isoformat(),
                    "label": f"{start:%a %d %b %H:%M}{DASH}{end:%H:%M}", "required": row.to_schedule,
                    "scheduled": round(on_shift, 1), "short": short, "intervals": 1})
    return out
