"""Hostile content in a real browser, and the workflow rules holding against crafted requests."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from frontline.desk import services
from frontline.desk.models import Status, StatusCategory, Ticket
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    '<svg onload="window.__xss=1"></svg>',
    '"><script>window.__xss=1</script>',
    "'><img src=x onerror=alert(1)>",
    '<iframe src="javascript:window.__xss=1"></iframe>',
    "<style>body{display:none}</style>",
    '<div hx-get="/logout/" hx-trigger="load" hx-on::load="window.__xss=1">htmx attrs</div>',
    "</textarea><script>window.__xss=1</script>",
]
HTML_BODY = (
    "<p>Hello <b>team</b></p>"
    '<a href="javascript:window.__xss=1">click-me-js</a> '
    '<a href="JaVaScRiPt:window.__xss=1">click-me-mixed</a> '
    '<img src=x onerror="window.__xss=1">'
    "<script>window.__xss=1</script>"
    '<iframe src="javascript:window.__xss=1"></iframe>'
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s"/></svg>'
    "<style>body{display:none}</style>"
    '<form action="/logout/" method="post"><button>Sign out trap</button></form>'
    '<span hx-post="/logout/" hx-trigger="load">htmx-span</span>'
    '<a href="https://example.com/ok" onclick="window.__xss=1">safe-link</a>'
)
NOT_IN_BODIES = "script, iframe, style, svg, img, form, button, [onerror], [onload], [onclick], [hx-get], [hx-post], [hx-trigger]"


def _assert_clean(page: Page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined", f"script ran on {page.url}"
    assert page.locator(f".message .body :is({NOT_IN_BODIES})").count() == 0
    hrefs = page.locator(".message .body a[href]").evaluate_all("els => els.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript")]
    expect(page.locator("body")).to_be_visible()  # a <style> payload did not hide the page


def test_hostile_subjects_and_bodies_stay_inert(new_page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    requester = factories.customer(with_login=True)
    requester.name = '<img src=x onerror="window.__xss=1">Mallory'
    requester.save(update_fields=["name"])
    subject_tickets = [factories.ticket(requester=requester, subject=p, body=f"body text {i}") for i, p in enumerate(PAYLOADS)]
    text_ticket = factories.ticket(requester=requester, subject="Plain text mail", body="\n\n".join(PAYLOADS))
    html_ticket = services.ticket_create(requester=requester, subject="HTML mail", body_html=HTML_BODY, actor=None)
    services.ticket_reply(ticket=html_ticket, author=agent, body_html=HTML_BODY)
    # Every subject is checked on the queue and the portal list; the detail templates render
    # the subject the same way for all tickets, so two of them stand for the rest.
    tickets = [subject_tickets[0], subject_tickets[1], text_ticket, html_ticket]

    desk = new_page()
    sign_in(desk, agent)
    desk.goto("/tickets/?view=all")
    for payload in PAYLOADS:
        expect(desk.get_by_role("link", name=payload, exact=True)).to_be_visible()  # shown as text
    _assert_clean(desk)
    desk.get_by_label("Search").fill("<script>")
    desk.get_by_role("button", name="Filter").click()
    expect(desk).to_have_url(re.compile(r"[?&]q="))
    expect(desk.locator("#ticket-table").get_by_role("link", name="HTML mail")).to_have_count(0)  # its <script> was stripped
    expect(desk.locator("#ticket-table")).to_contain_text("<script>window.__xss=1</script>")
    expect(desk.get_by_label("Search")).to_have_value("<script>")
    _assert_clean(desk)

    for ticket in tickets:
        desk.goto(f"/tickets/{ticket.pk}/")
        expect(desk.locator("h1")).to_have_text(ticket.subject)
        _assert_clean(desk)
        if ticket is text_ticket:  # plain text is shown as typed
            expect(desk.locator(".message .body").first).to_contain_text('"><script>window.__xss=1</script>')
    # The sanitised HTML keeps the harmless parts; the javascript: links lost their href.
    expect(desk.locator(".message .body b", has_text="team").first).to_be_visible()
    expect(desk.locator(".message .body a[href='https://example.com/ok']").first).to_be_visible()
    desk.locator(".message .body a", has_text="click-me-js").first.click()
    desk.locator(".message .body a", has_text="click-me-mixed").first.click()
    _assert_clean(desk)
    expect(desk).to_have_url(re.compile(rf"/tickets/{html_ticket.pk}/$"))

    # A hostile reply sent through the htmx form is escaped in the swapped-in partial too.
    desk.get_by_placeholder("Write your reply to the customer…").fill('<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>')
    desk.get_by_role("button", name="Send reply").click()
    expect(desk.locator("article.message.agent").last).to_contain_text('<img src=x onerror="window.__xss=1">')
    _assert_clean(desk)

    portal = new_page()
    sign_in(portal, requester.user, expect_path=r"/portal/$")
    for payload in PAYLOADS:
        expect(portal.get_by_role("link", name=payload, exact=True)).to_be_visible()
    _assert_clean(portal)
    for ticket in tickets:
        portal.goto(f"/portal/requests/{ticket.pk}/")
        expect(portal.locator("h1")).to_have_text(ticket.subject)
        _assert_clean(portal)
    portal.locator(".message .body a", has_text="click-me-js").first.click()
    _assert_clean(portal)


def _csrf_token(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def test_closed_ticket_cannot_be_reopened(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    ticket = factories.ticket(subject="Old closed matter")
    services.ticket_status_change(ticket=ticket, status=factories.status(StatusCategory.SOLVED), actor=agent)
    services.ticket_status_change(ticket=ticket, status=factories.status(StatusCategory.CLOSED), actor=agent)

    sign_in(page, agent)
    page.goto(f"/tickets/{ticket.pk}/")
    expect(page.locator(".page-head .badge.cat-closed")).to_have_text("Closed")
    expect(page.get_by_text("This ticket is closed.")).to_be_visible()
    expect(page.get_by_role("button", name="Send reply")).to_have_count(0)
    expect(page.get_by_placeholder("Write your reply to the customer…")).to_have_count(0)
    expect(page.get_by_role("button", name="Merge")).to_have_count(0)

    token = _csrf_token(page)
    open_status = Status.objects.get(category=StatusCategory.OPEN, is_default=True)
    form = {"status": str(open_status.pk), "priority": "normal", "ticket_type": "question", "assignee": "", "team": "",
            "queue": "", "tags": ""}
    response = page.request.post(f"/tickets/{ticket.pk}/update/", form=form, headers={"X-CSRFToken": token})
    assert response.status == 409
    assert re.search(r'role="alert">[^<]*closed', response.text()), "the refusal is not explained on the page"
    reply = page.request.post(f"/tickets/{ticket.pk}/reply/", form={"body": "Reopen please", "public": "1"},
                              headers={"X-CSRFToken": token})
    assert reply.status == 409
    assert "This ticket is closed" in reply.text()
    # Without the CSRF token the same request is refused outright.
    forged = page.request.post(f"/tickets/{ticket.pk}/update/", form=form)
    assert forged.status == 403

    assert Ticket.objects.get(pk=ticket.pk).status_category == StatusCategory.CLOSED
    assert not ticket.messages.filter(body_text="Reopen please").exists()
    page.reload()
    expect(page.locator(".page-head .badge.cat-closed")).to_have_text("Closed")


def test_customer_cannot_open_the_desk_or_others_requests(new_page, live_server) -> None:  # type: ignore[no-untyped-def]
    mine = factories.customer(with_login=True)
    other = factories.ticket(subject="Somebody else's invoice")
    page = new_page()
    sign_in(page, mine.user, expect_path=r"/portal/$")
    assert page.goto("/tickets/").status == 403
    assert page.goto(f"/tickets/{other.pk}/").status == 403
    assert page.goto(f"/portal/requests/{other.pk}/").status == 404
    assert "Somebody else" not in page.content()
