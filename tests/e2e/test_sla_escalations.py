"""SLA clocks and escalations in a browser, as a team lead and an agent use them in a sitting.

The policy runs on a 24x7 calendar in UTC, so business time is wall-clock time here and the
times the test sets up are the times the pages show.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.escalations import services
from frontline.escalations.models import Trigger
from tests import factories as f
from tests.e2e.conftest import sign_in
from tests.sla import factories as sf

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desk():  # type: ignore[no-untyped-def]
    """A team with its lead and an agent; a 1 h first-reply target; one ticket breached and escalated, one fresh."""
    team = f.team(name="Billing")
    lead = f.lead(leads=[team])
    agent = f.agent(teams=[team])
    sf.policy(name="Standard", first_reply=60, next_reply=None, resolution=None)
    late = f.ticket(team=team, subject="Charged twice for one order", at=timezone.now() - timedelta(hours=3))
    fresh = f.ticket(team=team, subject="Change my delivery address")
    services.escalation_raise(ticket=late, trigger=Trigger.MANUAL, actor=agent, reason="Customer threatens a chargeback")
    return {"lead": lead, "agent": agent, "late": late, "fresh": fresh}


def _rows(page: Page):  # type: ignore[no-untyped-def]
    return page.locator("table.data tbody tr")


def test_a_lead_de_escalates_from_the_queue_then_sorts_by_due_soonest(page: Page, desk) -> None:  # type: ignore[no-untyped-def]
    late = desk["late"]
    sign_in(page, desk["lead"])
    page.goto("/escalations/")
    row = _rows(page).filter(has_text="Charged twice for one order")
    expect(row).to_contain_text("Customer threatens a chargeback")
    expect(row).to_contain_text(re.compile(r"\d+ min|\d+ s"))  # how long it has waited
    row.get_by_role("link", name=re.compile("Charged twice")).click()
    expect(page).to_have_url(re.compile(rf"/tickets/{late.pk}/$"))

    sla = page.locator("#sla")
    expect(sla.locator(".badge.sla-breached")).to_have_text(re.compile(r"^Breached 2 h( \d+ min)? ago$"))
    expect(sla).to_contain_text("(business time)")

    panel = page.locator("#escalation")
    expect(panel).to_contain_text("With the team lead")
    panel.get_by_label("Note").fill("Refund approved; the agent can reply")
    panel.get_by_role("button", name="De-escalate").click()
    expect(page.locator("#escalation")).to_contain_text("Not escalated.")
    expect(page.get_by_text(f"Escalation of ticket #{late.pk}: de-escalated.")).to_be_visible()

    page.go_back()
    page.reload()
    expect(page.locator("#escalation")).to_contain_text("Not escalated.")
    page.go_back()
    expect(page).to_have_url(re.compile(r"/escalations/$"))
    page.reload()
    expect(page.get_by_text("No unresolved escalations at this level.")).to_be_visible()

    page.goto("/tickets/?view=all")
    page.get_by_role("link", name=re.compile(r"SLA \(business time\)")).click()
    expect(page).to_have_url(re.compile(r"sort=due"))
    expect(_rows(page).first).to_contain_text("Charged twice for one order")
    expect(_rows(page).nth(1)).to_contain_text("Change my delivery address")
    expect(_rows(page).nth(1).locator("td[data-label^=SLA] .badge")).to_have_text(re.compile(r"^(Due|At risk · due) in (1 h|\d+ min)$"))

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    first = _rows(page).first
    expect(first).to_contain_text("Charged twice for one order")
    expect(first.locator(".badge.sla-breached")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_agent_escalates_by_hand_and_an_empty_reason_is_refused_naming_the_field(page: Page, desk) -> None:  # type: ignore[no-untyped-def]
    fresh = desk["fresh"]
    sign_in(page, desk["agent"])
    page.goto(f"/tickets/{fresh.pk}/")
    expect(page.locator("#escalation")).to_contain_text("Not escalated.")
    page.get_by_role("link", name="Escalate with a reason…").click()

    reason = page.get_by_label(re.compile("^Reason"))
    reason.fill("   ")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Escalate").click()
    assert answer.value.status == 422
    expect(page.get_by_role("alert")).to_have_text(re.compile(r"^Reason: Say why"))
    expect(reason).to_have_attribute("aria-invalid", "true")

    reason.fill("Asks for a refund above my limit")
    page.get_by_role("button", name="Escalate").click()
    expect(page).to_have_url(re.compile(rf"/tickets/{fresh.pk}/$"))
    expect(page.locator("#escalation")).to_contain_text("With the team lead")
    expect(page.locator("#escalation")).to_contain_text("Asks for a refund above my limit")
    expect(page.locator("#escalation").get_by_role("button", name="De-escalate")).to_have_count(0)
