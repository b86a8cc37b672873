"""Automation rules: refused on save with the failing path, run after commit through the task on
each trigger, actions as automation_fired events, the loop guard and the depth cut, schedule rules
once per ticket until touched, email, escalation and a signed webhook on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone

from frontline.automations import selectors, services
from frontline.automations.models import Rule, RuleFiring, Trigger, WebhookCall
from frontline.desk.models import EventKind, Ticket
from frontline.desk.services import (
    ticket_priority_change,
    ticket_reply,
    ticket_status_change,
    ticket_tags_set,
)
from tests import factories as f
from tests.smtp import smtp_server

from .conftest import make_rule

pytestmark = pytest.mark.django_db


def fired(ticket):  # type: ignore[no-untyped-def]
    return [e.payload["summary"] for e in ticket.events.filter(kind=EventKind.AUTOMATION_FIRED).order_by("id")]


def tags(ticket):  # type: ignore[no-untyped-def]
    return set(Ticket.objects.get(pk=ticket.pk).tags.values_list("name", flat=True))


def test_a_rule_is_refused_on_save_naming_the_path(manager, agent) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        make_rule(manager, conditions={"all": [{"field": "ticket.colour", "op": "eq", "value": "red"},
                                               {"field": "ticket.queue", "op": "eq", "value": "no-such-queue"}]},
                  actions=[{"type": "webhook", "url": "ftp://x"}], trigger="whenever")
    assert set(caught.value.message_dict) == {"conditions.all.0.field", "conditions.all.1.value", "actions.0.url",
                                              "trigger"}
    with pytest.raises(PermissionDenied):
        make_rule(agent)
    assert Rule.objects.count() == 0


def test_ticket_created_rule_tags_by_keywords_and_names_itself(manager, run_tasks) -> None:  # type: ignore[no-untyped-def]
    make_rule(manager, name="Billing by keywords", conditions={"any": [
        {"field": "ticket.subject", "op": "contains", "value": ["invoice", "refund"]},
        {"field": "message.text", "op": "contains", "value": ["invoice", "refund"]}]},
        actions=[{"type": "add_tags", "value": ["billing"]}, {"type": "set_priority", "value": "high"}])
    with run_tasks():
        billing = f.ticket(subject="Question", body="Where is my INVOICE?")
        other = f.ticket(subject="Login", body="Cannot sign in")
    assert tags(billing) == {"billing"} and tags(other) == set()
    assert Ticket.objects.get(pk=billing.pk).priority == "high"
    assert fired(billing) == ["Rule “Billing by keywords”: Add tags billing", "Rule “Billing by keywords”: Priority → High"]
    tagged = billing.events.get(kind=EventKind.TAGGED)
    assert tagged.actor is None  # the system, not a person
    assert RuleFiring.objects.get().summary == "Add tags billing; Priority → High"


def test_updated_rule_sees_what_changed(manager, lead, agent, team, run_tasks) -> None:  # type: ignore[no-untyped-def]
    make_rule(manager, name="Urgent to the lead", trigger=Trigger.TICKET_UPDATED,
              conditions={"all": [{"field": "ticket.priority", "op": "changed_to", "value": "urgent"},
                                  {"field": "event.actor_role", "op": "eq", "value": "agent"}]},
              actions=[{"type": "assign", "value": "lena"}])
    ticket = f.ticket(team=team)
    with run_tasks():
        ticket_priority_change(ticket=ticket, priority="high", actor=agent)
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
    with run_tasks():
        ticket_priority_change(ticket=ticket, priority="urgent", actor=agent)
    assert Ticket.objects.get(pk=ticket.pk).assignee == lead
    assert fired(ticket) == ["Rule “Urgent to the lead”: Assign to lena"]


def test_a_rule_does_not_fire_twice_on_its_own_change(manager, agent, run_tasks) -> None:  # type: ignore[no-untyped-def]
    make_rule(manager, name="A to B", trigger=Trigger.TICKET_UPDATED,
              conditions={"all": [{"field": "ticket.tags", "op": "contains", "value": "a"}]},
              actions=[{"type": "remove_tags", "value": ["a"]}, {"type": "add_tags", "value": ["b"]}])
    make_rule(manager, name="B to A", trigger=Trigger.TICKET_UPDATED,
              conditions={"all": [{"field": "ticket.tags", "op": "contains", "value": "b"}]},
              actions=[{"type": "remove_tags", "value": ["b"]}, {"type": "add_tags", "value": ["a"]}])
    ticket = f.ticket()
    with run_tasks():
        ticket_tags_set(ticket=ticket, tags=["a"], actor=agent)
    assert [s.split(":")[0] for s in fired(ticket)] == ["Rule “A to B”"] * 2 + ["Rule “B to A”"] * 2
    assert tags(ticket) == {"a"}  # B to A ran once after A to B; then A to B was already in the chain


@override_settings(AUTOMATION_MAX_CHAIN=2)
def test_a_deep_chain_is_cut_with_an_event(manager, agent, run_tasks) -> None:  # type: ignore[no-untyped-def]
    def step(name, when, then, position):  # type: ignore[no-untyped-def]
        make_rule(manager, name=name, trigger=Trigger.TICKET_UPDATED, position=position,
                  conditions={"all": [{"field": "ticket.tags", "op": "contains", "value": when}]},
                  actions=[{"type": "add_tags", "value": [then]}])

    step("C to D", "c", "d", 1)
    step("B to C", "b", "c", 2)
    step("A to B", "a", "b", 3)
    ticket = f.ticket()
    with run_tasks():
        ticket_tags_set(ticket=ticket, tags=["a"], actor=agent)
    assert tags(ticket) == {"a", "b", "c"}
    cut = ticket.events.get(kind=EventKind.AUTOMATION_CUT)
    assert cut.payload["rule_name"] == "C to D"
    assert "stopped after 2 rules in a row" in cut.payload["summary"]


def test_schedule_rule_fires_once_until_someone_touches_the_ticket(manager, agent, run_tasks) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    make_rule(manager, name="Pending 3 days", trigger=Trigger.SCHEDULE,
              conditions={"all": [{"field": "ticket.status_category", "op": "eq", "value": "pending"},
                                  {"field": "ticket.pending_since", "op": "hours_since", "value": 72}]},
              actions=[{"type": "add_tags", "value": ["reminded"]}])
    old = f.ticket(at=now - timedelta(days=5))
    ticket_status_change(ticket=old, status=f.status("pending"), actor=agent, at=now - timedelta(days=4))
    young = f.ticket(at=now - timedelta(days=5))
    ticket_status_change(ticket=young, status=f.status("pending"), actor=agent, at=now - timedelta(days=1))
    assert services.automations_run_schedule(now=now) == {"Pending 3 days": 1}
    assert tags(old) == {"reminded"} and tags(young) == set()
    assert services.automations_run_schedule(now=now + timedelta(hours=1)) == {"Pending 3 days": 0}
    ticket_tags_set(ticket=old, tags=[], actor=agent)  # a person touches it: armed again
    assert services.automations_run_schedule(now=now + timedelta(hours=2)) == {"Pending 3 days": 1}


def test_email_to_the_requester_and_the_lead_after_commit(manager, lead, team, run_tasks) -> None:  # type: ignore[no-untyped-def]
    make_rule(manager, name="Breach", trigger=Trigger.SLA_BREACHED, actions=[
        {"type": "notify", "to": "team_lead", "subject": "Breach on {{ ticket.reference }}", "body": "Look: {{ ticket.subject }}"},
        {"type": "email_requester", "subject": "We are on it", "body": "Hi {{ customer.first_name }}, sorry for the wait."},
        {"type": "escalate", "reason": "SLA breached"}])
    ticket = f.ticket(team=team, subject="Broken")
    with smtp_server() as inbox, run_tasks():
        services._event(ticket, EventKind.SLA_BREACHED, timezone.now(), summary="breached")
    ours = {m["To"]: m for m in inbox.messages if "escalat" not in m["Subject"].lower()}
    assert set(ours) == {"lena@staff.example", ticket.requester.email}
    assert ours["lena@staff.example"]["Subject"] == f"Breach on #{ticket.pk}"
    assert "Hi Customer, sorry for the wait." in ours[ticket.requester.email].get_payload()
    assert ticket.events.filter(kind=EventKind.ESCALATED).exists()
    assert len(fired(ticket)) == 3


class _Hook(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append((dict(self.headers), body))
        self.send_response(_Hook.status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hook_server(settings):  # type: ignore[no-untyped-def]
    """A receiver on 127.0.0.1: outgoing webhooks refuse loopback unless the operator allows internal addresses."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    _Hook.received, _Hook.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


