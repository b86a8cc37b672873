"""Which SLA clocks a ticket's history starts and stops — pure, no Django (tested on plain values).

The rules (docs/sla.md, "Clocks"):

* **First reply** runs from the ticket's creation to the first public agent reply. A ticket an
  agent opens (the agent wrote first) has no first-reply clock.
* **Next reply**: a customer message after a public agent reply opens a next-reply clock that
  runs until the next public agent reply; further customer messages meanwhile open no other.
* **Resolution** runs from creation until the ticket is solved (or closed, or merged away). A
  reopen resumes the same clock: the time it stood solved does not count.
* Solving stops every running clock. While the status category is *pending* or *on hold* every
  clock is paused; leaving those categories resumes it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from frontline.engine.businesstime import BusinessCalendar, calendar_from_dict

PAUSING = frozenset({"pending", "on_hold"})
STOPPING = frozenset({"solved", "closed"})


@dataclass(frozen=True)
class Fact:
    """One event of a ticket's history, as the clocks need it."""

    kind: str  # the TicketEvent kind
    at: datetime
    by_agent: bool = False
    to_category: str | None = None  # status_changed; for created, the first category
    from_category: str | None = None


@dataclass
class Span:
    """A clock's life: start, stop (None: still running) and the spans it stood still."""

    kind: str
    sequence: int
    started: datetime
    stopped: datetime | None = None
    # (start, end) pairs; end None: still paused now.
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)

    @property
    def paused_now(self) -> bool:
        return self.stopped is None and any(end is None for _, end in self.pauses)


def spans_from(facts: list[Fact]) -> list[Span]:
    """The clocks ``facts`` (in time order, starting with ``created``) start, in start order."""
    if not facts or facts[0].kind != "created":
        return []
    created = facts[0]
    spans: list[Span] = []
    first = None if created.by_agent else Span("first_reply", 0, created.at)
    resolution = Span("resolution", 0, created.at)
    spans += [s for s in (first, resolution) if s is not None]
    agent_replied = created.by_agent
    next_open: Span | None = None
    next_count = 0
    category = created.to_category or "new"
    paused_since: datetime | None = created.at if category in PAUSING else None
    solved_since: datetime | None = None

    def running() -> list[Span]:
        return [s for s in spans if s.stopped is None]

    for fact in facts[1:]:
        if fact.kind == "replied":
            agent_replied = True
            for span in (first, next_open):
                if span is not None and span.stopped is None:
                    span.stopped = fact.at
            next_open = None
        elif fact.kind == "customer_replied":
            if agent_replied and next_open is None and (first is None or first.stopped is not None):
                next_count += 1
                next_open = Span("next_reply", next_count, fact.at)
                spans.append(next_open)
        elif fact.kind == "status_changed" and fact.to_category:
            new = fact.to_category
            if paused_since is not None and new not in PAUSING:
                _pause_all(spans, paused_since, fact.at)
                paused_since = None
            elif paused_since is None and new in PAUSING:
                paused_since = fact.at
            if new in STOPPING and category not in STOPPING:
                for span in running():
                    span.stopped = fact.at
                next_open = None
                solved_since = fact.at
            elif category in STOPPING and new not in STOPPING and solved_since is not None:
                # Reopened: resolution resumes; its solved time is a pause.
                resolution.stopped = None
                if fact.at > solved_since:
                    resolution.pauses.append((solved_since, fact.at))
                solved_since = None
            category = new
    if paused_since is not None:
        for span in running():
            span.pauses.append((paused_since, None))
    return spans


def _pause_all(spans: list[Span], start: datetime, end: datetime) -> None:
    """Record a finished pause on every clock it overlaps."""
    if end <= start:
        return
    for span in spans:
        if span.started < end and (span.stopped is None or span.stopped > start):
            span.pauses.append((start, end))


@functools.lru_cache(maxsize=256)
def _calendar(text: str) -> BusinessCalendar:
    return calendar_from_dict(json.loads(text))


def engine_calendar(data: dict[str, Any]) -> BusinessCalendar:
    """The engine calendar of a calendar's JSON form (cached, so its memo of open spans is reused)."""
    return _calendar(json.dumps(data, sort_keys=True))
