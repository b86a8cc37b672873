"""Adherence pages: the period report per agent and team, one agent's days, and the real-time view.

Each view parses the period and team, scopes the agents to the viewer
(:func:`~frontline.schedules.adherence.adherence_agents_for_viewer`), calls the loader and renders
the page or, for htmx, its partial. Definitions live in :mod:`frontline.schedules.adherence`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from frontline.people.models import Team, User
from frontline.workforce.permissions import staff_only

from .adherence import (
    ACTIVITY_LABELS,
    Activity,
    Adherence,
    AgentAdherence,
    OutOfAdherence,
    StateSpan,
    adherence_agent_get_for_viewer,
    adherence_agents_for_viewer,
    adherence_compute,
    adherence_for_agents,
    adherence_now,
    adherence_team_choices,
    adherence_total,
    grace_minutes,
)
from .forms import check_days

MAX_DAYS = 62
PAGE_SIZE = 50
PRESETS = {"today": "Today", "yesterday": "Yesterday", "this_week": "This week", "last_week": "Last week"}


def target_pct() -> float:
    """Adherence below this is highlighted (``settings.ADHERENCE_TARGET_PCT``, default 90)."""
    return float(getattr(settings, "ADHERENCE_TARGET_PCT", 90))


def preset_range(preset: str, today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "this_week": (monday, today),
        "last_week": (monday - timedelta(days=7), monday - timedelta(days=1)),
    }[preset]


class TeamForm(forms.Form):
    """A team the viewer may pick (leads: the teams they lead; agents get no team field)."""

    team = forms.TypedChoiceField(label="Team", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, teams: list[tuple[int, str]], all_label: str = "All my teams", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [("", all_label), *teams]
        if not teams:
            del self.fields["team"]


class PeriodForm(TeamForm):
    """A period of whole days in the viewer's zone: a preset, or first and last day."""

    field_order = ["preset", "start", "end", "team"]
    preset = forms.ChoiceField(label="Period", required=False, choices=[("", "Custom dates"), *PRESETS.items()])
    start = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="To (inclusive)", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, teams: list[tuple[int, str]], today: date, **kwargs: Any) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_days(self, "start", "end")
        preset = data.get("preset")
        if preset:
            data["start"], data["end"] = preset_range(preset, self.today)
        elif not self.errors:
            if not data.get("start") and not data.get("end"):
                data["start"], data["end"] = preset_range("this_week", self.today)
                data["preset"] = "this_week"
            elif not data.get("start"):
                self.add_error("start", "Enter the first day, or pick a period.")
            elif not data.get("end"):
                self.add_error("end", "Enter the last day, or pick a period.")
        start, end = data.get("start"), data.get("end")
        if start and end and not self.errors:
            if end < start:
                self.add_error("end", "The last day must not be before the first.")
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("end", f"Choose at most {MAX_DAYS} days.")
            else:  # dates that match a preset show it as chosen (links carry dates, not presets)
                data["preset"] = next((k for k in PRESETS if preset_range(k, self.today) == (start, end)), "")
        return data


def _period_form(request: HttpRequest, *, teams: list[tuple[int, str]]) -> PeriodForm:
    data = request.GET if any(k in request.GET for k in ("preset", "start", "end", "team")) else {"preset": "this_week"}
    return PeriodForm(data, teams=teams, today=timezone.localdate(), all_label=_all_label(request.user))  # type: ignore[arg-type]


def _all_label(viewer: User) -> str:
    return "All teams" if viewer.sees_everything else "All my teams"


def _window(start: date, end: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (timezone.make_aware(datetime.combine(start, time.min), tz),
            timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min), tz))


def _period_query(data: dict[str, Any], **extra: Any) -> str:
    params = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


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


def _sorted_rows(rows: list[AgentAdherence], sort: str) -> tuple[list[AgentAdherence], str]:
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    if key in ("adherence", "conformance"):
        attr = f"{key}_pct"
        return sorted(rows, key=lambda r: _pct_key(getattr(r.result, attr), descending)), sort
    if key not in SORTS:
        return _sorted_rows(rows, "adherence")
    return sorted(rows, key=SORTS[key], reverse=descending), sort


@dataclass(frozen=True, slots=True)
class TeamTotal:
    team_id: int
    name: str
    agents: int
    result: Adherence


def _team_totals(rows: list[AgentAdherence], team_choices: list[tuple[int, str]], team_id: int | None) -> list[TeamTotal]:
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


