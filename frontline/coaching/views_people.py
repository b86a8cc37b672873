"""Pages of performance reviews, kudos, onboarding and policies."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.people.models import User

from . import agenda, markdown, selectors, services
from .models import (
    COMPETENCIES,
    RATINGS,
    Enrolment,
    ModuleKind,
    PolicyVersion,
    ReviewPeriod,
    ReviewState,
    TrainingPlan,
)
from .views import date_or_error, errors_of, int_or_none, staff

# --- performance reviews --------------------------------------------------------------------------------------------


@require_GET
@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    reviews = selectors.reviews_for_viewer(viewer=viewer)
    state = request.GET.get("state", "")
    if state in ReviewState.values:
        reviews = reviews.filter(state=state)
    page = Paginator(reviews, 50).get_page(request.GET.get("page"))
    return render(request, "coaching/review_list.html", {"nav": "coaching", "page": page, "state": state,
                                                         "states": ReviewState.choices, "query": f"state={state}",
                                                         "noun": "Reviews"})


@require_POST
@login_required
def review_new(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = staff(request)
    subject = selectors.person_get_for_viewer(viewer=viewer, person_id=person_id)
    try:
        review = services.review_create(actor=viewer, agent=subject, period=request.POST.get("period", ""),
                                        day=date_or_error(request.POST.get("day"), "day"))
    except ValidationError as error:
        for field, problems in errors_of(error).items():
            messages.error(request, f"{field}: {' '.join(problems)}")
        return redirect("coaching:person", person_id=subject.pk)
    return redirect("coaching:review", review_id=review.pk)


def _review_context(viewer: User, review: object) -> dict:
    r = review
    return {"nav": "coaching", "review": r, "coach": selectors.coaches(viewer=viewer, agent=r.agent),  # type: ignore[attr-defined]
            "competencies": [(k, label, r.ratings.get(k)) for k, label in COMPETENCIES],  # type: ignore[attr-defined]
            "ratings": RATINGS, "events": r.events.select_related("actor"),  # type: ignore[attr-defined]
            "facts": r.facts, "periods": ReviewPeriod.choices}  # type: ignore[attr-defined]


@require_GET
@login_required
def review_detail(request: HttpRequest, review_id: int) -> HttpResponse:
    viewer = staff(request)
    review = selectors.review_get_for_viewer(viewer=viewer, review_id=review_id)
    return render(request, "coaching/review.html", _review_context(viewer, review))


@require_POST
@login_required
def review_post(request: HttpRequest, review_id: int, action: str) -> HttpResponse:
    viewer = staff(request)
    review = selectors.review_get_for_viewer(viewer=viewer, review_id=review_id)
    post = request.POST
    try:
        if action == "edit":
            ratings = {k: int_or_none(post.get(k)) or post.get(k, "") for k, _ in COMPETENCIES}
            services.review_update(actor=viewer, review=review, ratings=ratings,  # type: ignore[arg-type]
                                   summary=post.get("summary", ""))
            messages.success(request, "Draft saved.")
        elif action == "submit":
            services.review_submit(actor=viewer, review=review)
            messages.success(request, "Submitted: the agent can read and acknowledge it.")
        elif action == "acknowledge":
            services.review_acknowledge(actor=viewer, review=review, comment=post.get("comment", ""))
            messages.success(request, "Acknowledged.")
        elif action == "sign-off":
            services.review_sign_off(actor=viewer, review=review)
            messages.success(request, "Signed off.")
        elif action == "reopen":
            services.review_reopen(actor=viewer, review=review, reason=post.get("reason", ""))
            messages.success(request, "Reopened as a draft.")
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        review.refresh_from_db()
        context = _review_context(viewer, review) | {"errors": errors_of(error), "post": post}
        return render(request, "coaching/review.html", context, status=422)
    return redirect("coaching:review", review_id=review.pk)


# --- kudos ----------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def kudos(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        receiver = selectors.colleagues(viewer=viewer).filter(pk=int_or_none(request.POST.get("receiver"))).first()
        try:
            if receiver is None:
                raise ValidationError({"receiver": ["Choose a colleague."]})
            ticket_raw = request.POST.get("ticket", "").strip().lstrip("#")
            ticket_id = int_or_none(ticket_raw)
            if ticket_raw and ticket_id is None:
                raise ValidationError({"ticket": ["A ticket number."]})
            services.kudos_give(giver=viewer, receiver=receiver, message=request.POST.get("message", ""),
                                ticket_id=ticket_id)
        except ValidationError as error:
            errors, status = errors_of(error), 422
        else:
            messages.success(request, f"Kudos sent to {receiver.display_name}.")  # type: ignore[union-attr]
            return redirect("coaching:kudos")
    page = Paginator(selectors.kudos_feed(viewer=viewer), 30).get_page(request.GET.get("page"))
    return render(request, "coaching/kudos.html", {"nav": "coaching", "page": page, "errors": errors,
                                                   "post": request.POST, "colleagues": selectors.colleagues(viewer=viewer),
                                                   "query": "", "noun": "Kudos"}, status=status)


# --- onboarding -----------------------------------------------------------------------------------------------------


@require_GET
@login_required
def onboarding(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    enrolments = list(selectors.enrolments_for_viewer(viewer=viewer).select_related("hire__agent_profile")[:100])
    today = timezone.localdate()
    rows = [(e, selectors.enrolment_progress(enrolment=e),
             agenda.time_to_proficiency(hire=e.hire, start=_start_of(e), today=today)) for e in enrolments]
    return render(request, "coaching/onboarding.html", {"nav": "coaching", "rows": rows,
                                                        "plans": TrainingPlan.objects.all(),
                                                        "today": timezone.localdate()})


@require_POST
@login_required
def enrol_new(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = staff(request)
    subject = selectors.person_get_for_viewer(viewer=viewer, person_id=person_id)
    plan = TrainingPlan.objects.filter(pk=int_or_none(request.POST.get("plan"))).first()
    try:
        if plan is None:
            raise ValidationError({"plan": ["Choose a plan."]})
        enrolment = services.enrol(actor=viewer, plan=plan, hire=subject,
                                   starts_on=date_or_error(request.POST.get("starts_on"), "starts_on"))
    except ValidationError as error:
        for field, problems in errors_of(error).items():
            messages.error(request, f"{field}: {' '.join(problems)}")
        return redirect("coaching:person", person_id=subject.pk)
    return redirect("coaching:enrolment", enrolment_id=enrolment.pk)


def _start_of(enrolment: Enrolment) -> date:
    """A hire's first day: their profile's start date, else the plan's start."""
    profile = getattr(enrolment.hire, "agent_profile", None)
    return (profile.start_date if profile and profile.start_date else None) or enrolment.starts_on


