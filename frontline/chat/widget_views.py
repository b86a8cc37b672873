"""The widget's endpoints (JSON, cross-origin): config, start, leave a message, poll, say, typing, end, transcript.

Security model (docs/chat.md):

- CORS for these endpoints only: a browser request whose ``Origin`` is not one of the widget's
  allowed origins (or Frontline's own) is refused with 403, and only allowed origins get
  ``Access-Control-Allow-Origin``. No cookies are used (the widget sends none: ``credentials:
  "omit"``), so there is nothing for a forged cross-site request to ride on: CSRF protection is
  the per-chat secret token, sent in the ``X-Chat-Token`` header, which a third-party page cannot
  know. A missing, wrong or expired token is 403.
- Errors have the API's shape: ``{"detail": "...", "errors": [{"field": "text", "message": "..."}]}``;
  a message over the size limit is 422 naming ``text``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from frontline.core.http import json_error
from frontline.desk.errors import Conflict, TransitionNotAllowed

from . import selectors, services
from .live import db_call, wait_for_news, watcher, watching
from .models import Chat, ChatState, ChatWidget, EndedBy, EntryAuthor

WIDGET_JS = Path(__file__).resolve().parent.parent / "static" / "frontline" / "chat-widget.js"
TOKEN_HEADER = "X-Chat-Token"
POLL_WAIT_MAX_S = 30.0
BODY_MAX_BYTES = 64 * 1024
ORIGIN_REFUSED = "This site may not use this chat widget (add its origin to the widget's allowed origins)."


def _own_origins(request: HttpRequest) -> set[str]:
    base = urlsplit(settings.FRONTLINE_BASE_URL)
    return {f"{base.scheme}://{base.netloc}".lower(), f"{request.scheme}://{request.get_host()}".lower()}


def origin_allowed(request: HttpRequest, widget: ChatWidget) -> bool:
    """A request without ``Origin`` (not a cross-site browser request) or from an allowed origin."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    origin = origin.strip().rstrip("/").lower()
    return origin in widget.origins() or origin in _own_origins(request)


def _cors(request: HttpRequest, response: HttpResponse, widget: ChatWidget | None) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin and widget is not None and origin_allowed(request, widget):
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Expose-Headers"] = "Content-Type"
    response["Vary"] = "Origin"
    response["Cache-Control"] = "no-store"
    return response


def _body(request: HttpRequest) -> dict[str, Any]:
    if len(request.body) > BODY_MAX_BYTES:
        raise ValidationError({"text": [f"This message is too long; the limit is {settings.CHAT_MESSAGE_MAX_CHARS:,} characters."]})
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationError({"body": ["Send a JSON object."]}) from None
    if not isinstance(data, dict):
        raise ValidationError({"body": ["Send a JSON object."]})
    return data