@require_GET
@staff_only
def adherence_report(request: HttpRequest) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    teams = adherence_team_choices(viewer=viewer)
    form = _period_form(request, teams=teams)
    context: dict[str, Any] = {"nav": "workforce", "wf": "adherence", "form": form, "teams": teams,
                               "target": target_pct(), "is_agent_view": not teams}
    if not form.is_valid():
        template = "schedules/partials/adherence_body.html" if request.htmx else "schedules/adherence.html"
        return render(request, template, context, status=422)
    data = form.cleaned_data
    team_id = data.get("team")
    start, end = _window(data["start"], data["end"])
    now = timezone.now()
    rows = adherence_for_agents(agents=adherence_agents_for_viewer(viewer=viewer, team_id=team_id),
                                start=start, end=end, now=now)
    measured = [r for r in rows if r.result.is_measured]
    rows_sorted, sort = _sorted_rows(measured, request.GET.get("sort", "adherence"))
    page = Paginator(rows_sorted, PAGE_SIZE).get_page(request.GET.get("page"))
    period_query = _period_query(data, team=team_id)
    context.update({
        "data": data, "start": start, "end": min(end, now), "future": start >= now, "clipped": end > now,
        "page": page, "sort": sort, "period_query": period_query,
        "agent_query": _period_query(data),
        "unmeasured": len(rows) - len(measured),
        "total": adherence_total(r.result for r in measured),
        "team_totals": _team_totals(measured, teams, team_id) if teams else [],
        "grace": grace_minutes(),
    })
    template = "schedules/partials/adherence_body.html" if request.htmx else "schedules/adherence.html"
    return render(request, template, context)


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


def _segments(items: list[tuple[datetime, datetime, str, str]], lo: datetime, hi: datetime) -> list[Segment]:
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


def _axis_hours(row: AgentAdherence, days: list[date]) -> tuple[int, int]:
    """The hours of the day worth drawing: scheduled or online time, an hour either side."""
    hours: list[float] = []
    for s, e in [(a.start, a.end) for a in row.activities] + [(x.start, x.end) for x in row.states if x.state == "online"]:
        for d in days:
            lo, hi = _window(d, d)
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


def _day_lines(row: AgentAdherence, days: list[date], now: datetime) -> tuple[list[DayLine], list[int]]:
    first, last = _axis_hours(row, days)
    lines = []
    for d in days:
        day_start, day_end = _window(d, d)
        lo, hi = day_start + timedelta(hours=first), day_start + timedelta(hours=last)
        result = adherence_compute(start=day_start, end=min(day_end, now), activities=row.activities, states=row.states)
        acts: list[Activity] = list(row.activities)
        states: list[StateSpan] = [s for s in row.states if s.state != "offline"]
        events: list[OutOfAdherence] = list(result.events)
        lines.append(DayLine(
            d, result,
            _segments([(a.start, a.end, a.kind, ACTIVITY_LABELS[a.kind]) for a in acts], lo, hi),
            _segments([(s.start, s.end, s.state, STATE_LABELS[s.state]) for s in states], lo, hi),
            _segments([(e.start, e.end, "out", f"Out of adherence ({e.activity_label}, {e.state_label})") for e in events], lo, hi),
        ))
    return lines, list(range(first, last + 1))


@require_GET
@staff_only
def adherence_agent(request: HttpRequest, agent_id: int) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    agent = adherence_agent_get_for_viewer(viewer=viewer, agent_id=agent_id)
    form = _period_form(request, teams=[])
    context: dict[str, Any] = {"nav": "workforce", "wf": "adherence", "form": form, "agent": agent,
                               "target": target_pct()}
    if not form.is_valid():
        return render(request, "schedules/adherence_agent.html", context, status=422)
    data = form.cleaned_data
    start, end = _window(data["start"], data["end"])
    now = timezone.now()
    row = adherence_for_agents(agents=User.objects.filter(pk=agent.pk).select_related("agent_profile"),
                               start=start, end=end, now=now)[0]
    today = timezone.localdate()
    days = [data["start"] + timedelta(days=i) for i in range((data["end"] - data["start"]).days + 1)]
    days = [d for d in days if d <= today]
    lines, ticks = _day_lines(row, days, now)
    context.update({
        "data": data, "row": row, "result": row.result, "lines": lines, "ticks": ticks,
        "exceptions": Paginator(row.result.events, PAGE_SIZE).get_page(request.GET.get("page")),
        "tick_width": 100 / max(1, len(ticks) - 1), "future": start >= now,
        "period_query": _period_query(data), "end": min(end, now),
    })
    return render(request, "schedules/adherence_agent.html", context)


# ---------------------------------------------------------------- real time


@require_GET
@staff_only
def adherence_live(request: HttpRequest) -> HttpResponse:
    viewer: User = request.user  # type: ignore[assignment]
    teams = adherence_team_choices(viewer=viewer)
    form = TeamForm(request.GET, teams=teams, all_label=_all_label(viewer))
    template = "schedules/partials/adherence_now_table.html" if request.htmx else "schedules/adherence_now.html"
    if not form.is_valid():
        context = {"nav": "workforce", "wf": "adherence", "form": form, "teams": teams, "rows": [], "invalid": True}
        return render(request, template, context, status=422)
    team_id = form.cleaned_data.get("team")
    now = timezone.now()
    rows = adherence_now(agents=adherence_agents_for_viewer(viewer=viewer, team_id=team_id), now=now)
    context = {
        "nav": "workforce", "wf": "adherence", "form": form, "teams": teams, "team_id": team_id,
        "rows": rows, "now": now, "grace": grace_minutes(),
        "alerts": sum(1 for r in rows if r.status.alert),
        "in_grace": sum(1 for r in rows if r.status.in_grace),
        "scheduled_now": sum(1 for r in rows if r.status.measured),
        "poll_query": urlencode({"team": team_id}) if team_id else "",
    }
    return render(request, template, context)
