"""Workforce pages: the overview and the Erlang calculator (which answers from the engine; nothing is stored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
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
from frontline.schedules.home_selectors import workforce_home

from ..forms import ErlangForm


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
    """Where a planner starts the day: gaps to tomorrow's close, then each section's latest state."""
    home = workforce_home(viewer=request.user)  # type: ignore[arg-type]
    return render(request, "workforce/home.html", {"nav": "workforce", "wf": "home", "home": home})
