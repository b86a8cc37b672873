"""Opening a ticket and adding to its conversation (replies, notes, customer replies)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError

from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email
from frontline.people.models import STAFF_ROLES, Team, User

from ..content import Upload, body_from
from ..errors import TransitionNotAllowed
from ..models import (
    AuthorKind,
    Channel,
    EventKind,
    Message,
    Priority,
    Queue,
    Status,
    StatusCategory,
    Ticket,
    TicketType,
)
from ._common import (
    SEARCH_TEXT_LIMIT,
    _attach,
    _clean_subject,
    _event,
    _locked,
    _notify_after_commit,
    _now,
    _require_staff,
    _seen_by_customer,
    _tags_from_names,
    _touch,
    atomic_with_files,
    custom_fields_clean,
    status_default,
    ticket_search_text,
)
from .handle_time import handle_seconds_clean
from .properties import (
    UNSET,
    TicketChanges,
    ticket_status_change,
    ticket_update,
)


@atomic_with_files()
def ticket_create(
    *,
    requester: Customer,
    subject: str,
    body: str = "",
    body_html: str | None = None,
    actor: User | None,
    channel: str = Channel.WEB,
    priority: str = Priority.NORMAL,
    ticket_type: str = TicketType.QUESTION,
    team: Team | None = None,
    queue: Queue | None = None,
    assignee: User | None = None,
    tags: Iterable[str] = (),
    custom_fields: dict[str, Any] | None = None,
    attachments: Sequence[Upload] = (),
    at: datetime | None = None,
    notify: bool = True,
    handle_seconds: int | None = None,
) -> Ticket:
    """Open a ticket with its first message. The message is the customer's unless an agent files it.

    With ``notify`` the requester is emailed a receipt (a background task, after commit).
    ``handle_seconds`` (0 to 86,400) is the agent's time on the first message (a phone call, say);
    it is stored only when an agent files the ticket (see ``handle_time``).
    """
    at = _now(at)
    handle_seconds = handle_seconds_clean(handle_seconds)
    subject = _clean_subject(subject)
    content = body_from(text=body, html_body=body_html)
    _require_staff(assignee, "assignee")
    if channel not in Channel.values:
        raise ValidationError({"channel": [f"Unknown channel {channel!r}."]})
    if priority not in Priority.values:
        raise ValidationError({"priority": [f"Unknown priority {priority!r}."]})
    if ticket_type not in TicketType.values:
        raise ValidationError({"ticket_type": [f"Unknown type {ticket_type!r}."]})
    fields = custom_fields_clean(custom_fields or {})
    if team is None and queue is not None:
        team = queue.team
    if team is None and assignee is not None:
        teams = list(assignee.teams.all()[:2])
        team = teams[0] if len(teams) == 1 else None
    status = status_default(StatusCategory.OPEN if assignee else StatusCategory.NEW)
    ticket = Ticket.objects.create(
        subject=subject,
        channel=channel,
        status=status,
        status_category=status.category,
        priority=priority,
        ticket_type=ticket_type,
        requester=requester,
        company=requester.company,
        assignee=assignee,
        team=team,
        queue=queue,
        custom_fields=fields,
        message_count=1,
        created_at=at,
        updated_at=at,
        search_text=ticket_search_text(subject=subject, requester=requester, text=content.text, fields=fields),
        public_search_text=f"{subject}\n{content.text}".lower()[:SEARCH_TEXT_LIMIT],
        public_message_count=1,
        public_updated_at=at,
    )
    tag_objects = _tags_from_names(tags)
    if tag_objects:
        ticket.tags.set(tag_objects)
    by_agent = actor is not None and actor.role in STAFF_ROLES
    message = Message.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.AGENT if by_agent else AuthorKind.CUSTOMER,
        author_user=actor,
        author_customer=None if by_agent else requester,
        is_public=True,
        body_text=content.text,
        body_html=content.html,
        handle_seconds=handle_seconds if by_agent else None,
        created_at=at,
    )
    _attach(message, attachments)
    _event(
        ticket=ticket, kind=EventKind.CREATED, actor=actor, at=at,
        channel=channel, status=status.name, status_category=status.category, priority=priority,
        ticket_type=ticket_type, requester_id=requester.pk, assignee_id=assignee.pk if assignee else None,
        team_id=team.pk if team else None, queue_id=queue.pk if queue else None,
        tags=[t.name for t in tag_objects], message_id=message.pk,
    )
    if notify and not by_agent:
        _notify_after_commit(message.pk)
    return ticket


@atomic_with_files()
def ticket_create_for_contact(*, email: str, name: str = "", **fields: Any) -> Ticket:
    """Open a ticket for the customer with this address, created on first contact: both or neither.

    ``fields`` are ``ticket_create``'s. A customer's errors are reported as ``requester_email``
    and ``requester_name``.
    """
    try:
        requester = customer_for_email(email=email, name=name)
    except ValidationError as exc:
        renames = {"email": "requester_email", "name": "requester_name"}
        raise ValidationError({renames.get(k, k): v for k, v in exc.message_dict.items()}) from None
    return ticket_create(requester=requester, **fields)


@atomic_with_files()
def ticket_reply(
    *,
    ticket: Ticket,
    author: User | None,
    body: str = "",
    body_html: str | None = None,
    public: bool = True,
    attachments: Sequence[Upload] = (),
    then_status: Status | None = None,
    at: datetime | None = None,
    notify: bool = True,
    handle_seconds: int | None = None,
    changes: TicketChanges | None = None,
    customer: Customer | None = None,
) -> Message:
    """Add a message. Staff write public replies or internal notes; customers write replies.

    A customer's reply reopens a solved ticket and brings a pending or on-hold one back to
    open; an agent's first public reply records the first response and moves a new ticket to
    open. ``then_status`` applies a status change in the same transaction ("submit as").
    ``changes`` (staff only): property changes the agent made alongside the reply (assignee,
    priority, ...), applied first in the same transaction, so a reply never goes out while they
    are lost; a status among them applies last, like ``then_status``, which wins when both are given.
    With ``notify`` a public agent reply is emailed to the requester (a background task, after commit).
    ``handle_seconds`` (0 to 86,400) is the agent's time on this message; it is stored only on
    agent messages (see ``handle_time``). ``customer`` is who wrote it when ``author`` is None (email
    intake: a colleague or a copied participant); the requester when not given.
    """
    at = _now(at)
    handle_seconds = handle_seconds_clean(handle_seconds)
    ticket = _locked(ticket)
    content = body_from(text=body, html_body=body_html)
    is_staff = author is not None and author.role in STAFF_ROLES
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("This ticket is closed; a follow-up needs a new ticket.")
    if not is_staff and not public:
        raise ValidationError({"public": ["Only agents can add internal notes."]})
    if changes is not None:
        if not is_staff:
            raise ValidationError({"changes": ["Only agents can change a ticket's properties."]})
        if then_status is None and changes.status is not UNSET:
            then_status = changes.status
        ticket = _locked(ticket_update(ticket=ticket, changes=replace(changes, status=UNSET), actor=author, at=at))
    if is_staff:
        customer = None
    elif customer is None or author is not None:  # else email intake named who wrote
        customer = _customer_of(author, ticket)
    message = Message.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.AGENT if is_staff else AuthorKind.CUSTOMER,
        author_user=author,
        author_customer=customer,
        is_public=public,
        body_text=content.text,
        body_html=content.html,
        handle_seconds=handle_seconds if is_staff else None,
        created_at=at,
    )
    stored = _attach(message, attachments)
    ticket.message_count += 1
    ticket.search_text = (ticket.search_text + "\n" + content.text.lower())[:SEARCH_TEXT_LIMIT]
    changed = ["message_count", "search_text"]
    if public:
        ticket.public_message_count += 1
        ticket.public_search_text = (ticket.public_search_text + "\n" + content.text.lower())[:SEARCH_TEXT_LIMIT]
        changed += ["public_message_count", "public_search_text", _seen_by_customer(ticket, at)]
    attachment_ids = [a.pk for a in stored]
    if is_staff and public:
        first = ticket.first_response_at is None
        if first:
            ticket.first_response_at = at
            changed.append("first_response_at")
        _event(ticket=ticket, kind=EventKind.REPLIED, actor=author, at=at, message_id=message.pk,
               first_response=first, attachments=attachment_ids)
        if notify:
            _notify_after_commit(message.pk)
    elif is_staff:
        _event(ticket=ticket, kind=EventKind.NOTE_ADDED, actor=author, at=at, message_id=message.pk,
               attachments=attachment_ids)
    else:
        _event(ticket=ticket, kind=EventKind.CUSTOMER_REPLIED, actor=author, at=at, message_id=message.pk,
               attachments=attachment_ids)
    _touch(ticket, at, changed)
    if then_status is not None:
        ticket_status_change(ticket=ticket, status=then_status, actor=author, at=at)
    elif (is_staff and public and ticket.status_category == StatusCategory.NEW) or (not is_staff and ticket.status_category in (StatusCategory.PENDING, StatusCategory.ON_HOLD, StatusCategory.SOLVED)):
        ticket_status_change(ticket=ticket, status=status_default(StatusCategory.OPEN), actor=author, at=at)
    return message


def _customer_of(author: User | None, ticket: Ticket) -> Customer:
    if author is None:
        return ticket.requester
    customer = Customer.objects.filter(user=author).first()
    if customer is None:
        raise ValidationError({"author": ["This user is neither an agent nor a customer."]})
    return customer




def _system_note(ticket: Ticket, text: str, at: datetime) -> Message:
    content = body_from(text=text)
    message = Message.objects.create(
        ticket=ticket, author_kind=AuthorKind.SYSTEM, is_public=False,
        body_text=content.text, body_html=content.html, created_at=at,
    )
    ticket.message_count += 1
    ticket.search_text = (ticket.search_text + "\n" + content.text.lower())[:SEARCH_TEXT_LIMIT]  # staff search only
    _touch(ticket, at, ["message_count", "search_text"])
    _event(ticket=ticket, kind=EventKind.NOTE_ADDED, actor=None, at=at, message_id=message.pk, system=True)
    return message
