"""An agent returns an abandoned call in a real browser: the phone page counts it and links to its
ticket, the ticket's Calls panel shows it, the callback is logged from the panel (talk + wrap-up
become the ticket's handle time), Back / reload add nothing, and the page reads on a phone."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.phone import services
from frontline.phone.models import Call, PhoneConnector
from tests import factories as f
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_agent_returns_an_abandoned_call(page: Page) -> None:
    team = f.team(name="Phones")
    agent = f.agent(teams=[team], first_name="Ana", last_name="Silva")
    connector = PhoneConnector.objects.create(name="PBX", slug="pbx", secret="s", created_at=timezone.now(),
                                              queue=f.queue(name="Calls", team=team))
    for kind in ("ringing", "abandoned"):
        event = services.call_event_parse({"event_id": kind, "type": kind, "call_id": "c1", "from": "+44 20 7946 0000",
                                           "caller_name": "Jo Bloggs"}, now=timezone.now())
        services.call_event_apply(connector=connector, event=event)
    ticket_id = Call.objects.get().ticket_id

    sign_in(page, agent)
    nav_to(page, "Phone")
    expect(page.get_by_role("heading", level=1)).to_have_text("Phone")
    expect(page.get_by_text("abandon rate 100 %")).to_be_visible()
    page.locator(".card").filter(has_text="Abandoned").get_by_role("link", name="1").click()
    page.get_by_role("link", name=re.compile("Call from Jo Bloggs")).click()
    expect(page).to_have_url(re.compile(f"/tickets/{ticket_id}/"))
    calls = page.locator("#calls")
    expect(calls).to_contain_text("abandoned")

    calls.get_by_text("Log a call on this ticket…").click()
    calls.get_by_label("Direction").select_option("outbound")
    calls.get_by_label("Talk time").fill("4:30")
    calls.get_by_label("Wrap-up time").fill("1:00")
    calls.get_by_label("Disposition").select_option("resolved")
    calls.get_by_label("Notes").fill("Called back; the order ships today.")
    calls.get_by_role("button", name="Log call").click()
    expect(page.get_by_role("status").first).to_contain_text("Call logged")
    expect(calls).to_contain_text("4 min 30 s talk + 1 min wrap-up")
    expect(page.locator("#handle-time")).to_contain_text("5 min 30 s")
    page.reload()
    page.go_back()
    assert Call.objects.count() == 2
    assert Call.objects.get(direction="outbound").message.handle_seconds == 330

    # The same page on a phone: the per-day and recent-call tables are labelled cards, never wider
    # than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/phone/")
    expect(page.get_by_role("heading", name="Recent calls")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    label = page.evaluate("getComputedStyle(document.querySelector('table.stack td[data-label]'), '::before').content")
    assert label == '"Inbound offered: "'
