"""The interactive API docs at /api/v1/docs work without the internet: Swagger UI comes from the
installed django-ninja package, served by Frontline itself, under the app's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, Request, expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_docs_list_the_operations_from_local_assets_only(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    requested: list[str] = []

    def record(request: Request) -> None:
        requested.append(request.url)

    page.on("request", record)
    page.goto("/api/v1/docs")

    expect(page.get_by_role("heading", name="Frontline API")).to_be_visible()
    operations = page.locator(".opblock-summary-path")
    expect(operations.filter(has_text="/api/v1/tickets").first).to_be_visible()
    assert operations.count() >= 10
    expect(page.locator(".opblock-summary-method", has_text="POST").first).to_be_visible()
    assert [u for u in requested if not u.startswith((live_server.url, "data:"))] == []
