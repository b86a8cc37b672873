"""Schedule rules: the periodic run, once per ticket until a person or the customer touches it."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db.models import Max, Q
from django.utils import timezone

from frontline.desk.models import EventKind, StatusCategory, Ticket, TicketEvent
from frontline.engine import rules as engine

from .. import selectors
from ..models import Rule, RuleFiring, Trigger
from ._common import IGNORED_KINDS, log
from .running import _chain, rule_fire

# --- schedule rules ----------------------------------------------------------------------------

def _sql_prefilter(conditions: object) -> Q:
    """A database filter implied by top-level ``all`` leaves on the status category (cheap narrowing)."""
    q = ~Q(status_category=StatusCategory.CLOSED)
    if isinstance(conditions, dict) and isinstance(conditions.get("all"), list):
        for leaf in conditions["all"]:
            if isinstance(leaf, dict) and leaf.get("field") == "ticket.status_category":
                if leaf.get("op") == "eq":
                    q &= Q(status_category=leaf.get("value"))
                elif leaf.get("op") == "in":
                    q &= Q(status_category__in=leaf.get("value"))
    return q


def _not_fired_since_touched(rule: Rule, ticket_ids: list[int]) -> set[int]:
    """The tickets ``rule`` may fire on: never fired on, or touched by a person or the customer since."""
    last = dict(RuleFiring.objects.filter(rule=rule, ticket_id__in=ticket_ids).values("ticket_id")
                .annotate(at=Max("at")).values_list("ticket_id", "at"))
    if not last:
        return set(ticket_ids)
    touched = set()
    for ticket_id, at in (TicketEvent.objects.filter(ticket_id__in=list(last), created_at__gt=min(last.values()))
                          .filter(Q(actor__isnull=False) | Q(kind=EventKind.CUSTOMER_REPLIED))
                          .exclude(kind__in=IGNORED_KINDS).values_list("ticket_id", "created_at")):
        if at > last[ticket_id]:
            touched.add(ticket_id)
    return {i for i in ticket_ids if i not in last or i in touched}


def automations_run_schedule(*, now: datetime | None = None) -> dict[str, int]:
    """Run every active schedule rule over the tickets not closed (the periodic task's body).
    Returns rule name → tickets fired on."""
    now = now or timezone.now()
    registry = selectors.field_registry()
    outcome: dict[str, int] = {}
    for rule in selectors.rules_active_for([Trigger.SCHEDULE]):
        try:
            predicate = engine.compile_conditions(rule.conditions, registry)
        except ValueError as exc:
            log.warning("automations: schedule rule %s no longer valid: %s", rule.pk, exc)
            continue
        tickets = list(Ticket.objects.filter(_sql_prefilter(rule.conditions))
                       .select_related("status", "requester", "requester__company", "assignee", "team", "queue")
                       .order_by("updated_at", "id")[:settings.AUTOMATION_SCHEDULE_BATCH])
        values = selectors.facts_values(tickets=tickets, now=now, need=engine.fields_used(rule.conditions))
        matched = []
        for t in tickets:
            row = values[t.pk]
            row["event.actor_role"] = "system"
            if predicate(engine.Facts(values=row, now=now)):
                matched.append(t)
        eligible = _not_fired_since_touched(rule, [t.pk for t in matched])
        fired = 0
        for t in matched:
            if t.pk in eligible:
                token = _chain.set(None)
                try:
                    rule_fire(rule=rule, ticket=t, depth=0, fired=(rule.pk,), at=now)
                finally:
                    _chain.reset(token)
                fired += 1
        outcome[rule.name] = fired
    return outcome
