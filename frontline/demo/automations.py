"""The demo's macros and automation rules, the macros' use over the last 30 days, and the "ticket
created" rules' firings over the whole history.

Written after the tickets and surveys (so no rule runs live on the replayed history), through the
automations services (every macro and rule validated as on its page); the rules are dated before
the first ticket. The simulation applied the "ticket created" rules' effects as each ticket
arrived (``created_rules``); here the engine reads every creation and the firings are recorded
(``automation_fired`` events, ``RuleFiring`` rows, each rule's count and last firing). The usage history marks a
deterministic sample of the agents' recent public replies as written from the macro of their queue:
a ``macro_applied`` event next to the reply (bulk-written, like the replay's events) and a
``MacroUse`` row, so the macro list shows counts, last use and who.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from frontline.automations.actions import describe
from frontline.automations.models import (
    Macro,
    MacroUse,
    Rule,
    RuleFiring,
    Trigger,
    Visibility,
    WebhookCall,
)
from frontline.automations.selectors import field_registry
from frontline.automations.services import macro_save, rule_save
from frontline.desk.models import AuthorKind, EventKind, Message, Ticket, TicketEvent
from frontline.engine import rules as rules_engine
from frontline.people.models import Team, User

from . import created_rules

USAGE_DAYS = 30
USAGE_SHARE = 0.12

# name, visibility, team (for team macros), body, actions
MACROS: tuple[tuple[str, str, str, str, list[dict[str, Any]]], ...] = (
    ("Password reset steps", Visibility.SHARED, "",
     "Hi {{ customer.first_name }},\n\nTo reset your password:\n\n1. Open the sign-in page and choose **Forgot password**.\n"
     "2. Enter {{ customer.email }}; the link arrives within a few minutes (check the spam folder).\n"
     "3. The link works for one hour.\n\nReply here if it does not arrive and I will look into it.\n\n{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["password-reset"]}, {"type": "set_status", "value": "pending"}]),
    ("Refund issued", Visibility.TEAM, "Orders & Billing",
     "Hi {{ customer.first_name }},\n\nI have issued your refund for {{ ticket.reference }}. It shows on your statement "
     "within 5 to 10 working days, depending on your bank.\n\nBest regards,\n{{ agent.name }}",
     [{"type": "add_tags", "value": ["refunds"]}, {"type": "set_status", "value": "solved"}]),
    ("Ask for the order number", Visibility.TEAM, "Orders & Billing",
     "Hi {{ customer.first_name }},\n\nCould you send me the order number (it starts with ORD- and is in your "
     "confirmation email)? Then I can check it straight away.\n\n{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["needs-info"]}, {"type": "set_status", "value": "pending"}]),
    ("Delivery delay apology", Visibility.TEAM, "Orders & Billing",
     "Hi {{ customer.first_name }},\n\nI am sorry your parcel is late. The carrier reports a delay in your area; it "
     "should arrive within 3 working days. If it has not arrived by then, reply here and I will send a replacement.\n\n"
     "{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["shipping"]}, {"type": "set_status", "value": "pending"}]),
    ("Screenshot and app version, please", Visibility.TEAM, "Technical",
     "Hi {{ customer.first_name }},\n\nTo reproduce this, could you send:\n\n- a screenshot of the error,\n"
     "- the app version (*Settings → About*),\n- your device and operating system.\n\nThanks!\n{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["needs-info"]}, {"type": "set_status", "value": "pending"}]),
    ("Bug logged with engineering", Visibility.TEAM, "Technical",
     "Hi {{ customer.first_name }},\n\nThank you for the details. I have logged this with our engineers and will "
     "update {{ ticket.reference }} when a fix is scheduled.\n\n{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["bugs"]}, {"type": "set_status", "value": "on_hold"},
      {"type": "add_note", "value": "Logged with engineering by {{ agent.name }}; check the bug tracker before replying."}]),
    ("Account unlocked", Visibility.TEAM, "Accounts",
     "Hi {{ customer.first_name }},\n\nYour account is unlocked; you can sign in again. For your security, please "
     "change your password after signing in.\n\n{{ agent.first_name }}",
     [{"type": "add_tags", "value": ["security"]}, {"type": "set_status", "value": "solved"}]),
    ("Escalate to a lead", Visibility.SHARED, "",
     "",
     [{"type": "set_priority", "value": "high"}, {"type": "add_tags", "value": ["escalated"]},
      {"type": "add_note", "value": "Escalated by {{ agent.name }}: please take a look."}]),
    ("Thanks, closing", Visibility.SHARED, "",
     "Hi {{ customer.first_name }},\n\nGlad that is sorted. I am marking {{ ticket.reference }} as solved; just reply "
     "if anything else comes up.\n\n{{ agent.first_name }}",
     [{"type": "set_status", "value": "solved"}]),
    ("Take it and open", Visibility.SHARED, "",
     "", [{"type": "assign", "value": "me"}, {"type": "set_status", "value": "open"}]),
)
PERSONAL = ("agent", "My sign-off", "Hi {{ customer.first_name }},\n\n\n\nKind regards,\n{{ agent.name }}\nCustomer Support")
# Which macro the sample of recent replies in each queue was written from.
QUEUE_MACRO = {"Billing": "Refund issued", "Orders": "Delivery delay apology", "Technical": "Screenshot and app version, please",
               "Accounts": "Password reset steps"}

RULES: tuple[tuple[str, str, dict[str, Any], list[dict[str, Any]], str, bool], ...] = (
    ("Auto-tag billing by keywords", Trigger.TICKET_CREATED,
     {"any": [{"field": "ticket.subject", "op": "contains", "value": list(created_rules.BILLING_SUBJECT_WORDS)},
              {"field": "message.text", "op": "contains", "value": list(created_rules.BILLING_TEXT_WORDS)}]},
     [{"type": "add_tags", "value": [created_rules.BILLING_TAG]}],
     "Tickets that talk about money get the billing tag, whatever queue they land in.", True),
    ("VIP customers first", Trigger.TICKET_CREATED,
     {"all": [{"field": "requester.tier", "op": "in", "value": list(created_rules.VIP_TIERS)},
              {"field": "ticket.priority", "op": "in", "value": list(created_rules.VIP_FROM)}]},
     [{"type": "set_priority", "value": created_rules.VIP_PRIORITY}, {"type": "add_tags", "value": [created_rules.VIP_TAG]}],
     "Gold and platinum customers (theirs or their company's tier) start at high priority.", True),
    ("Complaints to the team lead", Trigger.TICKET_CREATED,
     {"all": [{"field": "ticket.type", "op": "eq", "value": "complaint"}]},
     [{"type": "notify", "to": "team_lead", "subject": "Complaint {{ ticket.reference }}: {{ ticket.subject }}",
       "body": "A complaint came in from {{ customer.name }}: {{ ticket.subject }}.\n\nOpen it: {{ ticket.reference }}."}],
     "", True),
    ("Notify the lead on SLA breach", Trigger.SLA_BREACHED, {"all": []},
     [{"type": "notify", "to": "team_lead", "subject": "SLA breached on {{ ticket.reference }}",
       "body": "{{ ticket.reference }} ({{ ticket.subject }}, {{ ticket.priority }}) has breached its SLA."},
      {"type": "add_tags", "value": ["sla-breached"]}],
     "", True),
    ("SLA at risk on urgent tickets", Trigger.SLA_AT_RISK,
     {"all": [{"field": "ticket.priority", "op": "in", "value": ["high", "urgent"]}]},
     [{"type": "notify", "to": "assignee", "subject": "{{ ticket.reference }} is close to its SLA",
       "body": "{{ ticket.subject }} ({{ ticket.priority }}) is at risk of breaching its SLA."}],
     "", True),
    ("Reopened by the customer", Trigger.CUSTOMER_REPLIED,
     {"all": [{"field": "event.kind", "op": "contains", "value": "reopened"}]},
     [{"type": "add_tags", "value": ["repeat-contact"]},
      {"type": "notify", "to": "assignee", "subject": "{{ ticket.reference }} was reopened",
       "body": "{{ customer.name }} replied to the solved ticket {{ ticket.reference }} ({{ ticket.subject }})."}],
     "", True),
    ("Unhappy survey answer", Trigger.SURVEY_ANSWERED,
     {"all": [{"field": "survey.score", "op": "lte", "value": 2}]},
     [{"type": "add_tags", "value": ["unhappy"]},
      {"type": "notify", "to": "team_lead", "subject": "Low survey score on {{ ticket.reference }}",
       "body": "{{ customer.name }} rated {{ ticket.reference }} ({{ ticket.subject }}) 2 or lower."}],
     "", True),
    ("Pending reminder at 3 days", Trigger.SCHEDULE,
     {"all": [{"field": "ticket.status_category", "op": "eq", "value": "pending"},
              {"field": "ticket.pending_since", "op": "hours_since", "value": 72},
              {"field": "ticket.tags", "op": "not_contains", "value": "pending-reminder"}]},
     [{"type": "email_requester", "subject": "Re: {{ ticket.subject }} [{{ ticket.reference }}]",
       "body": "Hi {{ customer.first_name }},\n\nWe are waiting for your reply on {{ ticket.reference }}. If we do not "
               "hear from you within two days we will mark it as solved; you can always reply to reopen it.\n\n"
               "{{ ticket.url }}"},
      {"type": "add_tags", "value": ["pending-reminder"]}],
     "A friendly nudge when we have waited three days for the customer.", True),
    ("Pending → solved after 5 days", Trigger.SCHEDULE,
     {"all": [{"field": "ticket.status_category", "op": "eq", "value": "pending"},
              {"field": "ticket.hours_since_pending", "op": "gte", "value": 120}]},
     [{"type": "set_status", "value": "solved"}, {"type": "add_tags", "value": ["auto-solved"]}],
     "Two days after the reminder.", True),
    ("Unassigned urgent for an hour", Trigger.SCHEDULE,
     {"all": [{"field": "ticket.priority", "op": "eq", "value": "urgent"},
              {"field": "ticket.assignee", "op": "is_not_set"},
              {"field": "ticket.status_category", "op": "in", "value": ["new", "open"]},
              {"field": "ticket.hours_since_created", "op": "gte", "value": 1}]},
     [{"type": "notify", "to": "team", "subject": "Nobody has {{ ticket.reference }} (urgent)",
       "body": "{{ ticket.subject }} has waited an hour without an assignee."}],
     "", True),
    ("Close solved tickets after 4 days", Trigger.SCHEDULE,
     {"all": [{"field": "ticket.status_category", "op": "eq", "value": "solved"},
              {"field": "ticket.hours_since_solved", "op": "gte", "value": 96}]},
     [{"type": "set_status", "value": "closed"}],
     "", True),
    ("Send escalations to the CRM", Trigger.TICKET_UPDATED,
     {"all": [{"field": "ticket.tags", "op": "contains", "value": "escalated"},
              {"field": "ticket.tags", "op": "changed"}]},
     [{"type": "webhook", "url": "https://crm.example.com/hooks/frontline"}],
     "An example of a signed webhook (off: crm.example.com does not exist).", False),
)


def demo_automations(*, anchor: datetime, seed: int) -> dict[str, int]:
    """Create the demo's macros and rules and the macros' recent use; the counts by kind."""
    manager = User.objects.get(username="manager")
    teams = {t.name: t for t in Team.objects.all()}
    leads = {t.name: t.lead for t in Team.objects.select_related("lead")}
    macros: dict[str, Macro] = {}
    for name, visibility, team_name, body, actions in MACROS:
        team = teams.get(team_name)
        actor = (leads.get(team_name) or manager) if visibility == Visibility.TEAM else manager
        macros[name] = macro_save(macro=None, actor=actor, name=name, body=body, actions=actions, visibility=visibility,
                                  team=team, at=anchor - timedelta(days=USAGE_DAYS + 30))
    owner = User.objects.filter(username=PERSONAL[0]).first()
    if owner is not None:
        macro_save(macro=None, actor=owner, name=PERSONAL[1], body=PERSONAL[2], actions=[],
                   visibility=Visibility.PERSONAL, at=anchor - timedelta(days=USAGE_DAYS + 10))
    first = Ticket.objects.order_by("created_at").values_list("created_at", flat=True).first()
    rules_at = min(anchor - timedelta(days=USAGE_DAYS + 30), (first or anchor) - timedelta(days=1))
    for position, (name, trigger, conditions, actions, description, active) in enumerate(RULES, start=1):
        rule_save(rule=None, actor=manager, name=name, trigger=trigger, conditions=conditions, actions=actions,
                  description=description, position=position * 10, active=active, at=rules_at)
    used = _usage(anchor=anchor, seed=seed, macros=macros)
    fired = _created_firings()
    return {"macros": Macro.objects.count(), "automation rules": Rule.objects.count(), "macro uses": used,
            "rule firings": fired}


def _created_firings() -> int:
    """The "ticket created" rules' firings on the history: each rule's conditions read by the rules engine
    on the ticket as it arrived (its creation event, first message and requester), and where they hold,
    the ``automation_fired`` events and the ``RuleFiring`` a firing writes (``rule_fire``), at the creation.

    The simulation already applied the rules' effects at each creation (``created_rules``); the notify
    rule's emails are not sent (the demo sends no mail)."""
    registry = field_registry()
    rules = [(rule, rules_engine.compile_conditions(rule.conditions, registry))
             for rule in Rule.objects.filter(active=True, trigger=Trigger.TICKET_CREATED).order_by("position", "id")]
    if not rules:
        return 0
    tickets = {pk: (subject, tier) for pk, subject, tier in Ticket.objects.values_list("id", "subject", "requester__tier")}
    created = list(TicketEvent.objects.filter(kind=EventKind.CREATED).order_by("id")
                   .values_list("ticket_id", "created_at", "payload"))
    texts: dict[int, str] = {}
    message_ids = [payload.get("message_id") for _, _, payload in created if payload.get("message_id")]
    for start in range(0, len(message_ids), 2000):
        texts.update(Message.objects.filter(pk__in=message_ids[start:start + 2000]).values_list("id", "body_text"))
    events, firings = [], []
    for ticket_id, at, payload in created:
        subject, tier = tickets[ticket_id]
        facts = rules_engine.Facts(values={
            "ticket.subject": subject, "message.text": texts.get(payload.get("message_id"), ""), "requester.tier": tier,
            "ticket.priority": payload.get("priority"), "ticket.type": payload.get("ticket_type"),
            "ticket.channel": payload.get("channel"), "ticket.tags": frozenset(payload.get("tags") or ()),
            "event.kind": frozenset({EventKind.CREATED}), "event.actor_role": "customer"}, now=at)
        for rule, holds in rules:
            if not holds(facts):
                continue
            words = [describe(action) for action in rule.actions]
            events += [TicketEvent(ticket_id=ticket_id, kind=EventKind.AUTOMATION_FIRED, actor=None, created_at=at,
                                   payload={"rule": rule.pk, "rule_name": rule.name, "action": action["type"], "depth": 0,
                                            "summary": f"Rule “{rule.name}”: {said}"})
                       for action, said in zip(rule.actions, words, strict=True)]
            firings.append(RuleFiring(rule=rule, ticket_id=ticket_id, at=at, depth=0, summary="; ".join(words)))
    TicketEvent.objects.bulk_create(events, batch_size=1000)
    RuleFiring.objects.bulk_create(firings, batch_size=1000)
    for rule, _ in rules:
        mine = [f.at for f in firings if f.rule_id == rule.pk]
        Rule.objects.filter(pk=rule.pk).update(fire_count=len(mine), last_fired_at=max(mine, default=None))
    return len(firings)