def _enrolment_context(viewer: User, enrolment: object) -> dict:
    progress = selectors.enrolment_progress(enrolment=enrolment)  # type: ignore[arg-type]
    return {"nav": "coaching", "enrolment": enrolment, "progress": progress,
            "own": viewer.pk == enrolment.hire_id,  # type: ignore[attr-defined]
            "bodies": {m.pk: markdown.render(m.body) for m, _ in progress["modules"]}, "check": ModuleKind.CHECK,
            "proficiency": agenda.time_to_proficiency(hire=enrolment.hire, start=_start_of(enrolment),  # type: ignore[attr-defined]
                                                      today=timezone.localdate()),
            "start": _start_of(enrolment)}  # type: ignore[arg-type]


@require_GET
@login_required
def enrolment_detail(request: HttpRequest, enrolment_id: int) -> HttpResponse:
    viewer = staff(request)
    enrolment = selectors.enrolment_get_for_viewer(viewer=viewer, enrolment_id=enrolment_id)
    return render(request, "coaching/enrolment.html", _enrolment_context(viewer, enrolment))


@require_POST
@login_required
def module_post(request: HttpRequest, enrolment_id: int, module_id: int) -> HttpResponse:
    viewer = staff(request)
    enrolment = selectors.enrolment_get_for_viewer(viewer=viewer, enrolment_id=enrolment_id)
    module = enrolment.plan.modules.filter(pk=module_id).first()
    if module is None:
        raise Http404("No such module.")
    answers = []
    for i in range(len(module.questions)):
        value = request.POST.get(f"q{i}")
        answers.append(int(value) if value is not None and value.isdigit() else -1)
    try:
        result = services.module_complete(actor=viewer, enrolment=enrolment, module=module,
                                          answers=answers if module.kind == ModuleKind.CHECK else None)
    except ValidationError as error:
        context = _enrolment_context(viewer, enrolment) | {"errors": errors_of(error), "error_module": module.pk}
        return render(request, "coaching/enrolment.html", context, status=422)
    if module.kind == ModuleKind.CHECK:
        text = f"{result.score_percent} % correct: " + ("passed." if result.passed else
                                                          f"the pass mark is {module.pass_percent} %, try again.")
        (messages.success if result.passed else messages.warning)(request, text)
    return redirect("coaching:enrolment", enrolment_id=enrolment.pk)


