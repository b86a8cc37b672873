"""A customer submits a request with attachments on the portal; an agent picks it up in the desk."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from frontline.desk.models import Attachment, Ticket
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A 1x1 transparent PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
RECEIPT = b"Order 7781\nPaid 49.90 EUR on 3 March\n"


def test_customer_submits_request_and_agent_sees_it(new_page, live_server, screenshot_dir: Path) -> None:  # type: ignore[no-untyped-def]
    requester = factories.customer(with_login=True)
    agent = factories.agent()

    portal = new_page()
    sign_in(portal, requester.user, expect_path=r"/portal/$")
    expect(portal.get_by_role("heading", name="My requests")).to_be_visible()
    expect(portal.get_by_text("No requests yet.")).to_be_visible()
    portal.get_by_role("main").get_by_role("link", name="New request").click()
    expect(portal).to_have_url(re.compile(r"/portal/new/$"))

    portal.get_by_label("Subject").fill("Charged twice for order 7781")
    portal.get_by_label("Description").fill("My card statement shows two payments of 49.90.\n\nPlease refund one.")
    portal.get_by_label("Attachments").set_input_files([
        {"name": "receipt.txt", "mimeType": "text/plain", "buffer": RECEIPT},
        {"name": "statement.png", "mimeType": "image/png", "buffer": PNG},
    ])
    portal.get_by_role("button", name="Submit request").click()

    expect(portal).to_have_url(re.compile(r"/portal/requests/\d+/$"))
    ticket = Ticket.objects.get(subject="Charged twice for order 7781")
    assert portal.url.endswith(f"/portal/requests/{ticket.pk}/")
    expect(portal.get_by_role("heading", name="Charged twice for order 7781")).to_be_visible()
    expect(portal.get_by_role("status")).to_contain_text(f"your request #{ticket.pk} is with our team")
    expect(portal.locator("article.message .body")).to_contain_text("My card statement shows two payments of 49.90.")
    expect(portal.get_by_role("link", name="receipt.txt")).to_be_visible()
    expect(portal.get_by_role("link", name="statement.png")).to_be_visible()
    portal.screenshot(path=str(screenshot_dir / "portal-request.png"), full_page=True)
    own = portal.request.get(portal.get_by_role("link", name="receipt.txt").get_attribute("href"))
    assert own.status == 200 and own.body() == RECEIPT
    assert sorted(Attachment.objects.filter(message__ticket=ticket).values_list("filename", "content_type")) == [
        ("receipt.txt", "text/plain"), ("statement.png", "image/png"),
    ]

    portal.get_by_role("link", name="← My requests").click()
    expect(portal.get_by_role("link", name="Charged twice for order 7781")).to_be_visible()
    expect(portal.locator("tbody tr").first).to_contain_text("Awaiting our reply")
    portal.screenshot(path=str(screenshot_dir / "portal-list.png"), full_page=True)

    desk = new_page()
    sign_in(desk, agent)
    desk.get_by_label("Views").get_by_role("link", name=re.compile(r"^Unassigned")).click()
    expect(desk.get_by_role("heading", name="Unassigned")).to_be_visible()
    desk.get_by_role("link", name="Charged twice for order 7781").click()
    expect(desk).to_have_url(re.compile(rf"/tickets/{ticket.pk}/$"))
    expect(desk.locator("article.message.customer .body")).to_contain_text("Please refund one.")
    link = desk.get_by_role("link", name="receipt.txt")
    expect(link).to_be_visible()
    download = desk.request.get(link.get_attribute("href"))
    assert download.status == 200
    assert download.body() == RECEIPT
    assert download.headers["content-type"].startswith("text/plain")
    assert "attachment" in download.headers["content-disposition"]
    image = desk.request.get(desk.get_by_role("link", name="statement.png").get_attribute("href"))
    assert image.status == 200 and image.body() == PNG
    desk.screenshot(path=str(screenshot_dir / "agent-new-request.png"), full_page=True)


def test_the_portal_works_on_a_phone(new_context, live_server) -> None:  # type: ignore[no-untyped-def]
    requester = factories.customer(with_login=True)
    ticket = factories.ticket(requester=requester, subject="My order 7781 arrived broken and the box was wet through")
    page = new_context().new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, requester.user, expect_path=r"/portal/$")
    for path in ("/portal/", f"/portal/requests/{ticket.pk}/", "/portal/new/", "/people/me/"):
        page.goto(path)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} lays out {width} px wide on a 390 px screen"
        sign_out = page.get_by_role("button", name="Sign out")
        expect(sign_out).to_be_visible()
        box = sign_out.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390
    page.goto("/portal/")
    status = page.locator("td[data-label=Status]").first
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390
