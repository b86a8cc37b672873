"""Replay each ticket's events into the facts the KPIs are computed from.

Rules (docs/metrics.md has the long form):

* Each ticket has exactly one ``created`` event; no event of the ticket may be earlier than it
  (an :class:`EventError` naming the ticket and the event otherwise).  A ticket starts in the
  category ``new``, unassigned.
* A ticket's events are replayed in time order; events at the same instant keep their order in
  the input (a stable sort), except that ``created`` goes first.
* **First reply**: the first ``public_reply`` with role ``agent`` (customer and system public
  replies and all notes do not count).
* **Solves**: a ``status`` event that moves the category from an unsolved one (new, open,
  pending, on_hold) to ``solved`` or ``closed``.  ``solved`` -> ``closed`` is not a new solve,
  so closing a solved ticket does not move its resolution time; ``new`` -> ``closed`` is one.
  ``solved_at`` is the last solve, kept only when the latest category is solved or closed.
* **Reopen**: a ``status`` event from ``solved`` or ``closed`` to an unsolved category.
  Events after ``closed`` count like any other (a survey answered after closing is normal; a
  status out of ``closed`` is a reopen).
* **Assignees**: the distinct non-empty ``assign`` values (empty = unassigned).
* **Surveys**: the latest response per survey kind on the ticket (a customer who changes their
  rating is counted once, with the new rating, as Zendesk does).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from .events import SOLVED_CATEGORIES, Event, EventError, parse_survey


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What one ticket's events say, for the KPIs."""

    ticket: str
    channel: str
    created_at: datetime
    category: str
    first_reply_at: datetime | None
    solved_at: datetime | None
    ever_solved: bool
    reopens: int
    agent_replies: int
    assignees: frozenset[str]
    csat: int | None
    ces: int | None
    nps: int | None

    @property
    def solved(self) -> bool:
        """The latest category is solved or closed."""
        return self.category in SOLVED_CATEGORIES

    @property
    def first_reply_minutes(self) -> float | None:
        if self.first_reply_at is None:
            return None
        return (self.first_reply_at - self.created_at).total_seconds() / 60

    @property
    def resolution_minutes(self) -> float | None:
        if self.solved_at is None:
            return None
        return (self.solved_at - self.created_at).total_seconds() / 60

    @property
    def one_touch(self) -> bool:
        """Solved with exactly one public agent reply and never reopened."""
        return self.solved and self.agent_replies == 1 and self.reopens == 0

    @property
    def reassigned(self) -> bool:
        """Two or more distinct non-empty assignees."""
        return len(self.assignees) >= 2


def ticket_facts(*, events: Sequence[Event]) -> tuple[TicketFacts, ...]:
    """One :class:`TicketFacts` per ticket, in the order tickets first appear in ``events``."""
    by_ticket: dict[str, list[tuple[int, Event]]] = {}
    for index, event in enumerate(events):
        if not isinstance(event, Event):
            raise ValueError(f"events: item {index} is not an Event, got {type(event).__name__}")
        by_ticket.setdefault(event.ticket, []).append((index, event))
    return tuple(_replay(ticket, items) for ticket, items in by_ticket.items())


def _replay(ticket: str, items: list[tuple[int, Event]]) -> TicketFacts:
    created = [(i, e) for i, e in items if e.kind == "created"]
    if not created:
        raise EventError(
            f"ticket {ticket!r} has no 'created' event", index=items[0][0], ticket=ticket
        )
    if len(created) > 1:
        raise EventError(
            f"ticket {ticket!r} has a second 'created' event", index=created[1][0], ticket=ticket
        )
    created_index, created_event = created[0]
    start = created_event.at
    for index, event in items:
        if event.at < start:
            raise EventError(
                f"ticket {ticket!r}: {event.kind} at {event.at.isoformat()} is before the "
                f"ticket was created ({start.isoformat()})",
                index=index,
                ticket=ticket,
            )
    ordered = sorted(
        (item for item in items if item[0] != created_index),
        key=lambda item: (item[1].at, item[0]),
    )
    category = "new"
    first_reply_at: datetime | None = None
    solved_at: datetime | None = None
    ever_solved = False
    reopens = 0
    agent_replies = 0
    assignees: set[str] = set()
    surveys: dict[str, int] = {}
    for _, event in ordered:
        if event.kind == "public_reply" and event.role == "agent":
            agent_replies += 1
            if first_reply_at is None:
                first_reply_at = event.at
        elif event.kind == "status":
            was_solved = category in SOLVED_CATEGORIES
            now_solved = event.value in SOLVED_CATEGORIES
            if now_solved and not was_solved:
                solved_at = event.at
                ever_solved = True
            elif was_solved and not now_solved:
                reopens += 1
            category = event.value
        elif event.kind == "assign" and event.value.strip():
            assignees.add(event.value.strip())
        elif event.kind == "survey":
            name, score = parse_survey(event.value)
            surveys[name] = score
    return TicketFacts(
        ticket=ticket,
        channel=created_event.value,
        created_at=start,
        category=category,
        first_reply_at=first_reply_at,
        solved_at=solved_at if category in SOLVED_CATEGORIES else None,
        ever_solved=ever_solved,
        reopens=reopens,
        agent_replies=agent_replies,
        assignees=frozenset(assignees),
        csat=surveys.get("csat"),
        ces=surveys.get("ces"),
        nps=surveys.get("nps"),
    )
