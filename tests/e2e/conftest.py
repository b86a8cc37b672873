"""Browser end-to-end tests: Playwright (sync API) drives Debian's chromium against ``live_server``.

Why ``DJANGO_ALLOW_ASYNC_UNSAFE``: Playwright's sync API drives an asyncio event loop from the
test thread (through greenlets) and can leave it installed as the thread's running loop while the
browser lives. Django sees that loop and refuses ORM calls from the test body and
from pytest-django's own fixtures ("You cannot call this from an async context - use a thread or
sync_to_async") although every call is an ordinary synchronous one: the test thread and the live
server thread each have their own connection and no coroutine ever touches them. So the check is
switched off. It is set when this conftest is imported (collection time) and so holds for the
rest of the pytest process. The browser is one per test module, not per session: a loop left
installed past the module would make the next file's calls to async views (the chat's long
polls) through Django's test client fail with "You cannot use AsyncToSync in the same thread as
an async event loop" — pytest-xdist runs other packages' files after these on the same worker.

The live server runs in a thread of this process against the test database; the tests use
``django_db(transaction=True)`` so that the data they create is committed and visible to it.
A transactional test ends by flushing every table, which also removes the default statuses
that a data migration created; the ``default_statuses`` fixture puts them back before each test.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests import factories

from .server_gate import ServerGate

CHROMIUM = Path(os.environ.get("FRONTLINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
# Playwright's default is 5 s per expect(); a loaded CI machine can be much slower than that.
expect.set_options(timeout=15_000)
# How long the end of a test waits for the live server's requests in progress (a chat long poll
# holds one for up to 25 s) before the tables are flushed.
QUIESCE_TIMEOUT_S = 30.0


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless chromium per test module (its event loop ends with the module)."""
    if not CHROMIUM.is_file():
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}, which is missing. "
            "Run `bash scripts/ensure-chromium.sh` (make test does it for you), "
            "or deselect them with `-m 'not e2e'`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def default_statuses(transactional_db: None) -> None:
    """Recreate the statuses of migration desk/0003 (a previous transactional test flushed them)."""
    from django.apps import apps

    migration = importlib.import_module("frontline.desk.migrations.0003_default_statuses")
    migration.create_statuses(apps, None)


@pytest.fixture(scope="session")
def server_gate(live_server) -> ServerGate:  # type: ignore[no-untyped-def]
    """The live server's application behind a gate that counts requests in progress (server_gate.py)."""
    httpd = live_server.thread.httpd
    gate = ServerGate(httpd.get_app())
    httpd.set_app(gate)
    return gate


@pytest.fixture(autouse=True)
def quiet_server_before_flush(default_statuses: None, server_gate: ServerGate) -> Iterator[None]:
    """Nothing reaches the database while the test's tables are flushed.

    Set up after ``transactional_db`` (through ``default_statuses``) and before the test's browser
    contexts, so torn down after the contexts are closed and before the flush: the gate closes, the
    requests in progress finish, and whatever the closed pages still send (the presence poll, the
    ``pagehide`` beacon) is answered 503 without touching the database.
    """
    server_gate.open()
    yield
    hung = server_gate.quiesce(timeout_s=QUIESCE_TIMEOUT_S)
    assert not hung, f"requests still running {QUIESCE_TIMEOUT_S} s after the test: {hung}"


@pytest.fixture
def new_context(browser: Browser, live_server) -> Iterator[Callable[[], BrowserContext]]:  # type: ignore[no-untyped-def]
    """Open a fresh browser context (its own cookies: one signed-in person) on the live server."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                      timezone_id="UTC", locale="en-GB")
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class PageErrors(list[str]):
    """Uncaught JavaScript errors, Content-Security-Policy violations and dialogs seen on the pages of one test."""


# Runs in every page before its own scripts (injected by the browser's debugging protocol, so the
# page's CSP does not apply to it): each violation is reported to the console, where the fixture
# below collects it.
CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.effectiveDirective + " blocked " + (e.blockedURI || "inline")
                + " in " + (e.sourceFile || document.location.href) + ":" + e.lineNumber);
});
"""


@pytest.fixture
def page_errors() -> PageErrors:
    return PageErrors()


@pytest.fixture
def new_page(new_context: Callable[[], BrowserContext], page_errors: PageErrors) -> Iterator[Callable[[], Page]]:
    """A page in a fresh context. Uncaught script errors, any Content-Security-Policy violation and
    any dialog (alert, confirm) fail the test."""

    def make() -> Page:
        page = new_context().new_page()
        page.add_init_script(CSP_REPORTER)
        page.on("pageerror", lambda exc: page_errors.append(f"{page.url}: uncaught error: {exc}"))
        page.on("console", lambda msg: page_errors.append(f"{page.url}: {msg.text}")
                if msg.text.startswith("CSP violation") or "Content Security Policy" in msg.text else None)

        def on_dialog(dialog) -> None:  # type: ignore[no-untyped-def]
            page_errors.append(f"{page.url}: unexpected {dialog.type} dialog: {dialog.message!r}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    yield make
    assert not page_errors, "\n".join(page_errors)


@pytest.fixture
def page(new_page: Callable[[], Page]) -> Page:
    return new_page()


def sign_in(page: Page, user, *, expect_path: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Sign in through the real login form and wait for the landing page."""
    page.goto("/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    if expect_path:
        expect(page).to_have_url(re.compile(expect_path))
    # The URL changes when the next page starts loading; wait until its deferred scripts
    # (htmx) have run, so that what follows talks to a finished page.
    page.wait_for_load_state("load")


def nav_to(page: Page, label: str) -> None:
    """Follow an entry of the main navigation as a person does: open its menu first when it sits in one
    (the menus are <details>: their links are hidden until the summary is clicked)."""
    nav = page.get_by_role("navigation", name="Main")
    link = nav.get_by_role("link", name=label, exact=True)
    if not link.is_visible():
        # a closed menu's links are hidden, so out of reach of get_by_role: find the menu by its link's text
        entry = page.locator("a", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
        nav.locator("details", has=entry).locator("summary").click()
    link.click()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where full-page screenshots go: $FRONTLINE_SCREENSHOTS, else a pytest temporary folder."""
    configured = os.environ.get("FRONTLINE_SCREENSHOTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
