"""Writes of the mail pipeline: ingesting a message (CLI, IMAP fetch), retrying a failed one.

``email_ingest`` stores the raw bytes first, then turns them into a ticket or a reply through the
desk services (so events are written as for any other channel) inside a savepoint. Anything that
goes wrong in the second step rolls back to the savepoint and leaves the raw message stored with
``outcome=failed`` and the error: nothing is lost, and ``inbound_retry`` tries again.
"""

from __future__ import annotations

import email
import email.policy
import logging
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from frontline.customers.models import Customer
from frontline.customers.services import customer_for_email
from frontline.desk import services as desk
from frontline.desk.content import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    Upload,
    html_to_text,
    sanitize_html,
    upload_validate,
)
from frontline.desk.models import Channel, StatusCategory, Ticket

from . import selectors
from .models import (
    AutoMail,
    Direction,
    InboundEmail,
    MailAddress,
    Mailbox,
    MessageIdRecord,
    Outcome,
    TicketParticipant,
)
from .parsing import MailParseError, ParsedMail, dedupe_key, message_ids, parse
from .quoting import cut_html_history, neutralise, strip_reply

log = logging.getLogger(__name__)


@dataclass
class IngestResult:
    """What became of one message (the CLI prints it as JSON)."""

    outcome: str
    inbound_id: int | None = None
    ticket: int | None = None
    reference: str | None = None
    message: int | None = None
    subject: str = ""
    from_name: str = ""
    from_email: str = ""
    text: str = ""
    attachments: list[str] = field(default_factory=list)
    acknowledged: bool = False
    kept: bool = False
    error: str | None = None


def _peek_message_id(raw: bytes) -> str:
    try:
        headers = email.message_from_bytes(raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0] + b"\n\n",
                                           policy=email.policy.compat32)
        return (message_ids(headers.get("Message-ID")) or ("",))[0]
    except Exception:
        return ""


def email_ingest(*, raw: bytes, mailbox: Mailbox | None = None, source: str = "", at: datetime | None = None) -> IngestResult:
    """Store ``raw`` and make it a ticket, a reply, or a recorded automatic message / bounce.

    The same message twice (same Message-ID, or same bytes without one) is ``duplicate`` and
    changes nothing, unless the stored copy failed: then it is processed again.
    """
    at = at or timezone.now()
    key = dedupe_key(raw, _peek_message_id(raw))
    with desk.atomic_with_files():
        inbound = InboundEmail.objects.select_for_update().filter(dedupe_key=key).first()
        if inbound is None:
            try:
                with transaction.atomic():
                    inbound = InboundEmail.objects.create(
                        mailbox=mailbox, dedupe_key=key, message_id=key[4:] if key.startswith("mid:") else "",
                        raw=raw, size=len(raw), source=source[:100], received_at=at,
                    )
            except IntegrityError:  # the same message arrived concurrently
                inbound = InboundEmail.objects.select_for_update().get(dedupe_key=key)
                return _duplicate(inbound)
        elif inbound.outcome != Outcome.FAILED:
            return _duplicate(inbound)
        return _process(inbound, at)


def inbound_retry(*, inbound: InboundEmail, at: datetime | None = None) -> IngestResult:
    """Process a failed message again (admin "retry"); any other outcome is left as it is."""
    with desk.atomic_with_files():
        inbound = InboundEmail.objects.select_for_update().get(pk=inbound.pk)
        if inbound.outcome != Outcome.FAILED:
            return _duplicate(inbound)
        return _process(inbound, at or timezone.now())


def _duplicate(inbound: InboundEmail) -> IngestResult:
    text = inbound.desk_message.body_text if inbound.desk_message_id and inbound.desk_message else ""
    names = list(inbound.desk_message.attachments.values_list("filename", flat=True)) if inbound.desk_message_id else []
    return IngestResult(
        outcome=Outcome.DUPLICATE, inbound_id=inbound.pk, ticket=inbound.ticket_id,
        reference=selectors.ticket_reference(inbound.ticket_id) if inbound.ticket_id else None,
        message=inbound.desk_message_id, subject=inbound.subject, from_name=inbound.from_name,
        from_email=inbound.from_email, text=text, attachments=names, kept=True,
    )


