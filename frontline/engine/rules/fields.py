"""The fields a condition may test: their names, value types and allowed values.

A :class:`FieldSpec` says what kind of value a field holds; the operators a condition may use on it
follow from that kind (:data:`OPS_BY_KIND`). :data:`STANDARD_FIELDS` is the built-in registry; the
application adds what only it knows (queue slugs, team names, custom ticket fields) with
:func:`registry_with`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

Kind = Literal["text", "choice", "number", "bool", "set", "time"]

# Which operators apply to which kind of field. ``changed`` / ``changed_to`` need the facts of a
# change (event rules); ``hours_since`` needs a time field and the facts' ``now``.
_PRESENCE = ("is_set", "is_not_set", "changed")
OPS_BY_KIND: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "text": ("eq", "ne", "in", "not_in", "contains", "not_contains", *_PRESENCE, "changed_to"),
    "choice": ("eq", "ne", "in", "not_in", *_PRESENCE, "changed_to"),
    "number": ("eq", "ne", "in", "not_in", "gt", "gte", "lt", "lte", *_PRESENCE, "changed_to"),
    "bool": ("eq", "ne", *_PRESENCE, "changed_to"),
    "set": ("contains", "not_contains", "in", "not_in", *_PRESENCE),
    "time": ("hours_since", *_PRESENCE),
})
ALL_OPS = frozenset(op for ops in OPS_BY_KIND.values() for op in ops)
# Operators that take no value.
NO_VALUE_OPS = frozenset({"is_set", "is_not_set", "changed"})


@dataclass(frozen=True)
class FieldSpec:
    """A field conditions may test.

    ``choices``: the allowed values of a ``choice`` field (and of each member of a ``set`` field
    when not None); None means any value of the kind.
    """

    name: str
    kind: Kind
    label: str
    choices: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.kind not in OPS_BY_KIND:
            raise ValueError(f"kind: {self.kind!r} is not one of {', '.join(OPS_BY_KIND)}")

    @property
    def ops(self) -> tuple[str, ...]:
        return OPS_BY_KIND[self.kind]


STATUS_CATEGORIES = ("new", "open", "pending", "on_hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
TICKET_TYPES = ("question", "incident", "problem", "task", "complaint")
CHANNELS = ("email", "web", "chat", "phone", "social", "api")
TIERS = ("standard", "silver", "gold", "platinum")
SLA_STATES = ("none", "on_track", "at_risk", "breached")
ACTOR_ROLES = ("customer", "agent", "team_lead", "manager", "admin", "system", "automation")

_STANDARD = (
    FieldSpec("ticket.status_category", "choice", "Status category", STATUS_CATEGORIES),
    FieldSpec("ticket.status", "text", "Status (name)"),
    FieldSpec("ticket.priority", "choice", "Priority", PRIORITIES),
    FieldSpec("ticket.type", "choice", "Type", TICKET_TYPES),
    FieldSpec("ticket.channel", "choice", "Channel", CHANNELS),
    FieldSpec("ticket.queue", "text", "Queue (slug)"),
    FieldSpec("ticket.team", "text", "Team (name)"),
    FieldSpec("ticket.assignee", "text", "Assignee (username)"),
    FieldSpec("ticket.tags", "set", "Tags"),
    FieldSpec("ticket.subject", "text", "Subject"),
    FieldSpec("ticket.reopen_count", "number", "Times reopened"),
    FieldSpec("ticket.message_count", "number", "Messages"),
    FieldSpec("ticket.created_at", "time", "Created"),
    FieldSpec("ticket.updated_at", "time", "Last updated"),
    FieldSpec("ticket.pending_since", "time", "Pending since"),
    FieldSpec("ticket.solved_at", "time", "Solved"),
    FieldSpec("ticket.hours_since_created", "number", "Hours since created"),
    FieldSpec("ticket.hours_since_updated", "number", "Hours since last updated"),
    FieldSpec("ticket.hours_since_pending", "number", "Hours pending (unset unless pending)"),
    FieldSpec("ticket.hours_since_solved", "number", "Hours since solved (unset unless solved)"),
    FieldSpec("message.text", "text", "Text of the latest customer message"),
    FieldSpec("requester.name", "text", "Requester name"),
    FieldSpec("requester.email", "text", "Requester email"),
    FieldSpec("requester.tier", "choice", "Requester tier (theirs or their company's, the higher)", TIERS),
    FieldSpec("requester.company", "text", "Requester company"),
    FieldSpec("event.kind", "set", "Kinds of the events that triggered the rule"),
    FieldSpec("event.actor_role", "choice", "Who made the change", ACTOR_ROLES),
    FieldSpec("sla.state", "choice", "SLA state", SLA_STATES),
    FieldSpec("survey.score", "number", "Survey score (survey answered)"),
)
STANDARD_FIELDS: Mapping[str, FieldSpec] = MappingProxyType({f.name: f for f in _STANDARD})
CUSTOM_PREFIX = "ticket.fields."


def registry_with(extra: Iterable[FieldSpec], base: Mapping[str, FieldSpec] = STANDARD_FIELDS) -> Mapping[str, FieldSpec]:
    """``base`` with ``extra`` added (an extra field of the same name replaces the base one)."""
    merged = dict(base)
    for spec in extra:
        merged[spec.name] = spec
    return MappingProxyType(merged)
