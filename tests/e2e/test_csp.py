"""The Content-Security-Policy holds on every main page, for every role: no page of the app
needs an inline script, an inline handler, eval or a stylesheet from elsewhere.

The ``new_page`` fixture (tests/e2e/conftest.py) fails a test on any ``securitypolicyviolation``
event or CSP console error; these tests only have to visit the pages, so every other browser test
checks the policy on its own pages too.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from frontline.people.models import User
from tests import factories as f
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STAFF_PAGES = ["/tickets/", "/tickets/new/", "/customers/", "/workforce/", "/workforce/erlang/",
               "/workforce/schedules/mine/", "/people/me/tokens/", "/people/me/"]
LEAD_PAGES = [*STAFF_PAGES, "/people/", "/workforce/forecasts/", "/workforce/forecasts/new/", "/workforce/staffing/",
              "/workforce/staffing/new/", "/workforce/staffing/what-if/", "/workforce/schedules/",
              "/workforce/schedules/time-off/", "/workforce/schedules/shift-types/", "/workforce/schedules/adherence/"]
MANAGER_PAGES = [*LEAD_PAGES, "/workforce/budget/", "/workforce/budget/new/"]


def visit(page: Page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response is not None and (path, response.status) == (path, 200)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
        expect(page.locator("main, #main").first).to_be_visible()


def _team_and(make: Callable[..., User], **kw: object) -> tuple[User, int]:
    team = f.team()
    user = make(**kw, teams=[team])
    customer = f.customer()
    ticket = f.ticket(requester=customer, team=team)
    return user, ticket.pk


@pytest.mark.parametrize(("make", "pages"), [(f.agent, STAFF_PAGES), (f.lead, LEAD_PAGES), (f.manager, MANAGER_PAGES)],
                         ids=["agent", "team_lead", "manager"])
def test_staff_pages_keep_the_policy(page: Page, live_server, make, pages) -> None:  # type: ignore[no-untyped-def]
    user, ticket_id = _team_and(make)
    sign_in(page, user)

    visit(page, [*pages, f"/tickets/{ticket_id}/", f"/customers/{f.customer().pk}/"])


def test_portal_pages_keep_the_policy(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    customer = f.customer(with_login=True)
    ticket = f.ticket(requester=customer)
    sign_in(page, customer.user)

    visit(page, ["/portal/", "/portal/new/", f"/portal/requests/{ticket.pk}/", "/people/me/"])


def test_the_sign_in_page_keeps_the_policy(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    visit(page, ["/login/"])


def test_a_violation_is_caught_by_the_browser_fixture(page: Page, page_errors, live_server) -> None:  # type: ignore[no-untyped-def]
    """The check itself: an inline script on a page under the app's policy is reported (then
    cleared here, so that this test passes)."""
    page.goto("/login/")
    policy = page.evaluate("() => fetch('/login/').then(r => r.headers.get('content-security-policy'))")
    page.route("**/inline-probe/", lambda route: route.fulfill(
        status=200, content_type="text/html", headers={"Content-Security-Policy": policy},
        body="<!doctype html><title>probe</title><script>window.ran = 1</script><p onclick=\"x()\">probe</p>"))

    with page.expect_console_message(lambda m: m.text.startswith("CSP violation: script-src-elem blocked inline")):
        page.goto("/inline-probe/")

    assert page.evaluate("typeof window.ran") == "undefined"
    assert [e for e in page_errors if "CSP violation: script-src-elem blocked inline" in e] != []
    page_errors.clear()