def _exception_response(exc: Exception) -> HttpResponse:
    if isinstance(exc, ValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        return json_error(422, next(iter(errors.values()))[0], errors)
    if isinstance(exc, PermissionDenied):
        return json_error(403, str(exc) or "Not allowed.")
    if isinstance(exc, Http404):
        return json_error(404, str(exc) or "Not found.")
    if isinstance(exc, services.NoAgentAvailable):
        return json_error(409, str(exc), offline=True)
    assert isinstance(exc, (Conflict, TransitionNotAllowed))
    return json_error(409, exc.reason)


HANDLED = (ValidationError, PermissionDenied, Http404, Conflict, TransitionNotAllowed, services.NoAgentAvailable)


def _widget_for(request: HttpRequest, key: str) -> ChatWidget:
    widget = selectors.widget_get(key=key)
    if not origin_allowed(request, widget):
        raise PermissionDenied(ORIGIN_REFUSED)
    return widget


def _handle(request: HttpRequest, key: str, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    """Run ``action(widget)`` for the widget ``key``: preflight, origin check, errors as JSON with CORS headers."""
    widget: ChatWidget | None = None
    try:
        widget = _widget_for(request, key)
        if request.method == "OPTIONS":
            response: HttpResponse = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = f"Content-Type, {TOKEN_HEADER}"
            response["Access-Control-Max-Age"] = "600"
        else:
            response = action(widget)
    except HANDLED as exc:
        response = _exception_response(exc)
    return _cors(request, response, widget)


def _chat(request: HttpRequest, widget: ChatWidget, chat_id: int) -> Chat:
    return selectors.chat_get_for_token(widget=widget, chat_id=chat_id, token=request.headers.get(TOKEN_HEADER, ""))


def _live_chat(request: HttpRequest, key: str, chat_id: int) -> Chat:
    """The chat the request's token opens, with its widget (``chat.widget``), checked like ``_widget_for`` then
    ``_chat`` (the same errors in the same order) in one read of the database."""
    chat = selectors.chat_of_widget(key=key, chat_id=chat_id)
    if chat is None:
        _widget_for(request, key)  # 404 for no such widget, 403 for a site it does not serve
        raise PermissionDenied("This chat session is not valid.")
    if not origin_allowed(request, chat.widget):
        raise PermissionDenied(ORIGIN_REFUSED)
    return selectors.chat_token_checked(chat, request.headers.get(TOKEN_HEADER, ""), timezone.now())


def _handle_chat(request: HttpRequest, key: str, chat_id: int, action) -> HttpResponse:  # type: ignore[no-untyped-def]
    """``_handle`` for the endpoints of one chat: ``action(chat)`` with the chat the token opens."""
    if request.method == "OPTIONS":  # a preflight carries no token
        return _handle(request, key, lambda widget: None)
    chat: Chat | None = None
    try:
        chat = _live_chat(request, key, chat_id)
        response = action(chat)
    except HANDLED as exc:
        response = _exception_response(exc)
    widget = chat.widget if chat is not None else ChatWidget.objects.filter(key=key, enabled=True).first()
    return _cors(request, response, widget)


def _method(request: HttpRequest, *allowed: str) -> None:
    if request.method not in allowed:
        raise ValidationError({"method": [f"Use {' or '.join(allowed)}."]})


def widget_js(request: HttpRequest) -> HttpResponse:
    """The widget script for ``<script src=".../chat/widget.js" data-widget="KEY" async>`` (cached 5 minutes)."""
    response = HttpResponse(WIDGET_JS.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@csrf_exempt
def widget_config(request: HttpRequest, key: str) -> HttpResponse:
    def action(widget: ChatWidget) -> HttpResponse:
        _method(request, "GET")
        return JsonResponse({"title": widget.title, "greeting": widget.greeting,
                             "agents_available": selectors.agents_available_for(widget=widget),
                             "max_chars": settings.CHAT_MESSAGE_MAX_CHARS,
                             "typing_s": settings.CHAT_TYPING_S})
    return _handle(request, key, action)


@csrf_exempt
def chat_start(request: HttpRequest, key: str) -> HttpResponse:
    def action(widget: ChatWidget) -> HttpResponse:
        _method(request, "POST")
        data = _body(request)
        started = services.chat_start(widget=widget, name=data.get("name", ""), email=data.get("email", ""),
                                      text=data.get("text", ""), origin=request.headers.get("Origin", ""))
        watcher.poke()
        return JsonResponse({"chat_id": started.chat.pk, "token": started.token, "ticket": started.chat.ticket_id},
                            status=201)
    return _handle(request, key, action)


@csrf_exempt
def leave_message(request: HttpRequest, key: str) -> HttpResponse:
    def action(widget: ChatWidget) -> HttpResponse:
        _method(request, "POST")
        data = _body(request)
        chat_id = _int(data.get("chat_id"), 0, "chat_id")
        if chat_id:  # gave up waiting in a chat: the chat's ticket keeps the messages, answered by email
            chat = _chat(request, widget, chat_id)
            with transaction.atomic():  # the last words and the end, or neither
                if data.get("text"):
                    services.chat_customer_says(chat=chat, text=data.get("text", ""))
                services.chat_end(chat=chat, by=EndedBy.LEFT_MESSAGE)
            watcher.poke()
            return JsonResponse({"ticket": chat.ticket_id}, status=201)
        ticket = services.chat_leave_message(widget=widget, name=data.get("name", ""), email=data.get("email", ""),
                                             text=data.get("text", ""))
        return JsonResponse({"ticket": ticket.pk}, status=201)
    return _handle(request, key, action)


def _customer_view(chat: Chat, after: int) -> dict[str, Any]:
    now = timezone.now()
    entries, seq = selectors.chat_news(chat=chat, after=after, for_customer=True)
    agent = selectors.agent_label(chat, for_customer=True)
    return {"state": chat.state, "seq": seq, "more": seq < chat.seq, "pulse": chat.pulse,
            "agent": {"name": agent} if agent and chat.state == ChatState.ACTIVE else None,
            "agent_typing": selectors.typing_now(chat.agent_typing_at, now=now) and chat.state == ChatState.ACTIVE,
            "survey_url": chat.survey_url if chat.state == ChatState.ENDED else "",
            "entries": [e.as_json() for e in entries]}


def _int(value: object, default: int, field: str) -> int:
    """A whole number from a query string or a JSON body (422 naming ``field`` otherwise)."""
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError({field: ["Give a whole number."]})
    try:
        return int(value)
    except ValueError:
        raise ValidationError({field: ["Give a whole number."]}) from None


@csrf_exempt
async def chat_poll(request: HttpRequest, key: str, chat_id: int) -> HttpResponse:
    """Long poll: the chat's entries after ``after`` once there are any (or its typing pulse moved), else after ``wait`` s."""
    if request.method == "OPTIONS":
        return await sync_to_async(_handle)(request, key, lambda widget: HttpResponse(status=204))

    def check() -> tuple[Chat, int, int, float]:
        chat = _live_chat(request, key, chat_id)
        _method(request, "GET")
        after = _int(request.GET.get("after"), 0, "after")
        pulse = _int(request.GET.get("pulse"), -1, "pulse")
        wait = min(max(float(_int(request.GET.get("wait"), 25, "wait")), 0.0), POLL_WAIT_MAX_S)
        services.chat_customer_seen(chat=chat)
        return chat, after, pulse, wait

    with watching(chat_ids=frozenset({chat_id}), agent_id=None) as waiter:  # before the check's read: no change missed
        try:
            checked, after, pulse, wait = await db_call(check)()
        except HANDLED as exc:
            widget = await sync_to_async(ChatWidget.objects.filter(key=key).first)()
            return _cors(request, _exception_response(exc), widget)
        first: list[Chat] = [checked]  # the first read answers from the chat the check read

        def read() -> dict[str, Any]:
            chat = first.pop() if first else selectors.live_chat(chat_id=chat_id)
            return _customer_view(chat, after)

        view = await wait_for_news(chat_ids=frozenset({chat_id}), agent_id=None, wait_s=wait, read=db_call(read),
                                   has_news=lambda v: v["seq"] > after or v["pulse"] != pulse, waiter=waiter)
    return _cors(request, JsonResponse(view), checked.widget)


@csrf_exempt
def chat_say(request: HttpRequest, key: str, chat_id: int) -> HttpResponse:
    def action(chat: Chat) -> HttpResponse:
        _method(request, "POST")
        data = _body(request)
        entry = services.chat_customer_says(chat=chat, text=data.get("text", ""))
        watcher.poke()
        return JsonResponse({"seq": entry.seq}, status=201)
    return _handle_chat(request, key, chat_id, action)


@csrf_exempt
def chat_typing(request: HttpRequest, key: str, chat_id: int) -> HttpResponse:
    def action(chat: Chat) -> HttpResponse:
        _method(request, "POST")
        services.chat_typing(chat=chat, side=EntryAuthor.CUSTOMER)
        watcher.poke()
        return HttpResponse(status=204)
    return _handle_chat(request, key, chat_id, action)


@csrf_exempt
def chat_end(request: HttpRequest, key: str, chat_id: int) -> HttpResponse:
    def action(chat: Chat) -> HttpResponse:
        _method(request, "POST")
        chat = services.chat_end(chat=chat, by=EndedBy.CUSTOMER)
        watcher.poke()
        return JsonResponse({"state": chat.state})
    return _handle_chat(request, key, chat_id, action)


@csrf_exempt
def chat_transcript(request: HttpRequest, key: str, chat_id: int) -> HttpResponse:
    def action(chat: Chat) -> HttpResponse:
        _method(request, "POST")
        services.chat_transcript_request(chat=chat)
        return JsonResponse({"email": chat.customer.email, "when": "now" if chat.state == ChatState.ENDED else "at the end"},
                            status=202)
    return _handle_chat(request, key, chat_id, action)


def demo_page(request: HttpRequest) -> HttpResponse:
    """A plain page with the demo widget on it (what a company's site looks like with the script tag)."""
    widget = ChatWidget.objects.filter(enabled=True).order_by("id").first()
    return render(request, "chat/demo.html", {"widget": widget, "base_url": settings.FRONTLINE_BASE_URL})
