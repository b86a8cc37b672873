"""Coaching pages: the lead's overview of cadences, a person's coaching page, sessions (agenda,
notes, focuses, action items) and the effects of coaching. Who sees what: ``selectors``."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from frontline.people.models import User

from . import agenda, quality_bridge, selectors, services
from .followup import KPIS
from .models import Cadence, CoachingPlan, SessionKind, SessionState, TrainingPlan


def staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not selectors.is_staff(user):
        raise PermissionDenied("Coaching is for staff.")
    return user


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 < number < 2**63 else None


def date_or_error(value: str | None, field: str) -> date:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise ValidationError({field: ["Enter a date (YYYY-MM-DD)."]}) from None


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    return dict(error.message_dict) if hasattr(error, "error_dict") else {"__all__": list(error.messages)}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    viewer = staff(request)
    today = timezone.localdate()
    rows = selectors.cadence_rows(viewer=viewer, today=today)
    if not rows and not viewer.sees_everything and viewer.role != "team_lead":
        return redirect("coaching:person", person_id=viewer.pk)
    return render(request, "coaching/home.html", {
        "nav": "coaching", "rows": rows, "today": today,
        "overdue": [r for r in rows if r["overdue_days"]],
        "to_ack": selectors.policy_versions_to_ack(user=viewer),
    })


def _person_context(viewer: User, person: User) -> dict:
    coach = selectors.coaches(viewer=viewer, agent=person)
    sessions = list(selectors.sessions_for_viewer(viewer=viewer).filter(agent=person)
                    .annotate(focus_count=Count("focuses"))[:20])
    plan = CoachingPlan.objects.filter(agent=person).first()
    due = None
    if plan:
        from .cadence import next_due
        due = next_due(cadence=plan.cadence, starts_on=plan.starts_on,
                       last_held=selectors.last_held_day(agent=person))
    today = timezone.localdate()
    own = viewer.pk == person.pk
    return {
        "nav": "coaching", "person": person, "own": own, "coach": coach, "plan": plan, "due": due, "today": today,
        "overdue_days": (today - due).days if due and due < today else 0,
        "sessions": sessions, "cadences": Cadence.choices, "kinds": SessionKind.choices,
        "actions": selectors.actions_for_viewer(viewer=viewer).filter(session__agent=person, done_at__isnull=True),
        "reviews": selectors.reviews_for_viewer(viewer=viewer).filter(agent=person),
        "enrolments": selectors.enrolments_for_viewer(viewer=viewer).filter(hire=person),
        "to_ack": selectors.policy_versions_to_ack(user=person) if own else [],
        "plans": TrainingPlan.objects.all() if coach else [],
        "reminders": person.policy_reminders.filter(version__acks__isnull=True).select_related("version__policy")
        if own else [],
    }


@require_GET
@login_required
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = staff(request)
    subject = selectors.person_get_for_viewer(viewer=viewer, person_id=person_id)
    return render(request, "coaching/person.html", _person_context(viewer, subject))


@require_POST
@login_required
def plan_save(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = staff(request)
    subject = selectors.person_get_for_viewer(viewer=viewer, person_id=person_id)
    try:
        services.plan_set(actor=viewer, agent=subject, cadence=request.POST.get("cadence", ""),
                          starts_on=date_or_error(request.POST.get("starts_on"), "starts_on"))
    except ValidationError as error:
        context = _person_context(viewer, subject) | {"errors": errors_of(error)}
        return render(request, "coaching/person.html", context, status=422)
    messages.success(request, "Cadence saved.")
    return redirect("coaching:person", person_id=subject.pk)


@require_POST
@login_required
def session_new(request: HttpRequest, person_id: int) -> HttpResponse:
    viewer = staff(request)
    subject = selectors.person_get_for_viewer(viewer=viewer, person_id=person_id)
    try:
        session = services.session_prepare(
            actor=viewer, agent=subject, kind=request.POST.get("kind", SessionKind.ONE_ON_ONE),
            scheduled_on=date_or_error(request.POST.get("scheduled_on"), "scheduled_on"))
    except ValidationError as error:
        context = _person_context(viewer, subject) | {"errors": errors_of(error)}
        return render(request, "coaching/person.html", context, status=422)
    return redirect("coaching:session", session_id=session.pk)


def _session_context(viewer: User, session: object) -> dict:
    coach = selectors.coaches(viewer=viewer, agent=session.agent)  # type: ignore[attr-defined]
    focuses = list(session.focuses.all())  # type: ignore[attr-defined]
    return {
        "nav": "coaching", "session": session, "coach": coach, "agenda": session.agenda,  # type: ignore[attr-defined]
        "focuses": [agenda.focus_followup(focus=f) for f in focuses],
        "actions": session.actions.select_related("owner"),  # type: ignore[attr-defined]
        "kpis": [(k, v[0]) for k, v in KPIS.items()], "criteria": quality_bridge.criteria(),
        "today": timezone.localdate(), "held": session.state == SessionState.HELD,  # type: ignore[attr-defined]
    }


@require_GET
@login_required
def session_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    viewer = staff(request)
    session = selectors.session_get_for_viewer(viewer=viewer, session_id=session_id)
    return render(request, "coaching/session.html", _session_context(viewer, session))


@require_POST
@login_required
def session_post(request: HttpRequest, session_id: int, action: str) -> HttpResponse:
    viewer = staff(request)
    session = selectors.session_get_for_viewer(viewer=viewer, session_id=session_id)
    post = request.POST
    try:
        if action == "notes":
            services.session_notes_save(actor=viewer, session=session, shared_notes=post.get("shared_notes", ""),
                                        private_notes=post.get("private_notes", ""))
            messages.success(request, "Notes saved.")
        elif action == "focus":
            services.focus_add(actor=viewer, session=session, behaviour=post.get("behaviour", ""),
                               kpi=post.get("kpi", ""), criterion_id=int_or_none(post.get("criterion")),
                               window_days=int_or_none(post.get("window_days")) or 28)
            messages.success(request, "Focus added.")
        elif action == "action":
            owner_id = int_or_none(post.get("owner"))
            owner = session.agent if owner_id == session.agent_id else viewer if owner_id == viewer.pk else None
            if owner is None:
                raise ValidationError({"owner": ["The owner is the agent or you."]})
            services.action_add(actor=viewer, session=session, text=post.get("text", ""), owner=owner,
                                due_on=date_or_error(post.get("due_on"), "due_on"))
            messages.success(request, "Action item added.")
        elif action == "hold":
            services.session_hold(actor=viewer, session=session)
            messages.success(request, "Marked as held.")
        elif action == "refresh":
            services.session_agenda_refresh(actor=viewer, session=session)
            messages.success(request, "Agenda refreshed with the latest numbers.")
        else:
            raise Http404("No such action.")
    except ValidationError as error:
        context = _session_context(viewer, session) | {"errors": errors_of(error), "form": action, "post": post}
        return render(request, "coaching/session.html", context, status=422)
    return redirect("coaching:session", session_id=session.pk)


@require_POST
@login_required
def action_done(request: HttpRequest, action_id: int) -> HttpResponse:
    viewer = staff(request)
    action = selectors.actions_for_viewer(viewer=viewer).filter(pk=action_id).first()
    if action is None:
        raise Http404("No such action item.")
    services.action_set_done(actor=viewer, action=action, done=request.POST.get("done") == "1")
    nxt = request.POST.get("next", "")
    if nxt == "person":
        return redirect("coaching:person", person_id=action.session.agent_id)
    return redirect("coaching:session", session_id=action.session_id)


@require_GET
@login_required
def effects(request: HttpRequest) -> HttpResponse:
    """Every coaching focus the viewer may read, with its measured effect: "feedback that changes behaviour"."""
    viewer = staff(request)
    sessions = selectors.sessions_for_viewer(viewer=viewer)
    person_id = int_or_none(request.GET.get("person"))
    if person_id:
        sessions = sessions.filter(agent_id=person_id)
    from .models import Focus

    focuses = Focus.objects.filter(session__in=sessions).select_related("session__agent").order_by(
        "-session__scheduled_on", "-id")[:200]
    rows = [agenda.focus_followup(focus=f) for f in focuses]
    tally: dict[str, int] = {}
    for r in rows:
        tally[r["verdict"]] = tally.get(r["verdict"], 0) + 1
    return render(request, "coaching/effects.html", {"nav": "coaching", "rows": rows, "tally": tally,
                                                     "person_id": person_id})


