"""A comparable picture of all tickets, messages and events, free of database ids."""

from __future__ import annotations

import re
from typing import Any

from frontline.automations.models import Macro
from frontline.customers.models import Customer
from frontline.desk.models import Message, Queue, Ticket, TicketEvent
from frontline.escalations.models import Escalation
from frontline.mail.models import InboundEmail, MessageIdRecord
from frontline.people.models import Team, User
from frontline.sla.models import SLAApplication, SLAClock

_PEOPLE = {"agent", "agent_id", "from_agent_id", "to_agent_id", "reviewer_id", "user_id"}
_ROW_IDS = {"chat_id", "call_id", "review", "rule", "problem", "problem_id", "connector_id", "conversation_id",
            "review_id", "session_id"}
_MERGED = re.compile(r"(merged ticket #)(\d+)", re.IGNORECASE)


def snapshot() -> dict[str, list[Any]]:
    tickets = list(Ticket.objects.order_by("pk").select_related(
        "status", "requester", "company", "assignee", "team", "queue").prefetch_related("tags"))
    rank = {t.pk: i for i, t in enumerate(tickets)}
    message_rank = {pk: i for i, pk in enumerate(Message.objects.order_by("pk").values_list("pk", flat=True))}
    users = dict(User.objects.values_list("pk", "username"))
    teams = dict(Team.objects.values_list("pk", "name"))
    queues = dict(Queue.objects.values_list("pk", "name"))
    macros = dict(Macro.objects.values_list("pk", "name"))
    emails = dict(Customer.objects.values_list("pk", "email"))
    sla_ranks = {
        "application": {pk: i for i, pk in enumerate(SLAApplication.objects.order_by("pk").values_list("pk", flat=True))},
        "clock": {pk: i for i, pk in enumerate(SLAClock.objects.order_by("pk").values_list("pk", flat=True))},
        "escalation": {pk: i for i, pk in enumerate(Escalation.objects.order_by("pk").values_list("pk", flat=True))},
    }

    def text(value: str) -> str:
        return _MERGED.sub(lambda m: f"{m.group(1)}<{rank[int(m.group(2))]}>", value)

    def payload(kind: str, p: dict[str, Any]) -> dict[str, Any]:
        p = dict(p)
        p["message_id"] = message_rank.get(p.get("message_id"))
        lookups = {"assigned": users, "team_changed": teams, "queue_changed": queues}.get(kind)
        if lookups is not None:
            p["from"], p["to"] = lookups.get(p["from"]), lookups.get(p["to"])
        if kind == "created":
            p.update(requester_id=emails[p["requester_id"]], assignee_id=users.get(p["assignee_id"]),
                     team_id=teams.get(p["team_id"]), queue_id=queues.get(p["queue_id"]))
        if kind == "macro_applied":
            p["macro"] = macros.get(p["macro"])
        if kind == "merged":
            p["into"] = rank[p["into"]]
        if kind == "merged_in":
            p["source"] = rank[p["source"]]
        for key, ranks in sla_ranks.items():
            if key in p and (kind.startswith("sla_") or "escalat" in kind):
                p[key] = ranks[p[key]]
        # The later apps' events name their own rows (a chat, a call, a review, a rule, a problem) and
        # people by id: people by name, the rows' ids are database artefacts that a rebuild renumbers.
        for key, value in list(p.items()):
            if key in _PEOPLE:
                p[key] = users.get(value)
            elif key == "queue_id" and kind != "created":
                p[key] = queues.get(value)
            elif key in _ROW_IDS and isinstance(value, int):
                p[key] = "<id>"
        return p

    return {
        "tickets": [(
            t.subject, t.channel, t.status.name, t.status_category, t.priority, t.ticket_type, t.requester.email,
            t.company.name if t.company else None, t.assignee.username if t.assignee else None,
            t.team.name if t.team else None, t.queue.name if t.queue else None, sorted(x.name for x in t.tags.all()),
            t.custom_fields, rank.get(t.merged_into_id), t.reopen_count, t.message_count, t.created_at, t.updated_at,
            t.first_response_at, t.solved_at, t.closed_at, text(t.search_text), t.public_search_text,
            t.public_message_count, t.public_updated_at,
        ) for t in tickets],
        "messages": [(
            rank[m.ticket_id], m.author_kind, users.get(m.author_user_id), m.author_customer_id and emails.get(m.author_customer_id),
            m.is_public, text(m.body_text), text(m.body_html), m.created_at, m.handle_seconds,
        ) for m in Message.objects.order_by("pk")],
        "events": [(
            rank[e.ticket_id], e.kind, users.get(e.actor_id), e.created_at, payload(e.kind, e.payload),
        ) for e in TicketEvent.objects.order_by("pk")],
        "sla_clocks": [(
            rank[c.ticket_id], c.application.policy_name, c.kind, c.sequence, c.target_minutes, c.started_at, c.stopped_at,
            c.paused_minutes, c.due_at, c.at_risk_at, c.state, c.breached_at, c.at_risk_event_at, c.breach_event_at,
        ) for c in SLAClock.objects.order_by("pk").select_related("application")],
        "mail": [(
            rank[i.ticket_id], message_rank[i.desk_message_id], i.message_id, bytes(i.raw), i.outcome, i.received_at,
            i.mailbox.address if i.mailbox else None,
        ) for i in InboundEmail.objects.order_by("pk").select_related("mailbox")] + [
            (rank[r.ticket_id], r.message_id, r.direction, r.created_at) for r in MessageIdRecord.objects.order_by("pk")],
    }
