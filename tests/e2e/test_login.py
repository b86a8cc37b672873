"""The sign-in page works from the keyboard alone and sends people where they belong."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_in_with_the_keyboard_only(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    agent = factories.agent()
    page.goto("/login/")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    page.keyboard.type(agent.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(factories.PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/tickets/$"))
    expect(page.get_by_role("heading", name="My open tickets")).to_be_visible()


def test_wrong_password_is_refused_and_next_is_honoured(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    customer = factories.customer(with_login=True)
    page.goto("/portal/new/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/portal/new/$"))
    page.get_by_label("Username").fill(customer.user.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value(customer.user.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page).to_have_url(re.compile(r"/portal/new/$"))
    expect(page.get_by_role("heading", name="Submit a request")).to_be_visible()