def _process(inbound: InboundEmail, at: datetime) -> IngestResult:
    inbound.attempts += 1
    raw = bytes(inbound.raw)
    try:
        with desk.atomic_with_files():  # a failure rolls back to here and removes the files written
            result = _deliver(inbound, parse(raw), at)
    except Exception as exc:
        if not isinstance(exc, MailParseError | ValidationError):
            log.exception("mail: ingesting inbound email %s failed", inbound.pk)
        error = _error_text(exc)
        InboundEmail.objects.filter(pk=inbound.pk).update(
            outcome=Outcome.FAILED, error=error, attempts=inbound.attempts, processed_at=at,
        )
        return IngestResult(outcome=Outcome.FAILED, inbound_id=inbound.pk, subject=inbound.subject,
                            from_name=inbound.from_name, from_email=inbound.from_email, kept=True, error=error)
    return result


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        parts = []
        for name, messages in getattr(exc, "message_dict", {"": exc.messages}).items():
            parts.append(f"{name}: {' '.join(messages)}" if name else " ".join(messages))
        return "; ".join(parts)[:1000]
    return (str(exc) or exc.__class__.__name__)[:1000]


def _deliver(inbound: InboundEmail, parsed: ParsedMail, at: datetime) -> IngestResult:
    inbound.subject, inbound.from_name, inbound.from_email = parsed.subject, parsed.from_name, parsed.from_email
    inbound.headers = parsed.headers
    header_ids = [*reversed(parsed.in_reply_to), *reversed(parsed.references)]
    candidates = selectors.thread_candidates(header_ids=header_ids, subject=parsed.subject)
    result = IngestResult(outcome=Outcome.PROCESSING, inbound_id=inbound.pk, subject=parsed.subject,
                          from_name=parsed.from_name, from_email=parsed.from_email, kept=True)
    automatic, reason = parsed.automatic, parsed.automatic_reason
    own = selectors.own_addresses()
    if not automatic and parsed.from_email in own:
        automatic, reason = "auto_reply", "sent from Frontline's own address"
    if automatic:
        return _record_automatic(inbound, parsed, automatic, reason, candidates, result, at)

    customer = customer_for_email(email=parsed.from_email, name=parsed.from_name)
    allowed = [t for t in candidates if selectors.sender_may_thread(customer=customer, ticket=t)]
    target = next((t for t in allowed if t.status_category != StatusCategory.CLOSED), None)
    notes = []
    if candidates and not allowed:
        notes.append(f"Not added to {', '.join(selectors.ticket_reference(t.pk) for t in candidates)}: the sender "
                     "is not its requester, a colleague who sees the company's tickets, or a copied participant.")
    elif allowed and target is None:
        notes.append(f"{selectors.ticket_reference(allowed[0].pk)} is closed: a follow-up opens a new ticket.")

    text = _display_text(parsed)
    uploads, skipped = _uploads(parsed)
    inbound.html = _original_html(parsed.html)
    inbound.inline_images = {p.content_id: p.filename for p in parsed.attachments if p.content_id}
    inbound.skipped_attachments = skipped
    if skipped:
        notes.append("Not stored: " + "; ".join(skipped))
    body = text or ("(no text; see the attachments)" if uploads else "(empty message)")

    if target is not None:
        message = desk.ticket_reply(ticket=target, author=None, customer=customer, body=body, attachments=uploads, at=at)
        ticket, outcome, acknowledged = target, Outcome.THREADED, False
    else:
        mailbox = inbound.mailbox
        queue = mailbox.queue if mailbox is not None else selectors.default_queue()
        acknowledged = _may_acknowledge(customer, at)
        subject = selectors.subject_without_references(parsed.subject) or "(no subject)"
        ticket = desk.ticket_create(requester=customer, subject=subject, body=body, actor=None, channel=Channel.EMAIL,
                                    queue=queue, attachments=uploads, at=at, notify=acknowledged)
        message = ticket.messages.order_by("id").first()
        assert message is not None
        outcome = Outcome.CREATED
        if acknowledged:
            AutoMail.objects.create(address=customer.email, kind="acknowledgement", sent_at=at, ticket=ticket)
    _remember(parsed, ticket, customer, own, at)
    inbound.note = " ".join(notes)[:300]
    _finish(inbound, outcome, at, ticket=ticket, message=message, acknowledged=acknowledged)
    result.outcome, result.ticket, result.message = outcome, ticket.pk, message.pk
    result.reference = selectors.ticket_reference(ticket.pk)
    result.text = message.body_text
    result.attachments = list(message.attachments.order_by("id").values_list("filename", flat=True))
    result.acknowledged = acknowledged
    return result


