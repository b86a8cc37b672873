"""Entries of the main navigation that apps add without editing ``base.html``.

An app registers its entry in its ``AppConfig.ready``::

    nav.register("metrics", "Metrics", "metrics:dashboard", roles=nav.STAFF, order=40)

``nav`` is the value a view passes as ``nav`` in its context to mark the entry as the current page.
The entries appear after Workforce, by ``order`` then label, for the roles named.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

STAFF = frozenset({"agent", "team_lead", "manager", "admin"})
LEADS = frozenset({"team_lead", "manager", "admin"})
MANAGERS = frozenset({"manager", "admin"})


@dataclass(frozen=True)
class Entry:
    nav: str
    label: str
    url_name: str
    roles: frozenset[str]
    order: int


_ENTRIES: dict[str, Entry] = {}


def register(nav: str, label: str, url_name: str, *, roles: frozenset[str] = STAFF, order: int = 50) -> None:
    """Add (or replace) the entry ``nav``; registering the same entry again changes nothing."""
    _ENTRIES[nav] = Entry(nav, label, url_name, frozenset(roles), order)


def entries_for(role: str) -> list[dict[str, str]]:
    """The entries a user of ``role`` sees, each as ``{"nav", "label", "url"}``."""
    shown = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (e.order, e.label)):
        if role not in entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        shown.append({"nav": entry.nav, "label": entry.label, "url": url})
    return shown
