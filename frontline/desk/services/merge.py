"""Merging a duplicate ticket into another."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from frontline.people.models import STAFF_ROLES, User

from ..errors import Conflict
from ..models import (
    AuthorKind,
    EventKind,
    StatusCategory,
    Ticket,
)
from ._common import (
    _event,
    _now,
    _seen_by_customer,
    _touch,
    status_default,
)
from .conversation import (
    _system_note,
    ticket_reply,
)


@transaction.atomic
def ticket_merge(*, source: Ticket, target: Ticket, actor: User | None, at: datetime | None = None) -> Ticket:
    """Merge ``source`` (a duplicate) into ``target``: the source closes, the target gets a note.

    Messages stay where they were written (events are per ticket and never move); the target's
    note quotes the source's public conversation so the agent has it in one place. The note is
    internal: the target's customer sees nothing of it (not in search, count or last activity),
    so one customer's words never reach another customer who shares no tickets with them.
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
    _touch(source, at, ["status", "status_category", "closed_at", "merged_into", _seen_by_customer(source, at)])
    _event(ticket=source, kind=EventKind.MERGED, actor=actor, at=at, into=target.pk)
    _event(ticket=source, kind=EventKind.STATUS_CHANGED, actor=actor, at=at,
           **{"from": previous.name, "to": closed.name, "from_category": previous.category, "to_category": closed.category, "reason": "merged"})
    _event(ticket=target, kind=EventKind.MERGED_IN, actor=actor, at=at, source=source.pk)
    if actor is not None and actor.role in STAFF_ROLES:
        ticket_reply(ticket=target, author=actor, body=note, public=False, at=at)
    else:
        _system_note(target, note, at)
    return Ticket.objects.get(pk=target.pk)