# --- policies -------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def policies(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            version = services.policy_publish(
                actor=viewer, title=request.POST.get("title", ""), body=request.POST.get("body", ""),
                change_note=request.POST.get("change_note", ""),
                effective_on=date_or_error(request.POST.get("effective_on"), "effective_on"))
        except ValidationError as error:
            errors, status = errors_of(error), 422
        else:
            messages.success(request, "Published: everyone is asked to acknowledge it.")
            return redirect("coaching:policy", version_id=version.pk)
    today = timezone.localdate()
    versions = selectors.policy_current_versions(today=today)
    acked = set(viewer.policy_acks.values_list("version_id", flat=True))
    newest = {v.policy_id: v for v in PolicyVersion.objects.order_by("policy_id", "number")}
    rows = [{"current": v, "newest": newest[v.policy_id], "acked": newest[v.policy_id].pk in acked} for v in versions]
    return render(request, "coaching/policies.html", {"nav": "coaching", "rows": rows, "errors": errors,
                                                      "post": request.POST, "today": today}, status=status)


def _policy_context(viewer: User, version: PolicyVersion) -> dict:
    missing, done = selectors.policy_ack_status(version=version, viewer=viewer)
    return {"nav": "coaching", "version": version, "html": markdown.render(version.body),
            "acked": version.acks.filter(user=viewer).first(), "missing": missing, "done": done,
            "total": len(missing) + len(done),
            "others": version.policy.versions.exclude(pk=version.pk),
            "reviewer": selectors.people_coached_by(viewer=viewer).exists(),
            "manager": viewer.sees_everything, "today": timezone.localdate()}


@require_GET
@login_required
def policy_detail(request: HttpRequest, version_id: int) -> HttpResponse:
    viewer = staff(request)
    version = PolicyVersion.objects.select_related("policy", "published_by").filter(pk=version_id).first()
    if version is None:
        raise Http404("No such policy.")
    return render(request, "coaching/policy.html", _policy_context(viewer, version))


@require_POST
@login_required
def policy_post(request: HttpRequest, version_id: int, action: str) -> HttpResponse:
    viewer = staff(request)
    version = PolicyVersion.objects.select_related("policy").filter(pk=version_id).first()
    if version is None:
        raise Http404("No such policy.")
    if action == "acknowledge":
        services.policy_acknowledge(actor=viewer, version=version)
        messages.success(request, f"Acknowledged {version.policy.title}, version {version.number}.")
    elif action == "remind":
        sent = services.policy_remind(actor=viewer, version=version)
        messages.success(request, f"Reminder shown to {sent} people on their coaching page.")
    elif action == "publish":
        try:
            new = services.policy_publish(actor=viewer, title="", policy=version.policy,
                                          body=request.POST.get("body", ""),
                                          change_note=request.POST.get("change_note", ""),
                                          effective_on=date_or_error(request.POST.get("effective_on"), "effective_on"))
        except ValidationError as error:
            context = _policy_context(viewer, version) | {"errors": errors_of(error), "post": request.POST}
            return render(request, "coaching/policy.html", context, status=422)
        messages.success(request, f"Version {new.number} published.")
        return redirect("coaching:policy", version_id=new.pk)
    else:
        raise Http404("No such action.")
    return redirect("coaching:policy", version_id=version.pk)


