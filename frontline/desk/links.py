"""The desk's ticket list as a link target: "these tickets", from a number on another page."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.urls import reverse


def ticket_list_url(ids: Iterable[int]) -> str:
    """The desk's list of exactly these tickets (those the viewer may see; ``ids=0`` lists none when empty)."""
    return f"{reverse('desk:ticket_list')}?{urlencode({'view': 'all', 'ids': ','.join(map(str, ids)) or '0'})}"
