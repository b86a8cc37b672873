"""Adherence pages: the period report per agent and team, one agent's days, and the real-time view.

Each view parses the period and team, scopes the agents to the viewer
(:func:`~frontline.schedules.adherence.adherence_agents_for_viewer`), calls the loader and renders
the page or, for htmx, its partial. Definitions live in :mod:`frontline.schedules.adherence`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from frontline.people.models import User
from frontline.workforce.permissions import staff_only

from .adherence import (
    adherence_agent_get_for_viewer,
    adherence_agents_for_viewer,
    adherence_for_agents,
    adherence_now,
    adherence_team_choices,
    adherence_total,
    grace_minutes,
)
from .adherence_forms import PeriodForm, TeamForm
from .adherence_selectors import day_lines, day_window, sorted_rows, target_pct, team_totals

PAGE_SIZE = 50


def _period_form(request: HttpRequest, *, teams: list[tuple[int, str]]) -> PeriodForm:
    data = request.GET if any(k in request.GET for k in ("preset", "start", "end", "team")) else {"preset": "this_week"}
    return PeriodForm(data, teams=teams, today=timezone.localdate(), all_label=_all_label(request.user))  # type: ignore[arg-type]


def _all_label(viewer: User) -> str:
    return "All teams" if viewer.sees_everything else "All my teams"


def _period_query(data: dict[str, Any], **extra: Any) -> str:
    params = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return urlencode(params)


# ---------------------------------------------------------------- the period report


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
    start, end = day_window(data["start"], data["end"])
    now = timezone.now()
    rows = adherence_for_agents(agents=adherence_agents_for_viewer(viewer=viewer, team_id=team_id),
                                start=start, end=end, now=now)
    measured = [r for r in rows if r.result.is_measured]
    rows_sorted, sort = sorted_rows(measured, request.GET.get("sort", "adherence"))
    page = Paginator(rows_sorted, PAGE_SIZE).get_page(request.GET.get("page"))
    period_query = _period_query(data, team=team_id)
    context.update({
        "data": data, "start": start, "end": min(end, now), "future": start >= now, "clipped": end > now,
        "page": page, "sort": sort, "period_query": period_query,
        "agent_query": _period_query(data),
        "unmeasured": len(rows) - len(measured),
        "total": adherence_total(r.result for r in measured),
        "team_totals": team_totals(measured, teams, team_id) if teams else [],
        "grace": grace_minutes(),
    })
    template = "schedules/partials/adherence_body.html" if request.htmx else "schedules/adherence.html"
    return render(request, template, context)


# ---------------------------------------------------------------- one agent's days


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
    start, end = day_window(data["start"], data["end"])
    now = timezone.now()
    row = adherence_for_agents(agents=User.objects.filter(pk=agent.pk).select_related("agent_profile"),
                               start=start, end=end, now=now)[0]
    today = timezone.localdate()
    days = [data["start"] + timedelta(days=i) for i in range((data["end"] - data["start"]).days + 1)]
    days = [d for d in days if d <= today]
    lines, ticks = day_lines(row, days, now)
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
