"""What the adherence pages show, computed from :mod:`frontline.schedules.adherence`: the period
(days in the viewer's zone), the report's sort and team totals, and one agent's days drawn on an
hour axis (bars placed in percent of the axis, the axis fitted to the scheduled and online time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from frontline.people.models import Team

from .adherence import (
    ACTIVITY_LABELS,
    Activity,
    Adherence,
    AgentAdherence,
    OutOfAdherence,
    StateSpan,
    adherence_compute,
    adherence_total,
)


def target_pct() -> float:
    """Adherence below this is highlighted (``settings.ADHERENCE_TARGET_PCT``, default 90)."""
    return float(getattr(settings, "ADHERENCE_TARGET_PCT", 90))


def day_window(start: date, end: date) -> tuple[datetime, datetime]:
    """From midnight of ``start`` to midnight after ``end`` in the current (the viewer's) zone."""
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


# ---------------------------------------------------------------- the period report


def _pct_key(value: float | None, reverse: bool) -> tuple[int, float]:
    # Rows without a percentage go last whichever way the column is sorted.
    return (1, 0.0) if value is None else (0, -value if reverse else value)


SORTS: dict[str, Callable[[AgentAdherence], Any]] = {
    "name": lambda r: r.agent.display_name.lower(),
    "team": lambda r: ", ".join(t.name for t in r.agent.teams.all()).lower(),
    "scheduled": lambda r: r.result.scheduled_minutes,
    "worked": lambda r: r.result.worked_minutes,
    "out": lambda r: r.result.out_minutes,
}


def sorted_rows(rows: list[AgentAdherence], sort: str) -> tuple[list[AgentAdherence], str]:
    """The report's rows in the order of ``sort`` (a column, "-" first for descending; unknown:
    by adherence), and the sort applied."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key in ("adherence", "conformance"):
        attr = f"{key}_pct"
        return sorted(rows, key=lambda r: _pct_key(getattr(r.result, attr), descending)), sort
    if key not in SORTS:
        return sorted_rows(rows, "adherence")
    return sorted(rows, key=SORTS[key], reverse=descending), sort


@dataclass(frozen=True, slots=True)
class TeamTotal:
    team_id: int
    name: str
    agents: int
    result: Adherence


def team_totals(rows: list[AgentAdherence], team_choices: list[tuple[int, str]], team_id: int | None) -> list[TeamTotal]:
    """Minute-weighted totals per team; a parent team includes its sub-teams' people."""
    parents = dict(Team.objects.values_list("pk", "parent_id"))

    def ancestors(tid: int) -> set[int]:
        out: set[int] = set()
        while tid is not None and tid not in out:
            out.add(tid)
            tid = parents.get(tid)  # type: ignore[assignment]
        return out

    wanted = [(tid, name) for tid, name in team_choices if team_id is None or team_id in ancestors(tid)]
    totals = []
    for tid, name in wanted:
        members = [r for r in rows if any(tid in ancestors(t.pk) for t in r.agent.teams.all())]
        if members:
            totals.append(TeamTotal(tid, name, len(members), adherence_total(r.result for r in members)))
    return totals


# ---------------------------------------------------------------- one agent's days


@dataclass(frozen=True, slots=True)
class Segment:
    left: float
    width: float
    css: str
    title: str


@dataclass(frozen=True, slots=True)
class DayLine:
    day: date
    result: Adherence
    scheduled: list[Segment]
    actual: list[Segment]
    out: list[Segment]


STATE_LABELS = {"online": "Online", "away": "Away", "on_break": "On break", "offline": "Offline"}


def segments(items: list[tuple[datetime, datetime, str, str]], lo: datetime, hi: datetime) -> list[Segment]:
    """(start, end, css class, label) spans clipped to ``[lo, hi)`` and placed on it in percent
    (left edge and width, 3 decimals); the title gives the label and local times."""
    span = (hi - lo).total_seconds()
    out = []
    for s, e, css, label in items:
        s, e = max(s, lo), min(e, hi)
        if e <= s:
            continue
        local_s, local_e = timezone.localtime(s), timezone.localtime(e)
        out.append(Segment(round(100 * (s - lo).total_seconds() / span, 3), round(100 * (e - s).total_seconds() / span, 3),
                           css, f"{label} {local_s:%H:%M} to {local_e:%H:%M}"))
    return out


def axis_hours(row: AgentAdherence, days: list[date]) -> tuple[int, int]:
    """The hours of the day worth drawing: scheduled or online time, an hour either side."""
    hours: list[float] = []
    for s, e in [(a.start, a.end) for a in row.activities] + [(x.start, x.end) for x in row.states if x.state == "online"]:
        for d in days:
            lo, hi = day_window(d, d)
            s2, e2 = max(s, lo), min(e, hi)
            if e2 > s2:
                hours += [(s2 - lo).total_seconds() / 3600, (e2 - lo).total_seconds() / 3600]
    if not hours:
        return 6, 20
    first, last = max(0, int(min(hours)) - 1), min(24, int(max(hours) + 0.999) + 1)
    if last - first < 8:
        last = min(24, first + 8)
        first = max(0, last - 8)
    return first, last


def day_lines(row: AgentAdherence, days: list[date], now: datetime) -> tuple[list[DayLine], list[int]]:
    """One line per day (its adherence until ``now``, and the scheduled, actual and
    out-of-adherence bars on the common axis) and the axis' hour ticks."""
    first, last = axis_hours(row, days)
    lines = []
    for d in days:
        day_start, day_end = day_window(d, d)
        lo, hi = day_start + timedelta(hours=first), day_start + timedelta(hours=last)
        result = adherence_compute(start=day_start, end=min(day_end, now), activities=row.activities, states=row.states)
        acts: list[Activity] = list(row.activities)
        states: list[StateSpan] = [s for s in row.states if s.state != "offline"]
        events: list[OutOfAdherence] = list(result.events)
        lines.append(DayLine(
            d, result,
            segments([(a.start, a.end, a.kind, ACTIVITY_LABELS[a.kind]) for a in acts], lo, hi),
            segments([(s.start, s.end, s.state, STATE_LABELS[s.state]) for s in states], lo, hi),
            segments([(e.start, e.end, "out", f"Out of adherence ({e.activity_label}, {e.state_label})") for e in events], lo, hi),
        ))
    return lines, list(range(first, last + 1))
