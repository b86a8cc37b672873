"""My profile in a browser: times follow the browser's zone until the person chooses one; a
customer reaches the page from the portal; a wrong current password is explained."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from frontline.people.models import User
from tests import factories
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_times_follow_the_browser_until_the_person_chooses_a_zone(browser: Browser, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent(first_name="Zoe", last_name="Zone")
    factories.ticket(subject="When was this?")
    context = browser.new_context(base_url=live_server.url, timezone_id="America/New_York", locale="en-US")
    try:
        page = context.new_page()
        sign_in(page, agent)
        page.goto("/tickets/?view=all")
        expect(page.get_by_text("Times in America/New_York.")).to_be_visible()

        page.get_by_role("link", name="Zoe Zone").click()
        expect(page.get_by_role("heading", name="My profile")).to_be_visible()
        expect(page.get_by_text("your browser's zone")).to_be_visible()
        page.get_by_label("Time zone").select_option("Asia/Tokyo")
        page.get_by_role("button", name="Save profile").click()
        expect(page.get_by_role("status").filter(has_text="Profile saved.")).to_be_visible()
        expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
        page.goto("/tickets/?view=all")
        expect(page.get_by_text("Times in Asia/Tokyo.")).to_be_visible()
        assert User.objects.get(pk=agent.pk).time_zone == "Asia/Tokyo"
    finally:
        context.close()


def test_a_customer_changes_their_password_from_the_portal(page, live_server) -> None:  # type: ignore[no-untyped-def]
    customer = factories.customer(with_login=True)
    sign_in(page, customer.user, expect_path=r"/portal/$")
    page.get_by_role("banner").get_by_role("link", name=customer.user.display_name).click()
    expect(page.get_by_role("heading", name="My profile")).to_be_visible()

    page.get_by_label("Old password").fill("not my password")
    page.locator("#id_new_password1").fill("Correct-horse-battery-9")
    page.get_by_label("New password confirmation").fill("Correct-horse-battery-9")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Your old password was entered incorrectly")).to_be_visible()

    page.get_by_label("Old password").fill(factories.PASSWORD)
    page.locator("#id_new_password1").fill("Correct-horse-battery-9")
    page.get_by_label("New password confirmation").fill("Correct-horse-battery-9")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("status").filter(has_text="Password changed.")).to_be_visible()
    page.goto("/portal/")
    expect(page.get_by_role("heading", name="My requests")).to_be_visible()  # still signed in
    assert User.objects.get(pk=customer.user.pk).check_password("Correct-horse-battery-9")
