"""Schedule pages: the list of weeks, the board, shift edits, shift types, time off.

Views parse, check access through the selectors and services, call one service and render.
The same view answers a full page or, for htmx, the partial it swaps.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontline.core import formats
from frontline.desk.views import staff_required
from frontline.people.models import Team
from frontline.workforce.models import StaffingPlan
from frontline.workforce.permissions import (
    can_manage_team,
    is_planner,
    managed_team_ids,
    planner_required,
)

from . import services
from .coverage import shift_breaks
from .forms import ScheduleForm, ShiftForm, ShiftTypeForm, TimeOffForm
from .models import ScheduleStatus, ShiftType, TimeOff, TimeOffStatus
from .selectors import (
    can_decide_time_off,
    my_schedule_weeks,
    report_shortfalls,
    schedule_agents,
    schedule_board,
    schedule_get_for_viewer,
    schedule_list_for_viewer,
    shift_get_for_schedule,
    time_off_coverage_effect,
    time_off_for_decider,
    time_off_get_for_decider,
    time_off_of_agent,
)

SORTS = {"week": "week_start", "-week": "-week_start", "team": "team__name", "-team": "-team__name",
         "state": "state", "-state": "-state"}
CSS = "frontline/workforce-schedules.css"


ALIASES = {"starts_at": "start", "ends_at": "end"}


def _apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields (by name or alias), the rest on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            field = name if name in form.fields else ALIASES.get(name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _managed_teams(user: Any) -> Any:
    ids = managed_team_ids(user)
    teams = Team.objects.order_by("name")
    return teams if ids is None else teams.filter(pk__in=ids)


# --- list --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = None
    status = 200
    if is_planner(user):
        teams = _managed_teams(user)
        plans = StaffingPlan.objects.select_related("forecast").order_by("-updated_at")
        if request.method == "POST":
            form = ScheduleForm(request.POST, teams=teams, plans=plans)
            if form.is_valid():
                d = form.cleaned_data
                try:
                    schedule = services.schedule_create(actor=user, team=d["team"], week_start=d["week_start"],
                                                        staffing_plan=d["staffing_plan"], time_limit_s=d["time_limit_s"],
                                                        objective=d["objective"])
                except ValidationError as exc:
                    _apply_errors(form, exc)
                else:
                    return redirect("schedules:schedule_board", schedule.pk)
            status = 422
        else:
            today = timezone.localdate()
            form = ScheduleForm(teams=teams, plans=plans, initial={"week_start": today + timedelta(days=7 - today.weekday())})
    elif request.method == "POST":
        raise PermissionDenied("Schedules are made by team leads and managers.")
    sort = request.GET.get("sort", "-week")
    qs = schedule_list_for_viewer(viewer=user).order_by(SORTS.get(sort, "-week_start"), "team__name")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    return render(request, "schedules/schedule_list.html", {
        "nav": "workforce", "wf": "schedules", "page": page, "form": form, "sort": sort, "css": CSS,
        "managed": managed_team_ids(user), "can_plan": is_planner(user),
    }, status=status)


# --- board -------------------------------------------------------------------------------------


def _board_context(request: HttpRequest, schedule: Any) -> dict[str, Any]:
    return {
        "nav": "workforce", "wf": "schedules", "css": CSS, "schedule": schedule, "board": schedule_board(schedule=schedule),
        "can_edit": can_manage_team(request.user, schedule.team_id), "report": schedule.report or {},
        "shortfalls": report_shortfalls(schedule), "run": schedule,
        "poll_url": reverse("schedules:schedule_progress", args=[schedule.pk]),
        "changes": schedule.changes.select_related("actor").order_by("-created_at", "-id")[:8],
        "published": schedule.state == ScheduleStatus.PUBLISHED,
    }


@require_GET
@staff_required
def schedule_board_view(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = schedule_get_for_viewer(schedule_id=pk, viewer=request.user)
    return render(request, "schedules/schedule_board.html", _board_context(request, schedule))


@require_GET
@staff_required
def schedule_progress(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = schedule_get_for_viewer(schedule_id=pk, viewer=request.user)
    response = render(request, "workforce/partials/run_progress.html", {
        "run": schedule, "poll_url": reverse("schedules:schedule_progress", args=[pk])})
    if request.htmx and not schedule.is_active:
        response["HX-Refresh"] = "true"  # the solve finished: reload the board with its shifts
    return response


def _schedule_action(request: HttpRequest, pk: int, action: Any) -> HttpResponse:
    schedule = schedule_get_for_viewer(schedule_id=pk, viewer=request.user)
    try:
        action(actor=request.user, schedule=schedule)
    except ValidationError as exc:
        context = _board_context(request, schedule) | {"action_errors": exc.messages}
        return render(request, "schedules/schedule_board.html", context, status=422)
    return redirect("schedules:schedule_board", schedule.pk)


@require_POST
@staff_required
def schedule_solve(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_action(request, pk, services.schedule_solve_enqueue)


@require_POST
@staff_required
def schedule_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_action(request, pk, services.schedule_publish)


@require_POST
@staff_required
def schedule_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    return _schedule_action(request, pk, services.schedule_unpublish)


# --- shifts ------------------------------------------------------------------------------------


def _shift_form_response(request: HttpRequest, schedule: Any, form: ShiftForm, shift: Any, status: int) -> HttpResponse:
    context = {"nav": "workforce", "wf": "schedules", "css": CSS, "schedule": schedule, "form": form, "shift": shift,
               "published": schedule.state == ScheduleStatus.PUBLISHED}
    template = "schedules/partials/shift_form.html" if request.htmx else "schedules/shift_form.html"
    return render(request, template, context, status=status)


def _done(request: HttpRequest, schedule: Any) -> HttpResponse:
    """After a shift is saved: under htmx the board body is swapped in place (scroll and focus stay)
    and the dialog closes; without JavaScript, back to the board."""
    if request.htmx:
        schedule.refresh_from_db()
        response = render(request, "schedules/schedule_board.html", _board_context(request, schedule))
        response["HX-Retarget"] = "#board-body"
        response["HX-Reswap"] = "outerHTML"
        response["HX-Reselect"] = "#board-body"
        response["HX-Trigger"] = "shiftSaved"
        return response
    return redirect("schedules:schedule_board", schedule.pk)


def _editable_schedule(request: HttpRequest, pk: int) -> Any:
    schedule = schedule_get_for_viewer(schedule_id=pk, viewer=request.user)
    if not can_manage_team(request.user, schedule.team_id):
        raise PermissionDenied("You may change the schedules of the teams you lead only.")
    return schedule


def _shift_save(request: HttpRequest, schedule: Any, form: ShiftForm, shift: Any, save: Any) -> HttpResponse:
    """Validate the shift form and ``save`` it (add or update): the board again, or the form with 422."""
    if form.is_valid():
        starts_at, ends_at = form.span()
        try:
            save(agent=form.cleaned_data["agent"], starts_at=starts_at, ends_at=ends_at, breaks=form.breaks(),
                 note=form.cleaned_data["note"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, schedule)
    return _shift_form_response(request, schedule, form, shift, 422)


@require_http_methods(["GET", "POST"])
@staff_required
def shift_new(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = _editable_schedule(request, pk)
    agents = schedule_agents(schedule=schedule)
    if request.method == "GET":
        initial = {"agent": request.GET.get("agent"), "day": request.GET.get("day") or schedule.week_start}
        return _shift_form_response(request, schedule, ShiftForm(agents=agents, initial=initial), None, 200)
    save = partial(services.shift_add, actor=request.user, schedule=schedule)
    return _shift_save(request, schedule, ShiftForm(request.POST, agents=agents), None, save)


@require_http_methods(["GET", "POST"])
@staff_required
def shift_edit(request: HttpRequest, pk: int, shift_id: int) -> HttpResponse:
    schedule = _editable_schedule(request, pk)
    shift = shift_get_for_schedule(schedule=schedule, shift_id=shift_id)
    agents = schedule_agents(schedule=schedule)
    if request.method == "GET":
        form = ShiftForm(agents=agents, initial=ShiftForm.initial_for(shift, shift_breaks(shift)))
        return _shift_form_response(request, schedule, form, shift, 200)
    save = partial(services.shift_update, actor=request.user, shift=shift)
    return _shift_save(request, schedule, ShiftForm(request.POST, agents=agents), shift, save)


@require_POST
@staff_required
def shift_delete(request: HttpRequest, pk: int, shift_id: int) -> HttpResponse:
    schedule = _editable_schedule(request, pk)
    shift = shift_get_for_schedule(schedule=schedule, shift_id=shift_id)
    services.shift_delete(actor=request.user, shift=shift)
    return _done(request, schedule)


# --- my schedule and time off ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def my_schedule(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = TimeOffForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            starts_at, ends_at = form.span()
            try:
                services.time_off_request(agent=user, starts_at=starts_at, ends_at=ends_at, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("schedules:my_schedule")
        status = 422
    return render(request, "schedules/my_schedule.html", {
        "nav": "workforce", "wf": "mine", "css": CSS, "weeks": my_schedule_weeks(viewer=user), "form": form,
        "requests": time_off_of_agent(agent=user),
    }, status=status)


@require_POST
@staff_required
def time_off_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    off = get_object_or_404(TimeOff, pk=pk, agent=request.user)
    with contextlib.suppress(ValidationError):  # already decided: the list shows the decision
        services.time_off_withdraw(agent=request.user, time_off=off)
    return redirect("schedules:my_schedule")


@require_GET
@planner_required
def time_off_list(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("status", TimeOffStatus.REQUESTED)
    qs = time_off_for_decider(viewer=request.user)
    if state in TimeOffStatus.values:
        qs = qs.filter(status=state)
    qs = qs.order_by("starts_at") if state == TimeOffStatus.REQUESTED else qs.order_by("-starts_at")
    page = Paginator(qs, 25).get_page(request.GET.get("page"))
    for off in page.object_list:  # what approving would do, for the requests still open
        off.effects = time_off_coverage_effect(time_off=off) if off.status == TimeOffStatus.REQUESTED else []
    return render(request, "schedules/time_off_list.html", {
        "nav": "workforce", "wf": "schedules", "css": CSS, "page": page, "state": state, "states": TimeOffStatus.choices,
    })


def _effect_sentence(effects: list[Any]) -> str:
    parts = []
    for e in effects:
        week = f"{e.schedule.team.name}, week of {e.schedule.week_start:%a %d %b}"
        if not e.changes:
            parts.append(f"{week}: no scheduled hours fall in it")
        else:
            parts.append(f"{week}: {e.hours_lost:g} h of shifts fall in it; {e.intervals_short_before} intervals "
                         f"({e.hours_short_before:g} h) short as scheduled, {e.intervals_short_after} "
                         f"({e.hours_short_after:g} h) without them")
    return "; ".join(parts)


@require_POST
@staff_required
def time_off_decide(request: HttpRequest, pk: int) -> HttpResponse:
    off = time_off_get_for_decider(viewer=request.user, time_off_id=pk)
    if not can_decide_time_off(request.user, off):  # before reading the input: no 422 for outsiders
        raise PermissionDenied("Time off is decided by the lead or a manager of the agent's team.")
    decision = request.POST.get("decision")
    if decision not in ("approve", "decline"):
        return HttpResponse("Say approve or decline.", status=422)
    try:
        services.time_off_decide(actor=request.user, time_off=off, approve=decision == "approve",
                                 note=request.POST.get("note", ""))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422)
    verb = "Approved" if decision == "approve" else "Declined"
    text = (f"{verb} {off.agent.display_name}'s time off, {formats.datetime_short(off.starts_at)} to "
            f"{formats.datetime_short(off.ends_at)}.")
    effect = _effect_sentence(time_off_coverage_effect(time_off=off))
    if effect:
        text += f" Coverage — {effect}."
    if off.decision_note:
        text += f" Your reason, shown to {off.agent.display_name}: “{off.decision_note}”."
    messages.success(request, text)
    return redirect(f"{reverse('schedules:time_off_list')}?status={TimeOffStatus.REQUESTED}")


# --- shift types -------------------------------------------------------------------------------


def _shift_type_kwargs(form: ShiftTypeForm) -> dict[str, Any]:
    d = form.cleaned_data
    return {"name": d["name"], "team": d["team"], "length_minutes": d["length_minutes"], "earliest_start": d["earliest_start"],
            "latest_start": d["latest_start"], "start_step_minutes": d["start_step_minutes"], "days": d["days"],
            "breaks": form.breaks(), "active": d["active"]}


def _shift_types_visible(user: Any) -> Any:
    ids = managed_team_ids(user)
    qs = ShiftType.objects.select_related("team").order_by("name")
    return qs if ids is None else qs.filter(Q(team__isnull=True) | Q(team_id__in=ids))


@require_http_methods(["GET", "POST"])
@planner_required
def shift_type_list(request: HttpRequest) -> HttpResponse:
    teams = _managed_teams(request.user)
    form = ShiftTypeForm(request.POST or None, teams=teams, initial={"active": True}, shared_allowed=managed_team_ids(request.user) is None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.shift_type_create(actor=request.user, **_shift_type_kwargs(form))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("schedules:shift_type_list")
        status = 422
    return render(request, "schedules/shift_type_list.html", {
        "nav": "workforce", "wf": "schedules", "css": CSS, "form": form, "shift_types": _shift_types_visible(request.user),
        "managed": managed_team_ids(request.user),
    }, status=status)


@require_http_methods(["GET", "POST"])
@planner_required
def shift_type_edit(request: HttpRequest, pk: int) -> HttpResponse:
    st = get_object_or_404(_shift_types_visible(request.user), pk=pk)
    teams = _managed_teams(request.user)
    if request.method == "GET":
        form = ShiftTypeForm(teams=teams, initial=ShiftTypeForm.initial_for(st), shared_allowed=managed_team_ids(request.user) is None)
        status = 200
    else:
        form = ShiftTypeForm(request.POST, teams=teams, shared_allowed=managed_team_ids(request.user) is None)
        if form.is_valid():
            try:
                services.shift_type_update(actor=request.user, shift_type=st, **_shift_type_kwargs(form))
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return redirect("schedules:shift_type_list")
        status = 422
    return render(request, "schedules/shift_type_form.html", {
        "nav": "workforce", "wf": "schedules", "css": CSS, "form": form, "shift_type": st}, status=status)

