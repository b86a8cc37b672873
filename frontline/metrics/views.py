"""Metrics pages: the dashboard (manager, team lead, agent), its CSV files, and targets."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from frontline.core import charts
from frontline.people.models import STAFF_ROLES, Role, User

from . import analysis, customer_kpis, dashboard, samples, services, target_selectors
from .forms import SliceForm, TargetForm
from .selectors import facts_in, scope_for_viewer

CSV_TABLES = ("cards", "breakdown", "daily", "heatmap", "targets")


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in STAFF_ROLES:
        raise PermissionDenied("Metrics are for support staff.")
    return user


def slice_from(request: HttpRequest, viewer: User) -> tuple[SliceForm, Any, Any]:
    """The form, and (scope, period) when it is valid, else (None, None)."""
    zone = timezone.get_current_timezone()
    form = SliceForm(request.GET or None, viewer=viewer, today=timezone.localdate(), zone=zone)
    if request.GET and not form.is_valid():
        return form, None, None
    if not request.GET:
        form = SliceForm({"period": "week"}, viewer=viewer, today=timezone.localdate(), zone=zone)
        form.is_valid()
    d = form.cleaned_data
    scope = scope_for_viewer(viewer=viewer, team_id=d.get("team"), agent_id=d.get("agent"), channel=d.get("channel") or "",
                             queue_id=d.get("queue"), priority=d.get("priority") or "", tier=d.get("tier") or "",
                             tag=d.get("tag") or "")
    return form, scope, form.slice_period


@require_GET
@login_required
def metrics_dashboard(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    form, scope, period = slice_from(request, viewer)
    context: dict[str, Any] = {"nav": "metrics", "form": form, "viewer_role": viewer.role}
    if scope is None:
        return render(request, "metrics/dashboard.html", context, status=422)
    now = timezone.now()
    data = dashboard.dashboard_data(viewer=viewer, scope=scope, period=period, now=now)
    customer_kpis.add_to_dashboard(data, viewer=viewer, scope=scope, period=period, now=now)
    goals = target_selectors.targets_for_dashboard(viewer=viewer, scope=scope, period=period, now=now)
    table = request.GET.get("table", "")
    if request.GET.get("format") == "csv":
        return _csv(table if table in CSV_TABLES else "cards", data, goals, period)
    context.update(data)
    context.update({
        "period": period, "scope": scope, "goals": goals,
        "scope_label": _scope_label(viewer, scope, form),
        "explain": analysis.explain_change(scope=scope, period=period, kpi=form.cleaned_data["kpi"],
                                          by=form.cleaned_data["by"]),
        "outliers": (analysis.outliers_for(scope=scope, period=period)
                     if data["table_kind"] == "agent" and data["table"] else None),
        "query": request.GET.urlencode(),
        "trend_chart": charts.svg(dashboard.trend_chart_spec(data["daily"])) if data["kpis"].report.tickets else "",
        "heatmap_chart": charts.svg(dashboard.heatmap_spec(data["heatmap"])) if data["kpis"].report.tickets else "",
        "team_chart": (charts.svg(dashboard.team_chart_spec(data["table"], kind=data["table_kind"]))
                       if len(data["table"]) > 1 else ""),
        "my_team": _my_team(viewer, form, period),
    })
    template = "metrics/partials/body.html" if request.htmx else "metrics/dashboard.html"
    return render(request, template, context)


def _my_team(viewer: User, form: SliceForm, period: Any) -> dict | None:
    """An agent's own view also shows their teams' aggregate."""
    if viewer.role != Role.AGENT or form.cleaned_data.get("team"):
        return None
    scope = scope_for_viewer(viewer=viewer)
    team_scope = dashboard.scope_with(scope, agent_id=None, team_ids=frozenset(viewer.teams.values_list("pk", flat=True)))
    sample = samples.slice_samples(scope=team_scope, start=period.start, end=period.end)[None]
    return {"values": dashboard.card_values(samples.kpis_of_sample(sample)),
            "link": dashboard.tickets_link_of(facts_in(scope=team_scope, period=period), count=sample.tickets, q=Q(),
                                              scope=team_scope, period=period)}


def _scope_label(viewer: User, scope: Any, form: SliceForm) -> str:
    d = form.cleaned_data
    if d.get("agent"):
        return dict(form.fields["agent"].choices).get(d["agent"], "Agent")
    if d.get("team"):
        return dict(form.fields["team"].choices).get(d["team"], "Team")
    if viewer.role == Role.AGENT:
        return "My numbers"
    return "All teams" if scope.team_ids is None else "My teams"


def _csv(table: str, data: dict, goals: list, period: Any) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="metrics-{table}-{period.first}-{period.last}.csv"'
    writer = csv.writer(response)
    for row in dashboard.csv_rows(table, data, goals):
        writer.writerow(row)
    return response


@require_http_methods(["GET", "POST"])
@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    form = TargetForm(request.POST or None, viewer=viewer)
    status = 200
    if request.method == "POST":
        if viewer.role == Role.AGENT:
            raise PermissionDenied("Team leads and managers set targets.")
        if form.is_valid():
            try:
                services.target_set(actor=viewer, **form.cleaned_data)
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, messages)
            else:
                return redirect("metrics:targets")
        status = 422
    return render(request, "metrics/targets.html", {
        "nav": "metrics", "form": form, "can_set": viewer.role != Role.AGENT,
        "current": target_selectors.targets_visible(viewer=viewer, current=True),
        "history": target_selectors.targets_visible(viewer=viewer, current=False)[:200],
    }, status=status)
