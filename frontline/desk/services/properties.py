"""Ticket properties: status (with the transition rules), assignee, team, queue, priority,
type, subject, tags, custom fields, and several at once (``ticket_update``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from frontline.people.models import Team, User

from ..errors import TransitionNotAllowed
from ..models import (
    ALLOWED_TRANSITIONS,
    EventKind,
    Priority,
    Queue,
    Status,
    StatusCategory,
    Ticket,
    TicketField,
    TicketType,
)
from ._common import (
    _clean_subject,
    _customer_state_changes,
    _event,
    _locked,
    _now,
    _require_staff,
    _seen_by_customer,
    _tags_from_names,
    _touch,
    custom_fields_clean,
    fields_search_text,
    search_text_append,
)


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
    if _customer_state_changes(previous.category, status.category):
        changed.append(_seen_by_customer(ticket, at))
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
    at = _now(at)
    subject = _clean_subject(subject)
    ticket = _locked(ticket)
    previous = ticket.subject
    if previous == subject:
        return ticket
    if ticket.status_category == StatusCategory.CLOSED:
        raise TransitionNotAllowed("A closed ticket cannot be changed.")
    ticket.subject = subject
    # The new subject becomes searchable; the old one stays findable.
    ticket.search_text = search_text_append(ticket.search_text, subject.lower())
    ticket.public_search_text = search_text_append(ticket.public_search_text, subject.lower())
    _touch(ticket, at, ["subject", "search_text", "public_search_text", _seen_by_customer(ticket, at)])
    _event(ticket=ticket, kind=EventKind.SUBJECT_CHANGED, actor=actor, at=at, **{"from": previous, "to": subject})
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
    # New values become searchable by staff; earlier ones stay findable (the history says what changed).
    ticket.search_text = search_text_append(ticket.search_text, fields_search_text({k: c["to"] for k, c in changes.items()}))
    changed = ["custom_fields", "search_text"]
    if TicketField.objects.filter(key__in=list(changes), visible_to_customers=True).exists():
        changed.append(_seen_by_customer(ticket, at))
    _touch(ticket, at, changed)
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
