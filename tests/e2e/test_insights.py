"""Insights in a browser, as a manager uses it in a sitting: import reviews from a CSV (mapping,
preview, import), correct a label with one click, open a topic, make a problem of it, link its
tickets, open the product report; Back and reload; the report on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from frontline.insights import services
from frontline.insights.models import FeedbackItem, ImportBatch, Source
from tests import factories as f
from tests.e2e.conftest import nav_to, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THEMES = {
    "onboarding": ["the onboarding setup step is confusing", "confusing onboarding setup wizard",
                   "onboarding step setup makes no sense", "stuck at the onboarding setup step"],
    "delivery": ["my parcel delivery is late again", "the courier delivery never arrived",
                 "parcel delivery late courier", "late delivery of my parcel"],
    "billing": ["I was charged twice on my invoice", "double charge on the invoice",
                "invoice charged twice refund", "billing invoice shows a double charge"],
}


@pytest.fixture
def inbox(tmp_path: Path):  # type: ignore[no-untyped-def]
    manager = f.manager(username="maria")
    for n in range(3):
        for texts in THEMES.values():
            for text in texts:
                f.ticket(subject=text[:40], body=f"{text} {'!' * n}", notify=False)
    services.feedback_sync()
    services.feedback_label_pending()
    run = services.topic_run_request(actor=manager)
    services.topic_run_execute(run_id=run.pk, backend="tfidf")
    csv_file = tmp_path / "reviews.csv"
    csv_file.write_text("Review,Stars,Posted\nThe onboarding wizard lost my settings,1,2026-11-30\n"
                        "\"Great support, thank you\",5,2026-12-01\n", encoding="utf-8")
    return {"manager": manager, "csv": csv_file}


def test_a_manager_imports_corrects_and_traces_a_topic_to_a_problem(page: Page, inbox) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, inbox["manager"])
    nav_to(page, "Feedback")
    expect(page.get_by_role("heading", name="Insights", exact=True)).to_be_visible()
    expect(page.locator("#run-status")).to_contain_text("TF-IDF")

    # import: upload, mapping with a preview, import
    page.get_by_role("link", name="Import reviews").first.click()
    page.get_by_label("CSV file").set_input_files(str(inbox["csv"]))
    page.get_by_role("button", name="Upload and map columns").click()
    expect(page.locator("#preview")).to_contain_text("The onboarding wizard lost my settings")
    expect(page.get_by_label("text", exact=True)).to_have_value("Review")
    page.get_by_label("Source name").fill("App Store")
    page.get_by_role("button", name=re.compile(r"Import 2 rows")).click()
    expect(page).to_have_url(re.compile(r"/insights/import/\d+/status/"))
    services.batch_run(batch_id=ImportBatch.objects.get().pk)  # what the worker does
    page.reload()
    expect(page.locator("#import-progress")).to_contain_text("2 imported")

    # one-click correction in the inbox
    page.get_by_role("link", name="See the imported feedback").click()
    row = page.locator("tr", has_text="Great support, thank you")
    row.get_by_role("button", name="Kind: Praise").click()
    expect(row.locator(".badge").first).to_be_visible()
    assert FeedbackItem.objects.get(text__startswith="Great support").kind_corrected

    # a topic, a problem from it, its tickets linked
    page.goto("/insights/")
    onboarding = FeedbackItem.objects.filter(source=Source.TICKET, text__contains="onboarding").first().topic
    page.locator("#topics-h + * a, table a", has_text=onboarding.label).first.click()
    expect(page.get_by_role("heading", name=onboarding.label)).to_be_visible()
    page.get_by_role("link", name="Create a problem from this topic").click()
    page.get_by_label("Title").fill("Confusing onboarding step")
    page.get_by_label("External link").fill("https://tracker.example/PRD-1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Confusing onboarding step")).to_be_visible()
    boxes = page.locator("input[name=suggested]")
    expect(boxes.first).to_be_visible()
    for i in range(boxes.count()):
        boxes.nth(i).check()
    page.get_by_role("button", name="Link", exact=True).click()
    expect(page.locator(".cards")).to_contain_text("Tickets linked")
    linked = page.locator(".cards .card").first.locator(".big")
    expect(linked).not_to_have_text("0")

    # the product report; Back and reload keep the page
    page.goto("/insights/report/")
    expect(page.locator(".driver").first).to_contain_text("Confusing onboarding step")
    page.locator(".driver a", has_text="Confusing onboarding step").click()
    expect(page.get_by_role("heading", name="Confusing onboarding step")).to_be_visible()
    page.go_back()
    expect(page).to_have_url(re.compile(r"/insights/report/"))
    page.reload()
    expect(page.locator(".driver").first).to_contain_text("Confusing onboarding step")
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator(".driver").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
