"""The fast replay: ``BulkReplayer`` mirrors the desk services step by step in memory and writes
in bulk (tests/demo/test_replay.py checks both give the same rows)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import connections, transaction
from django.utils.text import slugify

from frontline.customers.models import Customer
from frontline.desk import services
from frontline.desk.content import body_from
from frontline.desk.errors import Conflict, TransitionNotAllowed
from frontline.desk.models import (
    CUSTOMER_STATE,
    AuthorKind,
    EventKind,
    Message,
    Queue,
    Status,
    StatusCategory,
    Tag,
    Ticket,
    TicketEvent,
    TicketField,
)
from frontline.people.models import STAFF_ROLES, User

from .service import BATCH, Op

# --- the mirror ----------------------------------------------------------------------------------


class _Ref:
    """A message or ticket whose primary key is known only after it is inserted."""

    __slots__ = ("pk",)

    def __init__(self) -> None:
        self.pk: int | None = None


@dataclass(slots=True)
class _Message:
    ref: _Ref
    ticket: _Ticket
    author_kind: str
    author_user_id: int | None
    author_customer_id: int | None
    is_public: bool
    body_text: str
    body_html: str
    created_at: datetime
    handle_seconds: int | None


@dataclass(slots=True)
class _Ticket:
    ref: _Ref
    subject: str
    channel: str
    status: Status
    priority: str
    ticket_type: str
    requester_id: int
    company_id: int | None
    assignee_id: int | None
    team_id: int | None
    queue_id: int | None
    tags: list[str]
    custom_fields: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    search_text: str  # not yet cut to SEARCH_TEXT_LIMIT: cutting once at the end gives the same text
    public_search_text: str  # likewise
    public_updated_at: datetime
    index: int = 0
    message_count: int = 1
    public_message_count: int = 1
    reopen_count: int = 0
    merged_into: _Ticket | None = None
    first_response_at: datetime | None = None
    solved_at: datetime | None = None
    closed_at: datetime | None = None
    messages: list[_Message] = field(default_factory=list)


class BulkReplayer:
    """Mirrors ``desk.services`` in memory, then writes every row with ``bulk_create``.

    Each method below follows the service of the same name line by line; keep them in step.
    """

    def __init__(self) -> None:
        self.tickets: dict[int, _Ticket] = {}
        self.order: list[_Ticket] = []
        self.messages: list[_Message] = []
        self.events: list[tuple[_Ticket, str, int | None, datetime, dict[str, Any]]] = []
        statuses = list(Status.objects.all())
        self.defaults = {c: services.status_default(c) for c in {s.category for s in statuses}}
        self.fields = {f.key: f for f in TicketField.objects.all()}
        self.customers = {c.pk: c for c in Customer.objects.all()}
        self.customer_of_user = {c.user_id: c for c in self.customers.values() if c.user_id}
        self.user_teams: dict[int, list[int]] = {}
        for user in User.objects.filter(role__in=STAFF_ROLES).prefetch_related("teams"):
            self.user_teams[user.pk] = sorted(t.pk for t in user.teams.all())

    def apply(self, op: Op) -> None:
        a, actor, at = op.args, op.actor, op.at
        if op.kind == "create":
            self.tickets[op.ticket] = self._create(op)
            return
        t = self.tickets[op.ticket]
        if op.kind == "reply":
            self._reply(t, actor, a["body"], a["public"], a.get("then_status"), at, a.get("handle_seconds"))
        elif op.kind == "customer_reply":
            self._reply(t, actor, a["body"], True, None, at, None)
        elif op.kind == "status":
            self._status_change(t, a["status"], actor, at)
        elif op.kind == "assign":
            self._assign(t, a["assignee"], actor, at)
        elif op.kind == "priority":
            self._simple_change(t, "priority", a["priority"], EventKind.PRIORITY_CHANGED, actor, at)
        elif op.kind == "queue":
            self._queue_change(t, a["queue"], actor, at)
        elif op.kind == "tags":
            self._tags_set(t, a["tags"], actor, at)
        elif op.kind == "fields":
            self._fields_update(t, a["values"], actor, at)
        elif op.kind == "merge":
            self._merge(t, self.tickets[a["target"]], actor, at)
        else:
            raise ValueError(f"op.kind: unknown step {op.kind!r}")

    # services.ticket_create
    def _create(self, op: Op) -> _Ticket:
        a, actor, at = op.args, op.actor, op.at
        subject = services._clean_subject(a["subject"])
        content = body_from(text=a["body"])
        requester: Customer = a["requester"]
        queue: Queue | None = a["queue"]
        assignee: User | None = a.get("assignee")
        fields = self._clean_fields(a["custom_fields"])
        handle_seconds = services.handle_seconds_clean(a.get("handle_seconds"))
        team_id = queue.team_id if queue is not None else None
        status = self.defaults[StatusCategory.OPEN if assignee else StatusCategory.NEW]
        tags = _slugs(a["tags"])
        t = _Ticket(
            ref=_Ref(), subject=subject, channel=a["channel"], status=status, priority=a["priority"],
            ticket_type=a["ticket_type"], requester_id=requester.pk, company_id=requester.company_id,
            assignee_id=assignee.pk if assignee else None, team_id=team_id, queue_id=queue.pk if queue else None,
            tags=tags, custom_fields=fields, created_at=at, updated_at=at,
            search_text=_appended(f"{subject}\n{requester.name} {requester.email}\n{content.text}".lower(),
                                  services.fields_search_text(fields)),
            public_search_text=f"{subject}\n{content.text}".lower(), public_updated_at=at, index=op.ticket,
        )
        self.order.append(t)
        by_agent = actor is not None and actor.role in STAFF_ROLES
        message = self._message(t, AuthorKind.AGENT if by_agent else AuthorKind.CUSTOMER, actor,
                                None if by_agent else requester.pk, True, content.text, content.html, at,
                                handle_seconds if by_agent else None)
        self._event(t, EventKind.CREATED, actor, at,
                    channel=a["channel"], status=status.name, status_category=status.category, priority=a["priority"],
                    ticket_type=a["ticket_type"], requester_id=requester.pk, assignee_id=t.assignee_id,
                    team_id=team_id, queue_id=t.queue_id, tags=list(tags), message_id=message.ref)
        return t

    # services.ticket_reply
    def _reply(self, t: _Ticket, author: User | None, body: str, public: bool, then_status: Status | None,
               at: datetime, handle_seconds: int | None) -> None:
        handle_seconds = services.handle_seconds_clean(handle_seconds)
        content = body_from(text=body)
        is_staff = author is not None and author.role in STAFF_ROLES
        if t.status.category == StatusCategory.CLOSED:
            raise TransitionNotAllowed("This ticket is closed; a follow-up needs a new ticket.")
        if is_staff:
            customer_id = None
        elif author is None:
            customer_id = t.requester_id
        else:
            customer_id = self.customer_of_user[author.pk].pk
        message = self._message(t, AuthorKind.AGENT if is_staff else AuthorKind.CUSTOMER, author, customer_id,
                                public, content.text, content.html, at, handle_seconds if is_staff else None)
        t.message_count += 1
        t.search_text = t.search_text + "\n" + content.text.lower()
        if public:
            t.public_message_count += 1
            t.public_search_text = t.public_search_text + "\n" + content.text.lower()
            _seen_by_customer(t, at)
        if is_staff and public:
            first = t.first_response_at is None
            if first:
                t.first_response_at = at
            self._event(t, EventKind.REPLIED, author, at, message_id=message.ref, first_response=first, attachments=[])
        elif is_staff:
            self._event(t, EventKind.NOTE_ADDED, author, at, message_id=message.ref, attachments=[])
        else:
            self._event(t, EventKind.CUSTOMER_REPLIED, author, at, message_id=message.ref, attachments=[])
        _touch(t, at)
        category = t.status.category
        if then_status is not None:
            self._status_change(t, then_status, author, at)
        elif is_staff and public and category == StatusCategory.NEW:  # noqa: SIM114 (kept as in services.ticket_reply)
            self._status_change(t, self.defaults[StatusCategory.OPEN], author, at)
        elif not is_staff and category in (StatusCategory.PENDING, StatusCategory.ON_HOLD, StatusCategory.SOLVED):
            self._status_change(t, self.defaults[StatusCategory.OPEN], author, at)

    # services.ticket_status_change
    def _status_change(self, t: _Ticket, status: Status, actor: User | None, at: datetime) -> None:
        if status.pk == t.status.pk:
            return
        previous = t.status
        services.transition_check(from_category=previous.category, to_category=status.category)
        if status.category in (StatusCategory.SOLVED, StatusCategory.CLOSED):
            self._check_required_fields(t)
        t.status = status
        if status.category == StatusCategory.SOLVED:
            t.solved_at = at
        elif status.category == StatusCategory.CLOSED:
            t.closed_at = at
        reopened = previous.category == StatusCategory.SOLVED and status.category == StatusCategory.OPEN
        if reopened:
            t.reopen_count += 1
            t.solved_at = None
        if CUSTOMER_STATE[previous.category] != CUSTOMER_STATE[status.category]:
            _seen_by_customer(t, at)
        _touch(t, at)
        self._event(t, EventKind.STATUS_CHANGED, actor, at, **{
            "from": previous.name, "to": status.name, "from_category": previous.category, "to_category": status.category,
        })
        if reopened:
            self._event(t, EventKind.REOPENED, actor, at, reopen_count=t.reopen_count)

    def _check_required_fields(self, t: _Ticket) -> None:
        missing = [f.label for f in self.fields.values() if f.required_to_solve and t.custom_fields.get(f.key) in (None, "")]
        if missing:
            raise TransitionNotAllowed(f"Fill in before solving: {', '.join(missing)}.")

    # services.ticket_assign
    def _assign(self, t: _Ticket, assignee: User | None, actor: User | None, at: datetime) -> None:
        if t.status.category == StatusCategory.CLOSED:
            raise TransitionNotAllowed("A closed ticket cannot be reassigned.")
        new_id = assignee.pk if assignee else None
        if t.assignee_id == new_id:
            return
        previous = t.assignee_id
        t.assignee_id = new_id
        _touch(t, at)
        self._event(t, EventKind.ASSIGNED, actor, at, **{"from": previous, "to": new_id})
        if assignee is not None and t.team_id is None:
            teams = self.user_teams.get(assignee.pk, [])[:2]
            if len(teams) == 1:
                self._simple_change(t, "team_id", teams[0], EventKind.TEAM_CHANGED, actor, at)

    # services._simple_change
    def _simple_change(self, t: _Ticket, attr: str, value: Any, kind: str, actor: User | None, at: datetime) -> None:
        previous = getattr(t, attr)
        if previous == value:
            return
        if t.status.category == StatusCategory.CLOSED:
            raise TransitionNotAllowed("A closed ticket cannot be changed.")
        setattr(t, attr, value)
        _touch(t, at)
        self._event(t, kind, actor, at, **{"from": previous, "to": value})

    # services.ticket_queue_change
    def _queue_change(self, t: _Ticket, queue: Queue | None, actor: User | None, at: datetime) -> None:
        self._simple_change(t, "queue_id", queue.pk if queue else None, EventKind.QUEUE_CHANGED, actor, at)
        if queue is not None and queue.team_id and t.team_id != queue.team_id:
            self._simple_change(t, "team_id", queue.team_id, EventKind.TEAM_CHANGED, actor, at)

    # services.ticket_tags_set
    def _tags_set(self, t: _Ticket, tags: Iterable[str], actor: User | None, at: datetime) -> None:
        if t.status.category == StatusCategory.CLOSED:
            raise TransitionNotAllowed("A closed ticket cannot be changed.")
        wanted = _slugs(tags)
        current, names = set(t.tags), set(wanted)
        if names == current:
            return
        t.tags = wanted
        _touch(t, at)
        self._event(t, EventKind.TAGGED, actor, at, added=sorted(names - current), removed=sorted(current - names))

    # services.ticket_fields_update
    def _fields_update(self, t: _Ticket, values: dict[str, Any], actor: User | None, at: datetime) -> None:
        if t.status.category == StatusCategory.CLOSED:
            raise TransitionNotAllowed("A closed ticket cannot be changed.")
        cleaned = self._clean_fields(values)
        changes = {k: {"from": t.custom_fields.get(k), "to": v} for k, v in cleaned.items() if t.custom_fields.get(k) != v}
        if not changes:
            return
        t.custom_fields = {**t.custom_fields, **cleaned}
        t.search_text = _appended(t.search_text, services.fields_search_text({k: c["to"] for k, c in changes.items()}))
        if any(self.fields[k].visible_to_customers for k in changes):
            _seen_by_customer(t, at)
        _touch(t, at)
        self._event(t, EventKind.FIELDS_CHANGED, actor, at, changes=changes)

    def _clean_fields(self, values: dict[str, Any]) -> dict[str, Any]:
        # services.custom_fields_clean without the query; unknown keys are a bug in the script.
        return {k: None if v in (None, "") else services._field_value(self.fields[k], v) for k, v in values.items()}

    # services.ticket_merge (with a staff actor, as the demo always has)
    def _merge(self, source: _Ticket, target: _Ticket, actor: User | None, at: datetime) -> None:
        if source is target:
            raise Conflict("A ticket cannot be merged into itself.")
        if source.merged_into is not None or StatusCategory.CLOSED in (source.status.category, target.status.category):
            raise Conflict("The tickets cannot be merged in their current state.")
        if actor is None or actor.role not in STAFF_ROLES:
            raise ValueError("actor: the demo merges as a staff member")
        quoted = "\n\n".join(
            f"{m.created_at:%Y-%m-%d %H:%M} UTC — {'agent' if m.author_kind == AuthorKind.AGENT else 'customer'}:\n{m.body_text}"
            for m in sorted(source.messages, key=lambda m: m.created_at) if m.is_public
        )
        # The source's number is known only once it is inserted: a marker stands in until then.
        note = f"Merged ticket #{_MARK}{source.index}{_MARK} ({source.subject}) into this ticket.\n\n{quoted}"
        closed = self.defaults[StatusCategory.CLOSED]
        previous = source.status
        source.status = closed
        source.closed_at = at
        source.merged_into = target
        _seen_by_customer(source, at)
        _touch(source, at)
        self._event(source, EventKind.MERGED, actor, at, into=target.ref)
        self._event(source, EventKind.STATUS_CHANGED, actor, at, **{
            "from": previous.name, "to": closed.name, "from_category": previous.category,
            "to_category": closed.category, "reason": "merged",
        })
        self._event(target, EventKind.MERGED_IN, actor, at, source=source.ref)
        self._reply(target, actor, note, False, None, at, None)

    def _message(self, t: _Ticket, kind: str, user: User | None, customer_id: int | None, public: bool,
                 text: str, html: str, at: datetime, handle_seconds: int | None) -> _Message:
        message = _Message(_Ref(), t, kind, user.pk if user else None, customer_id, public, text, html, at, handle_seconds)
        t.messages.append(message)
        self.messages.append(message)
        return message

    def _event(self, t: _Ticket, kind: str, actor: User | None, at: datetime, **payload: Any) -> None:
        self.events.append((t, kind, actor.pk if actor else None, at, payload))

    # --- writing --------------------------------------------------------------------------------

    def finish(self) -> None:
        with transaction.atomic():
            self._write_tickets()
            self._write_messages()
            self._write_events()

    def _write_tickets(self) -> None:
        for chunk in _chunks(self.order):
            rows = [Ticket(
                subject=t.subject, channel=t.channel, status_id=t.status.pk, status_category=t.status.category,
                priority=t.priority, ticket_type=t.ticket_type, requester_id=t.requester_id, company_id=t.company_id,
                assignee_id=t.assignee_id, team_id=t.team_id, queue_id=t.queue_id, custom_fields=t.custom_fields,
                reopen_count=t.reopen_count, message_count=t.message_count, created_at=t.created_at,
                updated_at=t.updated_at, first_response_at=t.first_response_at, solved_at=t.solved_at,
                closed_at=t.closed_at, search_text=t.search_text[:services.SEARCH_TEXT_LIMIT],
                public_search_text=t.public_search_text[:services.SEARCH_TEXT_LIMIT],
                public_message_count=t.public_message_count, public_updated_at=t.public_updated_at,
            ) for t in chunk]
            Ticket.objects.bulk_create(rows)
            for t, row in zip(chunk, rows, strict=True):
                t.ref.pk = row.pk
        self.pks = {t.index: t.ref.pk for t in self.order}
        for t in self.order:
            if t.merged_into is not None:
                Ticket.objects.filter(pk=t.ref.pk).update(merged_into_id=t.merged_into.ref.pk)
            if _MARK in t.search_text:
                Ticket.objects.filter(pk=t.ref.pk).update(search_text=self._resolve(t.search_text)[:services.SEARCH_TEXT_LIMIT])
        names = sorted({name for t in self.order for name in t.tags})
        Tag.objects.bulk_create([Tag(name=n) for n in names], ignore_conflicts=True)
        tag_ids = dict(Tag.objects.filter(name__in=names).values_list("name", "id"))
        through = Ticket.tags.through
        links = [through(ticket_id=t.ref.pk, tag_id=tag_ids[n]) for t in self.order for n in t.tags]
        through.objects.bulk_create(links, batch_size=BATCH)

    def _resolve(self, text: str) -> str:
        return _MARKED.sub(lambda m: str(self.pks[int(m.group(1))]), text)

    def _write_messages(self) -> None:
        for chunk in _chunks(self.messages):
            rows = [Message(
                ticket_id=m.ticket.ref.pk, author_kind=m.author_kind, author_user_id=m.author_user_id,
                author_customer_id=m.author_customer_id, is_public=m.is_public, body_text=self._resolve(m.body_text),
                body_html=self._resolve(m.body_html), handle_seconds=m.handle_seconds, created_at=m.created_at,
            ) for m in chunk]
            Message.objects.bulk_create(rows)
            for m, row in zip(chunk, rows, strict=True):
                m.ref.pk = row.pk

    def _write_events(self) -> None:
        # The bulk of the rows (about 9 per ticket): plain executemany, skipping model instances.
        # Values are prepared by the model's own fields, so each backend gets what the ORM would send.
        connection = connections[TicketEvent.objects.db]
        meta = TicketEvent._meta
        columns = [meta.get_field(name) for name in ("ticket", "kind", "actor", "created_at", "payload")]
        quote = connection.ops.quote_name
        sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(c.column) for c in columns)}) "
               f"VALUES ({', '.join(['%s'] * len(columns))})")
        at_field, payload_field = columns[3], columns[4]
        with connection.cursor() as cursor:
            for chunk in _chunks(self.events):
                cursor.executemany(sql, [(
                    t.ref.pk, kind, actor_id, at_field.get_db_prep_save(at, connection),
                    payload_field.get_db_prep_save({k: v.pk if isinstance(v, _Ref) else v for k, v in payload.items()}, connection),
                ) for t, kind, actor_id, at, payload in chunk])


_MARK = "\ue000"  # a private-use character: never in generated text, untouched by escaping and lower()
_MARKED = re.compile(_MARK + r"(\d+)" + _MARK)


def _touch(t: _Ticket, at: datetime) -> None:
    t.updated_at = max(t.updated_at, at)


def _seen_by_customer(t: _Ticket, at: datetime) -> None:
    # services._seen_by_customer
    t.public_updated_at = max(t.public_updated_at, at)


def _appended(text: str, addition: str) -> str:
    # services.search_text_append, cut once at the end
    return text + "\n" + addition if addition else text


def _slugs(names: Iterable[str]) -> list[str]:
    # services._tags_from_names without the queries
    slugs = sorted({slugify(n, allow_unicode=True) for n in names if slugify(n, allow_unicode=True)})
    if any(len(s) > services.TAG_MAX_LENGTH for s in slugs):
        raise ValueError(f"tags: keep demo tags under {services.TAG_MAX_LENGTH} characters")
    return slugs


def _chunks(items: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(items), BATCH):
        yield items[start:start + BATCH]
