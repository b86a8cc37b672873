"""Reading an RFC 5322 message into the parts Frontline stores. No database access.

Nothing here raises on bad input except ``MailParseError`` (the message cannot become a ticket
message at all: no sender address). Charsets: the declared one, else UTF-8, then Windows-1252,
then Latin-1 (which decodes any byte), so a body always comes out as text. Headers are decoded
from RFC 2047 words and from raw 8-bit bytes the same way.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import hashlib
import re
from dataclasses import dataclass, field, replace
from email.message import Message

from .quoting import neutralise

SUBJECT_MAX = 250  # desk Ticket.subject
NAME_MAX = 200  # customers Customer.name


class MailParseError(ValueError):
    """The message cannot be turned into a ticket message (kept raw, marked failed)."""


@dataclass(frozen=True)
class MailPart:
    filename: str
    content: bytes
    content_type: str
    content_id: str = ""  # without the angle brackets
    inline: bool = False  # shown in the HTML body (cid:)


@dataclass(frozen=True)
class ParsedMail:
    message_id: str  # without angle brackets; "" when absent
    in_reply_to: tuple[str, ...]
    references: tuple[str, ...]
    subject: str  # decoded, one line, neutralised, at most SUBJECT_MAX characters
    from_name: str
    from_email: str  # lower-case; "" when there is none
    to: tuple[str, ...]
    cc: tuple[str, ...]
    text: str  # the whole plain text (quotes and signatures included)
    html: str  # the whole HTML part as sent ("" when none); sanitise before showing
    attachments: tuple[MailPart, ...]
    automatic: str = ""  # "", "auto_reply" or "bounce"
    automatic_reason: str = ""
    bounced: tuple[str, ...] = ()  # recipients a delivery report says failed
    headers: dict[str, str] = field(default_factory=dict)


def dedupe_key(raw: bytes, message_id: str) -> str:
    """What makes two deliveries the same message: the Message-ID, else the bytes' SHA-256."""
    if message_id:
        return f"mid:{message_id}"[:300]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


# --- text decoding ---------------------------------------------------------------------------

_LATIN_ALIASES = {"us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "iso8859-1", "l1"}


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Bytes to text: the declared charset, else UTF-8, Windows-1252, Latin-1; never raises.

    Text declared as ASCII or Latin-1 that holds UTF-8 or Windows-1252 bytes is read as what it
    really is (mail clients mislabel often; browsers do the same for Latin-1).
    """
    tried: list[str] = []
    if charset:
        charset = charset.strip().strip('"').lower()
        if charset not in _LATIN_ALIASES:
            tried.append(charset)
    for candidate in [*tried, "utf-8", "cp1252"]:
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def decode_header_value(value: object) -> str:
    """A header's text: RFC 2047 words decoded, raw 8-bit bytes decoded, whitespace folded."""
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes (compat32 surrogateescape)
        text = decode_bytes(text.encode("ascii", "surrogateescape"))
    try:
        chunks = email.header.decode_header(text)
    except Exception:
        chunks = [(text, None)]
    out = []
    for chunk, charset in chunks:
        out.append(decode_bytes(chunk, charset) if isinstance(chunk, bytes) else chunk)
    joined = "".join(out)
    return " ".join(joined.replace("\x00", "").split())


_MSGID_RE = re.compile(r"<([^<>\s]+)>")


def message_ids(value: object) -> tuple[str, ...]:
    """The Message-IDs in a header (angle brackets removed); a bare id without brackets counts."""
    if value is None:
        return ()
    text = decode_header_value(value)
    found = _MSGID_RE.findall(text)
    if not found and text.strip() and " " not in text.strip():
        found = [text.strip().strip("<>")]
    return tuple(dict.fromkeys(m[:300] for m in found))


def _address(value: object) -> tuple[str, str]:
    if value is None:
        return "", ""
    raw = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in raw):
        raw = decode_bytes(raw.encode("ascii", "surrogateescape"))
    name, address = email.utils.parseaddr(raw)
    if not address or "@" not in address:
        # parseaddr gives up on some broken headers; take the first thing that looks like one
        match = re.search(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", raw)
        address = match.group(0) if match else ""
    return neutralise(decode_header_value(name)).strip(" \"'")[:NAME_MAX], address.strip().lower()


def _addresses(message: Message, *names: str) -> tuple[str, ...]:
    values = []
    for name in names:
        values.extend(str(v) for v in message.get_all(name, []))
    found = []
    for _name, address in email.utils.getaddresses(values):
        if "@" in address:
            found.append(address.strip().lower())
    return tuple(dict.fromkeys(found))


# --- automatic messages ----------------------------------------------------------------------

_BOUNCE_LOCALS = {"mailer-daemon", "postmaster"}
_NOREPLY_RE = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|no[-_.]?reply[-_+.].*|bounces?([-_+.].*)?|.*-bounces?)$")


