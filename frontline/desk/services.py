"""Writes to tickets. Every function runs in one transaction and appends TicketEvents.

Functions take keyword arguments, an ``actor`` (the user doing it, or None for the system)
and an optional ``at`` (the time it happens; the demo generator replays history through
these same functions). Access checks belong to the caller (views, API) through the
``*_for_viewer`` selectors; these functions enforce the domain rules.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from frontline.customers.models import Customer
from frontline.people.models import STAFF_ROLES, Team, User

from .content import Upload, body_from, upload_validate
from .errors import Conflict, TransitionNotAllowed
from .models import (
    ALLOWED_TRANSITIONS,
    Attachment,
    AuthorKind,
    Channel,
    EventKind,
    FieldType,
    Message,
    Priority,
    Queue,
    Status,
    StatusCategory,
    Tag,
    Ticket,
    TicketEvent,
    TicketField,
    TicketType,
)

SEARCH_TEXT_LIMIT = 20_000


def _now(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: must be an aware datetime")
    return at


def _event(*, ticket: Ticket, kind: str, actor: User | None, at: datetime, **payload: Any) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)


def _locked(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so concurrent writers serialise."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _touch(ticket: Ticket, at: datetime, fields: Sequence[str]) -> None:
    ticket.updated_at = max(ticket.updated_at, at) if ticket.updated_at else at
    ticket.save(update_fields=[*fields, "updated_at"])


DEFAULT_STATUSES = [("New", "new", 0), ("Open", "open", 10), ("Pending", "pending", 20),
                    ("On hold", "on_hold", 30), ("Solved", "solved", 40), ("Closed", "closed", 50)]


def statuses_ensure_defaults() -> None:
    """Every category needs a status; create the standard one where a category has none."""
    present = set(Status.objects.values_list("category", flat=True))
    for name, category, position in DEFAULT_STATUSES:
        if category not in present:
            Status.objects.get_or_create(name=name, defaults={"category": category, "is_default": True, "position": position})


def status_default(category: str) -> Status:
    """The status a ticket gets on entering ``category`` (the default one, else the first)."""
    status = Status.objects.filter(category=category).order_by("-is_default", "position").first()
    if status is None:
        statuses_ensure_defaults()
        status = Status.objects.filter(category=category).order_by("-is_default", "position").first()
    assert status is not None
    return status


def _require_staff(user: User | None, field_name: str) -> None:
    if user is not None and (user.role not in STAFF_ROLES or not user.is_active):
        raise ValidationError({field_name: [f"{user.display_name} is not an active agent."]})


def _clean_subject(subject: str) -> str:
    subject = " ".join(subject.replace("\x00", "").split())
    if not subject:
        raise ValidationError({"subject": ["A ticket needs a subject."]})
    if len(subject) > 250:
        raise ValidationError({"subject": ["Keep the subject under 250 characters."]})
    return subject


TAG_MAX_LENGTH = 60


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    slugs = sorted({slugify(n, allow_unicode=True) for n in names if slugify(n, allow_unicode=True)})
    too_long = [s for s in slugs if len(s) > TAG_MAX_LENGTH]
    if too_long:
        raise ValidationError({"tags": [f"Keep tags under {TAG_MAX_LENGTH} characters: {too_long[0][:20]}…"]})
    existing = {t.name: t for t in Tag.objects.filter(name__in=slugs)}
    missing = [Tag(name=s) for s in slugs if s not in existing]
    if missing:
        Tag.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {t.name: t for t in Tag.objects.filter(name__in=slugs)}
    return [existing[s] for s in slugs]


def custom_fields_clean(values: dict[str, Any]) -> dict[str, Any]:
    """Validate custom field values against their definitions; unknown keys are errors."""
    definitions = {f.key: f for f in TicketField.objects.filter(key__in=list(values))}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[f"custom_fields.{key}"] = ["No such ticket field."]
            continue
        if value in (None, ""):
            cleaned[key] = None
            continue
        try:
            cleaned[key] = _field_value(definition, value)
        except (TypeError, ValueError) as exc:
            errors[f"custom_fields.{key}"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _field_value(definition: TicketField, value: Any) -> Any:
    kind = definition.field_type
    if kind == FieldType.NUMBER:
        if isinstance(value, bool):
            raise ValueError("Enter a number.")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ValueError("Enter a number.") from None
    if kind == FieldType.CHECKBOX:
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"true", "on", "1", "yes"}:
            return True
        if str(value).lower() in {"false", "off", "0", "no"}:
            return False
        raise ValueError("Enter true or false.")
    if kind == FieldType.CHOICE:
        if value not in definition.choices:
            raise ValueError(f"Choose one of: {', '.join(map(str, definition.choices))}.")
        return value
    if kind == FieldType.DATE:
        from datetime import date

        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError("Enter a date as YYYY-MM-DD.") from None
    text = str(value)
    if len(text) > 1000:
        raise ValueError("Keep text fields under 1000 characters.")
    return text


def _attach(message: Message, uploads: Sequence[Upload]) -> list[Attachment]:
    attachments = []
    for upload in uploads:
        content_type = upload_validate(upload)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        attachment = Attachment(message=message, filename=name, content_type=content_type, size=len(upload.content))
        attachment.file.save(name, ContentFile(upload.content), save=False)
        attachment.save()
        attachments.append(attachment)
    return attachments


# --- create -----------------------------------------------------------------------------------


@transaction.atomic
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
) -> Ticket:
    """Open a ticket with its first message. The message is the customer's unless an agent files it.

    With ``notify`` the requester is emailed a receipt (a background task, after commit).
    """
    at = _now(at)
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
        search_text=f"{subject}\n{requester.name} {requester.email}\n{content.text}".lower()[:SEARCH_TEXT_LIMIT],
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


def _notify_after_commit(message_id: int) -> None:
    from .tasks import message_notify_customer

    transaction.on_commit(lambda: message_notify_customer.enqueue(message_id))


# --- conversation -------------------------------------------------------------------------------


@transaction.atomic
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
) -> Message:
    """Add a message. Staff write public replies or internal notes; customers write replies.

    A customer's reply reopens a solved ticket and brings a pending or on-hold one back to
    open; an agent's first public reply records the first response and moves a new ticket to
    open. ``then_status`` applies a status change in the same transaction ("submit as").
    With ``notify`` a public agent reply is emailed to the requester (a background task, after commit).
    """
    at = _now(at)
    ticket = _locked(ticket)
    content = body_from(text=body, html_body=body_html)
    is_staff = author is not None and author.role in STAFF_ROLES
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("This ticket is closed; a follow-up needs a new ticket.")
    if not is_staff and not public:
        raise ValidationError({"public": ["Only agents can add internal notes."]})
    customer = None if is_staff else _customer_of(author, ticket)
    message = Message.objects.create(
        ticket=ticket,
        author_kind=AuthorKind.AGENT if is_staff else AuthorKind.CUSTOMER,
        author_user=author,
        author_customer=customer,
        is_public=public,
        body_text=content.text,
        body_html=content.html,
        created_at=at,
    )
    stored = _attach(message, attachments)
    ticket.message_count += 1
    ticket.search_text = (ticket.search_text + "\n" + content.text.lower())[:SEARCH_TEXT_LIMIT]
    changed = ["message_count", "search_text"]
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


# --- properties ---------------------------------------------------------------------------------


def transition_check(*, from_category: str, to_category: str) -> None:
    """Raise TransitionNotAllowed unless the workflow allows moving between the categories."""
    if from_category == to_category:
        return
    if to_category not in ALLOWED_TRANSITIONS[from_category]:
        allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[from_category])) or "nothing"
        raise TransitionNotAllowed(
            f"A ticket cannot go from {from_category} to {to_category}; from {from_category} it can go to {allowed}."
        )


@transaction.atomic
def ticket_status_change(*, ticket: Ticket, status: Status, actor: User | None, at: datetime | None = None) -> Ticket:
    at = _now(at)
    ticket = _locked(ticket)
    if status.pk == ticket.status_id:
        return ticket
    previous = ticket.status
    transition_check(from_category=previous.category, to_category=status.category)
    if status.category == StatusCategory.SOLVED:
        _check_required_fields(ticket)
    ticket.status = status
    ticket.status_category = status.category
    changed = ["status", "status_category"]
    if status.category == StatusCategory.SOLVED:
        ticket.solved_at = at
        changed.append("solved_at")
    elif status.category == StatusCategory.CLOSED:
        ticket.closed_at = at
        changed.append("closed_at")
    reopened = previous.category == StatusCategory.SOLVED and status.category == StatusCategory.OPEN
    if reopened:
        ticket.reopen_count += 1
        ticket.solved_at = None
        changed += ["reopen_count", "solved_at"]
    _touch(ticket, at, changed)
    _event(ticket=ticket, kind=EventKind.STATUS_CHANGED, actor=actor, at=at,
           **{"from": previous.name, "to": status.name, "from_category": previous.category, "to_category": status.category})
    if reopened:
        _event(ticket=ticket, kind=EventKind.REOPENED, actor=actor, at=at, reopen_count=ticket.reopen_count)
    return ticket


def _check_required_fields(ticket: Ticket) -> None:
    missing = [
        f.label for f in TicketField.objects.filter(required_to_solve=True)
        if ticket.custom_fields.get(f.key) in (None, "")
    ]
    if missing:
        raise ValidationError({"custom_fields": [f"Fill in before solving: {', '.join(missing)}."]})


@transaction.atomic
def ticket_assign(*, ticket: Ticket, assignee: User | None, actor: User | None, at: datetime | None = None) -> Ticket:
    at = _now(at)
    ticket = _locked(ticket)
    _require_staff(assignee, "assignee")
    new_id = assignee.pk if assignee else None
    if ticket.assignee_id == new_id:
        return ticket
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("A closed ticket cannot be reassigned.")
    previous = ticket.assignee_id
    ticket.assignee = assignee
    _touch(ticket, at, ["assignee"])
    _event(ticket=ticket, kind=EventKind.ASSIGNED, actor=actor, at=at, **{"from": previous, "to": new_id})
    if assignee is not None and ticket.team_id is None:
        teams = list(assignee.teams.all()[:2])
        if len(teams) == 1:
            ticket_team_change(ticket=ticket, team=teams[0], actor=actor, at=at)
    return ticket


def _simple_change(*, ticket: Ticket, attr: str, value: Any, kind: str, actor: User | None, at: datetime | None) -> Ticket:
    at = _now(at)
    ticket = _locked(ticket)
    previous = getattr(ticket, attr)
    if previous == value:
        return ticket
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("A closed ticket cannot be changed.")
    setattr(ticket, attr, value)
    field_name = attr.removesuffix("_id")
    _touch(ticket, at, [field_name])
    _event(ticket=ticket, kind=kind, actor=actor, at=at, **{"from": previous, "to": value})
    return ticket


@transaction.atomic
def ticket_priority_change(*, ticket: Ticket, priority: str, actor: User | None, at: datetime | None = None) -> Ticket:
    if priority not in Priority.values:
        raise ValidationError({"priority": [f"Unknown priority {priority!r}."]})
    return _simple_change(ticket=ticket, attr="priority", value=priority, kind=EventKind.PRIORITY_CHANGED, actor=actor, at=at)


@transaction.atomic
def ticket_type_change(*, ticket: Ticket, ticket_type: str, actor: User | None, at: datetime | None = None) -> Ticket:
    if ticket_type not in TicketType.values:
        raise ValidationError({"ticket_type": [f"Unknown type {ticket_type!r}."]})
    return _simple_change(ticket=ticket, attr="ticket_type", value=ticket_type, kind=EventKind.TYPE_CHANGED, actor=actor, at=at)


@transaction.atomic
def ticket_subject_change(*, ticket: Ticket, subject: str, actor: User | None, at: datetime | None = None) -> Ticket:
    ticket = _simple_change(ticket=ticket, attr="subject", value=_clean_subject(subject), kind=EventKind.SUBJECT_CHANGED, actor=actor, at=at)
    return ticket


@transaction.atomic
def ticket_team_change(*, ticket: Ticket, team: Team | None, actor: User | None, at: datetime | None = None) -> Ticket:
    return _simple_change(ticket=ticket, attr="team_id", value=team.pk if team else None, kind=EventKind.TEAM_CHANGED, actor=actor, at=at)


@transaction.atomic
def ticket_queue_change(*, ticket: Ticket, queue: Queue | None, actor: User | None, at: datetime | None = None) -> Ticket:
    ticket = _simple_change(ticket=ticket, attr="queue_id", value=queue.pk if queue else None, kind=EventKind.QUEUE_CHANGED, actor=actor, at=at)
    if queue is not None and queue.team_id and ticket.team_id != queue.team_id:
        # Moving a ticket to a queue routes it to the queue's team (an explicit team in the same
        # ticket_update is applied after this and wins).
        ticket = ticket_team_change(ticket=ticket, team=queue.team, actor=actor, at=at)
    return ticket


@transaction.atomic
def ticket_tags_set(*, ticket: Ticket, tags: Iterable[str], actor: User | None, at: datetime | None = None) -> Ticket:
    at = _now(at)
    ticket = _locked(ticket)
    wanted = _tags_from_names(tags)
    current = {t.name for t in ticket.tags.all()}
    names = {t.name for t in wanted}
    if names == current:
        return ticket
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("A closed ticket cannot be changed.")
    ticket.tags.set(wanted)
    _touch(ticket, at, [])
    _event(ticket=ticket, kind=EventKind.TAGGED, actor=actor, at=at,
           added=sorted(names - current), removed=sorted(current - names))
    return ticket


@transaction.atomic
def ticket_fields_update(*, ticket: Ticket, values: dict[str, Any], actor: User | None, at: datetime | None = None) -> Ticket:
    at = _now(at)
    ticket = _locked(ticket)
    cleaned = custom_fields_clean(values)
    changes = {k: {"from": ticket.custom_fields.get(k), "to": v} for k, v in cleaned.items() if ticket.custom_fields.get(k) != v}
    if not changes:
        return ticket
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("A closed ticket cannot be changed.")
    ticket.custom_fields = {**ticket.custom_fields, **cleaned}
    _touch(ticket, at, ["custom_fields"])
    _event(ticket=ticket, kind=EventKind.FIELDS_CHANGED, actor=actor, at=at, changes=changes)
    return ticket


class _Unset:
    """Marks a field of TicketChanges that the caller did not ask to change."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()


