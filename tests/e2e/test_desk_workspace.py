"""The agent workspace as agents use it: several actions in a row, reload, Back, sign-out on a
shared PC, a phone-width screen. Each test walks a defect of issue #14 / #13.4 that once
happened, and fails on the code before its fix."""

from __future__ import annotations

import contextlib
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from frontline.desk.models import EventKind, Message, Ticket, TicketEvent
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BOX = "form[data-draft] textarea[name=body]"
SEND = "form[data-draft] button[type=submit]"


def _open(page: Page, ticket: Ticket) -> None:
    page.goto(f"/tickets/{ticket.pk}/")
    page.wait_for_load_state("load")  # app.js and htmx (deferred) have run


def _submit(page: Page, ticket: Ticket, *, status: int = 200) -> None:
    with page.expect_response(re.compile(rf"/tickets/{ticket.pk}/reply/$")) as answer:
        page.locator(SEND).click()
    assert answer.value.status == status


_DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('frontline-draft:') && !k.endsWith(':mode'))"


def _drafts(page: Page) -> list[str]:
    """The drafts kept in this browser, once the page's script has settled them: the sent one is
    removed when the next page's deferred script runs, which may be just after its status shows."""
    with contextlib.suppress(PlaywrightTimeout):  # some are kept: the caller's assertion says which
        page.wait_for_function(f"{_DRAFTS}.length === 0", timeout=15_000)
    return page.evaluate(_DRAFTS)


def test_a_sent_note_does_not_come_back_as_a_public_reply(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    ticket = factories.ticket(subject="Damaged chair")
    sign_in(page, agent)
    _open(page, ticket)

    page.get_by_label("Internal note").check()
    page.locator(BOX).fill("Supplier confirms the batch was faulty.")
    _submit(page, ticket)
    expect(page.get_by_role("status").filter(has_text="Note added.")).to_be_visible()
    expect(page.locator("article.message.note", has_text="batch was faulty")).to_be_visible()
    # The box is empty, the mode the agent chose stays, and nothing of the note is kept.
    expect(page.locator(BOX)).to_have_value("")
    expect(page.get_by_label("Internal note")).to_be_checked()
    assert _drafts(page) == []
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator(BOX)).to_have_value("")

    # The same after a public reply: no duplicate waiting one click away.
    page.get_by_label("Public reply").check()
    page.locator(BOX).fill("A replacement ships today.")
    _submit(page, ticket)
    expect(page.get_by_role("status").filter(has_text="Reply sent.")).to_be_visible()
    expect(page.locator(BOX)).to_have_value("")
    expect(page.get_by_label("Public reply")).to_be_checked()
    page.reload()
    page.wait_for_load_state("load")
    expect(page.locator(BOX)).to_have_value("")
    assert _drafts(page) == []

    # One more click on Send sends nothing: the box is empty (and required).
    page.locator(SEND).click()
    assert page.locator(BOX).evaluate("el => el.validity.valueMissing") is True
    assert Message.objects.filter(ticket=ticket, author_user=agent, is_public=True).count() == 1
    assert Message.objects.filter(ticket=ticket, author_user=agent, is_public=False).count() == 1


def test_drafts_belong_to_one_person_and_one_mode(new_page, live_server) -> None:  # type: ignore[no-untyped-def]
    first, second = factories.agent(username="first"), factories.agent(username="second")
    ticket = factories.ticket(subject="Shared PC")
    page = new_page()
    sign_in(page, first)
    _open(page, ticket)

    page.locator(BOX).fill("Dear customer, a reply in progress")
    page.get_by_label("Internal note").check()
    expect(page.locator(BOX)).to_have_value("")  # the reply draft does not turn into a note
    page.locator(BOX).fill("Staff only: check the supplier")
    page.reload()
    page.wait_for_load_state("load")
    # Both drafts survive a reload, each in its own mode.
    expect(page.get_by_label("Internal note")).to_be_checked()
    expect(page.locator(BOX)).to_have_value("Staff only: check the supplier")
    page.get_by_label("Public reply").check()
    expect(page.locator(BOX)).to_have_value("Dear customer, a reply in progress")

    # The agent signs out; the next person on the same browser sees neither draft.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    assert _drafts(page) == []
    sign_in(page, second)
    _open(page, ticket)
    expect(page.locator(BOX)).to_have_value("")
    page.get_by_label("Internal note").check()
    expect(page.locator(BOX)).to_have_value("")


def test_sign_out_clears_what_the_browser_keeps_for_the_site(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, factories.agent())
    # Not a key app.js knows: only the server's Clear-Site-Data header removes it.
    page.evaluate("localStorage.setItem('left-behind', 'x'); sessionStorage.setItem('left-behind', 'x')")
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.wait_for_load_state("load")
    assert page.evaluate("[localStorage.getItem('left-behind'), sessionStorage.getItem('left-behind')]") == [None, None]


