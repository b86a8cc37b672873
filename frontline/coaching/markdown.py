"""Markdown of policies and training modules, rendered safely: markdown-it (no raw HTML) then the
desk's allow-list sanitiser, so a policy cannot carry a script or an event handler."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

from frontline.desk.content import sanitize_html

_MD = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def render(text: str) -> SafeString:
    """Safe HTML of ``text`` (sanitised, so marking it safe is sound)."""
    return mark_safe(sanitize_html(_MD.render(text or "")))
