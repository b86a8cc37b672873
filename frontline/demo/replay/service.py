"""The reference replay: each scripted step through ``desk.services`` (``ServiceReplayer``), and the
steps themselves (``Op``, ``ops_in_order``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from frontline.desk import services
from frontline.desk.models import (
    Ticket,
)
from frontline.people.models import User

BATCH = 2000


@dataclass(frozen=True, slots=True)
class Op:
    """One step of one ticket's history. ``ticket`` is the script's index (creation order)."""

    at: datetime
    ticket: int
    kind: str  # create, assign, reply, customer_reply, status, priority, queue, tags, fields, merge
    actor: User | None
    args: dict[str, Any] = field(default_factory=dict)


def ops_in_order(scripts: Iterable[list[Op]]) -> list[Op]:
    """All steps of all tickets in the order they happen (ties: ticket, then step)."""
    keyed = [(op.at, op.ticket, i, op) for script in scripts for i, op in enumerate(script)]
    keyed.sort(key=lambda k: k[:3])
    return [k[3] for k in keyed]


class ServiceReplayer:
    """Applies each step through ``desk.services``."""

    def __init__(self) -> None:
        self.tickets: dict[int, Ticket] = {}

    def apply(self, op: Op) -> None:
        a, actor, at = op.args, op.actor, op.at
        if op.kind == "create":
            self.tickets[op.ticket] = services.ticket_create(
                requester=a["requester"], subject=a["subject"], body=a["body"], actor=actor, channel=a["channel"],
                priority=a["priority"], ticket_type=a["ticket_type"], queue=a["queue"], assignee=a.get("assignee"),
                tags=a["tags"], custom_fields=a["custom_fields"], at=at, notify=False,
                handle_seconds=a.get("handle_seconds"),
            )
            return
        ticket = self.tickets[op.ticket]
        if op.kind == "reply":
            services.ticket_reply(ticket=ticket, author=actor, body=a["body"], public=a["public"],
                                  then_status=a.get("then_status"), at=at, notify=False,
                                  handle_seconds=a.get("handle_seconds"))
        elif op.kind == "customer_reply":
            services.ticket_reply(ticket=ticket, author=actor, body=a["body"], at=at, notify=False)
        elif op.kind == "status":
            services.ticket_status_change(ticket=ticket, status=a["status"], actor=actor, at=at)
        elif op.kind == "assign":
            services.ticket_assign(ticket=ticket, assignee=a["assignee"], actor=actor, at=at)
        elif op.kind == "priority":
            services.ticket_priority_change(ticket=ticket, priority=a["priority"], actor=actor, at=at)
        elif op.kind == "queue":
            services.ticket_queue_change(ticket=ticket, queue=a["queue"], actor=actor, at=at)
        elif op.kind == "tags":
            services.ticket_tags_set(ticket=ticket, tags=a["tags"], actor=actor, at=at)
        elif op.kind == "fields":
            services.ticket_fields_update(ticket=ticket, values=a["values"], actor=actor, at=at)
        elif op.kind == "merge":
            services.ticket_merge(source=ticket, target=self.tickets[a["target"]], actor=actor, at=at)
        else:
            raise ValueError(f"op.kind: unknown step {op.kind!r}")

    def finish(self) -> None:
        """Nothing to flush: every step was written as it was applied."""
