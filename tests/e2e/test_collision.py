"""Collision detection in real browsers: two agents on one ticket, the second on a phone-width
screen, see each other viewing and typing; the first sends; the second's send is held with the
new message quoted, and sending again sends it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from frontline.desk.models import Message, Ticket
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOX = "form[data-draft] textarea[name=body]"
SEND = "form[data-draft] button[type=submit]"


def _open(page: Page, ticket: Ticket) -> None:
    page.goto(f"/tickets/{ticket.pk}/")
    page.wait_for_load_state("load")


def _send(page: Page, ticket: Ticket, status: int) -> None:
    with page.expect_response(re.compile(rf"/tickets/{ticket.pk}/reply/$")) as answer:
        page.locator(SEND).click()
    assert answer.value.status == status


def test_two_agents_see_each_other_and_the_second_send_is_warned(new_page, live_server) -> None:  # type: ignore[no-untyped-def]
    team = factories.team(name="Billing")
    ana = factories.agent(teams=[team], first_name="Ana", last_name="Alves")
    ben = factories.agent(teams=[team], first_name="Ben", last_name="Brook")
    ticket = factories.ticket(subject="Charged twice", queue=factories.queue(team=team))
    first, second = new_page(), new_page()
    second.set_viewport_size({"width": 390, "height": 844})
    sign_in(first, ana)
    sign_in(second, ben)
    _open(first, ticket)
    _open(second, ticket)

    presence_first, presence_second = first.locator("#ticket-presence"), second.locator("#ticket-presence")
    expect(presence_second).to_contain_text("Ana Alves is viewing")
    expect(presence_first).to_contain_text("Ben Brook is viewing")  # after Ana's page polls

    first.locator(BOX).press_sequentially("We refunded the second charge", delay=20)
    expect(presence_second).to_contain_text("Ana Alves is typing a reply")
    second.locator(BOX).fill("I will refund the duplicate now.")
    expect(presence_first).to_contain_text("Ben Brook is typing a reply")

    _send(first, ticket, 200)
    expect(first.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()

    _send(second, ticket, 409)
    warning = second.locator("#reply-form .errorlist")
    expect(warning).to_contain_text("Not sent yet: 1 new message arrived")
    expect(warning).to_contain_text("We refunded the second charge")
    expect(second.locator("article.message", has_text="We refunded the second charge")).to_be_visible()
    expect(second.locator(BOX)).to_have_value("I will refund the duplicate now.")
    box = second.locator(BOX).bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390  # fits the phone's width
    assert not Message.objects.filter(body_text="I will refund the duplicate now.").exists()

    _send(second, ticket, 200)
    expect(second.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    assert Message.objects.filter(body_text="I will refund the duplicate now.").count() == 1
