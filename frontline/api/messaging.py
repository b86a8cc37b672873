"""Messaging conversations (staff): the conversations, their messages (what came in, what went out
and how its delivery went), sending a reply, and the delivery log.

Scoped by the desk's ticket visibility (``messaging.selectors.*_for_viewer``): a conversation,
message or delivery on a ticket the caller may not see is a 404 and never counts in a list.
A reply is ``desk.services.ticket_reply`` (a public agent reply, a ``replied`` event); the
messaging hook queues it for the connector's outbound webhook, exactly as a reply from the desk.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from frontline.desk.models import AuthorKind, Message
from frontline.desk.selectors import ticket_get_for_viewer
from frontline.desk.services import ticket_reply
from frontline.messaging import selectors, services
from frontline.messaging.models import Delivery, DeliveryStatus, Platform, Thread
from frontline.messaging.services import TEXT_MAX

from .auth import staff_auth, viewer_of
from .errors import error_responses
from .lookups import valid_id
from .pagination import BY_CREATED_ASC, BY_CREATED_DESC, BY_ID_DESC, PageParams, paginate
from .schemas import Id

router = Router(tags=["messaging"])

PlatformName = Literal["whatsapp", "messenger", "instagram", "x", "telegram", "sms", "other"]
StatusName = Literal["pending", "retrying", "delivered", "failed"]


class ConnectorRef(Schema):
    id: int
    name: str
    platform: Platform


class ContactOut(Schema):
    id: int
    name: str
    external_user_id: str
    customer_id: int


class ConversationOut(Schema):
    id: int
    ticket_id: int
    connector: ConnectorRef
    external_conversation_id: str
    contact: ContactOut
    created_at: datetime
    last_inbound_at: datetime


class ConversationPage(Schema):
    items: list[ConversationOut]
    next_cursor: str | None


class ConversationListParams(PageParams):
    ticket_id: Id | None = None
    connector_id: Id | None = None
    platform: PlatformName | None = None


class AttemptOut(Schema):
    number: int
    started_at: datetime
    status_code: int | None
    latency_ms: int
    ok: bool
    error: str


class DeliveryOut(Schema):
    id: int
    ticket_id: int
    conversation_id: int
    message_id: int
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    last_error: str
    created_at: datetime
    tries: list[AttemptOut]


class DeliveryPage(Schema):
    items: list[DeliveryOut]
    next_cursor: str | None


class DeliveryListParams(PageParams):
    status: StatusName | None = None
    connector_id: Id | None = None
    ticket_id: Id | None = None


class DeliveryStateOut(Schema):
    id: int
    status: DeliveryStatus
    attempts: int
    delivered_at: datetime | None
    last_error: str


class AttachmentLink(Schema):
    url: str
    name: str = ""
    content_type: str = ""


class ConversationMessageOut(Schema):
    id: int
    direction: Literal["inbound", "outbound"] = Field(description="inbound: the customer's; outbound: an agent's reply.")
    author_name: str
    body_text: str
    created_at: datetime
    external_message_id: str = Field(description="The platform's id of an inbound message.")
    sent_at: datetime | None = Field(description="When the platform says an inbound message was sent.")
    attachments: list[AttachmentLink] = Field(description="Links as received; never fetched.")
    delivery: DeliveryStateOut | None = Field(description="How an outbound reply's delivery went.")


class ConversationMessagePage(Schema):
    items: list[ConversationMessageOut]
    next_cursor: str | None


class ReplyIn(Schema):
    body: Annotated[str, Field(min_length=1, max_length=TEXT_MAX)] = Field(description="Plain text, sent as written.")


def conversation_out(t: Thread) -> ConversationOut:
    return ConversationOut(
        id=t.pk, ticket_id=t.ticket_id,
        connector=ConnectorRef(id=t.connector.pk, name=t.connector.name, platform=t.connector.platform),
        external_conversation_id=t.external_conversation_id,
        contact=ContactOut(id=t.contact.pk, name=t.contact.display_name, external_user_id=t.contact.external_user_id,
                           customer_id=t.contact.customer_id),
        created_at=t.created_at, last_inbound_at=t.last_inbound_at)


def _delivery_state(d: Delivery) -> DeliveryStateOut:
    return DeliveryStateOut(id=d.pk, status=d.status, attempts=d.attempts, delivered_at=d.delivered_at,
                            last_error=d.last_error)


def delivery_out(d: Delivery) -> DeliveryOut:
    return DeliveryOut(
        id=d.pk, ticket_id=d.thread.ticket_id, conversation_id=d.thread_id, message_id=d.message_id, status=d.status,
        attempts=d.attempts, next_attempt_at=d.next_attempt_at, delivered_at=d.delivered_at, last_error=d.last_error,
        created_at=d.created_at,
        tries=[AttemptOut(number=a.number, started_at=a.started_at, status_code=a.status_code, latency_ms=a.latency_ms,
                          ok=a.ok, error=a.error) for a in d.attempt_log.all()])


def _related(message: Message, name: str) -> Any:
    try:
        return getattr(message, name)
    except ObjectDoesNotExist:  # no such reverse one-to-one row
        return None


def message_out(m: Message) -> ConversationMessageOut:
    inbound, delivery = _related(m, "inbound_messaging"), _related(m, "messaging_delivery")
    if m.author_user is not None:
        author = m.author_user.display_name
    elif m.author_customer is not None:
        author = m.author_customer.name
    else:
        author = "Frontline"
    return ConversationMessageOut(
        id=m.pk, direction="inbound" if m.author_kind == AuthorKind.CUSTOMER else "outbound", author_name=author,
        body_text=m.body_text, created_at=m.created_at,
        external_message_id=inbound.external_message_id if inbound else "",
        sent_at=inbound.sent_at if inbound else None,
        attachments=[AttachmentLink(**a) for a in (inbound.attachments if inbound else [])],
        delivery=_delivery_state(delivery) if delivery else None)


def _thread(request: HttpRequest, conversation_id: int) -> Thread:
    if not valid_id(conversation_id):
        raise Http404("No such conversation.")
    return selectors.thread_get_for_viewer(thread_id=conversation_id, viewer=viewer_of(request))


def _delivery(request: HttpRequest, delivery_id: int) -> Delivery:
    if not valid_id(delivery_id):
        raise Http404("No such delivery.")
    return selectors.delivery_get_for_viewer(delivery_id=delivery_id, viewer=viewer_of(request))


@router.get("/conversations", response={200: ConversationPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Conversations on the tickets you may see, newest first (staff)")
def conversation_list(request: HttpRequest, params: Query[ConversationListParams]) -> ConversationPage:
    threads = selectors.threads_for_viewer(viewer=viewer_of(request))
    if params.ticket_id is not None:
        threads = threads.filter(ticket_id=params.ticket_id)
    if params.connector_id is not None:
        threads = threads.filter(connector_id=params.connector_id)
    if params.platform is not None:
        threads = threads.filter(connector__platform=params.platform)
    page = paginate(threads, keyset=BY_ID_DESC, limit=params.limit, cursor=params.cursor)
    return ConversationPage(items=[conversation_out(t) for t in page.items], next_cursor=page.next_cursor)


@router.get("/conversations/{conversation_id}", response={200: ConversationOut, **error_responses(403, 404)},
            auth=staff_auth, summary="Read a conversation (staff)")
def conversation_read(request: HttpRequest, conversation_id: int) -> ConversationOut:
    return conversation_out(_thread(request, conversation_id))


@router.get("/conversations/{conversation_id}/messages",
            response={200: ConversationMessagePage, **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="A conversation's messages, oldest first, with each reply's delivery (staff)")
def conversation_messages(request: HttpRequest, conversation_id: int,
                          params: Query[PageParams]) -> ConversationMessagePage:
    thread = _thread(request, conversation_id)
    page = paginate(selectors.thread_messages(thread=thread), keyset=BY_CREATED_ASC, limit=params.limit,
                    cursor=params.cursor)
    return ConversationMessagePage(items=[message_out(m) for m in page.items], next_cursor=page.next_cursor)


@router.post("/conversations/{conversation_id}/replies",
             response={201: ConversationMessageOut, **error_responses(403, 404, 409, 422)}, auth=staff_auth,
             summary="Reply in a conversation: a public reply on its ticket, sent through the outbound webhook (staff)")
def conversation_reply(request: HttpRequest, conversation_id: int, payload: ReplyIn) -> Status[ConversationMessageOut]:
    viewer = viewer_of(request)
    thread = _thread(request, conversation_id)
    ticket = ticket_get_for_viewer(ticket_id=thread.ticket_id, viewer=viewer)
    message = ticket_reply(ticket=ticket, author=viewer, body=payload.body, public=True)
    return Status(201, message_out(selectors.thread_messages(thread=thread).get(pk=message.pk)))


@router.get("/deliveries", response={200: DeliveryPage, **error_responses(403, 422)}, auth=staff_auth,
            summary="Replies sent through connectors, on the tickets you may see, newest first (staff)")
def delivery_list(request: HttpRequest, params: Query[DeliveryListParams]) -> DeliveryPage:
    deliveries = selectors.deliveries_for_viewer(viewer=viewer_of(request))
    if params.status is not None:
        deliveries = deliveries.filter(status=params.status)
    if params.connector_id is not None:
        deliveries = deliveries.filter(thread__connector_id=params.connector_id)
    if params.ticket_id is not None:
        deliveries = deliveries.filter(thread__ticket_id=params.ticket_id)
    page = paginate(deliveries, keyset=BY_CREATED_DESC, limit=params.limit, cursor=params.cursor)
    return DeliveryPage(items=[delivery_out(d) for d in page.items], next_cursor=page.next_cursor)


@router.get("/deliveries/{delivery_id}", response={200: DeliveryOut, **error_responses(403, 404)}, auth=staff_auth,
            summary="Read a delivery and its tries (staff)")
def delivery_read(request: HttpRequest, delivery_id: int) -> DeliveryOut:
    return delivery_out(_delivery(request, delivery_id))


@router.post("/deliveries/{delivery_id}/retry", response={200: DeliveryOut, **error_responses(403, 404, 422)},
             auth=staff_auth, summary="Send a failed delivery again (managers, admins, the reply's author)")
def delivery_retry(request: HttpRequest, delivery_id: int) -> DeliveryOut:
    delivery = _delivery(request, delivery_id)
    services.delivery_retry(delivery=delivery, actor=viewer_of(request))
    return delivery_out(_delivery(request, delivery_id))
