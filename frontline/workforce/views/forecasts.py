"""Forecast pages (planners only): the list, a new forecast, a run's result and its progress.

Each view parses, checks access (``planner_required``), calls one service or selector of
``forecasts`` and renders the full page or its htmx partial.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..forecast_chart import forecast_chart
from ..forecasts import (
    LEAD_MARGIN,
    forecast_chart_rows,
    forecast_create,
    forecast_day_intervals,
    forecast_days,
    forecast_get,
    forecast_lead_blocks,
    forecast_list,
    forecast_rerun,
    forecast_totals,
)
from ..forms.forecasts import ForecastForm
from ..models import ForecastRun, RunStatus
from ..permissions import planner_required

PAGE_SIZES = (25, 50, 100)


def _run_or_404(run_id: int) -> ForecastRun:
    try:
        return forecast_get(run_id=run_id)
    except ForecastRun.DoesNotExist:
        raise Http404("No such forecast.") from None


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


@require_GET
@planner_required
def forecast_list_view(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "-created")
    runs = forecast_list(sort=sort)
    per_page = _int(request.GET.get("per_page")) or 25
    per_page = per_page if per_page in PAGE_SIZES else 25
    page = Paginator(runs, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {"nav": "workforce", "wf": "forecasts", "page": page, "sort": sort, "query": query.urlencode(),
               "sort_query": sort_query.urlencode(), "per_page": per_page, "page_sizes": PAGE_SIZES}
    if request.htmx and request.htmx.target == "forecast-table":
        return render(request, "workforce/partials/forecast_table.html", context)
    return render(request, "workforce/forecast_list.html", context)


@require_http_methods(["GET", "POST"])
@planner_required
def forecast_new(request: HttpRequest) -> HttpResponse:
    form = ForecastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = forecast_create(
                actor=request.user, name=data["name"], team=data["team"], queue=data["queue"], channel=data["channel"],  # type: ignore[arg-type]
                interval_minutes=data["interval_minutes"], history_days=data["history_days"],
                horizon_days=data["horizon_days"], opening=data["opening"], closing=data["closing"],
                time_zone=data["time_zone"].strip() or None,
                closed_dates=data["closed_dates"], excluded_dates=data["excluded_dates"], carry_over=data["carry_over"],
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect("workforce:forecast_detail", run_id=run.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "workforce/forecast_new.html", {"nav": "workforce", "wf": "forecasts", "form": form}, status=status)


def _day(value: str | None, days: list[date]) -> date | None:
    try:
        chosen = date.fromisoformat(value) if value else None
    except ValueError:
        chosen = None
    if chosen in days:
        return chosen
    return days[0] if days else None


@require_GET
@planner_required
def forecast_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    context: dict[str, Any] = {"nav": "workforce", "wf": "forecasts", "run": run}
    if run.status == RunStatus.DONE:
        days = forecast_days(run=run)
        day = _day(request.GET.get("day"), [d.day for d in days])
        context.update(
            days=days, totals=forecast_totals(days=days), day=day,
            day_rows=forecast_day_intervals(run=run, day=day) if day else [],
            chart=forecast_chart(rows=forecast_chart_rows(run=run), time_zone=run.time_zone,
                                 interval_minutes=run.interval_minutes),
            has_workload=bool(run.aht_scores),
            lead_blocks=forecast_lead_blocks(run=run),
            aht_lead_blocks=forecast_lead_blocks(run=run, workload=True),
            lead_margin_pct=round(LEAD_MARGIN * 100),
            served_models={b["model"] for b in run.lead_blocks} or {run.chosen_model},
        )
        if request.htmx and request.htmx.target == "day-intervals":
            return render(request, "workforce/partials/forecast_day.html", context)
    return render(request, "workforce/forecast_detail.html", context)


@require_GET
@planner_required
def forecast_progress(request: HttpRequest, run_id: int) -> HttpResponse:
    """The polling partial; once the run has finished, htmx reloads the page to show the result."""
    run = _run_or_404(run_id)
    response = render(request, "workforce/partials/run_progress.html",
                      {"run": run, "poll_url": request.path})
    if request.htmx and not run.is_active:
        response["HX-Refresh"] = "true"
    return response


@require_POST
@planner_required
def forecast_refresh(request: HttpRequest, run_id: int) -> HttpResponse:
    run = _run_or_404(run_id)
    try:
        new = forecast_rerun(run=run, actor=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        return HttpResponse("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()), status=422)
    return redirect("workforce:forecast_detail", run_id=new.pk)
