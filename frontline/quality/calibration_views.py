"""Calibration pages: sessions (list and new), a session (blind scoring, progress, reveal; then the
scores side by side, reliability per criterion and overall, deviations, notes)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from frontline.core import charts
from frontline.desk.models import Ticket
from frontline.people.models import User

from . import calibration, selectors
from .models import Calibration, Criterion
from .views import _int, _reviewer


def trend_chart(points: list[calibration.TrendPoint]) -> str:
    data = [{"session": p.session.title, "at": p.session.revealed_at.isoformat() if p.session.revealed_at else None,
             "alpha": round(p.overall, 3)} for p in points if p.overall is not None]
    if len(data) < 2:
        return ""
    spec = charts.spec(
        data=data, title="Agreement of review totals per calibration session (Krippendorff's alpha)", height=160,
        description="Krippendorff's alpha (interval) of the review totals in each revealed calibration session; "
                    "0.8 acceptable, below 0.667 too low",
        layer=[
            {"mark": {"type": "line", "point": True},
             "encoding": {"x": {"field": "at", "type": "temporal", "title": "Revealed"},
                          "y": {"field": "alpha", "type": "quantitative", "title": "alpha",
                                "scale": {"domain": [-0.2, 1]}},
                          "tooltip": [{"field": "session"}, {"field": "alpha"}]}},
            {"mark": {"type": "rule", "strokeDash": [4, 4], "color": "#b42318"},
             "encoding": {"y": {"datum": calibration.TENTATIVE}}},
            {"mark": {"type": "rule", "strokeDash": [2, 2], "color": "#1f7a4d"},
             "encoding": {"y": {"datum": calibration.ACCEPTABLE}}},
        ])
    return charts.svg(spec)


def criteria_chart(points: list[calibration.TrendPoint]) -> str:
    """Alpha of each criterion per revealed session (one line per criterion key)."""
    labels = dict(Criterion.objects.filter(key__in={k for p in points for k in p.by_key})
                  .order_by("version__number").values_list("key", "label"))
    data = [{"at": p.session.revealed_at.isoformat() if p.session.revealed_at else None,
             "criterion": labels.get(key, key), "alpha": round(value, 3), "session": p.session.title}
            for p in points for key, value in sorted(p.by_key.items()) if value is not None]
    if len({d["at"] for d in data}) < 2:
        return ""
    spec = charts.spec(
        data=data, title="Agreement per criterion per session (Krippendorff's alpha)", height=200,
        description="Krippendorff's alpha of each rubric criterion in each revealed calibration session; "
                    "below 0.667 the criterion needs rewriting",
        layer=[
            {"mark": {"type": "line", "point": True},
             "encoding": {"x": {"field": "at", "type": "temporal", "title": "Revealed"},
                          "y": {"field": "alpha", "type": "quantitative", "title": "alpha",
                                "scale": {"domain": [-0.5, 1]}},
                          "color": {"field": "criterion", "type": "nominal", "title": "Criterion"},
                          "tooltip": [{"field": "session"}, {"field": "criterion"}, {"field": "alpha"}]}},
            {"mark": {"type": "rule", "strokeDash": [4, 4], "color": "#b42318"},
             "encoding": {"y": {"datum": calibration.TENTATIVE}}},
        ])
    return charts.svg(spec)


def _ticket_ids(text: str) -> list[int]:
    out = []
    for part in text.replace(",", " ").split():
        number = _int(part.lstrip("#"))
        if number is not None:
            out.append(number)
    return out


@require_http_methods(["GET", "POST"])
@login_required
def calibration_list(request: HttpRequest) -> HttpResponse:
    viewer = _reviewer(request)
    errors: dict[str, list[str]] = {}
    versions = selectors.rubrics_active()
    candidates = list(User.objects.filter(role__in=selectors.REVIEWERS, is_active=True)
                      .order_by("first_name", "last_name"))
    if request.method == "POST":
        ids = _ticket_ids(request.POST.get("tickets", ""))
        version = next((v for v in versions if v.pk == _int(request.POST.get("version"))), None)
        chosen = {_int(v) for v in request.POST.getlist("reviewers")}
        reviewers = [u for u in candidates if u.pk in chosen]
        expert = next((u for u in candidates if u.pk == _int(request.POST.get("expert"))), None)
        if version is None:
            errors["version"] = ["Pick a rubric."]
        else:
            try:
                session = calibration.calibration_create(
                    title=request.POST.get("title", ""), version=version, tickets=Ticket.objects.filter(pk__in=ids),
                    reviewers=reviewers, expert=expert, actor=viewer)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                if len(set(ids)) != session.tickets.count():
                    messages.warning(request, "Some ticket numbers did not exist and were left out.")
                return redirect("quality:calibration_detail", session.pk)
    points = calibration.reliability_over_time(viewer=viewer)
    context = {"nav": "quality", "sessions": calibration.calibrations_for_viewer(viewer=viewer)[:50],
               "versions": versions, "candidates": candidates, "errors": errors, "posted": request.POST,
               "chart": trend_chart(points), "criteria_chart": criteria_chart(points), "points": points}
    return render(request, "quality/calibration_list.html", context, status=422 if errors else 200)


@require_http_methods(["GET"])
@login_required
def calibration_detail(request: HttpRequest, calibration_id: int) -> HttpResponse:
    viewer = _reviewer(request)
    session = calibration.calibration_get_for_viewer(calibration_id=calibration_id, viewer=viewer)
    revealed = session.state == Calibration.State.REVEALED
    context = {
        "nav": "quality", "session": session, "revealed": revealed,
        "progress": calibration.progress(session=session),
        "tickets": list(session.tickets.select_related("assignee").order_by("pk")),
        "mine": calibration.own_reviews(session=session, reviewer=viewer),
        "participant": session.reviewers.filter(pk=viewer.pk).exists(),
        "may_reveal": not revealed and (session.created_by_id == viewer.pk or viewer.sees_everything),
        "criteria": Criterion.objects.filter(version=session.version).order_by("section__position", "position"),
    }
    if revealed:
        context.update(side=calibration.side_by_side(session=session),
                       reliability=calibration.reliability(session=session),
                       notes=session.notes.select_related("author"))
    return render(request, "quality/calibration_detail.html", context)


@require_POST
@login_required
def calibration_score(request: HttpRequest, calibration_id: int, ticket_id: int) -> HttpResponse:
    viewer = _reviewer(request)
    session = calibration.calibration_get_for_viewer(calibration_id=calibration_id, viewer=viewer)
    ticket = session.tickets.filter(pk=ticket_id).first()
    if ticket is None:
        return redirect("quality:calibration_detail", session.pk)
    try:
        review = calibration.calibration_review_start(session=session, ticket=ticket, reviewer=viewer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("quality:calibration_detail", session.pk)
    return redirect("quality:review_detail", review.pk)


@require_POST
@login_required
def calibration_reveal(request: HttpRequest, calibration_id: int) -> HttpResponse:
    viewer = _reviewer(request)
    session = calibration.calibration_get_for_viewer(calibration_id=calibration_id, viewer=viewer)
    calibration.calibration_reveal(session=session, actor=viewer)
    messages.success(request, "Revealed: everyone's scores are side by side below.")
    return redirect("quality:calibration_detail", session.pk)


@require_POST
@login_required
def calibration_note(request: HttpRequest, calibration_id: int) -> HttpResponse:
    viewer = _reviewer(request)
    session = calibration.calibration_get_for_viewer(calibration_id=calibration_id, viewer=viewer)
    try:
        calibration.calibration_note_add(session=session, author=viewer, text=request.POST.get("text", ""),
                                         criterion_key=request.POST.get("criterion_key", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(reverse("quality:calibration_detail", args=[session.pk]) + "#notes")
