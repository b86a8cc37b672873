"""Problems (managers and admins): list, create (also from a topic), change, link tickets, and
the product team's report (HTML and CSV)."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.desk.links import ticket_list_url

from .. import impact as impact_reads
from .. import report as report_reads
from .. import selectors
from ..forms import LinkForm, ProblemForm
from ..models import FeedbackItem, Problem
from ..services import problems as problem_services
from .common import int_or_none, manager


@require_GET
@login_required
def problem_list(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    problems = list(selectors.problems_for_viewer(viewer=viewer))
    rows = [(p, impact_reads.problem_impact(problem=p)) for p in problems]
    return render(request, "insights/problem_list.html", {"nav": "insights", "rows": rows})


def _fields(form: ProblemForm) -> problem_services.ProblemFields:
    data = form.cleaned_data
    return problem_services.ProblemFields(title=data["title"], description=data["description"],
                                          department=data["department"], external_url=data["external_url"],
                                          status=data["status"], fix_shipped_on=data["fix_shipped_on"])


def _apply_errors(form: ProblemForm, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        for message in messages_:
            form.add_error(field if field in form.fields else None, message)


@require_http_methods(["GET", "POST"])
@login_required
def problem_new(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    topic_id = int_or_none(request.GET.get("topic") or request.POST.get("topic"))
    topic = selectors.topic_get(topic_id=topic_id, viewer=viewer) if topic_id else None
    form = ProblemForm(request.POST or None, initial={"title": topic.label if topic else ""})
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_services.problem_create(fields=_fields(form), actor=viewer, topic=topic)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Problem recorded. Link the tickets it caused.")
            return redirect("insights:problem_detail", problem_id=problem.pk)
    return render(request, "insights/problem_form.html", {"nav": "insights", "form": form, "topic": topic,
                                                          "problem": None},
                  status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@login_required
def problem_edit(request: HttpRequest, problem_id: int) -> HttpResponse:
    viewer = manager(request)
    problem = selectors.problem_get(problem_id=problem_id, viewer=viewer)
    initial = {f: getattr(problem, f) for f in ("title", "description", "department", "external_url", "status",
                                                "fix_shipped_on")}
    form = ProblemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            problem_services.problem_update(problem=problem, fields=_fields(form))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Problem saved.")
            return redirect("insights:problem_detail", problem_id=problem.pk)
    return render(request, "insights/problem_form.html", {"nav": "insights", "form": form, "problem": problem,
                                                          "topic": problem.topic},
                  status=422 if form.errors else 200)


def _detail_context(problem: Problem, link_form: LinkForm) -> dict[str, object]:
    impact = impact_reads.problem_impact(problem=problem)
    linked = set(impact.ticket_ids)
    suggestions = sorted({t for t in problem.feedback.exclude(ticket__isnull=True).values_list("ticket_id", flat=True)
                          if t not in linked})[:50]
    verbatims = list(problem.feedback.order_by("-created_at", "-id")[:6])
    return {"nav": "insights", "problem": problem, "impact": impact, "link_form": link_form,
            "suggestions": suggestions, "verbatims": verbatims, "tickets_url": ticket_list_url(impact.ticket_ids),
            "others_url": ticket_list_url(impact.csat_others_ids[:500]),
            "cancel_url": ticket_list_url(impact.cancellation_tickets),
            "feedback_url": f"{reverse('insights:inbox')}?problem={problem.pk}",
            "handle_hours": impact.handle_seconds / 3600}


@require_GET
@login_required
def problem_detail(request: HttpRequest, problem_id: int) -> HttpResponse:
    viewer = manager(request)
    problem = selectors.problem_get(problem_id=problem_id, viewer=viewer)
    return render(request, "insights/problem_detail.html", _detail_context(problem, LinkForm()))


@require_POST
@login_required
def problem_link(request: HttpRequest, problem_id: int) -> HttpResponse:
    viewer = manager(request)
    problem = selectors.problem_get(problem_id=problem_id, viewer=viewer)
    form = LinkForm(request.POST)
    try:
        numbers = problem_services.parse_ticket_numbers(request.POST.get("tickets", ""))
        numbers += [n for n in (int_or_none(v) for v in request.POST.getlist("suggested")) if n]
        linked = problem_services.problem_link_tickets(problem=problem, ticket_ids=numbers, actor=viewer)
    except ValidationError as error:
        form.is_valid()
        for message in error.message_dict.get("tickets", []):
            form.add_error("tickets", message)
        return render(request, "insights/problem_detail.html", _detail_context(problem, form), status=422)
    messages.success(request, f"{len(linked)} ticket{'s' if len(linked) != 1 else ''} linked; each ticket's history "
                              "shows it.")
    return redirect("insights:problem_detail", problem_id=problem.pk)


@require_GET
@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Top complaint drivers for the product team: ``?days=`` (30, 90, 180, 365), ``?format=csv``."""
    manager(request)
    days = int_or_none(request.GET.get("days")) or 90
    days = days if days in report_reads.PERIODS else 90
    drivers = report_reads.complaint_drivers(days=days)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="complaint-drivers-{days}d.csv"'
        writer = csv.writer(response)
        writer.writerow(report_reads.CSV_HEADER)
        for row in report_reads.csv_rows(drivers):
            writer.writerow(row)
        return response
    return render(request, "insights/report.html", {"nav": "insights", "drivers": drivers, "days": days,
                                                    "periods": report_reads.PERIODS,
                                                    "feedback_model": FeedbackItem})
