"""Agent pages: the chat queue, accepting, the chat workspace (live log, reply, typing, transfer, end).

The workspace reads news through ``agent_poll`` (long polling, one request per agent tab for all
their chats); its script is ``static/frontline/chat-agent.js`` (no inline scripts: CSP).
Every form also works without JavaScript (a full page load).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from frontline.core import charts
from frontline.core.days import last_days
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.models import Queue
from frontline.people.models import STAFF_ROLES, Role, User

from . import report, selectors, services
from .live import db_call, wait_for_news, watcher
from .models import Chat, ChatState, EndedBy, EntryAuthor

LEADS = (Role.TEAM_LEAD, Role.MANAGER, Role.ADMIN)


def _staff(request: HttpRequest) -> User:
    user = request.user
    if user.role not in STAFF_ROLES:  # type: ignore[union-attr]
        raise PermissionDenied("Chats are answered by support staff.")
    return user  # type: ignore[return-value]


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _problem(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None,
             back: str = "chat:queue", chat_id: int | None = None) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": detail, "errors": [{"field": f, "message": m} for f, ms in (errors or {}).items()
                                                            for m in ms]}, status=status)
    messages.error(request, detail)
    return redirect(back, chat_id) if chat_id else redirect(back)


@require_GET
@login_required
def chat_queue(request: HttpRequest) -> HttpResponse:
    """Waiting chats (longest wait first) with Accept; the viewer's chats; for leads, every chat in progress."""
    viewer = _staff(request)
    now = timezone.now()
    waiting = [(c, (now - c.waiting_since).total_seconds(), services.offer_blocks(c, viewer, now))
               for c in selectors.chat_waiting_for_viewer(viewer=viewer)[:200]]
    mine = list(selectors.chats_held_by(agent=viewer))
    context: dict[str, Any] = {
        "nav": "chat", "waiting": waiting, "mine": mine, "capacity": selectors.chat_capacity(agent=viewer),
        "active": list(selectors.chat_active_for_viewer(viewer=viewer)[:200]) if viewer.role in LEADS else None,
        "availability": getattr(getattr(viewer, "agent_profile", None), "availability", "offline"), "now": now,
    }
    template = "chat/partials/queue_body.html" if request.headers.get("HX-Request") else "chat/queue.html"
    return render(request, template, context)


REPORT_DAYS = (7, 14, 30, 90)


@require_GET
@login_required
def chat_report(request: HttpRequest) -> HttpResponse:
    """Chats per day by outcome (answered, not answered, live), waits and handle times; each count links to its tickets."""
    viewer = _staff(request)
    tz = timezone.get_current_timezone()
    days, first, last = last_days(request.GET.get("days"), choices=REPORT_DAYS, default=14, tz=tz)
    rows = report.chats_per_day(viewer=viewer, first=first, last=last, tz=tz)
    totals = report.chat_totals(rows)
    chart = charts.outcomes_per_day(
        rows, outcomes=[("answered", "Answered", "#2563eb"), ("not_answered", "Not answered", "#ef4444")],
        unit="chats", title="Chats per day by outcome") if totals.started else None
    return render(request, "chat/report.html", {
        "nav": "chat", "rows": rows, "totals": totals, "days": days, "days_choices": REPORT_DAYS, "chart": chart,
        "agents": report.chat_agents(viewer=viewer, days=totals) if totals.answered else [],
        "tz_name": str(tz)})


