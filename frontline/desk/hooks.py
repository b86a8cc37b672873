"""Other apps react to ticket events without the desk importing them.

Data flows one way: an app that keeps state derived from the event log (the SLA clocks of
``frontline.sla``) registers a listener in its ``AppConfig.ready``; the desk's services call
every listener with each ``TicketEvent`` they write, inside the same transaction, so the derived
state commits or rolls back with the change that caused it. A listener must not call the desk's
services (no re-entry) and must be cheap: it runs on every write.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import TicketEvent

Listener = Callable[["TicketEvent"], None]

_LISTENERS: list[Listener] = []


def on_ticket_event(listener: Listener) -> Listener:
    """Register ``listener`` (once; registering it again does nothing). Usable as a decorator."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)
    return listener


def ticket_event_written(event: TicketEvent) -> None:
    """Call every listener with ``event`` (the desk's services do, right after writing it)."""
    for listener in _LISTENERS:
        listener(event)
