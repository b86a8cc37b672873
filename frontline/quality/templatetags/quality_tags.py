"""``{% quality_panel ticket %}`` on the desk's ticket page: the reviews of the ticket the viewer may
see and, for reviewers, the way into the review workspace (one query)."""

from __future__ import annotations

from typing import Any

from django import template

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
