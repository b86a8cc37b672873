"""Workforce pages: the overview and the Erlang calculator (which answers from the engine; nothing is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from frontline.desk.views import staff_required
from frontline.engine.erlang import (
    ErlangAMetrics,
    ErlangCMetrics,
    erlang_a,
    erlang_c,
    required_agents,
    scheduled_agents,
)
from frontline.people.models import User
from frontline.people.selectors import team_ids_for_viewer
from frontline.schedules.adherence import adherence_for_agents
from frontline.schedules.models import Schedule, ScheduleStatus, Shift

from .forms import ErlangForm
from .models import ForecastRun, StaffingPlan
from .overview import newest_plans, outlook
from .permissions import is_planner, managed_team_ids


@dataclass(frozen=True)
class CurveRow:
    agents: int
    metrics: ErlangCMetrics | ErlangAMetrics
    is_answer: bool
    scheduled: float | None


def _pct(value: float | None) -> float | None:
    return None if value is None else value / 100


def _metrics(data: dict[str, Any], agents: int) -> ErlangCMetrics | ErlangAMetrics:
    common = {"agents": agents, "calls": data["calls"], "interval_s": data["interval_s"], "aht_s": data["aht_s"],
              "threshold_s": data["threshold_s"], "concurrency": data.get("concurrency") or 1}
    if data.get("patience_s"):
        return erlang_a(patience_s=data["patience_s"], **common)
    return erlang_c(**common)


@require_GET
@staff_required
def erlang_calculator(request: HttpRequest) -> HttpResponse:
    form = ErlangForm(request.GET or None)
    context: dict[str, Any] = {"nav": "workforce", "wf": "erlang", "form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        shrinkage = _pct(data.get("shrinkage_pct")) or 0.0
        try:
            if data.get("agents") is not None:
                answer = int(data["agents"])
            else:
                answer = int(required_agents(
                    calls=data["calls"], interval_s=data["interval_s"], aht_s=data["aht_s"], threshold_s=data["threshold_s"],
                    target_sl=_pct(data.get("target_sl_pct")), target_asa_s=data.get("target_asa_s"),
                    max_occupancy=_pct(data.get("max_occupancy_pct")), patience_s=data.get("patience_s"),
                    max_abandon=_pct(data.get("max_abandon_pct")), concurrency=data.get("concurrency") or 1,
                ).agents)
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            low = max(0, answer - 3)
            context["rows"] = [
                CurveRow(agents=n, metrics=_metrics(data, n), is_answer=n == answer,
                         scheduled=scheduled_agents(agents=n, shrinkage=shrinkage) if shrinkage else None)
                for n in range(low, answer + 6)
            ]
            context["answer"] = next(r for r in context["rows"] if r.is_answer)
            context["model"] = "Erlang A" if data.get("patience_s") else "Erlang C"
            context["shrinkage"] = shrinkage
    context["bad_fields"] = [form[name] for name in form.errors if name in form.fields]
    status = 422 if form.is_bound and form.errors else 200
    # htmx too gets the whole page: the form swaps with the answer (hx-select), so failing fields are marked
    return render(request, "workforce/erlang.html", context, status=status)


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    """Where a planner starts the day: gaps in the next 24 hours, then each section's latest state."""
    user = request.user
    context: dict[str, Any] = {"nav": "workforce", "wf": "home", "planner": is_planner(user)}  # type: ignore[arg-type]
    teams = team_ids_for_viewer(viewer=user)  # type: ignore[arg-type]
    week_start = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    schedules = Schedule.objects.select_related("team").filter(week_start__gte=week_start - timedelta(days=7),
                                                               week_start__lte=week_start + timedelta(days=7))
    if teams is not None:
        schedules = schedules.filter(team_id__in=teams)
    if not context["planner"]:
        schedules = schedules.filter(state="published")
    context["schedules"] = schedules.order_by("week_start", "team__name")
    context["week_start"] = week_start
    context["next_shift"] = (Shift.objects.filter(agent=user, ends_at__gt=timezone.now(),
                                                  schedule__state=ScheduleStatus.PUBLISHED)
                             .select_related("schedule__team").order_by("starts_at").first())
    monday = timezone.make_aware(datetime.combine(week_start, time.min))
    [mine] = adherence_for_agents(agents=User.objects.filter(pk=user.pk), start=monday, end=monday + timedelta(days=7))
    context["my_adherence"] = mine.result if mine.result.is_measured else None
    if context["planner"]:
        scope = managed_team_ids(user)  # type: ignore[arg-type]
        context["outlooks"] = [outlook(plan) for plan in newest_plans(scope)]
        forecasts = ForecastRun.objects.select_related("team", "queue")
        plans = StaffingPlan.objects.select_related("forecast", "forecast__team")
        if scope is not None:
            forecasts = forecasts.filter(team_id__in=scope)
            plans = plans.filter(forecast__team_id__in=scope)
        context["forecasts"] = forecasts[:5]
        context["plans"] = plans[:5]
    return render(request, "workforce/home.html", context)
