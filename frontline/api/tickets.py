"""Ticket endpoints: list, read, create, update, merge, messages and events.

Every ticket is fetched through ``desk.selectors`` (a ticket the caller may not see is a 404)
and every write is one call of a ``desk.services`` function, which runs in one transaction.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Query, Router, Status

from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email
from frontline.desk.models import (
    CUSTOMER_STATE,
    Message,
    Queue,
    StatusCategory,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.desk.models import Status as TicketStatus
from frontline.desk.selectors import (
    CustomerTicketFilters,
    TicketFilters,
    ticket_events_for_viewer,
    ticket_get_for_viewer,
    ticket_list_for_customer,
    ticket_list_for_viewer,
    ticket_messages_for_viewer,
    ticket_queryset_for_viewer,
)
from frontline.desk.services import (
    TicketChanges,
    atomic_with_files,
    status_default,
    ticket_create,
    ticket_merge,
    ticket_reply,
    ticket_update,
)
from frontline.people.models import STAFF_ROLES, Team, User

from .auth import any_auth, staff_auth, viewer_of
from .errors import error_responses, rename_fields
from .lookups import referenced, valid_id
from .pagination import BY_CREATED_ASC, BY_UPDATED_DESC, Keyset, PageParams, paginate
from .schemas import (
    CUSTOMER_VIEWS,
    STAFF_LIST_PARAMS,
    AttachmentOut,
    CustomerTicketOut,
    CustomerTicketPage,
    EventOut,
    EventPage,
    MergeIn,
    MessageCreateIn,
    MessageOut,
    MessagePage,
    TicketCreateIn,
    TicketListParams,
    TicketOut,
    TicketPage,
    TicketPatchIn,
)

router = Router(tags=["tickets"])

# What a customer may set when opening a ticket; everything else is for staff.
CUSTOMER_CREATE_FIELDS = {"subject", "body", "body_html", "channel", "type"}
# PATCH fields that cannot be cleared with null.
NOT_NULLABLE = ("subject", "status", "priority", "type", "tags", "custom_fields")


# --- rendering ------------------------------------------------------------------------------------


def _customer_field_keys(viewer: User) -> set[str] | None:
    """The custom fields the viewer may read: all for staff (None), the visible ones for customers."""
    if viewer.role in STAFF_ROLES:
        return None
    return set(TicketField.objects.filter(visible_to_customers=True).values_list("key", flat=True))


# The columns a TicketOut shows. Lists read exactly these as ``.values()`` rows: no model
# instances, no search_text, no password hashes.
TICKET_OUT_VALUES = (
    "id", "subject", "status_id", "status__name", "status__category", "priority", "ticket_type", "channel",
    "requester_id", "requester__name", "requester__email", "company_id", "assignee_id", "assignee__username",
    "assignee__first_name", "assignee__last_name", "team_id", "team__name", "queue_id", "custom_fields",
    "merged_into_id", "message_count", "reopen_count", "created_at", "updated_at", "first_response_at",
    "solved_at", "closed_at",
)


def _row_of(ticket: Ticket) -> dict[str, Any]:
    """A loaded ticket as a TICKET_OUT_VALUES row."""
    row = {name: getattr(ticket, name) for name in TICKET_OUT_VALUES if "__" not in name}
    row.update({"status__name": ticket.status.name, "status__category": ticket.status.category,
                "requester__name": ticket.requester.name, "requester__email": ticket.requester.email,
                "team__name": ticket.team.name if ticket.team else None})
    assignee = ticket.assignee
    row.update({"assignee__username": assignee.username if assignee else None,
                "assignee__first_name": assignee.first_name if assignee else "",
                "assignee__last_name": assignee.last_name if assignee else ""})
    return row


def _iso(value: datetime | None) -> str | None:
    """A time as the API writes it everywhere (DjangoJSONEncoder's format: milliseconds, Z)."""
    if value is None:
        return None
    text = value.isoformat()
    if value.microsecond:
        text = text[:23] + text[26:]
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def ticket_row_out(row: dict[str, Any], *, tags: list[str], field_keys: set[str] | None) -> dict[str, Any]:
    """A TICKET_OUT_VALUES row in the shape of ``TicketOut`` (validated by the response schema)."""
    fields = row["custom_fields"] or {}
    if field_keys is not None:
        fields = {k: v for k, v in fields.items() if k in field_keys}
    assignee_name = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip() or row["assignee__username"]
    return {
        "id": row["id"],
        "subject": row["subject"],
        "status": {"id": row["status_id"], "name": row["status__name"], "category": row["status__category"]},
        "priority": row["priority"],
        "type": row["ticket_type"],
        "channel": row["channel"],
        "requester": {"id": row["requester_id"], "name": row["requester__name"], "email": row["requester__email"]},
        "company_id": row["company_id"],
        "assignee": {"id": row["assignee_id"], "name": assignee_name} if row["assignee_id"] else None,
        "team": {"id": row["team_id"], "name": row["team__name"]} if row["team_id"] else None,
        "queue_id": row["queue_id"],
        "tags": tags,
        "custom_fields": fields,
        "merged_into_id": row["merged_into_id"],
        "message_count": row["message_count"],
        "reopen_count": row["reopen_count"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["updated_at"]),
        "first_response_at": _iso(row["first_response_at"]),
        "solved_at": _iso(row["solved_at"]),
        "closed_at": _iso(row["closed_at"]),
    }


def ticket_out(ticket: Ticket, *, field_keys: set[str] | None) -> dict[str, Any]:
    return ticket_row_out(_row_of(ticket), tags=sorted(t.name for t in ticket.tags.all()), field_keys=field_keys)


# The columns a CustomerTicketOut shows: nothing only staff see (see CustomerTicketOut).
CUSTOMER_TICKET_VALUES = (
    "id", "subject", "status_category", "channel", "requester_id", "requester__name", "company_id", "custom_fields",
    "public_message_count", "created_at", "public_updated_at", "solved_at", "closed_at",
)
BY_PUBLIC_UPDATED_DESC = Keyset(field="public_updated_at", descending=True, decode_value=BY_UPDATED_DESC.decode_value)


def customer_ticket_row_out(row: dict[str, Any], *, field_keys: set[str]) -> dict[str, Any]:
    """A CUSTOMER_TICKET_VALUES row in the shape of ``CustomerTicketOut``."""
    return {
        "id": row["id"],
        "subject": row["subject"],
        "state": CUSTOMER_STATE[row["status_category"]],
        "channel": row["channel"],
        "requester": {"id": row["requester_id"], "name": row["requester__name"]},
        "company_id": row["company_id"],
        "custom_fields": {k: v for k, v in (row["custom_fields"] or {}).items() if k in field_keys},
        "message_count": row["public_message_count"],
        "created_at": _iso(row["created_at"]),
        "updated_at": _iso(row["public_updated_at"]),
        "solved_at": _iso(row["solved_at"]),
        "closed_at": _iso(row["closed_at"]),
    }


def _customer_ticket_out(viewer: User, ticket_id: int) -> dict[str, Any]:
    row = ticket_queryset_for_viewer(viewer=viewer).filter(pk=ticket_id).values(*CUSTOMER_TICKET_VALUES).first()
    if row is None:
        raise Http404("No such ticket.")
    return customer_ticket_row_out(row, field_keys=_customer_field_keys(viewer) or set())


def _tags_by_ticket(ticket_ids: list[int]) -> dict[int, list[str]]:
    tags: dict[int, list[str]] = {i: [] for i in ticket_ids}
    links = Ticket.tags.through.objects.filter(ticket_id__in=ticket_ids).values_list("ticket_id", "tag__name")
    for ticket_id, name in links.order_by("tag__name"):
        tags[ticket_id].append(name)
    return tags


def message_out(message: Message, *, viewer: User) -> MessageOut:
    """A message as the API shows it; handle time is for staff's eyes only."""
    if message.author_user is not None and viewer.role not in STAFF_ROLES:
        author_name = message.author_user.first_name or "Support"  # as the portal shows agents to customers
    elif message.author_user is not None:
        author_name = message.author_user.display_name
    elif message.author_customer is not None:
        author_name = message.author_customer.name
    else:
        author_name = "Frontline"
    return MessageOut(
        id=message.pk,
        ticket_id=message.ticket_id,
        author_kind=message.author_kind,
        author_name=author_name,
        public=message.is_public,
        body_text=message.body_text,
        body_html=message.body_html,
        attachments=[
            AttachmentOut(id=a.pk, filename=a.filename, content_type=a.content_type, size=a.size)
            for a in message.attachments.all()
        ],
        handle_seconds=message.handle_seconds if viewer.role in STAFF_ROLES else None,
        created_at=message.created_at,
    )


def event_out(event: TicketEvent) -> EventOut:
    return EventOut(id=event.pk, kind=event.kind, actor_id=event.actor_id, created_at=event.created_at, payload=event.payload)


# --- parsing ----------------------------------------------------------------------------------------


def _visible_ticket(viewer: User, ticket_id: int) -> Ticket:
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    return ticket_get_for_viewer(ticket_id=ticket_id, viewer=viewer)


def _status_named(value: str, *, field: str) -> TicketStatus:
    """A status category (meaning its default status) or the name of a status."""
    value = value.strip()
    if value in StatusCategory.values:
        return status_default(value)
    status = TicketStatus.objects.filter(name__iexact=value).first()
    if status is None:
        categories = ", ".join(StatusCategory.values)
        raise ValidationError({field: [f"No status called {value!r}; give a status name or a category ({categories})."]})
    return status


def _assignee(pk: int) -> User:
    return referenced(User.objects.filter(role__in=STAFF_ROLES, is_active=True), pk, field="assignee_id", noun="active agent")


def _team(pk: int) -> Team:
    return referenced(Team.objects.all(), pk, field="team_id", noun="team")


def _queue(pk: int) -> Queue:
    return referenced(Queue.objects.all(), pk, field="queue_id", noun="queue")


def _requester(payload: TicketCreateIn) -> Customer:
    """The customer a staff member files the ticket for: by id, or by email (created on first contact)."""
    if payload.requester_id is not None:
        customers = Customer.objects.select_related("company")
        return referenced(customers, payload.requester_id, field="requester_id", noun="customer")
    if payload.requester_email:
        try:
            return customer_for_email(email=payload.requester_email, name=payload.requester_name)
        except ValidationError as exc:
            raise rename_fields(exc, {"email": "requester_email", "name": "requester_name"}) from None
    raise ValidationError({"requester_id": ["Give requester_id or requester_email."]})


def _own_customer(viewer: User) -> Customer:
    customer = Customer.objects.filter(user=viewer).first()
    if customer is None:
        raise PermissionDenied("This account has no customer record to file tickets for.")
    return customer


# --- endpoints -------------------------------------------------------------------------------------


@router.get("", response={200: TicketPage | CustomerTicketPage, **error_responses(403, 422)}, auth=any_auth,
            summary="List tickets")
def ticket_list(request: HttpRequest, params: Query[TicketListParams]) -> HttpResponse:
    """Tickets the caller may see, most recently updated first.

    Staff get ``TicketPage``; a customer gets ``CustomerTicketPage`` (only what they can see,
    ordered by the last change they could see) and may not filter on staff-only data (403).
    """
    viewer = viewer_of(request)
    if viewer.role not in STAFF_ROLES:
        return _customer_ticket_list(viewer, params)
    filters = TicketFilters(
        status_category=params.status or "",
        states=frozenset([params.state]) if params.state else frozenset(),
        priority=params.priority or "",
        ticket_type=params.type or "",
        channel=params.channel or "",
        assignee_id=params.assignee_id,
        unassigned=params.unassigned,
        team_id=params.team_id,
        queue_id=params.queue_id,
        requester_id=params.requester_id,
        company_id=params.company_id,
        tag=params.tag or "",
        q=params.q or "",
        created_from=params.created_from,
        created_to=params.created_to,
        updated_from=params.updated_from,
        updated_to=params.updated_to,
        updated_since=params.updated_since,
    )
    rows = ticket_list_for_viewer(viewer=viewer, view=params.view, filters=filters).values(*TICKET_OUT_VALUES)
    page = paginate(rows, keyset=BY_UPDATED_DESC, limit=params.limit, cursor=params.cursor)
    keys = _customer_field_keys(viewer)
    tags = _tags_by_ticket([row["id"] for row in page.items])
    # The hottest endpoint: items are built from rows and encoded directly, skipping a pydantic
    # pass per item (tests/api check the body against TicketPage).
    items = [ticket_row_out(row, tags=tags[row["id"]], field_keys=keys) for row in page.items]
    body = {"items": items, "next_cursor": page.next_cursor}
    return HttpResponse(json.dumps(body), content_type="application/json")


def _customer_ticket_list(viewer: User, params: TicketListParams) -> HttpResponse:
    staff_only = sorted(name for name in STAFF_LIST_PARAMS if name in params.model_fields_set)
    if params.view not in CUSTOMER_VIEWS:
        staff_only.append(f"view={params.view}")
    if staff_only:
        raise PermissionDenied(f"Only staff can filter on {', '.join(staff_only)}.")
    filters = CustomerTicketFilters(
        states=frozenset([params.state]) if params.state else frozenset(),
        channel=params.channel or "",
        requester_id=params.requester_id,
        company_id=params.company_id,
        q=params.q or "",
        created_from=params.created_from,
        created_to=params.created_to,
        updated_from=params.updated_from,
        updated_to=params.updated_to,
        updated_since=params.updated_since,
        recent=params.view == "recent",
    )
    rows = ticket_list_for_customer(viewer=viewer, filters=filters).values(*CUSTOMER_TICKET_VALUES)
    page = paginate(rows, keyset=BY_PUBLIC_UPDATED_DESC, limit=params.limit, cursor=params.cursor)
    keys = _customer_field_keys(viewer) or set()
    body = {"items": [customer_ticket_row_out(row, field_keys=keys) for row in page.items], "next_cursor": page.next_cursor}
    return HttpResponse(json.dumps(body), content_type="application/json")


@router.get("/{ticket_id}", response={200: TicketOut | CustomerTicketOut, **error_responses(404)}, auth=any_auth,
            summary="Read a ticket")
def ticket_read(request: HttpRequest, ticket_id: int) -> dict[str, Any]:
    """Staff get ``TicketOut``; the ticket's customer gets ``CustomerTicketOut``."""
    viewer = viewer_of(request)
    if not valid_id(ticket_id):
        raise Http404("No such ticket.")
    if viewer.role not in STAFF_ROLES:
        return _customer_ticket_out(viewer, ticket_id)
    # One row with only the shown columns: a narrow join plans and runs fast on PostgreSQL.
    row = ticket_queryset_for_viewer(viewer=viewer).filter(pk=ticket_id).values(*TICKET_OUT_VALUES).first()
    if row is None:
        raise Http404("No such ticket.")
    tags = _tags_by_ticket([row["id"]])[row["id"]]
    return ticket_row_out(row, tags=tags, field_keys=_customer_field_keys(viewer))


@router.post("", response={201: TicketOut | CustomerTicketOut, **error_responses(403, 422)}, auth=any_auth,
             summary="Open a ticket")
def ticket_open(request: HttpRequest, payload: TicketCreateIn) -> Status[dict[str, Any]]:
    """Staff open tickets for any customer (answer: ``TicketOut``); a customer opens one for
    themselves (answer: ``CustomerTicketOut``)."""
    viewer = viewer_of(request)
    is_staff = viewer.role in STAFF_ROLES
    staff_fields = sorted(payload.model_fields_set - CUSTOMER_CREATE_FIELDS)
    if not is_staff and staff_fields:
        raise PermissionDenied(f"Only staff can set {', '.join(staff_fields)}.")
    team = _team(payload.team_id) if payload.team_id is not None else None
    queue = _queue(payload.queue_id) if payload.queue_id is not None else None
    assignee = _assignee(payload.assignee_id) if payload.assignee_id is not None else None
    # The requester may be created on first contact: it and the ticket succeed or fail together.
    with atomic_with_files():
        requester = _requester(payload) if is_staff else _own_customer(viewer)
        ticket = ticket_create(
            requester=requester,
            subject=payload.subject,
            body=payload.body or "",
            body_html=payload.body_html,
            actor=viewer,
            channel=payload.channel,
            priority=payload.priority,
            ticket_type=payload.type,
            team=team,
            queue=queue,
            assignee=assignee,
            tags=payload.tags,
            custom_fields=payload.custom_fields,
            handle_seconds=payload.handle_seconds,
        )
    if not is_staff:
        return Status(201, _customer_ticket_out(viewer, ticket.pk))
    # Rendered from the new row itself: staff may file a ticket into a team they do not see.
    return Status(201, ticket_out(ticket, field_keys=None))


@router.patch("/{ticket_id}", response={200: TicketOut, **error_responses(403, 404, 409, 422)}, auth=staff_auth,
              summary="Update a ticket")
def ticket_patch(request: HttpRequest, ticket_id: int, payload: TicketPatchIn) -> TicketOut:
    """Change any of the given fields, all or nothing (one transaction; status is applied last)."""
    viewer = viewer_of(request)
    ticket = _visible_ticket(viewer, ticket_id)
    given: dict[str, Any] = {name: getattr(payload, name) for name in payload.model_fields_set}
    nulls = sorted(name for name in NOT_NULLABLE if name in given and given[name] is None)
    if nulls:
        raise ValidationError({name: ["This field cannot be null."] for name in nulls})
    changes: dict[str, Any] = {}
    if "subject" in given:
        changes["subject"] = given["subject"]
    if "status" in given:
        changes["status"] = _status_named(given["status"], field="status")
    if "priority" in given:
        changes["priority"] = given["priority"]
    if "type" in given:
        changes["ticket_type"] = given["type"]
    if "assignee_id" in given:
        changes["assignee"] = None if given["assignee_id"] is None else _assignee(given["assignee_id"])
    if "team_id" in given:
        changes["team"] = None if given["team_id"] is None else _team(given["team_id"])
    if "queue_id" in given:
        changes["queue"] = None if given["queue_id"] is None else _queue(given["queue_id"])
    if "tags" in given:
        changes["tags"] = given["tags"]
    if "custom_fields" in given:
        changes["custom_fields"] = given["custom_fields"]
    updated = ticket_update(ticket=ticket, changes=TicketChanges(**changes), actor=viewer)
    # Rendered from the updated row: the caller may just have moved it out of their own view.
    return ticket_out(updated, field_keys=None)


@router.post("/{ticket_id}/merge", response={200: TicketOut, **error_responses(403, 404, 409, 422)}, auth=staff_auth,
             summary="Merge a duplicate into another ticket")
def ticket_merge_into(request: HttpRequest, ticket_id: int, payload: MergeIn) -> TicketOut:
    """Close this ticket as a duplicate of ``into``; answers the ticket merged into."""
    viewer = viewer_of(request)
    source = _visible_ticket(viewer, ticket_id)
    try:
        target = _visible_ticket(viewer, payload.into)
    except Http404:
        raise ValidationError({"into": [f"No ticket with id {payload.into}."]}) from None
    merged = ticket_merge(source=source, target=target, actor=viewer)
    return ticket_out(merged, field_keys=None)


@router.get("/{ticket_id}/messages", response={200: MessagePage, **error_responses(404, 422)}, auth=any_auth,
            summary="A ticket's conversation")
def ticket_messages(request: HttpRequest, ticket_id: int, params: Query[PageParams]) -> MessagePage:
    """Oldest first. Customers get public messages only."""
    viewer = viewer_of(request)
    ticket = _visible_ticket(viewer, ticket_id)
    page = paginate(ticket_messages_for_viewer(ticket=ticket, viewer=viewer), keyset=BY_CREATED_ASC,
                    limit=params.limit, cursor=params.cursor)
    return MessagePage(items=[message_out(m, viewer=viewer) for m in page.items], next_cursor=page.next_cursor)


@router.post("/{ticket_id}/messages", response={201: MessageOut, **error_responses(403, 404, 409, 422)},
             auth=any_auth, summary="Reply or add an internal note")
def ticket_message_add(request: HttpRequest, ticket_id: int, payload: MessageCreateIn) -> Status[MessageOut]:
    """A public reply (``public: true``) or an internal note; staff may set a status in the same step."""
    viewer = viewer_of(request)
    ticket = _visible_ticket(viewer, ticket_id)
    if payload.status is not None and viewer.role not in STAFF_ROLES:
        raise PermissionDenied("Only staff can change a ticket's status.")
    if payload.handle_seconds is not None and viewer.role not in STAFF_ROLES:
        raise PermissionDenied("Only staff record handle time.")
    then_status = _status_named(payload.status, field="status") if payload.status is not None else None
    message = ticket_reply(ticket=ticket, author=viewer, body=payload.body or "", body_html=payload.body_html,
                           public=payload.public, then_status=then_status, handle_seconds=payload.handle_seconds)
    return Status(201, message_out(message, viewer=viewer))


@router.get("/{ticket_id}/events", response={200: EventPage, **error_responses(403, 404, 422)}, auth=staff_auth,
            summary="A ticket's history (staff)")
def ticket_events(request: HttpRequest, ticket_id: int, params: Query[PageParams]) -> EventPage:
    viewer = viewer_of(request)
    ticket = _visible_ticket(viewer, ticket_id)
    page = paginate(ticket_events_for_viewer(ticket=ticket, viewer=viewer), keyset=BY_CREATED_ASC,
                    limit=params.limit, cursor=params.cursor)
    return EventPage(items=[event_out(e) for e in page.items], next_cursor=page.next_cursor)