def test_a_reply_carries_the_property_changes_made_beside_it(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent(first_name="Ada", last_name="Agent")
    ticket = factories.ticket(subject="Late parcel", priority="normal")
    sign_in(page, agent)
    _open(page, ticket)

    properties = page.locator("form", has=page.get_by_role("heading", name="Properties"))
    properties.get_by_label("Assignee").select_option(label="Ada Agent")
    properties.get_by_label("Priority").select_option(label="High")
    page.locator(BOX).fill("It is on its way; tracking number follows.")
    page.get_by_label("Submit as").select_option(label="Pending")
    _submit(page, ticket)
    expect(page.get_by_role("status").filter(has_text="Reply sent; ticket updated.")).to_be_visible()
    expect(page.locator(".page-head .badge.cat-pending")).to_have_text("Pending")
    expect(page.locator(".page-head .badge.pri-high")).to_have_text("High")
    expect(properties.get_by_label("Assignee")).to_have_value(str(agent.pk))

    ticket.refresh_from_db()
    assert (ticket.assignee_id, ticket.priority, ticket.status_category) == (agent.pk, "high", "pending")
    kinds = list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.PRIORITY_CHANGED, EventKind.ASSIGNED, EventKind.REPLIED,
                     EventKind.STATUS_CHANGED]