def _usage(*, anchor: datetime, seed: int, macros: dict[str, Macro]) -> int:
    rng = random.Random(f"{seed}-macros")
    replies = (Message.objects.filter(author_kind=AuthorKind.AGENT, is_public=True, author_user__isnull=False,
                                      created_at__gte=anchor - timedelta(days=USAGE_DAYS), created_at__lt=anchor,
                                      ticket__queue__name__in=list(QUEUE_MACRO))
               .order_by("id").values_list("id", "ticket_id", "author_user_id", "created_at", "ticket__queue__name"))
    events, uses = [], []
    last: dict[str, tuple[datetime, int]] = {}
    for _, ticket_id, user_id, at, queue in replies:
        if rng.random() >= USAGE_SHARE:
            continue
        macro = macros[QUEUE_MACRO[queue]]
        events.append(TicketEvent(ticket_id=ticket_id, kind=EventKind.MACRO_APPLIED, actor_id=user_id, created_at=at,
                                  payload={"macro": macro.pk, "macro_name": macro.name, "sent_reply": True, "actions": [],
                                           "summary": f"Macro “{macro.name}”: reply sent"}))
        uses.append(MacroUse(macro=macro, ticket_id=ticket_id, user_id=user_id, sent_reply=True, at=at))
        if macro.name not in last or at > last[macro.name][0]:
            last[macro.name] = (at, user_id)
    TicketEvent.objects.bulk_create(events, batch_size=1000)
    MacroUse.objects.bulk_create(uses, batch_size=1000)
    for name, (at, user_id) in last.items():
        Macro.objects.filter(pk=macros[name].pk).update(
            usage_count=sum(1 for u in uses if u.macro_id == macros[name].pk), last_used_at=at, last_used_by_id=user_id)
    return len(uses)


def automations_reset() -> None:
    """Remove every macro and rule with their logs (their events go with the tickets)."""
    WebhookCall.objects.all().delete()
    RuleFiring.objects.all().delete()
    MacroUse.objects.all().delete()
    Rule.objects.all().delete()
    Macro.objects.all().delete()
