"""Handle time: the agent time spent on each message, and the totals built from it.

Definitions (the same in ``docs/workforce/handle-time.md``; workforce forecasting uses them):

- ``Message.handle_seconds`` is the agent time spent on one agent message (a public reply or
  an internal note, or the first message of a ticket an agent files, such as a phone call);
  null when it was not measured. Customer and system messages never carry it.
- The **handle time of a ticket** is the sum of ``handle_seconds`` over its agent messages;
  unmeasured messages add nothing.
- **Average handle time (AHT)** over a set of tickets is their total handle seconds divided by
  the number of tickets.

How it is measured: the agent workspace signs the time the ticket was opened into the reply
form; on submit, handle time is the time since then, at most ``CAPTURE_CAP_SECONDS`` (a form
left open overnight counts two hours, not fourteen). API clients send the seconds they
measured themselves, between 0 and ``HANDLE_SECONDS_MAX``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError

from ..models import AuthorKind, Message

HANDLE_SECONDS_MAX = 86_400  # one day: the most any one message may record
CAPTURE_CAP_SECONDS = 2 * 3600  # the most the web workspace records for one message


def handle_seconds_clean(value: int | None) -> int | None:
    """``value`` if it is a whole number of seconds in [0, HANDLE_SECONDS_MAX], else ValidationError."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError({"handle_seconds": ["Give handle time as a whole number of seconds."]})
    if not 0 <= value <= HANDLE_SECONDS_MAX:
        raise ValidationError({"handle_seconds": [f"Handle time must be between 0 and {HANDLE_SECONDS_MAX:,} seconds."]})
    return value


def handle_seconds_since(opened_at: datetime, *, now: datetime) -> int:
    """Whole seconds from ``opened_at`` to ``now``, at least 0 and at most CAPTURE_CAP_SECONDS.

    >>> from datetime import UTC, timedelta
    >>> t = datetime(2026, 11, 23, 9, tzinfo=UTC)
    >>> handle_seconds_since(t, now=t + timedelta(minutes=4, seconds=10))
    250
    >>> handle_seconds_since(t, now=t + timedelta(hours=14))
    7200
    """
    elapsed = int((now - opened_at).total_seconds())
    return min(max(elapsed, 0), CAPTURE_CAP_SECONDS)


def handle_seconds_total(messages: Iterable[Message]) -> tuple[int, int, int]:
    """A ticket's handle time from its messages: (total seconds, measured agent messages, agent messages)."""
    total = measured = agent = 0
    for message in messages:
        if message.author_kind != AuthorKind.AGENT:
            continue
        agent += 1
        if message.handle_seconds is not None:
            measured += 1
            total += message.handle_seconds
    return total, measured, agent
