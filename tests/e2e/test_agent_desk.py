"""An agent works a ticket in the desk: views, the htmx reply form, the Properties form, history."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontline.desk.models import EventKind, Message, Ticket, TicketEvent
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _send(page: Page, ticket_id: int, text: str) -> None:
    """Send the reply form and check the request went through htmx (a partial, not a page load)."""
    page.locator("#reply-form textarea[name=body]").fill(text)
    with page.expect_response(re.compile(rf"/tickets/{ticket_id}/reply/$")) as answer:
        page.locator("#reply-form button[type=submit]").click()
    response = answer.value
    assert response.request.headers.get("hx-request") == "true"
    assert response.status == 200


def test_agent_replies_and_sets_pending(page: Page, live_server, screenshot_dir: Path) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent(first_name="Ada", last_name="Agent")
    requester = factories.customer()
    ticket = factories.ticket(requester=requester, subject="Order 4411 never arrived", body="Tracking stopped on Monday.")
    factories.ticket(subject="Someone else's question", body="Unrelated.")

    sign_in(page, agent, expect_path=r"/tickets/$")
    assert page.evaluate("typeof htmx") == "object", "htmx.min.js did not load: the htmx paths would not be exercised"
    # Nothing is assigned to the agent yet, so "My open tickets" is empty and points elsewhere.
    expect(page.get_by_role("heading", name="My open tickets")).to_be_visible()
    expect(page.get_by_text("Nothing assigned to you is open.")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^All tickets")).click()
    expect(page).to_have_url(re.compile(r"view=all"))
    expect(page.get_by_role("heading", name="All tickets")).to_be_visible()
    page.get_by_role("link", name="Order 4411 never arrived").click()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    page.wait_for_load_state("load")  # htmx (a deferred script) has processed the forms
    expect(page.get_by_role("heading", name="Order 4411 never arrived")).to_be_visible()
    expect(page.locator("article.message.customer .body")).to_contain_text("Tracking stopped on Monday.")

    # A marker on window survives an htmx swap but not a full page load.
    page.evaluate("window.__sameDocument = true")
    detail_url = page.url
    _send(page, ticket.pk, "Sorry about that, a replacement ships today.")
    reply = page.locator("article.message.agent", has_text="a replacement ships today")
    expect(reply).to_be_visible()
    expect(reply.locator("header")).to_contain_text("public reply")
    expect(page.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    assert page.url == detail_url
    assert page.evaluate("window.__sameDocument") is True
    # The first public reply opens a new ticket.
    expect(page.locator(".page-head .badge.cat-open")).to_have_text("Open")

    properties = page.locator("form", has=page.get_by_role("heading", name="Properties"))
    properties.get_by_label("Status").select_option(label="Pending")
    with page.expect_response(re.compile(rf"/tickets/{ticket.pk}/update/$")) as answer:
        properties.get_by_role("button", name="Save changes").click()
    assert answer.value.status == 200
    expect(page.locator(".page-head .badge.cat-pending")).to_have_text("Pending")
    expect(page.get_by_role("status").filter(has_text="Ticket updated.")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    page.locator("#history summary").click()
    history = page.locator("#history ol.history")
    expect(history).to_be_visible()
    expect(history).to_contain_text("changed status from Open to Pending")
    expect(history).to_contain_text("replied publicly (first response)")

    # A full reload shows the same state (the swaps were not a client-side illusion).
    page.reload()
    expect(page.locator(".page-head .badge.cat-pending")).to_have_text("Pending")
    expect(page.locator("article.message.agent", has_text="a replacement ships today")).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "agent-ticket.png"), full_page=True)

    events = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", "actor_id", "payload"))
    kinds = [kind for kind, _, _ in events]
    assert kinds == [EventKind.CREATED, EventKind.REPLIED, EventKind.STATUS_CHANGED, EventKind.STATUS_CHANGED]
    assert [actor for _, actor, _ in events[1:]] == [agent.pk] * 3
    assert events[-1][2]["from"] == "Open" and events[-1][2]["to"] == "Pending"
    message = Message.objects.get(ticket=ticket, author_user=agent)
    assert message.is_public and "replacement ships today" in message.body_text
    assert Ticket.objects.get(pk=ticket.pk).status_category == "pending"


def test_ticket_list_filters_update_the_table_in_place(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    factories.ticket(subject="Printer on fire", priority="urgent")
    factories.ticket(subject="Invoice copy please", priority="low")
    sign_in(page, agent)
    page.goto("/tickets/?view=all")
    table = page.locator("#ticket-table")
    expect(table.get_by_role("link", name="Printer on fire")).to_be_visible()
    expect(table.get_by_role("link", name="Invoice copy please")).to_be_visible()

    page.evaluate("window.__sameDocument = true")
    page.get_by_label("Priority").select_option(label="Urgent")
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(table.get_by_role("link", name="Invoice copy please")).to_have_count(0)
    expect(table.get_by_role("link", name="Printer on fire")).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True

    page.get_by_label("Priority").select_option(label="High")
    expect(table).to_contain_text("No tickets match these filters.")


def test_internal_note_is_hidden_from_the_customer(new_page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    requester = factories.customer(with_login=True)
    ticket = factories.ticket(requester=requester, subject="Refund for a damaged chair", body="One leg is broken.")

    desk = new_page()
    sign_in(desk, agent)
    desk.goto(f"/tickets/{ticket.pk}/")
    desk.get_by_label("Internal note").check()
    _send(desk, ticket.pk, "Supplier confirms the batch was faulty; approve refund.")
    note = desk.locator("article.message.note", has_text="batch was faulty")
    expect(note).to_be_visible()
    expect(note.locator("header")).to_contain_text("internal note")
    expect(desk.get_by_role("status").filter(has_text="Note added.")).to_be_visible()
    # Notes look different from the customer's message (the yellow note style).
    note_bg = note.evaluate("el => getComputedStyle(el).backgroundColor")
    customer_bg = desk.locator("article.message.customer").first.evaluate("el => getComputedStyle(el).backgroundColor")
    assert note_bg != customer_bg
    # A note does not open a new ticket or count as a first response.
    expect(desk.locator(".page-head .badge.cat-new")).to_have_text("New")

    expect(desk.get_by_label("Internal note")).to_be_checked()  # the mode the agent chose stays
    desk.get_by_label("Public reply").check()
    _send(desk, ticket.pk, "We are sending a refund today.")
    expect(desk.locator("article.message.agent", has_text="refund today")).to_be_visible()

    portal = new_page()
    sign_in(portal, requester.user, expect_path=r"/portal/$")
    expect(portal.get_by_role("link", name="Refund for a damaged chair")).to_be_visible()
    portal.get_by_role("link", name="Refund for a damaged chair").click()
    expect(portal).to_have_url(re.compile(rf"/portal/requests/{ticket.pk}/$"))
    expect(portal.get_by_text("We are sending a refund today.")).to_be_visible()
    expect(portal.get_by_text("One leg is broken.")).to_be_visible()
    assert "batch was faulty" not in portal.content()
    assert "internal note" not in portal.content().lower()
    expect(portal.locator("article.message")).to_have_count(2)


def test_refused_status_change_is_explained_with_javascript_on(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    ticket = factories.ticket(subject="Cannot close a new ticket directly")
    sign_in(page, agent)
    page.goto(f"/tickets/{ticket.pk}/")
    properties = page.locator("form", has=page.get_by_role("heading", name="Properties"))
    properties.get_by_label("Status").select_option(label="Closed")  # new -> closed is not allowed
    with page.expect_response(re.compile(rf"/tickets/{ticket.pk}/update/$")) as answer:
        properties.get_by_role("button", name="Save changes").click()
    assert answer.value.status == 409
    expect(page.get_by_role("alert")).to_contain_text("cannot go from new to closed")


def test_expired_session_sends_the_agent_to_the_login_page(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    ticket = factories.ticket(subject="Long lunch")
    sign_in(page, agent)
    page.goto(f"/tickets/{ticket.pk}/")
    page.context.clear_cookies(name="sessionid")  # the session expired, or the agent signed out in another tab
    page.get_by_placeholder("Write your reply to the customer…").fill("Back from lunch")
    page.get_by_role("button", name="Send reply").click()
    expect(page).to_have_url(re.compile(r"/login/"))
