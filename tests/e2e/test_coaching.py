"""Coaching in a browser: a lead prepares a one-on-one from the pre-filled agenda, records a focus and
an action item (Back and reload keep them); the agent, on a phone, opens their page and acknowledges a
policy update."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.coaching import services
from tests import factories as f
from tests.coaching.conftest import facts
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people():  # type: ignore[no-untyped-def]
    billing = f.team(name="Billing")
    ann = f.agent(teams=[billing], username="ann", first_name="Ann")
    bob = f.agent(teams=[billing], username="bob", first_name="Bob")
    lena = f.lead(leads=[billing], username="lena", first_name="Lena")
    boss = f.manager(username="boss")
    start = timezone.now() - timedelta(days=20)
    facts(agent=ann, team=billing, first=start, n=12, one_touch=lambda i: i % 2 == 0, first_reply_minutes=40.0)
    facts(agent=bob, team=billing, first=start, n=12, one_touch=True, first_reply_minutes=15.0)
    services.policy_publish(actor=boss, title="Refunds and returns", body="Refund within **45 days**.",
                            effective_on=date.today(), change_note="45 days")
    return {"ann": ann, "lena": lena}


def test_lead_prepares_a_one_on_one_and_the_agent_acknowledges_a_policy(new_page, people) -> None:  # type: ignore[no-untyped-def]
    lead: Page = new_page()
    sign_in(lead, people["lena"])
    nav_to(lead, "Coaching")
    lead.get_by_role("link", name="Ann Tester").click()
    due = (date.today() + timedelta(days=2)).isoformat()
    lead.get_by_label("On", exact=True).fill(due)
    lead.get_by_role("button", name="Prepare agenda").click()
    expect(lead).to_have_url(re.compile(r"/coaching/sessions/\d+/$"))
    agenda = lead.locator("#agenda-kpis")
    expect(agenda).to_contain_text("One-touch resolution (FCR)")
    expect(agenda.locator("tr", has_text="One-touch")).to_contain_text("50 %")  # Ann 6 of 12, the team 12 of 12

    lead.get_by_label("Behaviour to work on").fill("Ask for the order number in the first reply")
    lead.get_by_label("Measured by").select_option(label="One-touch resolution (FCR)")
    lead.get_by_role("button", name="Add focus").click()
    expect(lead.locator("#focuses")).to_contain_text("Ask for the order number in the first reply")
    lead.get_by_label("Action", exact=True).fill("Reread the refund policy")
    lead.get_by_label("Due", exact=True).fill((date.today() + timedelta(days=7)).isoformat())
    lead.get_by_role("button", name="Add action").click()
    expect(lead.locator("#actions")).to_contain_text("Reread the refund policy")
    session_url = lead.url
    lead.go_back()
    lead.reload()
    expect(lead.locator("#focuses")).to_contain_text("Ask for the order number")
    lead.goto(session_url)
    expect(lead.locator("#actions")).to_contain_text("Reread the refund policy")

    agent: Page = new_page()
    agent.set_viewport_size({"width": 390, "height": 844})
    sign_in(agent, people["ann"])
    agent.goto("/coaching/")
    expect(agent).to_have_url(re.compile(rf"/coaching/people/{people['ann'].pk}/$"))
    expect(agent.locator("h1")).to_have_text("My coaching")
    expect(agent.locator("body")).to_contain_text("Reread the refund policy")
    agent.get_by_role("link", name=re.compile("Refunds and returns, version 1")).click()
    expect(agent.locator("article")).to_contain_text("Refund within 45 days")
    agent.get_by_role("button", name="I have read and understood this version").click()
    expect(agent.locator("body")).to_contain_text("You acknowledged this version")
    agent.go_back()  # the policy as first opened; reloaded, it shows the acknowledgement
    agent.reload()
    expect(agent.locator("body")).to_contain_text("You acknowledged this version")
    agent.get_by_role("link", name="My coaching").click()
    expect(agent.locator("h1")).to_have_text("My coaching")
    expect(agent.locator("body")).not_to_contain_text("Policies to acknowledge")
    agent.goto(session_url)
    expect(agent.locator("#focuses")).to_contain_text("Ask for the order number")
    expect(agent.locator("body")).not_to_contain_text("Private (the agent")
    assert agent.evaluate("document.documentElement.scrollWidth") <= 390 + 1
