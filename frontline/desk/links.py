"""The desk's ticket list as a link target: "these tickets", from a number on another page."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse

# The most ticket ids a count's link carries (the first, by id, of a larger set).
MAX_LINK_IDS = 500


def ticket_list_url(ids: Iterable[int]) -> str:
    """The desk's list of exactly these tickets (those the viewer may see; ``ids=0`` lists none when empty)."""
    return f"{reverse('desk:ticket_list')}?{urlencode({'view': 'all', 'ids': ','.join(map(str, ids)) or '0'})}"


def tickets_link(ticket_ids: Iterable[int]) -> str:
    """The link of a count on a report: the desk's list of its tickets, each once, at most MAX_LINK_IDS."""
    return ticket_list_url(sorted(set(ticket_ids))[:MAX_LINK_IDS])
