"""Budget pages (managers and admins only). Each view parses, checks access, calls one service or
selector, and renders the full page or, for htmx, the part it changed."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.desk.forms import add_service_errors
from frontline.workforce.permissions import budget_required

from . import selectors, services
from .forms import ActualForm, LineForm, PlanForm, ScenarioForm
from .models import BudgetActual, BudgetLine, BudgetPlan

PAGE_SIZE = 25


def _base(extra: dict[str, Any]) -> dict[str, Any]:
    return {"nav": "workforce", "wf": "budget", **extra}


@require_GET
@budget_required
def plan_list(request: HttpRequest) -> HttpResponse:
    sort = request.GET.get("sort", "-period")
    if sort.lstrip("-") not in selectors.PLAN_SORTS:
        sort = "-period"
    page = Paginator(selectors.plan_list(sort=sort), PAGE_SIZE).get_page(request.GET.get("page"))
    plans = list(page.object_list)
    contacts = selectors.contacts_for_plans(plans)
    rows = [{"plan": p, "variance": p.actual_total - p.planned_total,
             "variance_pct": selectors.variance_pct(p.actual_total, p.planned_total), "contacts": contacts[p.pk],
             "cost_per_contact": selectors.cost_per_contact(p.actual_total, contacts[p.pk])} for p in plans]
    return render(request, "budget/plan_list.html", _base({
        "page": page, "rows": rows, "scenarios": selectors.scenarios_of(plans), "sort": sort,
    }))


@require_http_methods(["GET", "POST"])
@budget_required
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                plan = services.plan_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc.message_dict)
            else:
                messages.success(request, f"Plan “{plan.name}” created. Add its lines below.")
                return redirect("budget:plan_detail", plan_id=plan.pk)
        return render(request, "budget/plan_form.html", _base({"form": form, "plan": None}), status=422)
    return render(request, "budget/plan_form.html", _base({"form": form, "plan": None}))


@require_http_methods(["GET", "POST"])
@budget_required
def plan_edit(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    form = PlanForm.for_plan(plan, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = {"team": None, "period_start": None, "period_end": None, "currency": "", "notes": "", **form.cleaned_data}
            try:
                services.plan_update(plan=plan, actor=request.user, **data)
            except ValidationError as exc:
                add_service_errors(form, exc.message_dict)
            else:
                messages.success(request, "Plan saved.")
                return redirect("budget:plan_detail", plan_id=plan.pk)
        return render(request, "budget/plan_form.html", _base({"form": form, "plan": plan}), status=422)
    return render(request, "budget/plan_form.html", _base({"form": form, "plan": plan}))


@require_POST
@budget_required
def plan_delete(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    base_id, name = plan.base_id, plan.name
    services.plan_delete(plan=plan, actor=request.user)
    messages.success(request, f"“{name}” deleted.")
    if base_id is not None:
        return redirect("budget:plan_detail", plan_id=base_id)
    return redirect("budget:plan_list")


def _detail_context(request: HttpRequest, plan: BudgetPlan, **forms: Any) -> dict[str, Any]:
    summary = selectors.plan_summary(plan=plan)
    return _base({
        "plan": plan,
        "summary": summary,
        "rollup": selectors.plan_rollup(plan=plan, today=summary.today),
        "coverage": selectors.schedule_coverage(plan),
        "base_planned": (sum((ln.planned_amount for ln in plan.base.lines.all()), selectors.ZERO)
                         if plan.base is not None else None),
        "scenarios": [] if plan.is_scenario else [
            (s, selectors.describe_assumptions(s.assumptions or {}, plan.currency))
            for s in selectors.scenarios_of([plan]).get(plan.pk, [])],
        "line_form": forms.get("line_form") or LineForm(),
        "actual_form": forms.get("actual_form") or ActualForm(plan=plan, initial={"incurred_on": min(summary.today, plan.period_end)}),
        "scenario_form": forms.get("scenario_form") or ScenarioForm(),
    })


def _render_detail(request: HttpRequest, plan: BudgetPlan, *, status: int = 200, **forms: Any) -> HttpResponse:
    template = "budget/partials/plan_body.html" if request.htmx else "budget/plan_detail.html"
    return render(request, template, _detail_context(request, plan, **forms), status=status)


def _done(request: HttpRequest, plan: BudgetPlan, text: str) -> HttpResponse:
    messages.success(request, text)
    if request.htmx:
        return _render_detail(request, plan)
    return redirect("budget:plan_detail", plan_id=plan.pk)


@require_GET
@budget_required
def plan_detail(request: HttpRequest, plan_id: int) -> HttpResponse:
    return _render_detail(request, selectors.plan_get(plan_id=plan_id))


def _line(plan: BudgetPlan, line_id: int) -> BudgetLine:
    line = plan.lines.filter(pk=line_id).first()
    if line is None:
        raise Http404("No such line in this plan.")
    return line


@require_POST
@budget_required
def line_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    form = LineForm(request.POST)
    if form.is_valid():
        try:
            line = services.line_add(plan=plan, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc.message_dict)
        else:
            return _done(request, plan, f"Line “{line.description}” added.")
    return _render_detail(request, plan, status=422, line_form=form)


@require_http_methods(["GET", "POST"])
@budget_required
def line_edit(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    line = _line(plan, line_id)
    initial = {"category": line.category, "description": line.description, "planned_amount": line.planned_amount}
    form = LineForm(request.POST or None, initial=initial)
    context = _base({"plan": plan, "line": line, "form": form})
    if request.method == "POST":
        if form.is_valid():
            try:
                services.line_update(line=line, actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc.message_dict)
            else:
                messages.success(request, f"Line “{line.description}” saved.")
                return redirect("budget:plan_detail", plan_id=plan.pk)
        return render(request, "budget/line_form.html", context, status=422)
    return render(request, "budget/line_form.html", context)


def _refused(request: HttpRequest, plan: BudgetPlan, exc: ValidationError) -> HttpResponse:
    """An action on the plan page the rules refused: its reasons as a message, the page again (422 under htmx)."""
    messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    if request.htmx:
        return _render_detail(request, plan, status=422)
    return redirect("budget:plan_detail", plan_id=plan.pk)


@require_POST
@budget_required
def line_delete(request: HttpRequest, plan_id: int, line_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    line = _line(plan, line_id)
    try:
        services.line_delete(line=line, actor=request.user)
    except ValidationError as exc:
        return _refused(request, plan, exc)
    return _done(request, plan, f"Line “{line.description}” deleted.")


@require_POST
@budget_required
def actual_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    form = ActualForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.actual_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc.message_dict)
        else:
            return _done(request, plan, f"Actual recorded on “{form.cleaned_data['line'].description}”.")
    return _render_detail(request, plan, status=422, actual_form=form)


@require_POST
@budget_required
def actual_delete(request: HttpRequest, plan_id: int, actual_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    actual = BudgetActual.objects.select_related("line__plan").filter(pk=actual_id, line__plan=plan).first()
    if actual is None:
        raise Http404("No such actual in this plan.")
    services.actual_delete(actual=actual, actor=request.user)
    return _done(request, plan, "Actual deleted.")


@require_POST
@budget_required
def fill_headcount(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    try:
        amount = services.plan_fill_headcount_from_schedules(plan=plan, actor=request.user)
    except ValidationError as exc:
        return _refused(request, plan, exc)
    return _done(request, plan, f"Headcount set to {plan.currency} {amount:,.2f} from published schedules.")


@require_POST
@budget_required
def scenario_add(request: HttpRequest, plan_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    form = ScenarioForm(request.POST)
    if form.is_valid():
        try:
            scenario = services.scenario_create(base=plan, name=form.cleaned_data["name"], actor=request.user)
        except ValidationError as exc:
            add_service_errors(form, {"name" if k == "base" else k: v for k, v in exc.message_dict.items()})
        else:
            messages.success(request, f"Scenario “{scenario.name}” created: change its lines, then compare it with the plan.")
            return redirect("budget:plan_detail", plan_id=scenario.pk)
    return _render_detail(request, plan, status=422, scenario_form=form)


@require_GET
@budget_required
def compare(request: HttpRequest, plan_id: int, scenario_id: int) -> HttpResponse:
    plan = selectors.plan_get(plan_id=plan_id)
    scenario = selectors.scenario_get(base=plan, scenario_id=scenario_id)
    rows = selectors.plan_compare(base=plan, scenario=scenario)
    base_total = sum((r.base or 0 for r in rows), selectors.ZERO)
    scenario_total = sum((r.scenario or 0 for r in rows), selectors.ZERO)
    return render(request, "budget/compare.html", _base({
        "plan": plan, "scenario": scenario, "rows": rows,
        "base_total": base_total, "scenario_total": scenario_total, "difference": scenario_total - base_total,
        "difference_pct": selectors.variance_pct(scenario_total, base_total),
        "assumptions": selectors.describe_assumptions(scenario.assumptions or {}, plan.currency),
    }))
