"""Live chats (staff, read-only): list with filters and read one, with wait and handle time.

A chat is seen by whoever may see its ticket (``chat.selectors.chat_queryset_for_viewer``): every
filter and cursor runs inside that scope. The conversation itself is the ticket's
(``GET /tickets/{id}/messages``); accepting, transferring and ending stay in the chat workspace.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from frontline.chat.models import Chat
from frontline.chat.selectors import chat_get_for_viewer, chat_queryset_for_viewer

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import PageParams, by_time, paginate
from .schemas import CustomerRef, Id, Moment, PersonRef

router = Router(tags=["chat"])

BY_STARTED_DESC = by_time("started_at", descending=True)


class ChatOut(Schema):
    id: int
    ticket_id: int
    state: Literal["waiting", "active", "ended"]
    customer: CustomerRef
    agent: PersonRef | None = Field(description="Who holds (or last held) the chat.")
    queue_id: int | None
    widget_id: int | None
    origin: str = Field(description="The site the widget ran on.")
    started_at: datetime
    waiting_since: datetime
    accepted_at: datetime | None
    ended_at: datetime | None
    ended_by: str = Field(description="customer, agent, left_message, timeout; empty while live.")
    wait_seconds: int = Field(description="Start to first acceptance, plus any wait after a transfer to a queue.")
    handle_seconds: int = Field(description="The agents' segments, summed (closed segments).")


class ChatPage(Schema):
    items: list[ChatOut]
    next_cursor: str | None


class ChatListParams(PageParams):
    state: Literal["waiting", "active", "ended"] | None = None
    agent_id: Id | None = None
    queue_id: Id | None = None
    ticket_id: Id | None = None
    started_from: Moment | None = Field(None, description="Started at or after this time.")
    started_to: Moment | None = Field(None, description="Started before this time.")


def chat_out(c: Chat) -> ChatOut:
    return ChatOut(
        id=c.pk, ticket_id=c.ticket_id, state=c.state,  # type: ignore[arg-type]
        customer=CustomerRef(id=c.customer.pk, name=c.customer.name, email=c.customer.email),
        agent=PersonRef(id=c.agent.pk, name=c.agent.display_name) if c.agent else None,
        queue_id=c.queue_id, widget_id=c.widget_id, origin=c.origin, started_at=c.started_at,
        waiting_since=c.waiting_since, accepted_at=c.accepted_at, ended_at=c.ended_at, ended_by=c.ended_by,
        wait_seconds=c.wait_seconds, handle_seconds=c.handle_seconds,
    )


@router.get("", response={200: ChatPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Chats on the tickets you may see, newest first (staff)")
def chat_list(request: HttpRequest, params: Query[ChatListParams]) -> ChatPage:
    chats = chat_queryset_for_viewer(viewer=viewer_of(request)).select_related("customer", "agent")
    exact = {"state": params.state, "agent_id": params.agent_id, "queue_id": params.queue_id,
             "ticket_id": params.ticket_id, "started_at__gte": params.started_from, "started_at__lt": params.started_to}
    chats = chats.filter(**{k: v for k, v in exact.items() if v is not None})
    page = paginate(chats, keyset=BY_STARTED_DESC, limit=params.limit, cursor=params.cursor)
    return ChatPage(items=[chat_out(c) for c in page.items], next_cursor=page.next_cursor)


@router.get("/{chat_id}", response={200: ChatOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="Read a chat (staff)")
def chat_read(request: HttpRequest, chat_id: int) -> ChatOut:
    if not valid_id(chat_id):
        raise Http404("No such chat.")
    return chat_out(chat_get_for_viewer(chat_id=chat_id, viewer=viewer_of(request)))
