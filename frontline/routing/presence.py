"""Who is looking at a ticket and who is typing a reply (collision detection), kept in the cache.

Each open ticket page reports every PRESENCE_POLL_S (and when its agent types); a person counts
as viewing for PRESENCE_TTL_S after their last report and as typing for PRESENCE_TYPING_S after
their last keystroke report. One cache entry per ticket holds ``{user_id: [name, seen, typing]}``
(epoch seconds). Nothing is kept in process memory, so it works across web processes with the
database cache or Redis. Two reports racing may drop one of them; the next poll puts it back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from frontline.people.models import User


def _key(ticket_id: int) -> str:
    return f"presence:ticket:{ticket_id}"


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    typing: bool


def presence_report(*, ticket_id: int, user: User, typing: bool = False, left: bool = False,
                    now: float | None = None) -> None:
    """``user`` has the ticket open (typing a reply when ``typing``), or closed it (``left``)."""
    now = time.time() if now is None else now
    entries: dict[str, list] = cache.get(_key(ticket_id)) or {}  # type: ignore[type-arg]
    fresh = {k: v for k, v in entries.items() if now - v[1] < settings.PRESENCE_TTL_S}
    if left:
        fresh.pop(str(user.pk), None)
    else:
        previous = fresh.get(str(user.pk))
        typed = now if typing else (previous[2] if previous else 0.0)
        fresh[str(user.pk)] = [user.display_name, now, typed]
    cache.set(_key(ticket_id), fresh, timeout=settings.PRESENCE_TTL_S * 3)


def presence_others(*, ticket_id: int, viewer: User, now: float | None = None) -> list[Present]:
    """The other people viewing the ticket now, those typing first, then by name."""
    now = time.time() if now is None else now
    entries: dict[str, list] = cache.get(_key(ticket_id)) or {}  # type: ignore[type-arg]
    out = [Present(int(k), v[0], now - v[2] < settings.PRESENCE_TYPING_S)
           for k, v in entries.items() if k != str(viewer.pk) and now - v[1] < settings.PRESENCE_TTL_S]
    return sorted(out, key=lambda p: (not p.typing, p.name))
