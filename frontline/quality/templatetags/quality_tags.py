"""``{% quality_panel ticket %}`` on the desk's ticket page: the reviews of the ticket the viewer may
see and, for reviewers, the way into the review workspace (one query); ``{{ check.evidence|evidence }}``:
an auto-QA check's evidence with its moments in the viewer's zone."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

from frontline.core import formats

from .. import selectors

register = template.Library()


@register.inclusion_tag("quality/partials/ticket_panel.html", takes_context=True)
def quality_panel(context: template.Context, ticket: Any) -> dict[str, Any]:
    request = context.get("request")
    viewer = getattr(request, "user", None)
    if viewer is None or not viewer.is_authenticated:
        return {"show": False}
    reviews = list(selectors.reviews_for_viewer(viewer=viewer, filters=selectors.ReviewFilters(ticket_id=ticket.pk)))
    reviewer = viewer.role in selectors.REVIEWERS
    return {"show": reviewer or bool(reviews), "ticket": ticket, "reviews": reviews, "reviewer": reviewer}


# An ISO 8601 moment with its offset, as the auto-QA engine writes them into evidence.
_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})")


@register.filter
def evidence(text: str | None) -> SafeString:
    """The evidence text, escaped, each ISO moment in it written as elsewhere ("6 Dec 2026, 14:05") in the
    viewer's zone, inside ``<time datetime=...>`` (the engine keeps UTC ISO text: it knows no viewer)."""
    text = text or ""
    parts, last = [], 0
    for match in _MOMENT.finditer(text):
        try:
            moment = datetime.fromisoformat(match.group().replace("Z", "+00:00"))
        except ValueError:
            continue
        parts.append(conditional_escape(text[last:match.start()]))
        parts.append(format_html('<time datetime="{}">{}</time>', moment.isoformat(), formats.datetime_short(moment)))
        last = match.end()
    parts.append(conditional_escape(text[last:]))
    return mark_safe("".join(parts))  # every part escaped above