def test_take_it_from_the_ticket_and_from_the_queue(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    first = factories.ticket(subject="Take me from the page")
    second = factories.ticket(subject="Take me from the queue", priority="urgent")
    factories.ticket(subject="Someone else's", priority="urgent", assignee=factories.agent())
    sign_in(page, agent)

    _open(page, first)
    page.get_by_role("button", name="Take it").click()
    expect(page.get_by_role("status").filter(has_text=f"Ticket #{first.pk} is yours.")).to_be_visible()
    expect(page.get_by_text("Assigned to you")).to_be_visible()
    assert Ticket.objects.get(pk=first.pk).assignee_id == agent.pk

    page.goto("/tickets/?view=all&priority=urgent")
    row = page.locator("tr", has=page.get_by_role("link", name="Take me from the queue"))
    expect(page.locator("tr", has=page.get_by_role("link", name="Someone else's")).get_by_role("button", name="Take it")).to_have_count(0)
    row.get_by_role("button", name="Take it").click()
    # Back on the same view with the same filters, the ticket now the agent's.
    expect(page.get_by_role("status").filter(has_text=f"Ticket #{second.pk} is yours.")).to_be_visible()
    assert dict(parse_qsl(urlsplit(page.url).query)) == {"view": "all", "priority": "urgent"}
    expect(row.get_by_role("button", name="Take it")).to_have_count(0)
    assert Ticket.objects.get(pk=second.pk).assignee_id == agent.pk


def test_filters_do_not_pile_up_parameters(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    factories.ticket(subject="Printer on fire", priority="urgent", channel="email")
    sign_in(page, factories.agent())
    page.goto("/tickets/?view=all")
    page.wait_for_load_state("load")
    # The sidebar promises a count on every view, and shows one on each of the five.
    expect(page.get_by_label("Views").locator(".count")).to_have_count(5)
    table = page.locator("#ticket-table")
    for label in ("Urgent", "High", "Urgent", "Low", "Urgent"):
        with page.expect_response(re.compile(r"/tickets/\?")) as answer:
            page.get_by_label("Priority").select_option(label=label)
        keys = [k for k, _ in parse_qsl(urlsplit(answer.value.url).query, keep_blank_values=True)]
        assert len(keys) == len(set(keys)), answer.value.url
    page.get_by_label("Search").fill("printer")
    expect(page).to_have_url(re.compile(r"q=printer"))
    keys = [k for k, _ in parse_qsl(urlsplit(page.url).query, keep_blank_values=True)]
    assert len(keys) == len(set(keys)), page.url
    expect(table.get_by_role("link", name="Printer on fire")).to_be_visible()


def test_the_address_after_filtering_names_only_the_chosen_filters(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    """It read /tickets/?view=all&q=&status=&priority=urgent&type=&channel=&assignee=&… (every empty field)."""
    factories.ticket(subject="Printer on fire", priority="urgent")
    sign_in(page, factories.agent())
    page.goto("/tickets/?view=all")
    page.wait_for_load_state("load")
    page.get_by_label("Priority").select_option(label="Urgent")
    expect(page).to_have_url(re.compile(r"/tickets/\?view=all&priority=urgent$"))
    expect(page.locator("#ticket-table").get_by_role("link", name="Printer on fire")).to_be_visible()
    page.get_by_label("Priority").select_option(label="Any")
    expect(page).to_have_url(re.compile(r"/tickets/\?view=all$"))


def test_back_after_filtering_shows_the_whole_page_and_the_queue_as_left(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    ticket = factories.ticket(subject="Printer on fire", priority="urgent")
    factories.ticket(subject="Invoice copy please", priority="low")
    sign_in(page, factories.agent())
    page.goto("/tickets/?view=all")
    page.wait_for_load_state("load")
    page.get_by_label("Priority").select_option(label="Urgent")
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(page.locator("#ticket-table").get_by_role("link", name="Invoice copy please")).to_have_count(0)
    page.get_by_role("link", name="Printer on fire").click()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    page.wait_for_load_state("load")

    # Browser Back shows the full, styled page, not the table fragment on its own.
    page.go_back()
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(page.get_by_role("heading", name="All tickets")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_label("Priority")).to_have_value("urgent")
    assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # app.css applies

    # Back between two filters of the same page: htmx asks the server for the whole page (no
    # copy of the queue is kept in localStorage, where the next person could read it).
    page.get_by_label("Priority").select_option(label="Low")
    expect(page.locator("#ticket-table").get_by_role("link", name="Invoice copy please")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    expect(page.locator("#ticket-table").get_by_role("link", name="Invoice copy please")).to_have_count(0)
    expect(page.get_by_role("heading", name="All tickets")).to_be_visible()
    expect(page.locator("header.topbar")).to_have_count(1)
    expect(page.get_by_label("Priority")).to_have_value("urgent")
    assert page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('htmx-history'))") == []

    # "← Back to tickets" returns to the view and filters the agent came from.
    page.get_by_role("link", name="Printer on fire").click()
    page.wait_for_load_state("load")
    page.get_by_role("link", name="← Back to tickets").click()
    expect(page).to_have_url(re.compile(r"view=all.*priority=urgent"))
    expect(page.locator("#ticket-table").get_by_role("link", name="Invoice copy please")).to_have_count(0)


def test_note_mode_is_unmistakable_and_ctrl_enter_sends(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    ticket = factories.ticket(subject="Looks like a reply")
    sign_in(page, agent)
    _open(page, ticket)
    form = page.locator("form[data-draft]")
    expect(page.locator(SEND)).to_have_text("Send reply")
    reply_bg = form.evaluate("el => getComputedStyle(el).backgroundColor")

    page.get_by_label("Internal note").check()
    expect(page.locator(SEND)).to_have_text("Add internal note")
    expect(page.locator(BOX)).to_have_attribute("placeholder", re.compile(r"internal note", re.I))
    expect(form.get_by_text("only staff see it")).to_be_visible()
    assert form.evaluate("el => getComputedStyle(el).backgroundColor") != reply_bg

    page.locator(BOX).fill("Checked with the warehouse.")
    with page.expect_response(re.compile(rf"/tickets/{ticket.pk}/reply/$")) as answer:
        page.locator(BOX).press("Control+Enter")
    assert answer.value.status == 200
    expect(page.locator("article.message.note", has_text="Checked with the warehouse.")).to_be_visible()
    assert not Message.objects.get(ticket=ticket, author_user=agent).is_public


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} lays out {width} px wide on a 390 px screen"


def _on_screen(page: Page, locator) -> None:  # type: ignore[no-untyped-def]
    expect(locator).to_be_visible()
    box = locator.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box


def test_queue_and_ticket_work_on_a_phone(new_context, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent(first_name="Bartholomew", last_name="Longname-Agent")
    ticket = factories.ticket(subject="A rather long subject line about an order that never arrived at all",
                              priority="urgent")
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, agent)
    page.goto("/tickets/?view=all")
    page.wait_for_load_state("load")
    _no_horizontal_scroll(page)
    for control in (page.get_by_role("button", name="Sign out"), page.get_by_label("Search"),
                    page.get_by_label("Priority"), page.get_by_role("button", name="Filter"),
                    page.locator("#ticket-table").get_by_role("link", name=re.compile("A rather long subject")),
                    page.get_by_role("button", name="Take it"), page.get_by_label("Views").get_by_role("link", name=re.compile("Recently"))):
        _on_screen(page, control)
    page.get_by_label("Priority").select_option(label="Urgent")
    expect(page).to_have_url(re.compile(r"priority=urgent"))
    _no_horizontal_scroll(page)

    page.locator("#ticket-table").get_by_role("link", name=re.compile("A rather long subject")).click()
    expect(page).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    page.wait_for_load_state("load")
    _no_horizontal_scroll(page)
    for control in (page.get_by_role("button", name="Sign out"), page.get_by_role("button", name="Take it"),
                    page.locator(BOX), page.locator(SEND), page.get_by_role("button", name="Save changes")):
        _on_screen(page, control)
