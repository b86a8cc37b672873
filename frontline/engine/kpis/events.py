"""One help-desk event (a row of the ``ticket,at,kind,actor,role,value`` CSV) and its checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

KINDS = frozenset({"created", "public_reply", "note", "status", "assign", "survey"})
ROLES = frozenset({"customer", "agent", "system"})
CATEGORIES = ("new", "open", "pending", "on_hold", "solved", "closed")
SOLVED_CATEGORIES = frozenset({"solved", "closed"})
# survey kind -> (lowest, highest) whole score
SURVEY_SCALES: dict[str, tuple[int, int]] = {"csat": (1, 5), "ces": (1, 7), "nps": (0, 10)}


class EventError(ValueError):
    """An event (or a ticket's events) that cannot be computed on.

    ``index`` is the position in the sequence given to :func:`ticket_facts` of the event at
    fault (for a file: its row), ``ticket`` the ticket it belongs to.
    """

    def __init__(self, message: str, *, index: int, ticket: str) -> None:
        super().__init__(message)
        self.index = index
        self.ticket = ticket


def parse_survey(value: str) -> tuple[str, int]:
    """``"csat:4"`` -> ``("csat", 4)``; the score must be whole and on the survey's scale
    (csat 1-5, ces 1-7, nps 0-10), else ValueError naming ``value``."""
    name, sep, score_text = value.partition(":")
    name = name.strip().lower()
    if not sep or name not in SURVEY_SCALES:
        raise ValueError(f"value: a survey value is csat:N, ces:N or nps:N, got {value!r}")
    try:
        score = int(score_text.strip())
    except ValueError:
        raise ValueError(f"value: the {name} score must be a whole number, got {value!r}") from None
    low, high = SURVEY_SCALES[name]
    if not low <= score <= high:
        raise ValueError(f"value: the {name} score must be {low}-{high}, got {value!r}")
    return name, score


@dataclass(frozen=True, slots=True)
class Event:
    """One event on one ticket.

    ``kind``: ``created`` (``value`` = channel), ``public_reply``, ``note``, ``status``
    (``value`` = the new category, one of :data:`CATEGORIES`), ``assign`` (``value`` = the new
    assignee, empty = unassigned), ``survey`` (``value`` = ``csat:N``, ``ces:N`` or ``nps:N``).
    ``role``: ``customer``, ``agent`` or ``system``.  ``at`` must be timezone-aware.
    """

    ticket: str
    at: datetime
    kind: str
    role: str
    actor: str = ""
    value: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.ticket, str) or not self.ticket.strip():
            raise ValueError(f"ticket: must be a non-empty string, got {self.ticket!r}")
        if not isinstance(self.at, datetime) or self.at.utcoffset() is None:
            raise ValueError(f"at: must be a timezone-aware datetime, got {self.at!r}")
        if self.kind not in KINDS:
            raise ValueError(f"kind: must be one of {', '.join(sorted(KINDS))}, got {self.kind!r}")
        if self.role not in ROLES:
            raise ValueError(f"role: must be one of {', '.join(sorted(ROLES))}, got {self.role!r}")
        if not isinstance(self.actor, str) or not isinstance(self.value, str):
            raise ValueError("actor, value: must be strings")
        if self.kind == "status" and self.value not in CATEGORIES:
            raise ValueError(
                f"value: a status is one of {', '.join(CATEGORIES)}, got {self.value!r}"
            )
        if self.kind == "survey":
            parse_survey(self.value)
