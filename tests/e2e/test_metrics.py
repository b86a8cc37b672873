"""The metrics dashboard in a browser, as a team lead of two teams uses it in a sitting: the week,
then the month, one team, a number followed to its tickets and Back, a CSV, on a phone too."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from frontline.desk import services
from frontline.desk.models import StatusCategory
from frontline.metrics.services import metrics_refresh_dirty
from tests import factories as f
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def teams():  # type: ignore[no-untyped-def]
    """A lead of Billing and Tech; today 3 Billing tickets (2 solved) and 1 Tech; 8 and 9 days ago
    2 more Billing tickets; another team's ticket the lead must never see."""
    billing, tech, other = f.team(name="Billing"), f.team(name="Tech"), f.team(name="Accounts")
    lead = f.lead(leads=[billing, tech], username="lena")
    ann, tia = f.agent(teams=[billing], first_name="Ann"), f.agent(teams=[tech], first_name="Tia")
    solved = f.status(StatusCategory.SOLVED)
    now = timezone.now()
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    for i, subject in enumerate(["Refund not received", "Invoice address wrong", "Charged twice"]):
        ticket = f.ticket(team=billing, assignee=ann, subject=subject, at=start + timedelta(minutes=i), notify=False)
        if i < 2:
            services.ticket_reply(ticket=ticket, author=ann, body="Done.", at=start + timedelta(minutes=20 + i),
                                  notify=False)
            services.ticket_status_change(ticket=ticket, status=solved, actor=ann, at=start + timedelta(minutes=30 + i))
    f.ticket(team=tech, assignee=tia, subject="App crashes", at=start + timedelta(minutes=5), notify=False)
    for days in (8, 9):
        f.ticket(team=billing, assignee=ann, subject=f"Old question {days}", at=start - timedelta(days=days),
                 notify=False)
    f.ticket(team=other, subject="Secret accounts ticket", at=start, notify=False)
    metrics_refresh_dirty()
    return {"lead": lead, "billing": billing, "first": (start - timedelta(days=10)).date().isoformat(),
            "last": start.date().isoformat()}


def test_a_lead_reads_the_dashboard_follows_a_number_and_exports(page: Page, teams) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, teams["lead"])
    nav_to(page, "Metrics")
    expect(page.locator("#metrics-heading")).to_contain_text("My teams")
    expect(page.locator("#kpi-tickets .value")).to_have_text("4")  # this week: Billing 3, Tech 1
    expect(page.locator("#breakdown")).to_contain_text("Billing")
    expect(page.locator("body")).not_to_contain_text("Secret accounts ticket")

    page.get_by_label("Period", exact=True).select_option("custom")
    page.get_by_label("Day in the period").fill(teams["first"])
    page.get_by_label("Last day (custom)").fill(teams["last"])
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#kpi-tickets .value")).to_have_text("6")  # the last 11 days: the two older ones join
    page.get_by_label("Team", exact=True).select_option(label="Billing")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#metrics-heading")).to_contain_text("Billing")
    expect(page).to_have_url(re.compile(r"team=\d+"))
    expect(page.locator("#kpi-tickets .value")).to_have_text("5")
    expect(page.locator("#h-table")).to_have_text("Per agent")

    page.locator("#kpi-solved .value a").click()
    expect(page).to_have_url(re.compile(r"/tickets/\?view=all&ids="))
    rows = page.locator("#ticket-table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("#ticket-table")).to_contain_text("Refund not received")
    expect(page.locator("#ticket-table")).not_to_contain_text("Charged twice")

    page.go_back()
    expect(page.locator("#metrics-heading")).to_contain_text("Billing")
    expect(page.locator("#kpi-tickets .value")).to_have_text("5")
    page.reload()
    expect(page.locator("#kpi-tickets .value")).to_have_text("5")

    with page.expect_download() as download:
        page.locator("#csv-breakdown").click()
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert content.splitlines()[0].startswith("agent,tickets,solved,backlog")
    assert "Ann" in content and "Tia" not in content

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("#kpi-tickets .value")).to_have_text("5")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
