"""The main navigation: a few menus (Desk, People, Quality, Insights, Workforce, Settings) whose
entries apps add without editing ``base.html``.

An app registers its entry in its ``AppConfig.ready``::

    nav.register("metrics", "Metrics", "metrics:dashboard", roles=nav.STAFF, group="insights", order=30)

``nav`` is the value a view passes as ``nav`` in its context to mark the entry (and its menu) as
the current page. Within a menu, entries come by ``order`` then label; a menu the viewer has no
entry in is left out, and a menu with a single entry is shown as a plain link. The layout renders
the menus as ``<details>`` / ``<summary>``: they open without JavaScript (``app.js`` only closes
the other menus and closes them on Escape or a click elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

STAFF = frozenset({"agent", "team_lead", "manager", "admin"})
LEADS = frozenset({"team_lead", "manager", "admin"})
MANAGERS = frozenset({"manager", "admin"})

# The menus, in the order they appear.
GROUPS: tuple[tuple[str, str], ...] = (
    ("desk", "Desk"),
    ("people", "People"),
    ("quality", "Quality"),
    ("insights", "Insights"),
    ("workforce", "Workforce"),
    ("settings", "Settings"),
)
_GROUP_KEYS = frozenset(key for key, _ in GROUPS)


@dataclass(frozen=True)
class Entry:
    nav: str
    label: str
    url_name: str
    roles: frozenset[str]
    order: int
    group: str
    superuser: bool = False


_ENTRIES: dict[str, Entry] = {}


def register(nav: str, label: str, url_name: str, *, roles: frozenset[str] = STAFF, order: int = 50,
             group: str = "desk", superuser: bool = False) -> None:
    """Add (or replace) the entry ``nav`` in the menu ``group``; registering the same entry again changes
    nothing. ``superuser``: shown to superusers only (whatever their role)."""
    if group not in _GROUP_KEYS:
        raise ValueError(f"group: not one of {', '.join(sorted(_GROUP_KEYS))}: {group!r}")
    _ENTRIES[nav] = Entry(nav, label, url_name, frozenset(roles), order, group, superuser)


def _visible(entry: Entry, role: str, superuser: bool) -> bool:
    return superuser if entry.superuser else role in entry.roles


def entries_for(role: str, *, superuser: bool = False) -> list[dict[str, str]]:
    """The entries a user of ``role`` sees, each as ``{"nav", "label", "url", "group"}``, menu by menu."""
    rank = {key: i for i, (key, _) in enumerate(GROUPS)}
    shown = []
    for entry in sorted(_ENTRIES.values(), key=lambda e: (rank[e.group], e.order, e.label)):
        if not _visible(entry, role, superuser):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        shown.append({"nav": entry.nav, "label": entry.label, "url": url, "group": entry.group})
    return shown


def menus_for(role: str, *, superuser: bool = False) -> list[dict[str, object]]:
    """The menus a user of ``role`` sees, each as ``{"key", "label", "entries"}``; menus without an entry
    are left out. (Which menu holds the current page: ``{% menu_here %}`` of ``{% load navigation %}``.)"""
    entries = entries_for(role, superuser=superuser)
    menus = []
    for key, label in GROUPS:
        mine = [e for e in entries if e["group"] == key]
        if mine:
            menus.append({"key": key, "label": label, "entries": mine})
    return menus