def classify(message: Message, from_email: str) -> tuple[str, str]:
    """("bounce" | "auto_reply" | "", why) per RFC 3834 headers, DSNs and well-known senders."""
    ctype = message.get_content_type()
    report_type = (message.get_param("report-type") or "")
    report_type = report_type.lower() if isinstance(report_type, str) else ""
    if ctype == "multipart/report" and report_type == "delivery-status":
        return "bounce", "delivery status report (multipart/report; report-type=delivery-status)"
    local = from_email.split("@", 1)[0]
    if local in _BOUNCE_LOCALS:
        return "bounce", f"sent by {local}"
    auto_submitted = decode_header_value(message.get("Auto-Submitted")).lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        return "auto_reply", f"Auto-Submitted: {auto_submitted}"
    precedence = decode_header_value(message.get("Precedence")).lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return "auto_reply", f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply", "X-Autorespond-From"):
        if message.get(header) is not None:
            return "auto_reply", f"{header} header"
    if message.get("List-Id") is not None or message.get("List-Unsubscribe") is not None:
        return "auto_reply", "mailing list (List-Id)"
    if ctype == "multipart/report":
        return "auto_reply", f"report ({report_type or 'unknown type'})"
    if local and _NOREPLY_RE.match(local):
        return "auto_reply", f"sent from a no-reply address ({local})"
    return "", ""


def _bounced_recipients(message: Message) -> tuple[str, ...]:
    found: list[str] = []
    for part in message.walk():
        if part.get_content_type() not in ("message/delivery-status", "message/global-delivery-status"):
            continue
        payload = part.get_payload()
        blocks = payload if isinstance(payload, list) else [part]
        for block in blocks:
            text = block.as_string() if isinstance(block, Message) else str(block)
            status_failed = re.search(r"(?im)^\s*Action:\s*failed", text) is not None
            for match in re.finditer(r"(?im)^\s*(?:Final|Original)-Recipient:\s*[^;]*;\s*<?([^\s<>]+@[^\s<>]+)>?", text):
                if status_failed or "Action:" not in text:
                    found.append(match.group(1).lower())
    for value in message.get_all("X-Failed-Recipients", []):
        found.extend(a for _n, a in email.utils.getaddresses([str(value)]) if "@" in a)
    return tuple(dict.fromkeys(a.lower() for a in found))


# --- bodies and attachments ------------------------------------------------------------------

_FILENAME_BAD = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')
_EXTENSIONS = {
    "text/calendar": ".ics", "message/rfc822": ".eml", "application/ms-tnef": ".dat",
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp",
    "application/pdf": ".pdf", "text/plain": ".txt", "text/html": ".html",
}


def _safe_filename(name: str, fallback: str) -> str:
    name = neutralise(_FILENAME_BAD.sub("_", name)).strip(" ._") or fallback
    if len(name) > 200:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: 190] + dot + ext[:9]) if dot and len(ext) < 10 else name[:200]
    return name


def _part_filename(part: Message) -> str:
    name = part.get_filename()
    if name is None:
        name = part.get_param("name")
        if isinstance(name, tuple):  # RFC 2231
            name = email.utils.collapse_rfc2231_value(name)
    return decode_header_value(name) if name else ""


def _part_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return data


def _part_text(part: Message) -> str:
    return decode_bytes(_part_bytes(part), part.get_content_charset())


