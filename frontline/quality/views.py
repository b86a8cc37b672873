"""Quality pages: the QA home (leads and managers), reviews (lists; the agent's "my reviews"), the
review workspace (conversation beside the rubric), and the agent's acknowledge / dispute and the
lead's resolution. Views parse, check access through the selectors, call one service, render."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import charts
from frontline.desk.selectors import ticket_get_for_viewer, ticket_messages_for_viewer
from frontline.people.models import STAFF_ROLES, User

from . import sampling, selectors, services
from .forms import DisputeForm, ResolveForm, scores_from_post
from .models import AgentResponse, Calibration, Criterion, Dispute, Pool, Review, Rubric

PERIODS = (7, 30, 90, 365)
GROUPS = {"agent": "Agent", "team": "Team", "rubric": "Rubric"}


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in STAFF_ROLES:
        raise PermissionDenied("Quality pages are for staff.")
    return user


def _reviewer(request: HttpRequest) -> User:
    user = _staff(request)
    if user.role not in selectors.REVIEWERS:
        raise PermissionDenied("The QA home is for team leads and managers; your reviews are under My reviews.")
    return user


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


def _weekly_chart(rows: list[selectors.ScoreRow]) -> str:
    data = [{"week": r.key, "mean": round(r.mean, 1) if r.mean is not None else None, "reviews": r.reviews}
            for r in rows]
    if len(data) < 2:
        return ""
    spec = charts.spec(
        data=data, title="Mean review score per week (%)", height=160,
        description="Mean total of the reviews submitted each week, in percent of attainable points",
        mark={"type": "line", "point": True},
        encoding={"x": {"field": "week", "type": "temporal", "title": "Week", "timeUnit": "yearmonthdate"},
                  "y": {"field": "mean", "type": "quantitative", "title": "Mean score (%)", "scale": {"domain": [0, 100]}},
                  "tooltip": [{"field": "week", "type": "temporal"}, {"field": "mean", "title": "mean %"},
                              {"field": "reviews", "title": "reviews"}]})
    return charts.svg(spec)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    if viewer.role not in selectors.REVIEWERS:
        return redirect("quality:mine")
    days = _int(request.GET.get("days")) or 30
    days = days if days in PERIODS else 30
    group = request.GET.get("group", "agent")
    group = group if group in GROUPS else "agent"
    until = timezone.now()
    since = until - timedelta(days=days)
    rows = selectors.score_summary(viewer=viewer, since=since, until=until, group=group)
    weekly = selectors.score_summary(viewer=viewer, since=since, until=until, group="week")
    context = {
        "nav": "quality", "days": days, "periods": PERIODS, "group": group, "groups": GROUPS.items(),
        "rows": rows, "chart": _weekly_chart(weekly), "since": since,
        "disputes": list(selectors.disputes_to_resolve(viewer=viewer)[:20]),
        "drafts": list(selectors.drafts_for_reviewer(reviewer=viewer)[:20]),
        "extras": _home_extras(viewer, request),
    }
    return render(request, "quality/home.html", context)


def _week_of(request: HttpRequest) -> date:
    try:
        return sampling.week_start(date.fromisoformat(request.GET.get("week", "")))
    except ValueError:
        return sampling.week_start(timezone.localdate())


def _home_extras(viewer: User, request: HttpRequest) -> dict:  # type: ignore[type-arg]
    """The sampling and coverage sections of the QA home."""
    week = _week_of(request)
    rows = sampling.coverage(viewer=viewer, week=week)
    return {
        "week": week, "prev_week": week - timedelta(days=7), "next_week": week + timedelta(days=7),
        "assignments": sampling.assignments_for_reviewer(reviewer=viewer, week=week),
        "coverage": [(c, ",".join(map(str, c.solved_reviewed_ids))) for c in rows],
        "pools": Pool.choices,
        "calibrations": _recent_calibrations(viewer),
        "agreement": _agreement(viewer),
    }


def _agreement(viewer: User) -> list:  # type: ignore[type-arg]
    from .autoqa import agreement

    return agreement(viewer=viewer)


def _recent_calibrations(viewer: User) -> list[Calibration]:
    from .calibration import calibrations_for_viewer

    return list(calibrations_for_viewer(viewer=viewer)[:5])


@require_POST
@login_required
def sampling_run(request: HttpRequest) -> HttpResponse:
    """Make (top up) the week's assignments for the agents the viewer may review."""
    viewer = _reviewer(request)
    week = _week_of_post(request)
    try:
        made = sampling.assignments_generate(week=week, per_agent=_int(request.POST.get("per_agent")) or 0,
                                             seed=_int(request.POST.get("seed")) or 0, actor=viewer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{len(made)} new assignment{'s' if len(made) != 1 else ''} for the week of {week:%d %b %Y}.")
    return redirect(f"{reverse('quality:home')}?week={week.isoformat()}#sampling")


def _week_of_post(request: HttpRequest) -> date:
    try:
        return sampling.week_start(date.fromisoformat(request.POST.get("week", "")))
    except ValueError:
        return sampling.week_start(timezone.localdate())


@require_GET
@login_required
def review_go(request: HttpRequest) -> HttpResponse:
    """The workspace of the ticket number typed on the QA home."""
    _reviewer(request)
    ticket_id = _int(request.GET.get("ticket"))
    if ticket_id is None:
        raise Http404("No such ticket.")
    return redirect("quality:review_start", ticket_id)


def _review_list(request: HttpRequest, viewer: User, *, mine: bool) -> HttpResponse:
    agent_id = viewer.pk if mine else _int(request.GET.get("agent"))
    response = request.GET.get("response", "")
    response = response if response in {*AgentResponse.values, "open_dispute"} - {""} else ""
    if response == "" and request.GET.get("response") == "none":
        response = "none"
    sort = request.GET.get("sort", "newest")
    sort = sort if sort in selectors.SORTS else "newest"
    filters = selectors.ReviewFilters(agent_id=agent_id, rubric_id=_int(request.GET.get("rubric")),
                                      ticket_id=_int(request.GET.get("ticket")),
                                      response="" if response == "none" else (response or None))
    reviews = selectors.reviews_for_viewer(viewer=viewer, filters=filters, sort=sort)
    if mine:
        reviews = reviews.filter(agent_id=viewer.pk)
    page = Paginator(reviews, 25).get_page(request.GET.get("page"))
    context = {"nav": "quality", "page": page, "mine": mine, "sort": sort, "sorts": selectors.SORTS,
               "response": response, "responses": [("none", "Not yet seen"), *[(v, label) for v, label in
                                                                                 AgentResponse.choices if v],
                                                   ("open_dispute", "Open dispute")],
               "rubrics": Rubric.objects.order_by("name"), "filters": filters,
               "agents": [] if mine else selectors.agents_for_viewer(viewer=viewer),
               "has_filters": any(k in request.GET for k in ("agent", "rubric", "ticket", "response"))}
    return render(request, "quality/review_list.html", context)


@require_GET
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    return _review_list(request, _staff(request), mine=False)


@require_GET
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return _review_list(request, _staff(request), mine=True)


@require_http_methods(["GET", "POST"])
@login_required
def review_start(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Pick the agent and the rubric for a new review of a ticket (GET), and start it (POST)."""
    viewer = _reviewer(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    agents = [a for a in selectors.ticket_agents(ticket=ticket) if selectors.may_review(reviewer=viewer, agent=a)]
    versions = selectors.rubrics_active()
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        agent = next((a for a in agents if a.pk == _int(request.POST.get("agent"))), None)
        version = next((v for v in versions if v.pk == _int(request.POST.get("version"))), None)
        if agent is None:
            errors["agent"] = ["Pick an agent who worked on this ticket and whom you may review."]
        if version is None:
            errors["version"] = ["Pick a rubric."]
        if not errors:
            try:
                review = services.review_start(ticket=ticket, agent=agent, version=version, reviewer=viewer)
            except ValidationError as exc:
                errors = exc.message_dict
            else:
                return redirect("quality:review_detail", review.pk)
    context = {"nav": "quality", "ticket": ticket, "agents": agents, "versions": versions, "errors": errors,
               "existing": selectors.reviews_for_viewer(viewer=viewer,
                                                       filters=selectors.ReviewFilters(ticket_id=ticket.pk)),
               "preselect": ticket.assignee_id}
    return render(request, "quality/review_start.html", context, status=422 if errors else 200)


CHOICES = {"yes_no": [("1", "Yes"), ("0", "No")], "one_five": [(str(v), str(v)) for v in range(1, 6)]}


def _criterion_rows(review: Review, posted: Mapping[str, str] | None, errors: Mapping[str, str]) -> list:  # type: ignore[type-arg]
    """Per section, each criterion with its score as shown: what was posted (on an error) or saved."""
    scores = {s.criterion_id: s for s in review.scores.select_related("message")}
    out = []
    for section, criteria in selectors.version_criteria(version=review.version):
        rows = []
        for c in criteria:
            saved = scores.get(c.pk)
            if posted is not None:
                current = posted.get(f"s_{c.pk}", "")
                comment = posted.get(f"c_{c.pk}", "")
                message_id = posted.get(f"m_{c.pk}", "")
            else:
                current = "na" if saved and saved.na else ("" if saved is None or saved.value is None else str(saved.value))
                comment = saved.comment if saved else ""
                message_id = str(saved.message_id or "") if saved else ""
            base = "yes_no" if c.scale.startswith("yes_no") else "one_five"
            shown = "N/A" if current == "na" else dict(CHOICES[base]).get(current, "—")
            rows.append({"c": c, "current": current, "shown": shown, "comment": comment, "message_id": message_id,
                         "message": saved.message if saved else None, "choices": CHOICES[base],
                         "has_na": c.scale.endswith("_na"), "error": errors.get(f"score_{c.pk}", "")})
        out.append((section, rows))
    return out


def _detail_context(request: HttpRequest, viewer: User, review: Review, *, posted: Mapping[str, str] | None = None,
                    errors: Mapping[str, str] | None = None) -> dict:  # type: ignore[type-arg]
    errors = errors or {}
    sections = _criterion_rows(review, posted, errors)
    editable = (review.reviewer_id == viewer.pk and not review.agent_response
                and (review.calibration_id is None or review.calibration.state == Calibration.State.OPEN))
    dispute = Dispute.objects.filter(review=review).select_related("resolved_by").first()
    return {
        "nav": "quality", "review": review, "sections": sections, "editable": editable,
        "conversation": ticket_messages_for_viewer(ticket=review.ticket, viewer=viewer),
        "sees_private": selectors.sees_private(viewer=viewer, review=review),
        "is_agent": viewer.pk == review.agent_id, "dispute": dispute,
        "may_resolve": dispute is not None and not dispute.outcome and selectors.may_resolve(viewer=viewer, review=review),
        "dispute_form": DisputeForm(), "resolve_form": ResolveForm(), "errors": errors,
        "summary": posted.get("summary", "") if posted is not None else review.summary,
        "private_note": posted.get("private_note", "") if posted is not None else review.private_note,
        "extras": _detail_extras(viewer, review),
    }


def _detail_extras(viewer: User, review: Review) -> dict:  # type: ignore[type-arg]
    """Auto-QA's results on the ticket, shown beside the human scores."""
    from .autoqa import checks_for_ticket

    checks = checks_for_ticket(ticket_id=review.ticket_id)
    criteria = {c.auto_check: c.label for c in Criterion.objects.filter(version=review.version).exclude(auto_check="")}
    return {"checks": [(c, criteria.get(name, "")) for name, c in sorted(checks.items())]}


def _review_for(request: HttpRequest, review_id: int) -> tuple[User, Review]:
    viewer = _staff(request)
    review = selectors.review_get_for_viewer(review_id=review_id, viewer=viewer)
    return viewer, review


@require_http_methods(["GET", "POST"])
@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    """The workspace: the conversation beside the rubric. The reviewer edits (POST saves; "submit"
    submits); everyone else who may see the review reads it."""
    viewer, review = _review_for(request, review_id)
    if request.method == "GET":
        return render(request, "quality/review_detail.html", _detail_context(request, viewer, review))
    if review.reviewer_id != viewer.pk:
        raise PermissionDenied("Only the reviewer changes a review.")
    criteria = list(Criterion.objects.filter(version=review.version))
    scores, errors = scores_from_post(request.POST, criteria)
    submit = "submit" in request.POST
    if not errors:
        try:
            services.review_save(review=review, actor=viewer, scores=scores, submit=submit,
                                 summary=request.POST.get("summary", ""),
                                 private_note=request.POST.get("private_note", ""))
        except ValidationError as exc:
            errors = {k: " ".join(v) for k, v in exc.message_dict.items()}
    if errors:
        context = _detail_context(request, viewer, review, posted=request.POST, errors=errors)
        return render(request, "quality/review_detail.html", context, status=422)
    if review.calibration_id:
        messages.success(request, "Your scores are in; the others' appear when the session is revealed." if submit
                         else "Draft saved.")
        return redirect("quality:calibration_detail", review.calibration_id)
    messages.success(request, "Review submitted: the agent sees it now." if submit else "Draft saved.")
    return redirect("quality:review_detail", review.pk)


@require_POST
@login_required
def review_acknowledge(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer, review = _review_for(request, review_id)
    try:
        services.review_acknowledge(review=review, actor=viewer)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Acknowledged.")
    return redirect("quality:review_detail", review.pk)


@require_POST
@login_required
def review_dispute(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer, review = _review_for(request, review_id)
    form = DisputeForm(request.POST)
    if form.is_valid():
        try:
            services.review_dispute(review=review, actor=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            for name, errs in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errs)
    if form.errors:
        context = _detail_context(request, viewer, review)
        context["dispute_form"] = form
        return render(request, "quality/review_detail.html", context, status=422)
    messages.success(request, "Dispute sent to your team lead.")
    return redirect("quality:review_detail", review.pk)


@require_POST
@login_required
def review_resolve(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer, review = _review_for(request, review_id)
    form = ResolveForm(request.POST)
    scores: dict = {}
    errors: dict[str, str] = {}
    if "change" in request.POST:
        scores, errors = scores_from_post(request.POST, Criterion.objects.filter(version=review.version))
    if form.is_valid() and not errors:
        try:
            dispute = services.dispute_resolve(review=review, actor=viewer, note=form.cleaned_data["note"],
                                               scores=scores or None)
        except ValidationError as exc:
            for name, errs in exc.message_dict.items():
                if name in form.fields:
                    form.add_error(name, errs)
                else:
                    errors[name] = " ".join(errs)
        else:
            messages.success(request, f"Dispute resolved: {dispute.get_outcome_display().lower()}.")
            return redirect("quality:review_detail", review.pk)
    context = _detail_context(request, viewer, review, posted=request.POST if "change" in request.POST else None,
                              errors=errors)
    context.update(resolve_form=form, resolving=True)
    return render(request, "quality/review_detail.html", context, status=422)


def review_url(review: Review) -> str:
    return reverse("quality:review_detail", args=[review.pk])

