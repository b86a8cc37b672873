"""Shared pieces of the ticket services: time, events, locking, statuses, tags, fields, files."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from frontline.core import background
from frontline.customers.models import Customer
from frontline.people.models import STAFF_ROLES, User

from ..content import Upload, upload_validate
from ..hooks import ticket_event_written
from ..models import (
    CUSTOMER_STATE,
    Attachment,
    FieldType,
    Message,
    Status,
    Tag,
    Ticket,
    TicketEvent,
    TicketField,
)

logger = logging.getLogger(__name__)

SEARCH_TEXT_LIMIT = 20_000


def _now(at: datetime | None) -> datetime:
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise ValueError("at: must be an aware datetime")
    return at


def _event(*, ticket: Ticket, kind: str, actor: User | None, at: datetime, **payload: Any) -> TicketEvent:
    event = TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor, created_at=at, payload=payload)
    ticket_event_written(event)  # listeners (the SLA clocks) react in this transaction
    return event


def _locked(ticket: Ticket) -> Ticket:
    """Re-read the ticket under a row lock so concurrent writers serialise."""
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _touch(ticket: Ticket, at: datetime, fields: Sequence[str]) -> None:
    ticket.updated_at = max(ticket.updated_at, at) if ticket.updated_at else at
    ticket.save(update_fields=[*fields, "updated_at"])


def _seen_by_customer(ticket: Ticket, at: datetime) -> str:
    """Record a change the customer can see (see ``Ticket.public_updated_at``); the column to save."""
    ticket.public_updated_at = max(ticket.public_updated_at, at) if ticket.public_updated_at else at
    return "public_updated_at"


def _customer_state_changes(from_category: str, to_category: str) -> bool:
    """Whether a move between the categories changes what the customer is told (CUSTOMER_STATE)."""
    return CUSTOMER_STATE[from_category] != CUSTOMER_STATE[to_category]


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


def fields_search_text(values: dict[str, Any]) -> str:
    """The words custom field values add to a ticket's staff search text (lower-cased, one per line).

    Text, choice, number and date values are searchable ("ord-1442", "2026-11-23"); checkboxes and
    empty values add nothing. Staff search only: customers never search custom fields.
    """
    words = []
    for value in values.values():
        if value is None or isinstance(value, bool) or value == "":
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        words.append(str(value).lower())
    return "\n".join(words)


def ticket_search_text(*, subject: str, requester: Customer, text: str, fields: dict[str, Any]) -> str:
    """A new ticket's staff search text: subject, requester, first message and custom field values."""
    seed = f"{subject}\n{requester.name} {requester.email}\n{text}".lower()
    extra = fields_search_text(fields)
    return (f"{seed}\n{extra}" if extra else seed)[:SEARCH_TEXT_LIMIT]


def search_text_append(current: str, addition: str) -> str:
    """``current`` with ``addition`` on a new line, cut to SEARCH_TEXT_LIMIT (nothing added once full)."""
    return (current + "\n" + addition)[:SEARCH_TEXT_LIMIT] if addition else current


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


# The files written inside the innermost ``atomic_with_files`` block (None outside any).
_written_files: ContextVar[list[tuple[Storage, str]] | None] = ContextVar("frontline_written_files", default=None)


@contextmanager
def atomic_with_files() -> Iterator[None]:
    """``transaction.atomic()`` that deletes the attachment files written inside it if it rolls back.

    Files are written before commit, so a failed write fails the whole change. Django has no
    rollback hook, so each block collects what ``_attach`` writes inside it: an exception leaving
    the block (its transaction or savepoint rolled back, the rows gone) deletes them; on success
    they pass to the enclosing block, which may still roll back. Use it, not a bare
    ``transaction.atomic()``, around any service call that may write files, so the outermost
    block of a user action decides. (A process killed mid-transaction leaves its files:
    nothing in Python runs then.)
    """
    parent = _written_files.get()
    mine: list[tuple[Storage, str]] = []
    token = _written_files.set(mine)
    try:
        with transaction.atomic():
            yield
    except BaseException:
        _delete_files(mine)
        raise
    finally:
        _written_files.reset(token)
    if parent is not None:
        parent.extend(mine)


def _delete_files(files: Iterable[tuple[Storage, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete %s after a rolled-back change; delete it by hand.", name)


def _attach(message: Message, uploads: Sequence[Upload]) -> list[Attachment]:
    """Store the uploads as attachments of ``message``; call inside ``atomic_with_files``."""
    written = _written_files.get()
    if written is None:
        raise RuntimeError("_attach: call inside atomic_with_files(), so a rollback removes the files it writes")
    attachments = []
    for upload in uploads:
        content_type = upload_validate(upload)
        name = upload.filename.replace("\\", "/").rsplit("/", 1)[-1]
        attachment = Attachment(message=message, filename=name, content_type=content_type, size=len(upload.content))
        attachment.file.save(name, ContentFile(upload.content), save=False)
        written.append((attachment.file.storage, attachment.file.name))
        attachment.save()
        attachments.append(attachment)
    return attachments


def _notify_after_commit(message_id: int) -> None:
    background.enqueue_on_commit("desk.notify_customer", message_id)
