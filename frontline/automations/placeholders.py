"""``{{ placeholders }}`` in macro replies and rule emails: a tiny substitution over a whitelist.

Never a template engine over user input: the text is scanned for ``{{ name }}`` and each name must
be one of :data:`PLACEHOLDERS` (an unknown one is refused when the macro or rule is saved, and
left as typed if it ever reaches rendering). Values are inserted as plain text into text, and
escaped for Markdown (and so for HTML) in :func:`render_markdown_html`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from markdown_it import MarkdownIt

from frontline.desk.content import sanitize_html
from frontline.desk.models import Ticket
from frontline.people.models import User

PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
PLACEHOLDERS: dict[str, str] = {
    "customer.first_name": "The requester's first name (the first word of their name)",
    "customer.name": "The requester's name",
    "customer.email": "The requester's email address",
    "ticket.reference": "The ticket's reference, e.g. #1234",
    "ticket.id": "The ticket's number, e.g. 1234",
    "ticket.subject": "The ticket's subject",
    "ticket.status": "The ticket's status",
    "ticket.priority": "The ticket's priority",
    "ticket.url": "The link to the request in the customer portal",
    "agent.first_name": "Your first name (for a rule: the assignee's)",
    "agent.name": "Your name (for a rule: the assignee's)",
    "team.name": "The ticket's team",
}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>&~])")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False})


def unknown_in(text: str) -> list[str]:
    """The placeholder names in ``text`` that are not in the whitelist, in order of appearance."""
    return [m.group(1) for m in PLACEHOLDER.finditer(text) if m.group(1) not in PLACEHOLDERS]


def check(text: str, field: str) -> None:
    """ValidationError on ``field`` naming unknown placeholders."""
    unknown = unknown_in(text)
    if unknown:
        names = ", ".join("{{ " + u + " }}" for u in dict.fromkeys(unknown))
        raise ValidationError({field: [f"Unknown placeholder {names}. Use: "
                                       + ", ".join("{{ " + k + " }}" for k in PLACEHOLDERS) + "."]})


def values_for(*, ticket: Ticket, agent: User | None) -> dict[str, str]:
    requester = ticket.requester
    name = requester.name.strip() or requester.email
    return {
        "customer.first_name": name.split()[0] if name.split() else "",
        "customer.name": name,
        "customer.email": requester.email,
        "ticket.reference": f"#{ticket.pk}",
        "ticket.id": str(ticket.pk),
        "ticket.subject": ticket.subject,
        "ticket.status": ticket.status.name,
        "ticket.priority": ticket.get_priority_display(),
        "ticket.url": settings.FRONTLINE_BASE_URL.rstrip("/") + reverse("portal:request_detail", args=[ticket.pk]),
        "agent.first_name": (agent.first_name or agent.display_name) if agent else "",
        "agent.name": agent.display_name if agent else "",
        "team.name": ticket.team.name if ticket.team_id else "",
    }


def render_text(text: str, values: Mapping[str, str]) -> str:
    """``text`` with each known placeholder replaced by its value, as plain text."""
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def render_markdown_html(text: str, values: Mapping[str, str]) -> str:
    """``text`` as sanitised HTML: values escaped for Markdown (so neither markup nor links can come
    from a customer's name or subject), Markdown rendered without raw HTML, the result sanitised."""
    escaped = PLACEHOLDER.sub(lambda m: _MD_SPECIAL.sub(r"\\\1", values[m.group(1)]) if m.group(1) in values
                              else m.group(0), text)
    return sanitize_html(_markdown.render(escaped))
