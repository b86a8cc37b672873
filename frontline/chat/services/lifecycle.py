"""Ending idle chats (periodic) and the desk listener that keeps a live chat's ticket open."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError

from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.models import EventKind, StatusCategory, TicketEvent

from .. import selectors
from ..models import Chat, ChatState, EndedBy
from ._common import _now
from .agents import chat_end

log = logging.getLogger(__name__)


def chats_end_idle(*, now: datetime | None = None) -> int:
    """End the live chats whose widget went quiet for CHAT_IDLE_END_S (periodic). Returns how many.

    A chat that cannot be ended (its ticket refuses the wrap-up: required fields, say) is logged
    and left for the next run; it does not keep the others from ending.
    """
    now = _now(now)
    ended = 0
    for chat_id in selectors.chats_idle(now=now):
        chat = Chat.objects.filter(pk=chat_id).first()
        if chat is None:
            continue
        try:
            chat_end(chat=chat, by=EndedBy.TIMEOUT, at=now)
        except (Conflict, TransitionNotAllowed, ValidationError, PermissionDenied):
            log.exception("chat: ending idle chat %s failed", chat_id)
            continue
        ended += 1
    return ended


def live_chat_guard(event: TicketEvent) -> None:
    """Desk listener (``ChatConfig.ready``): a ticket whose chat is live is neither merged nor closed.

    The chat writes to its ticket until it ends (the customer's lines, the wrap-up note), and a
    closed ticket takes no more writes: the chat could not end. The merge or close is refused
    (409, rolled back with it): end the chat first.
    """
    if event.kind == EventKind.MERGED:
        refuse: type[Exception] = Conflict
    elif event.kind == EventKind.STATUS_CHANGED and event.payload.get("to_category") == StatusCategory.CLOSED:
        refuse = TransitionNotAllowed
    else:
        return
    if Chat.objects.filter(ticket_id=event.ticket_id, state__in=[ChatState.WAITING, ChatState.ACTIVE]).exists():
        raise refuse(f"Ticket #{event.ticket_id} is a live chat: end the chat first.")
