"""Macros and automations in a browser: an agent on a phone applies a macro from the reply box
(preview, edit, send), the actions run and the history shows the macro, Back and reload send
nothing twice; a manager builds a rule with a bad field (the error is shown), fixes it, dry-runs
it, follows the matches to the desk and saves it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from frontline.automations import services
from frontline.automations.models import Rule, Visibility
from frontline.desk.models import EventKind, Message, Ticket, TicketEvent
from tests import factories as f
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BAD = '{"all": [{"field": "ticket.priorty", "op": "eq", "value": "urgent"}]}'
GOOD = '{"all": [{"field": "ticket.priority", "op": "eq", "value": "urgent"}]}'


def test_an_agent_applies_a_macro_from_the_reply_box_on_a_phone(page: Page) -> None:
    team = f.team(name="Billing")
    agent = f.agent(teams=[team], first_name="Ana")
    manager = f.manager()
    services.macro_save(macro=None, actor=manager, name="Refund issued", visibility=Visibility.SHARED,
                        body="Hi {{ customer.first_name }},\n\nYour refund for {{ ticket.reference }} is on its way.\n\n"
                             "{{ agent.first_name }}",
                        actions=[{"type": "set_status", "value": "pending"}, {"type": "add_tags", "value": ["refund"]}])
    ticket = f.ticket(team=team, subject="Where is my refund?", notify=False)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, agent)
    page.goto(f"/tickets/{ticket.pk}/")
    page.locator("#macros summary").click()
    page.get_by_label("Macro", exact=True).select_option(label="Refund issued")
    page.get_by_role("button", name="Preview").click()
    reply = page.get_by_label("Reply (edit before sending)")
    expect(reply).to_have_value(re.compile(rf"^Hi Customer,\n\nYour refund for #{ticket.pk} is on its way\.\n\nAna$"))
    expect(page.locator("#macro-preview")).to_contain_text("Status → Pending; Add tags refund")
    reply.fill(f"Hi Customer,\n\nYour refund for #{ticket.pk} is on its way: 3 working days.\n\nAna")
    page.get_by_role("button", name="Send and run the actions").click()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/\?history=1#history$"))
    expect(page.locator("#history")).to_contain_text("Macro “Refund issued”: reply sent; Status → Pending; Add tags refund")
    expect(page.get_by_text("is on its way: 3 working days.")).to_be_visible()
    page.reload()
    page.go_back()
    page.go_forward()
    expect(page.locator("#history")).to_contain_text("Macro “Refund issued”")
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.MACRO_APPLIED).count() == 1
    assert Message.objects.filter(ticket=ticket, author_user=agent).count() == 1
    saved = Ticket.objects.get(pk=ticket.pk)
    assert saved.status_category == "pending" and list(saved.tags.values_list("name", flat=True)) == ["refund"]


def test_a_manager_fixes_a_bad_rule_dry_runs_it_and_saves_it(page: Page) -> None:
    team = f.team(name="Tech")
    urgent = f.ticket(team=team, subject="Site down", priority="urgent", notify=False)
    f.ticket(team=team, subject="A question", notify=False)
    manager = f.manager()
    sign_in(page, manager)
    nav_to(page, "Automations")
    expect(page.locator(".empty")).to_contain_text("No rules yet")
    page.get_by_role("link", name="New rule").click()
    page.get_by_label("Name").fill("Urgent to the top")
    page.get_by_label("Trigger").select_option("ticket_updated")
    page.get_by_label("Conditions").fill(BAD)
    page.get_by_label("Actions").fill('[{"type": "add_tags", "value": ["top"]}]')
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#rule-form")).to_contain_text("conditions.all.0.field: Unknown field 'ticket.priorty'.")
    assert not Rule.objects.exists()
    page.get_by_label("Conditions").fill(GOOD)
    page.get_by_role("button", name=re.compile("Dry run")).click()
    dry = page.locator("#dry-run")
    expect(dry).to_contain_text("1 open ticket of the 2 you may see matches these conditions now")
    dry.get_by_role("link", name="1 open ticket").click()
    expect(page.locator("body")).to_contain_text("Site down")
    expect(page.locator("body")).not_to_contain_text("A question")
    page.go_back()
    expect(page.get_by_label("Conditions")).to_have_value(GOOD)
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_url(re.compile(r"/automations/$"))
    expect(page.locator("table")).to_contain_text("Urgent to the top")
    expect(page.locator("table")).to_contain_text("Priority is urgent")
    page.reload()
    assert Rule.objects.count() == 1 and urgent.pk