@dataclass(frozen=True)
class TicketChanges:
    """The changes one request asks for; fields left UNSET are not touched (None clears)."""

    subject: str = UNSET
    status: Status = UNSET
    priority: str = UNSET
    ticket_type: str = UNSET
    assignee: User | None = UNSET
    team: Team | None = UNSET
    queue: Queue | None = UNSET
    tags: list[str] = UNSET
    custom_fields: dict[str, Any] = field(default=UNSET)


@transaction.atomic
def ticket_update(*, ticket: Ticket, changes: TicketChanges, actor: User | None, at: datetime | None = None) -> Ticket:
    """Apply several changes at once, all or nothing. Status goes last so fields set first count."""
    at = _now(at)
    if changes.subject is not UNSET:
        ticket = ticket_subject_change(ticket=ticket, subject=changes.subject, actor=actor, at=at)
    if changes.priority is not UNSET:
        ticket = ticket_priority_change(ticket=ticket, priority=changes.priority, actor=actor, at=at)
    if changes.ticket_type is not UNSET:
        ticket = ticket_type_change(ticket=ticket, ticket_type=changes.ticket_type, actor=actor, at=at)
    if changes.queue is not UNSET:
        ticket = ticket_queue_change(ticket=ticket, queue=changes.queue, actor=actor, at=at)
    if changes.team is not UNSET:
        ticket = ticket_team_change(ticket=ticket, team=changes.team, actor=actor, at=at)
    if changes.assignee is not UNSET:
        ticket = ticket_assign(ticket=ticket, assignee=changes.assignee, actor=actor, at=at)
    if changes.tags is not UNSET:
        ticket = ticket_tags_set(ticket=ticket, tags=changes.tags, actor=actor, at=at)
    if changes.custom_fields is not UNSET:
        ticket = ticket_fields_update(ticket=ticket, values=changes.custom_fields, actor=actor, at=at)
    if changes.status is not UNSET:
        ticket = ticket_status_change(ticket=ticket, status=changes.status, actor=actor, at=at)
    return Ticket.objects.get(pk=ticket.pk)