def _record_automatic(inbound: InboundEmail, parsed: ParsedMail, kind: str, reason: str, candidates: list[Ticket],
                      result: IngestResult, at: datetime) -> IngestResult:
    """Automatic mail is never answered and never enters a conversation; it is kept, linked to its ticket."""
    ticket = candidates[0] if candidates else None
    if kind == Outcome.BOUNCE:
        for address in parsed.bounced:
            _mark_bouncing(address, reason, at)
    inbound.automatic_reason = reason[:200]
    inbound.html = _original_html(parsed.html)
    if kind == Outcome.BOUNCE and not parsed.bounced:
        inbound.note = "No failed recipient could be read from this report."
    _finish(inbound, kind, at, ticket=ticket, message=None, acknowledged=False)
    result.outcome = kind
    result.ticket = ticket.pk if ticket else None
    result.reference = selectors.ticket_reference(ticket.pk) if ticket else None
    result.text = strip_reply(parsed.text) if parsed.text else ""
    return result


def _mark_bouncing(address: str, reason: str, at: datetime) -> None:
    record, _ = MailAddress.objects.select_for_update().get_or_create(address=address.lower()[:254])
    record.bouncing = True
    record.bounce_count += 1
    record.last_bounce_at = at
    record.last_bounce_reason = reason[:200]
    record.save(update_fields=["bouncing", "bounce_count", "last_bounce_at", "last_bounce_reason"])


def _finish(inbound: InboundEmail, outcome: str, at: datetime, *, ticket: Ticket | None, message: object,
            acknowledged: bool) -> None:
    inbound.outcome = outcome
    inbound.error = ""
    inbound.processed_at = at
    inbound.ticket = ticket
    inbound.desk_message = message  # type: ignore[assignment]
    inbound.acknowledged = acknowledged
    inbound.save(update_fields=[
        "outcome", "error", "processed_at", "attempts", "ticket", "desk_message", "acknowledged", "subject",
        "from_name", "from_email", "headers", "html", "inline_images", "skipped_attachments", "automatic_reason", "note",
    ])


def _may_acknowledge(customer: Customer, at: datetime) -> bool:
    address = customer.email.lower()
    # serialise acknowledgements to one address so that two deliveries cannot both pass the limit
    MailAddress.objects.bulk_create([MailAddress(address=address)], ignore_conflicts=True)
    record = MailAddress.objects.select_for_update().filter(address=address).first()
    if record is not None and record.bouncing:
        return False
    return selectors.automail_allowed(address=address, at=at)


def _remember(parsed: ParsedMail, ticket: Ticket, customer: Customer, own: set[str], at: datetime) -> None:
    if parsed.message_id:
        MessageIdRecord.objects.bulk_create(
            [MessageIdRecord(message_id=parsed.message_id, ticket=ticket, direction=Direction.IN, created_at=at)],
            ignore_conflicts=True)
    copied = {a for a in (*parsed.to, *parsed.cc) if a not in own and a != customer.email and len(a) <= 254}
    if copied:
        TicketParticipant.objects.bulk_create([TicketParticipant(ticket=ticket, address=a) for a in sorted(copied)],
                                              ignore_conflicts=True)


def message_id_record(*, message_id: str, ticket: Ticket, direction: str, at: datetime | None = None) -> None:
    """Remember a Message-ID Frontline sent or received for ``ticket`` (replies to it thread there)."""
    MessageIdRecord.objects.get_or_create(message_id=message_id.strip("<>")[:300],
                                          defaults={"ticket": ticket, "direction": direction,
                                                    "created_at": at or timezone.now()})


def _display_text(parsed: ParsedMail) -> str:
    if parsed.text.strip():
        return neutralise(strip_reply(parsed.text))
    if parsed.html.strip():
        return neutralise(strip_reply(html_to_text(sanitize_html(cut_html_history(parsed.html)))))
    return ""


def _uploads(parsed: ParsedMail) -> tuple[list[Upload], list[str]]:
    uploads, skipped = [], []
    for part in parsed.attachments:
        upload = Upload(filename=part.filename, content=part.content, content_type=part.content_type)
        try:
            upload_validate(upload)
        except ValidationError as exc:
            skipped.append(" ".join(exc.messages) if hasattr(exc, "messages") else part.filename)
            continue
        uploads.append(upload)
    return uploads, skipped


def _keep_src(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.lower().startswith("cid:") else None  # remote images track the reader
    return value


def _original_html(raw_html: str) -> str:
    """The whole HTML as sent, sanitised; inline (cid:) images kept, remote ones dropped."""
    if not raw_html.strip():
        return ""
    attributes = {**ALLOWED_ATTRIBUTES, "img": {"src", "alt", "width", "height"}}
    return neutralise(nh3.clean(raw_html.replace("\x00", ""), tags=ALLOWED_TAGS | {"img"}, attributes=attributes,
                                url_schemes={"http", "https", "mailto", "cid"}, attribute_filter=_keep_src,
                                link_rel="noopener noreferrer nofollow"))