@require_POST
@login_required
def chat_accept(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer = _staff(request)
    chat = selectors.chat_get_for_viewer(chat_id=chat_id, viewer=viewer)
    try:
        services.accept_chat(chat=chat, agent=viewer)
    except (Conflict, TransitionNotAllowed) as exc:
        return _problem(request, 409, exc.reason)
    watcher.poke()
    return redirect("chat:workspace", chat.pk)


@require_GET
@login_required
def chat_workspace(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer = _staff(request)
    chat = selectors.chat_get_for_viewer(chat_id=chat_id, viewer=viewer)
    entries, seq = selectors.chat_news(chat=chat, after=0, for_customer=False)
    mine = list(selectors.chats_held_by(agent=viewer))
    holds = chat.state == ChatState.ACTIVE and chat.agent_id == viewer.pk
    may_move = chat.state == ChatState.ACTIVE and (holds or viewer.role in LEADS)
    context = {
        "nav": "chat", "chat": chat, "entries": entries, "seq": seq, "mine": mine, "holds": holds, "may_move": may_move,
        "targets": selectors.transfer_targets(chat=chat, viewer=viewer) if may_move else [],
        "queues": Queue.objects.order_by("name") if may_move else [],
        "capacity": selectors.chat_capacity(agent=viewer), "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
        "waiting_s": (timezone.now() - chat.waiting_since).total_seconds() if chat.state == ChatState.WAITING else None,
    }
    return render(request, "chat/workspace.html", context)


def _held(request: HttpRequest, chat_id: int) -> tuple[User, Chat]:
    viewer = _staff(request)
    return viewer, selectors.chat_get_for_viewer(chat_id=chat_id, viewer=viewer, related=selectors.LIVE_RELATED)


@require_POST
@login_required
def chat_say(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer, chat = _held(request, chat_id)
    try:
        entry = services.chat_agent_says(chat=chat, agent=viewer, text=request.POST.get("text", ""))
    except ValidationError as exc:
        errors = exc.message_dict
        return _problem(request, 422, next(iter(errors.values()))[0], errors, "chat:workspace", chat.pk)
    except (Conflict, TransitionNotAllowed) as exc:
        return _problem(request, 409, exc.reason, None, "chat:workspace", chat.pk)
    except PermissionDenied as exc:  # the chat moved to someone else while the tab was open
        return _problem(request, 403, str(exc) or "This chat is not yours to write in.", None, "chat:workspace", chat.pk)
    watcher.poke()
    if _wants_json(request):
        return JsonResponse({"seq": entry.seq}, status=201)
    return redirect("chat:workspace", chat.pk)


@require_POST
@login_required
def chat_typing(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer, chat = _held(request, chat_id)
    if chat.agent_id != viewer.pk:
        raise PermissionDenied("Only the agent holding this chat types in it.")
    services.chat_typing(chat=chat, side=EntryAuthor.AGENT)
    watcher.poke()
    return HttpResponse(status=204)


@require_POST
@login_required
def chat_transfer(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer, chat = _held(request, chat_id)
    target = request.POST.get("to", "")
    to_agent = to_queue = None
    kind, _, pk = target.partition(":")
    if kind == "agent" and pk.isdigit():
        to_agent = User.objects.filter(pk=int(pk), role__in=STAFF_ROLES, is_active=True).first()
    elif kind == "queue" and pk.isdigit():
        to_queue = Queue.objects.filter(pk=int(pk)).first()
    try:
        if to_agent is None and to_queue is None:
            raise ValidationError({"to": ["Choose an agent or a queue to transfer the chat to."]})
        services.chat_transfer(chat=chat, actor=viewer, to_agent=to_agent, to_queue=to_queue)
    except ValidationError as exc:
        return _problem(request, 422, next(iter(exc.message_dict.values()))[0], exc.message_dict, "chat:workspace", chat.pk)
    except (Conflict, TransitionNotAllowed) as exc:
        return _problem(request, 409, exc.reason, None, "chat:workspace", chat.pk)
    watcher.poke()
    messages.success(request, f"Chat with {chat.customer.name or chat.customer.email} transferred.")
    return redirect("chat:queue")


@require_POST
@login_required
def chat_end(request: HttpRequest, chat_id: int) -> HttpResponse:
    viewer, chat = _held(request, chat_id)
    try:
        services.chat_end(chat=chat, by=EndedBy.AGENT, actor=viewer, solve=request.POST.get("solve") == "on")
    except ValidationError as exc:
        return _problem(request, 422, next(iter(exc.message_dict.values()))[0], exc.message_dict, "chat:workspace", chat.pk)
    except (Conflict, TransitionNotAllowed) as exc:
        return _problem(request, 409, exc.reason, None, "chat:workspace", chat.pk)
    watcher.poke()
    messages.success(request, f"Chat with {chat.customer.name or chat.customer.email} ended.")
    return redirect("chat:workspace", chat.pk)


def _agent_view(viewer: User, chat_id: int | None, after: int) -> dict[str, Any]:
    """What an agent tab shows live: their chats, the waiting queue, the open chat's new entries.

    Usually one query (their chats and the open one together; the waiting queue is not read while
    this process's watcher knows that no chat waits) plus the entries when there are new ones.
    """
    now = timezone.now()
    rows = selectors.chats_for_agent_tab(agent=viewer, chat_id=chat_id)
    mine = [{"id": c.pk, "name": selectors.customer_label(c), "customer_seq": c.customer_seq,
             "typing": selectors.typing_now(c.customer_typing_at, now=now)}
            for c in rows if c.agent_id == viewer.pk and c.state == ChatState.ACTIVE]
    waiting = ([] if watcher.nothing_waiting()
               else list(selectors.chat_waiting_for_viewer(viewer=viewer).values_list("id", flat=True)[:200]))
    view: dict[str, Any] = {"mine": mine, "waiting": len(waiting), "waiting_ids": waiting}
    if chat_id is not None:
        chat = next((c for c in rows if c.pk == chat_id), None)
        if chat is None or not selectors.chat_plainly_visible(chat, viewer):
            chat = selectors.chat_get_for_viewer(chat_id=chat_id, viewer=viewer, related=selectors.LIVE_RELATED)
        entries, seq = selectors.chat_news(chat=chat, after=after, for_customer=False)
        view["chat"] = {"id": chat.pk, "state": chat.state, "seq": seq, "more": seq < chat.seq, "pulse": chat.pulse,
                        "holds": chat.state == ChatState.ACTIVE and chat.agent_id == viewer.pk,
                        "agent": selectors.agent_label(chat, for_customer=False),
                        "customer_typing": selectors.typing_now(chat.customer_typing_at, now=now) and chat.state != ChatState.ENDED,
                        "entries": [e.as_json() for e in entries]}
    view["sig"] = _signature(view)
    return view


def _signature(view: dict[str, Any]) -> str:
    parts = [f"{c['id']}.{c['customer_seq']}.{int(c['typing'])}" for c in view["mine"]] + ["w" + ",".join(map(str, view["waiting_ids"]))]
    if "chat" in view:
        parts.append(f"c{view['chat']['state']}.{view['chat']['pulse']}.{view['chat']['agent']}")
    return "|".join(parts)


async def agent_poll(request: HttpRequest) -> HttpResponse:
    """Long poll for an agent tab: the open chat's entries after ``after``, their chats and the waiting count.

    Answers at once when anything differs from the client's ``sig`` (or the open chat has new
    entries), else within ``wait`` seconds (at most 30).
    """

    def check() -> tuple[User, int | None, int, str, float]:
        user = request.user  # resolved here, in a thread: the session is read from the database
        if not user.is_authenticated:
            raise PermissionDenied("Sign in again.")
        viewer = _staff(request)
        raw_chat = request.GET.get("chat", "")
        chat_id = int(raw_chat) if raw_chat.isascii() and raw_chat.isdecimal() else None  # not "²": int() refuses it
        after_raw = request.GET.get("after", "0")
        after = int(after_raw) if after_raw.isascii() and after_raw.isdecimal() else 0
        wait_raw = request.GET.get("wait", "25")
        wait = min(float(wait_raw), 30.0) if wait_raw.isascii() and wait_raw.replace(".", "", 1).isdecimal() else 25.0
        return viewer, chat_id, after, request.GET.get("sig", ""), wait

    try:
        viewer, chat_id, after, sig, wait = await db_call(check)()
    except PermissionDenied as exc:
        return JsonResponse({"detail": str(exc) or "Not allowed.", "errors": []}, status=403)
    except Http404:
        return JsonResponse({"detail": "No such chat.", "errors": []}, status=404)

    def read() -> dict[str, Any]:
        return _agent_view(viewer, chat_id, after)

    def news(view: dict[str, Any]) -> bool:
        return view["sig"] != sig or bool(view.get("chat", {}).get("entries"))

    chat_ids = frozenset({chat_id}) if chat_id is not None else frozenset()
    try:  # the first read answers 404 for a chat the viewer may not see
        view = await wait_for_news(chat_ids=chat_ids, agent_id=viewer.pk, wait_s=wait, read=db_call(read), has_news=news)
    except Http404:
        return JsonResponse({"detail": "No such chat.", "errors": []}, status=404)
    view.pop("waiting_ids", None)
    response = JsonResponse(view)
    response["Cache-Control"] = "no-store, private"
    return response
