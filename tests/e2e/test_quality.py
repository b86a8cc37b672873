"""Quality reviews in a browser: a lead reviews a ticket in the workspace (conversation beside the
rubric), the agent opens it under My reviews on a phone and disputes it, the lead resolves it by
changing a score; Back and reload keep each page as it was."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.desk.services import ticket_reply
from frontline.quality import services
from frontline.quality.models import Review
from frontline.quality.services import CriterionSpec, SectionSpec
from tests import factories as f
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():  # type: ignore[no-untyped-def]
    team = f.team(name="Billing")
    lead = f.lead(leads=[team], username="lena", first_name="Lena")
    agent = f.agent(teams=[team], username="ann", first_name="Ann")
    services.rubric_create(name="Email quality", actor=f.manager(), sections=(
        SectionSpec("Opening", (CriterionSpec("Greets the customer"),)),
        SectionSpec("Resolution", (CriterionSpec("Correct answer", scale="one_five", weight=3),)),
    ))
    at = timezone.now() - timedelta(days=1)
    ticket = f.ticket(team=team, assignee=agent, subject="Refund not received", body="Where is my refund?",
                      at=at, notify=False)
    ticket_reply(ticket=ticket, author=agent, body="Refund sent today.", at=at + timedelta(hours=1), notify=False)
    return {"lead": lead, "agent": agent, "ticket": ticket}


def test_review_dispute_and_resolution(new_page, world) -> None:  # type: ignore[no-untyped-def]
    lead_page: Page = new_page()
    sign_in(lead_page, world["lead"])
    nav_to(lead_page, "Quality")
    lead_page.get_by_label("Review a ticket (number)").fill(str(world["ticket"].pk))
    lead_page.get_by_role("button", name="Open workspace").click()
    lead_page.get_by_role("button", name="Start the review").click()
    # The workspace: the conversation beside the rubric.
    expect(lead_page.get_by_label("Conversation")).to_contain_text("Refund sent today.")
    greets = lead_page.get_by_role("group", name="Greets the customer")
    greets.get_by_label("No").check()
    lead_page.get_by_role("group", name="Correct answer").get_by_label("4").check()
    greets.locator("summary").click()
    greets.get_by_label("Comment on Greets the customer").fill("No hello at all.")
    greets.get_by_label("About message").select_option(index=2)  # message 2: the agent's reply
    lead_page.get_by_label("Summary for Ann").fill("Right answer; start with a greeting.")
    lead_page.get_by_role("button", name="Submit review").click()
    expect(lead_page.locator("body")).to_contain_text("Review submitted")
    expect(lead_page.locator(".qa-total")).to_have_text("56.3\u00a0%")  # 0 of 1 + 0.75 x 3 of 3 = 2.25 / 4
    review = Review.objects.get()
    lead_page.reload()
    expect(lead_page.locator(".qa-total")).to_have_text("56.3\u00a0%")

    agent_page: Page = new_page()
    agent_page.set_viewport_size({"width": 390, "height": 844})
    sign_in(agent_page, world["agent"])
    nav_to(agent_page, "Quality")
    expect(agent_page.get_by_role("heading", name="My reviews")).to_be_visible()
    agent_page.get_by_role("link", name="Refund not received").click()
    expect(agent_page.locator("body")).to_contain_text("No hello at all.")
    expect(agent_page.locator("body")).to_contain_text("Right answer; start with a greeting.")
    agent_page.get_by_label("Or dispute it").fill("I greeted in the subject line of the email.")
    agent_page.get_by_role("button", name="Dispute").click()
    expect(agent_page.locator("#dispute")).to_contain_text("Waiting for the team lead")
    agent_page.go_back()
    agent_page.reload()
    expect(agent_page.locator("body")).to_contain_text("I greeted in the subject line")
    assert agent_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    nav_to(lead_page, "Quality")
    lead_page.locator("#disputes").get_by_role("link").first.click()
    lead_page.locator("#resolve-form").get_by_text("Change the scores").click()
    lead_page.locator("#resolve-form").get_by_role("group", name="Greets the customer").get_by_label("Yes").check()
    lead_page.get_by_label("Decision note (the agent reads it)").fill("Fair: the subject greeted them.")
    lead_page.get_by_role("button", name="Resolve the dispute").click()
    expect(lead_page.locator("#dispute")).to_contain_text("Scores changed")
    expect(lead_page.locator(".qa-total")).to_have_text("81.3\u00a0%")

    agent_page.reload()
    expect(agent_page.locator("#dispute")).to_contain_text("Fair: the subject greeted them.")
    expect(agent_page.locator("#dispute")).to_contain_text("was 56.3")
    review.refresh_from_db()
    assert (review.agent_response, review.total) == ("resolved", 81.25)