class _Collector:
    def __init__(self) -> None:
        self.texts: list[str] = []
        self.htmls: list[str] = []
        self.files: list[MailPart] = []

    def file(self, part: Message, content: bytes | None = None, name: str = "") -> None:
        ctype = part.get_content_type()
        if ctype == "application/octet-stream" and (name or _part_filename(part)).lower() == "winmail.dat":
            ctype = "application/ms-tnef"
        fallback = f"attachment-{len(self.files) + 1}{_EXTENSIONS.get(ctype, '.bin')}"
        filename = _safe_filename(name or _part_filename(part), fallback)
        cid = decode_header_value(part.get("Content-ID")).strip().strip("<>")
        self.files.append(MailPart(
            filename=filename, content=_part_bytes(part) if content is None else content, content_type=ctype,
            content_id=cid,
        ))

    def walk(self, part: Message, *, depth: int = 0) -> None:
        ctype = part.get_content_type()
        disposition = (part.get_content_disposition() or "").lower()
        if depth > 20:  # a hostile nesting: keep the rest as the raw message only
            return
        if ctype == "message/rfc822" or (part.is_multipart() and ctype.startswith("message/")):
            inner = part.get_payload()
            inner_msg = inner[0] if isinstance(inner, list) and inner else None
            content = inner_msg.as_bytes() if isinstance(inner_msg, Message) else _part_bytes(part)
            subject = decode_header_value(inner_msg.get("Subject")) if isinstance(inner_msg, Message) else ""
            name = _part_filename(part) or f"{subject or 'forwarded message'}.eml"
            if not name.lower().endswith(".eml"):
                name += ".eml"
            self.file(part, content=content, name=name)
            return
        if part.is_multipart():
            children = [c for c in (part.get_payload() or []) if isinstance(c, Message)]
            if ctype == "multipart/alternative":
                self._alternative(children, depth)
                return
            if ctype == "multipart/report" and children:
                for child in children:
                    self.walk(child, depth=depth + 1)
                return
            for child in children:
                self.walk(child, depth=depth + 1)
            return
        if disposition != "attachment" and not _part_filename(part):
            if ctype == "text/plain":
                self.texts.append(_part_text(part))
                return
            if ctype == "text/html":
                self.htmls.append(_part_text(part))
                return
        if ctype in ("message/delivery-status", "message/global-delivery-status", "text/rfc822-headers"):
            self.file(part, name=f"delivery-status-{len(self.files) + 1}.txt")
            return
        self.file(part)

    def _alternative(self, children: list[Message], depth: int) -> None:
        plain = [c for c in children if c.get_content_type() == "text/plain"]
        html = [c for c in children if c.get_content_type() == "text/html"]
        nested = [c for c in children if c.is_multipart()]
        if plain:
            self.texts.append(_part_text(plain[-1]))
        # a multipart/related (HTML + its images) is the usual richest alternative
        if nested:
            sub = _Collector()
            sub.walk(nested[-1], depth=depth + 1)
            if not plain:
                self.texts.extend(sub.texts)
            self.htmls.extend(sub.htmls if not html else [])
            self.files.extend(sub.files)
        if html:
            self.htmls.append(_part_text(html[-1]))
        for child in children:  # text/calendar in an Outlook invite, anything else
            if child not in plain and child not in html and child not in nested:
                self.file(child)


def _clean_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return neutralise(text)


def parse(raw: bytes) -> ParsedMail:
    """Read ``raw`` (the bytes of one message). Raises ``MailParseError`` when it has no sender."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    from_name, from_email = _address(message.get("From"))
    if not from_email:
        sender_name, sender = _address(message.get("Sender") or message.get("Return-Path"))
        from_name, from_email = from_name or sender_name, sender
    if not from_email:
        if not message.keys():
            raise MailParseError("not an email message: no headers")
        raise MailParseError("no sender: the From header has no address")
    subject = neutralise(decode_header_value(message.get("Subject")))[:SUBJECT_MAX]
    collector = _Collector()
    collector.walk(message)
    text = _clean_text("\n\n".join(t.strip("\n") for t in collector.texts if t.strip()))
    html = "\n".join(collector.htmls)
    lowered = html.lower()
    files = tuple(replace(f, inline=bool(f.content_id) and f"cid:{f.content_id.lower()}" in lowered)
                  for f in collector.files)
    automatic, reason = classify(message, from_email)
    headers = {}
    for name in ("Date", "To", "Cc", "Reply-To", "Auto-Submitted", "Precedence", "List-Id", "X-Mailer", "User-Agent"):
        if message.get(name) is not None:
            headers[name] = decode_header_value(message.get(name))[:500]
    return ParsedMail(
        message_id=(message_ids(message.get("Message-ID")) or ("",))[0],
        in_reply_to=message_ids(message.get("In-Reply-To")),
        references=message_ids(message.get("References")),
        subject=subject,
        from_name=from_name,
        from_email=from_email,
        to=_addresses(message, "To"),
        cc=_addresses(message, "Cc"),
        text=text,
        html=html,
        attachments=files,
        automatic=automatic,
        automatic_reason=reason,
        bounced=_bounced_recipients(message) if automatic == "bounce" else (),
        headers=headers,
    )

