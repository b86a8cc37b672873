"""Turning customer- and agent-supplied text or HTML into safe, stored message bodies."""

from __future__ import annotations

import html
import mimetypes
import re
from dataclasses import dataclass

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

ALLOWED_TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "hr", "i", "li", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_TAG_RE = re.compile(r"<[^>]+>")
_WS_RE = re.compile(r"[ \t]+")


def sanitize_html(raw: str) -> str:
    """Clean untrusted HTML: an allow-list of tags, http(s)/mailto links only, rel=noopener on links."""
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def text_to_html(text: str) -> str:
    """Plain text to paragraphs; everything escaped."""
    paragraphs = [p.strip("\n") for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def html_to_text(raw: str) -> str:
    text = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</h\d>", "\n", raw)
    text = html.unescape(_TAG_RE.sub("", text))
    return "\n".join(_WS_RE.sub(" ", line).strip() for line in text.splitlines()).strip()


@dataclass(frozen=True)
class Body:
    text: str
    html: str


def body_from(*, text: str | None = None, html_body: str | None = None) -> Body:
    """A message body from plain text or HTML (HTML wins when both are given). NULs are dropped."""
    text = text.replace("\x00", "") if text else text
    html_body = html_body.replace("\x00", "") if html_body else html_body
    if html_body and html_body.strip():
        clean = sanitize_html(html_body)
        return Body(text=html_to_text(clean), html=clean)
    if text and text.strip():
        return Body(text=text.strip(), html=text_to_html(text))
    raise ValidationError({"body": ["A message needs some text."]})


@dataclass(frozen=True)
class Upload:
    """A file to attach: its name, bytes and the type the client claimed (checked, not trusted)."""

    filename: str
    content: bytes
    content_type: str = ""


# Names whose type the extension does not tell: Outlook's rich-text envelope (mail attachments).
_KNOWN_NAMES = {"winmail.dat": "application/ms-tnef"}


def upload_validate(upload: Upload) -> str:
    """Return the content type to store, or raise ValidationError on size or type."""
    name = upload.filename.strip().replace("\\", "/").rsplit("/", 1)[-1]
    if not name:
        raise ValidationError({"attachments": ["An attachment needs a file name."]})
    if len(upload.content) > settings.ATTACHMENT_MAX_BYTES:
        limit_mb = settings.ATTACHMENT_MAX_BYTES / (1024 * 1024)
        raise ValidationError({"attachments": [f"{name} is larger than the {limit_mb:g} MB limit."]})
    guessed = _KNOWN_NAMES.get(name.lower()) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    if guessed not in settings.ATTACHMENT_ALLOWED_TYPES:
        raise ValidationError({"attachments": [f"{name}: files of type {guessed} are not accepted."]})
    return guessed