@override_settings(AUTOMATION_WEBHOOK_BACKOFF_S=0.01)
def test_webhook_is_signed_logged_and_retried(manager, run_tasks, hook_server) -> None:  # type: ignore[no-untyped-def]
    rule = make_rule(manager, name="Tell the CRM", actions=[{"type": "webhook", "url": hook_server}])
    with run_tasks():
        ticket = f.ticket(subject="Hello")
    headers, body = _Hook.received[0]
    expected = hmac.new(rule.webhook_secret.encode(), headers["X-Frontline-Timestamp"].encode() + b"." + body,
                        hashlib.sha256).hexdigest()
    assert headers["X-Frontline-Signature"] == f"sha256={expected}"
    payload = json.loads(body)
    assert payload["ticket"]["id"] == ticket.pk and payload["rule"]["name"] == "Tell the CRM"
    assert payload["events"] == ["created"]
    call = WebhookCall.objects.get()
    assert (call.ok, call.status_code, call.attempts) == (True, 200, 1)
    _Hook.status = 503
    with run_tasks():
        f.ticket(subject="Again")
    failed = WebhookCall.objects.order_by("-id").first()
    assert (failed.ok, failed.status_code, failed.attempts) == (False, 503, 3)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest/",
                                 "http://[::1]/hook", "http://localhost/hook"])