# --- merge ----------------------------------------------------------------------------------------


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User | None, at: datetime | None = None) -> Ticket:
    """Merge ``source`` (a duplicate) into ``target``: the source closes, the target gets a note.

    Messages stay where they were written (events are per ticket and never move); the target's
    note quotes the source's public conversation so the agent has it in one place.
    """
    at = _now(at)
    if source.pk == target.pk:
        raise Conflict("A ticket cannot be merged into itself.")
    first, second = sorted([source.pk, target.pk])
    locked = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[first, second]).order_by("pk")}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id is not None:
        raise Conflict(f"Ticket #{source.pk} was already merged into #{source.merged_into_id}.")
    if source.status_category == StatusCategory.CLOSED:
        raise Conflict(f"Ticket #{source.pk} is closed and cannot be merged.")
    if target.status_category == StatusCategory.CLOSED:
        raise Conflict(f"Ticket #{target.pk} is closed; merge into an open ticket.")
    quoted = "\n\n".join(
        f"{m.created_at:%Y-%m-%d %H:%M} UTC — {'agent' if m.author_kind == AuthorKind.AGENT else 'customer'}:\n{m.body_text}"
        for m in source.messages.filter(is_public=True)
    )
    note = f"Merged ticket #{source.pk} ({source.subject}) into this ticket.\n\n{quoted}"
    closed = status_default(StatusCategory.CLOSED)
    previous = source.status
    source.status = closed
    source.status_category = closed.category
    source.closed_at = at
    source.merged_into = target
    _touch(source, at, ["status", "status_category", "closed_at", "merged_into"])
    _event(ticket=source, kind=EventKind.MERGED, actor=actor, at=at, into=target.pk)
    _event(ticket=source, kind=EventKind.STATUS_CHANGED, actor=actor, at=at,
           **{"from": previous.name, "to": closed.name, "from_category": previous.category, "to_category": closed.category, "reason": "merged"})
    _event(ticket=target, kind=EventKind.MERGED_IN, actor=actor, at=at, source=source.pk)
    if actor is not None and actor.role in STAFF_ROLES:
        ticket_reply(ticket=target, author=actor, body=note, public=False, at=at)
    else:
        _system_note(target, note, at)
    return Ticket.objects.get(pk=target.pk)


def _system_note(ticket: Ticket, text: str, at: datetime) -> Message:
    content = body_from(text=text)
    message = Message.objects.create(
        ticket=ticket, author_kind=AuthorKind.SYSTEM, is_public=False,
        body_text=content.text, body_html=content.html, created_at=at,
    )
    ticket.message_count += 1
    _touch(ticket, at, ["message_count"])
    _event(ticket=ticket, kind=EventKind.NOTE_ADDED, actor=None, at=at, message_id=message.pk, system=True)
    return message
