"""Staffing plan and what-if pages (planners: team leads, managers, admins; agents get 403).

Each view parses, checks access, calls one service or selector from ``plans`` / ``whatif`` and
renders the full page or, for htmx, the partial it swaps.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.budget.services import scenario_from_whatif_result
from frontline.people.models import Team
from frontline.schedules.outlook import plan_figures_as_scheduled

from ..forms.staffing import SaveScenarioForm, StaffingPlanForm, WhatIfForm
from ..models import ForecastRun, RunStatus, StaffingPlan
from ..permissions import budget_required, planner_required
from ..plans import (
    plan_can_change,
    plan_get,
    plan_get_for_change,
    plan_queryset,
    plans_changeable,
    staffing_plan_create,
    staffing_plan_delete,
    staffing_plan_update,
    suggested_targets,
    table_rows,
)
from ..staffing_chart import day_chart
from ..whatif import WhatIfResult, whatif_compare

PER_PAGE = 25
SORTS = {"name": ("name", "id"), "updated": ("updated_at", "id"), "forecast": ("forecast__first_date", "id")}
MAX_ID = 2**63 - 1


def _id(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number <= MAX_ID else None


def _plan_or_404(plan_id: int) -> StaffingPlan:
    try:
        return plan_get(plan_id=plan_id)
    except StaffingPlan.DoesNotExist:
        raise Http404("No such staffing plan.") from None


def _plan_for_change_or_404(plan_id: int, request: HttpRequest) -> StaffingPlan:
    try:
        return plan_get_for_change(plan_id=plan_id, user=request.user)  # type: ignore[arg-type]
    except StaffingPlan.DoesNotExist:
        raise Http404("No such staffing plan.") from None


# --- list, new, edit, delete -------------------------------------------------------------------


@require_GET
@planner_required
def staffing_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:120]
    team_id = _id(request.GET.get("team"))
    sort = request.GET.get("sort", "-updated")
    key = sort.lstrip("-")
    if key not in SORTS:
        key, sort = "updated", "-updated"
    order = [f"-{f}" if sort.startswith("-") else f for f in SORTS[key]]
    plans = plan_queryset()
    if q:
        plans = plans.filter(Q(name__icontains=q) | Q(forecast__name__icontains=q))
    if team_id:
        plans = plans.filter(forecast__team_id=team_id)
    page = Paginator(plans.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    changeable = plans_changeable(plans=page.object_list, user=request.user)  # type: ignore[arg-type]
    for plan in page.object_list:
        plan.changeable = plan.pk in changeable
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    context = {
        "nav": "workforce", "wf": "staffing", "page": page, "q": q, "team_id": team_id, "sort": sort,
        "query": query.urlencode(), "sort_query": sort_query.urlencode(), "has_filters": bool(q or team_id),
        "teams": Team.objects.order_by("name"),
        "forecasts": ForecastRun.objects.filter(status=RunStatus.DONE).select_related("team").order_by("-created_at")[:50],
    }
    template = "workforce/partials/staffing_table.html" if request.htmx and request.htmx.target == "plan-table" else "workforce/staffing_list.html"
    return render(request, template, context)


def _render_form(request: HttpRequest, form: StaffingPlanForm, *, plan: StaffingPlan | None, status: int = 200,
                 notice: str = "") -> HttpResponse:
    context = {"nav": "workforce", "wf": "staffing", "form": form, "plan": plan, "notice": notice}
    return render(request, "workforce/staffing_form.html", context, status=status)


def _save(request: HttpRequest, form: StaffingPlanForm, plan: StaffingPlan | None) -> HttpResponse:
    if not form.is_valid():
        return _render_form(request, form, plan=plan, status=422)
    data = form.cleaned_data
    try:
        if plan is None:
            plan = staffing_plan_create(forecast=data["forecast"], name=data["name"], targets=form.targets(), actor=request.user)  # type: ignore[arg-type]
            messages.success(request, f"Staffing plan “{plan.name}” created.")
        else:
            staffing_plan_update(plan=plan, forecast=data["forecast"], name=data["name"], targets=form.targets(), actor=request.user)  # type: ignore[arg-type]
            messages.success(request, "Staffing plan saved.")
    except ValidationError as exc:
        form.add_service_errors(exc.message_dict)
        return _render_form(request, form, plan=plan if plan and plan.pk else None, status=422)
    return redirect("workforce:staffing_detail", plan_id=plan.pk)


@require_http_methods(["GET", "POST"])
@planner_required
def staffing_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _save(request, StaffingPlanForm(request.POST), None)
    initial: dict[str, Any] = {}
    notice = ""
    raw = request.GET.get("forecast")
    if raw:
        forecast_id = _id(raw)
        forecast = ForecastRun.objects.filter(pk=forecast_id).select_related("team").first() if forecast_id else None
        if forecast is None:
            raise Http404("No such forecast.")
        if forecast.status == RunStatus.DONE:
            targets = suggested_targets(forecast.channel)
            initial = StaffingPlanForm.initial_for(StaffingPlan(forecast=forecast, name=f"{forecast.name} plan", **asdict(targets)))
        else:
            notice = (f"“{forecast.name}” is {forecast.get_status_display().lower()}: a plan needs a finished forecast. "
                      "Choose another, or come back when it is done.")
    return _render_form(request, StaffingPlanForm(initial=initial or None), plan=None, notice=notice)


@require_http_methods(["GET", "POST"])
@planner_required
def staffing_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_change_or_404(plan_id, request)
    if request.method == "POST":
        return _save(request, StaffingPlanForm(request.POST), plan)
    return _render_form(request, StaffingPlanForm(initial=StaffingPlanForm.initial_for(plan)), plan=plan)


@require_http_methods(["GET", "POST"])
@planner_required
def staffing_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_for_change_or_404(plan_id, request)
    if request.method == "POST":
        name = plan.name
        staffing_plan_delete(plan=plan, actor=request.user)  # type: ignore[arg-type]
        messages.success(request, f"Staffing plan “{name}” deleted.")
        return redirect("workforce:staffing_list")
    context = {"nav": "workforce", "wf": "staffing", "plan": plan, "schedule_count": plan.schedules.count()}
    return render(request, "workforce/staffing_delete.html", context)


# --- the plan page -----------------------------------------------------------------------------


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_GET
@planner_required
def staffing_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = _plan_or_404(plan_id)
    context: dict[str, Any] = {"nav": "workforce", "wf": "staffing", "plan": plan,
                               "can_change": plan_can_change(plan=plan, user=request.user)}  # type: ignore[arg-type]
    try:
        figures = plan_figures_as_scheduled(plan=plan)
    except ValueError as exc:
        context["error"] = str(exc)
        return render(request, "workforce/staffing_detail.html", context)
    day = figures.day(_parse_day(request.GET.get("day")))
    context.update({
        "figures": figures, "day": day,
        "table": table_rows(day.rows) if day else [],
        "chart": day_chart(day.rows) if day else None,
        "has_schedule": bool(figures.summary.scheduled_hours),
        "fallback_used": any(r.open and not r.staffing.aht_measured for r in (day.rows if day else [])),
        "patience": plan.patience_s is not None,
    })
    if request.htmx and request.htmx.target == "plan-day":
        return render(request, "workforce/partials/staffing_day.html", context)
    return render(request, "workforce/staffing_detail.html", context)


# --- what-if -----------------------------------------------------------------------------------


def _whatif_query(data: Any) -> str:
    keys = [name for name in WhatIfForm.base_fields if data.get(name) not in (None, "")]
    return urlencode([(k, data.get(k)) for k in keys])


def _whatif_context(request: HttpRequest, form: WhatIfForm, result: WhatIfResult | None) -> dict[str, Any]:
    can_budget = request.user.sees_everything  # type: ignore[union-attr]
    save_form = None
    if result is not None and can_budget:
        save_form = SaveScenarioForm(initial={"scenario_name": _scenario_name(result)})
    return {"nav": "workforce", "wf": "whatif", "form": form, "result": result, "can_budget": can_budget,
            "save_form": save_form, "query": _whatif_query(form.data) if form.is_bound else "",
            "has_plans": StaffingPlan.objects.exists()}


def _scenario_name(result: WhatIfResult) -> str:
    c = result.changes
    parts = []
    if c.volume_change_pct:
        parts.append(f"volume {c.volume_change_pct:+g} %")
    if c.aht_change_pct:
        parts.append(f"AHT {c.aht_change_pct:+g} %")
    if c.target_sl is not None or c.threshold_s is not None:
        parts.append("targets changed")
    if c.shrinkage is not None:
        parts.append(f"shrinkage {c.shrinkage * 100:g} %")
    if c.hourly_cost is not None:
        parts.append(f"cost {c.hourly_cost}/h")
    return f"{result.plan.name}: " + (", ".join(parts) if parts else "as planned")


def _whatif_render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    template = "workforce/partials/whatif_result.html" if request.htmx else "workforce/whatif.html"
    response = render(request, template, context, status=status)
    if request.htmx and status == 200 and context["query"]:
        response["HX-Push-Url"] = f"{reverse('workforce:whatif')}?{context['query']}"
    return response


@require_http_methods(["GET", "POST"])
@planner_required
def whatif(request: HttpRequest) -> HttpResponse:
    """GET with a query string (no JavaScript, shareable) or an htmx POST; the same computation."""
    data = request.POST if request.method == "POST" else request.GET
    form = WhatIfForm(data if data.get("plan") is not None or request.method == "POST" else None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = whatif_compare(plan=form.cleaned_data["plan"], changes=form.changes())
        except ValueError as exc:
            form.add_error(None, f"The engine cannot staff this scenario: {exc}.")
    status = 422 if form.is_bound and form.errors else 200
    return _whatif_render(request, _whatif_context(request, form, result), status)


@require_POST
@budget_required
def whatif_save(request: HttpRequest) -> HttpResponse:
    """Save the scenario as a budget scenario (managers and admins: the budget is theirs)."""
    form = WhatIfForm(request.POST)
    save_form = SaveScenarioForm(request.POST)
    result = None
    if form.is_valid():
        try:
            result = whatif_compare(plan=form.cleaned_data["plan"], changes=form.changes())
        except ValueError as exc:
            form.add_error(None, f"The engine cannot staff this scenario: {exc}.")
    context = _whatif_context(request, form, result)
    if result is None or not save_form.is_valid():
        context["save_form"] = save_form
        return _whatif_render(request, context, 422)
    try:
        scenario = scenario_from_whatif_result(result=result, base=save_form.cleaned_data["budget"],
                                               name=save_form.cleaned_data["scenario_name"], actor=request.user)  # type: ignore[arg-type]
    except (ValidationError, ValueError) as exc:
        for message in (exc.messages if isinstance(exc, ValidationError) else [str(exc)]):
            save_form.add_error(None, message)
        context["save_form"] = save_form
        return _whatif_render(request, context, 422)
    text = f"Saved budget scenario “{scenario.name}” of “{save_form.cleaned_data['budget'].name}”."
    if request.htmx:
        context["saved"] = scenario
        return _whatif_render(request, context)
    messages.success(request, text)
    return redirect(f"{reverse('workforce:whatif')}?{context['query']}")