def test_a_webhook_to_an_internal_address_is_refused_on_save(manager, url) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        make_rule(manager, actions=[{"type": "webhook", "url": url}])
    assert list(caught.value.message_dict) == ["actions.0.url"]
    assert Rule.objects.count() == 0


def test_a_webhook_to_an_internal_address_is_refused_when_it_fires(manager, run_tasks, hook_server, settings) -> None:  # type: ignore[no-untyped-def]
    """Saved while internal receivers were allowed (or while its name pointed outside): checked again at each call."""
    make_rule(manager, name="Tell the CRM", actions=[{"type": "webhook", "url": hook_server}])
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with run_tasks():
        f.ticket(subject="Hello")
    call = WebhookCall.objects.get()
    assert (call.ok, call.status_code, call.attempts, call.error.startswith("Refused: 127.0.0.1")) == (False, None, 1, True)
    assert _Hook.received == []


def test_customer_reply_trigger_and_dry_run(manager, agent, team, run_tasks) -> None:  # type: ignore[no-untyped-def]
    make_rule(manager, name="Reopened by customer", trigger=Trigger.CUSTOMER_REPLIED,
              conditions={"all": [{"field": "event.actor_role", "op": "eq", "value": "customer"}]},
              actions=[{"type": "set_priority", "value": "high"}])
    ticket = f.ticket(team=team)
    with run_tasks():
        ticket_reply(ticket=ticket, author=agent, body="A reply")
    assert Ticket.objects.get(pk=ticket.pk).priority == "normal"
    with run_tasks():
        ticket_reply(ticket=ticket, author=None, body="Thanks, but still broken")
    assert Ticket.objects.get(pk=ticket.pk).priority == "high"
    hidden = f.ticket(team=f.team(name="Elsewhere"), subject="invoice")
    visible = f.ticket(team=team, subject="Invoice copy")
    conditions = {"all": [{"field": "ticket.subject", "op": "contains", "value": "invoice"}]}
    assert selectors.rule_dry_run(conditions=conditions, viewer=manager, now=timezone.now()).ids == [visible.pk, hidden.pk]
    assert selectors.rule_dry_run(conditions=conditions, viewer=agent, now=timezone.now()).ids == [visible.pk]


def test_a_stale_rule_or_a_refused_action_does_not_crash_the_run(manager, agent, run_tasks) -> None:  # type: ignore[no-untyped-def]
    queue = f.queue(name="Gone")
    make_rule(manager, name="Stale", trigger=Trigger.TICKET_UPDATED,
              conditions={"all": [{"field": "ticket.queue", "op": "eq", "value": queue.slug}]})
    make_rule(manager, name="Reopen", trigger=Trigger.TICKET_UPDATED, actions=[{"type": "set_status", "value": "open"}])
    queue.delete()  # the first rule now names a queue that does not exist
    ticket = f.ticket()
    with run_tasks():
        ticket_status_change(ticket=ticket, status=f.status("solved"), actor=agent)
        ticket_status_change(ticket=ticket, status=f.status("closed"), actor=agent)
    assert Ticket.objects.get(pk=ticket.pk).status_category == "closed"
    assert RuleFiring.objects.filter(rule__name="Reopen", summary__startswith="Not run: ").exists()
    assert not RuleFiring.objects.filter(rule__name="Stale").exists()
