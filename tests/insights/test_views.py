"""Inbox and import pages through HTTP: filters, search, keyset pages, one-click labels, the
import walk (upload, mapping with preview, import, progress), bad input as form errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.insights import services
from frontline.insights.models import FeedbackItem, ImportBatch, ImportState
from tests import factories as f

from .conftest import csv_bytes, item

pytestmark = pytest.mark.django_db


def test_inbox_filters_searches_and_pages_by_keyset(login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    now = timezone.now()
    for n in range(55):
        item(f"Delivery was late number {n}", at=now - timedelta(minutes=n), kind="complaint")
    item("Love the onboarding", at=now - timedelta(hours=5), kind="praise", sentiment="positive")
    client = login(f.manager())
    with django_assert_max_num_queries(12):
        first = client.get("/insights/feedback/")
    assert first.status_code == 200
    assert first.content.count(b'id="item-') == 50
    cursor = first.context["page"].next_cursor
    second = client.get(f"/insights/feedback/?after={cursor}")
    assert second.content.count(b'id="item-') == 6
    assert b"Love the onboarding" in second.content and b"number 0&" not in second.content
    praise = client.get("/insights/feedback/?kind=praise")
    assert praise.content.count(b'id="item-') == 1
    found = client.get("/insights/feedback/?q=late+number+54")
    assert found.content.count(b'id="item-') == 1
    assert client.get("/insights/feedback/?after=garbage").context["page"].bad_cursor


def test_feedback_text_is_escaped(login) -> None:  # type: ignore[no-untyped-def]
    item("<img src=x onerror=alert(1)>")
    page = login(f.manager()).get("/insights/feedback/")
    assert b"<img src=x" not in page.content and b"&lt;img src=x" in page.content


def test_one_click_label_goes_back_to_the_same_page(login) -> None:  # type: ignore[no-untyped-def]
    feedback = item("Could you add an export?")
    client = login(f.manager())
    response = client.post(f"/insights/feedback/{feedback.pk}/label/",
                           {"kind": "suggestion", "next": "/insights/feedback/?kind=complaint"})
    assert response.status_code == 302 and response["Location"] == f"/insights/feedback/?kind=complaint#item-{feedback.pk}"
    feedback.refresh_from_db()
    assert (feedback.kind, feedback.kind_corrected) == ("suggestion", True)
    evil = client.post(f"/insights/feedback/{feedback.pk}/label/", {"sentiment": "negative", "next": "https://evil.example/"})
    assert evil["Location"].startswith("/insights/feedback/")
    bad = client.post(f"/insights/feedback/{feedback.pk}/label/", {"kind": "rant"})
    assert bad.status_code == 302 and FeedbackItem.objects.get().sentiment == "negative"
    assert client.post("/insights/feedback/999999/label/", {"kind": "praise"}).status_code == 404


def test_import_walk_upload_map_preview_import_progress(login) -> None:  # type: ignore[no-untyped-def]
    client = login(f.manager())
    upload = csv_bytes([["comment", "rating", "posted"], ["Checkout keeps failing", "1", "2026-11-30"],
                        ["Great support", "5", "2026-12-01"]])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/insights/import/", {"file": SimpleUploadedFile("r.csv", upload, "text/csv")})
    batch = ImportBatch.objects.get()
    assert response["Location"] == f"/insights/import/{batch.pk}/"
    mapping = client.get(f"/insights/import/{batch.pk}/")
    assert b"Checkout keeps failing" in mapping.content  # the preview
    preview = client.get(f"/insights/import/{batch.pk}/", {"preview": "1", "map_text": "rating", "source_name": "Shop"})
    assert b"<td>1</td>" in preview.content or b">1<" in preview.content
    missing = client.post(f"/insights/import/{batch.pk}/", {"import": "1", "map_text": "", "source_name": "Shop"})
    assert missing.status_code == 422 and b"Choose the column that holds the feedback text" in missing.content
    started = client.post(f"/insights/import/{batch.pk}/", {"import": "1", "map_text": "comment", "map_score": "rating",
                                                             "map_date": "posted", "source_name": "Shop"})
    assert started["Location"] == f"/insights/import/{batch.pk}/status/"
    assert ImportBatch.objects.get().state == ImportState.QUEUED
    assert b"refresh" in client.get(started["Location"]).content
    services.batch_run(batch_id=batch.pk)
    done = client.get(started["Location"])
    assert b"2 imported" in done.content
    assert FeedbackItem.objects.filter(source_name="Shop", score=1).count() == 1
    # a started import's mapping page sends to its status
    assert client.get(f"/insights/import/{batch.pk}/")["Location"].endswith("/status/")


def test_upload_errors_are_form_errors(login) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = login(f.manager())
    empty = client.post("/insights/import/", {})
    binary = client.post("/insights/import/", {"file": SimpleUploadedFile("x.csv", b"\x00\x01\x02", "text/csv")})
    assert (empty.status_code, binary.status_code) == (422, 422)
    assert b"Choose a CSV file" in empty.content and b"not a text file" in binary.content
    assert ImportBatch.objects.count() == 0


def test_sync_button_brings_tickets_in(login) -> None:  # type: ignore[no-untyped-def]
    f.ticket(body="The app crashes at login")
    client = login(f.manager())
    assert client.post("/insights/feedback/sync/").status_code == 302
    assert FeedbackItem.objects.get().text == "The app crashes at login"
