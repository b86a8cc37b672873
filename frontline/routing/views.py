"""Routing pages: queues' routing (managers and admins change it), agents' skills and capacities,
the routing log.

Every staff member reads the queues' settings; skills and capacities: managers and admins see
and change everyone's, leads see their teams', agents their own; the log shows decisions on the
tickets the viewer may see. Customers get 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from frontline.desk.models import Queue
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.people.models import STAFF_ROLES, User

from . import presence as presence_store
from . import selectors, services
from .forms import AgentForm, QueueRoutingForm
from .models import Mode, OfflineAction


def _staff(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role not in STAFF_ROLES:
        raise PermissionDenied("Routing is for staff.")
    return user


def _editor(request: HttpRequest) -> User:
    user = _staff(request)
    if not selectors.may_configure(user):
        raise PermissionDenied("Routing is changed by managers and admins.")
    return user


def _int(value: str | None) -> int | None:
    try:
        number = int(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**63 else None


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    return render(request, "routing/overview.html", {
        "nav": "routing", "rows": selectors.queue_rows(viewer=viewer), "may_edit": selectors.may_configure(viewer)})


@require_http_methods(["GET", "POST"])
@login_required
def queue_edit(request: HttpRequest, queue_id: int) -> HttpResponse:
    viewer = _editor(request)
    queue = get_object_or_404(Queue, pk=queue_id)
    config = getattr(queue, "routing", None)
    status = 200
    if request.method == "POST":
        form = QueueRoutingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.queue_routing_set(queue=queue, actor=viewer, mode=data["mode"], requirements=data["requirements"],
                                           drop_preferred_after_s=data["drop_preferred_after_s"],
                                           widen_after_s=data["widen_after_s"], offline_action=data["offline_action"],
                                           offline_grace_s=data["offline_grace_s"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"Routing of {queue.name} saved.")
                return redirect("routing:overview")
        status = 422
    else:
        form = QueueRoutingForm(initial={
            "mode": config.mode if config else Mode.MANUAL,
            "requirements": services.requirements_text(config.requirements) if config else "",
            "drop_preferred_after_s": config.drop_preferred_after_s if config else None,
            "widen_after_s": config.widen_after_s if config else None,
            "offline_action": config.offline_action if config else OfflineAction.KEEP,
            "offline_grace_s": config.offline_grace_s if config else 120})
    return render(request, "routing/queue_form.html", {"nav": "routing", "queue": queue, "form": form}, status=status)


@require_GET
@login_required
def agent_list(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    agents = list(selectors.agents_for_viewer(viewer=viewer).select_related("agent_profile")
                  .prefetch_related("routing_skills", "routing_capacities")
                  .order_by("first_name", "last_name", "username")[:500])
    chats = selectors.chat_capacities(agent_ids=[a.pk for a in agents])
    return render(request, "routing/agents.html", {
        "nav": "routing", "agents": [(a, chats[a.pk]) for a in agents], "may_edit": selectors.may_configure(viewer),
        "default_capacity": settings.ROUTING_CAPACITY_DEFAULT})


@require_http_methods(["GET", "POST"])
@login_required
def agent_detail(request: HttpRequest, agent_id: int) -> HttpResponse:
    viewer = _staff(request)
    agent = selectors.agents_for_viewer(viewer=viewer).filter(pk=agent_id).first()
    if agent is None:
        raise Http404("No such agent.")
    may_edit = selectors.may_configure(viewer)
    skills = list(selectors.skills_of(agent=agent))
    capacities = selectors.capacities_of(agent=agent)
    status = 200
    form = None
    if may_edit:
        if request.method == "POST":
            form = AgentForm(request.POST)
            if form.is_valid():
                try:
                    services.agent_skills_set(agent=agent, skills=form.cleaned_data["skills"])
                    services.agent_capacities_set(agent=agent, capacities=form.capacities())
                except ValidationError as exc:
                    for field, errors in exc.message_dict.items():
                        for error in errors:
                            form.add_error(field if field in form.fields else None, error)
                else:
                    messages.success(request, f"Skills and capacities of {agent.display_name} saved.")
                    return redirect("routing:agent", agent_id=agent.pk)
            status = 422
        else:
            own = {c.channel: c.max_open for c in agent.routing_capacities.all()}
            form = AgentForm(initial={"skills": "\n".join(f"{s.name}={s.value}:{s.level}" for s in skills),
                                      **{f"capacity_{k}": v for k, v in own.items()}})
    elif request.method == "POST":
        raise PermissionDenied("Skills and capacities are changed by managers and admins.")
    return render(request, "routing/agent.html", {
        "nav": "routing", "agent": agent, "skills": skills, "capacities": sorted(capacities.items()),
        "form": form, "may_edit": may_edit}, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def presence(request: HttpRequest, ticket_id: int) -> HttpResponse:
    """Collision detection: GET who else views and types on the ticket; POST reports the viewer
    (``typing=1`` while typing, ``left=1`` on leaving the page) and answers the same."""
    viewer = _staff(request)
    ticket = ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)
    if request.method == "POST":
        presence_store.presence_report(ticket_id=ticket.pk, user=viewer, typing=request.POST.get("typing") == "1",
                                       left=request.POST.get("left") == "1")
    others = presence_store.presence_others(ticket_id=ticket.pk, viewer=viewer)
    response = render(request, "routing/partials/presence_list.html", {"others": others})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@login_required
def log(request: HttpRequest) -> HttpResponse:
    viewer = _staff(request)
    queue_id = _int(request.GET.get("queue"))
    outcome = request.GET.get("outcome", "")
    routed = {"routed": True, "waiting": False}.get(outcome)
    rows = selectors.routing_log_for_viewer(viewer=viewer, queue_id=queue_id, routed=routed)
    return render(request, "routing/log.html", {
        "nav": "routing", "rows": rows, "queues": Queue.objects.all(), "queue_id": queue_id, "outcome": outcome})
