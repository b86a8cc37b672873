"""CSV import: upload checks, mapping, preview, dedupe, row errors, progress counts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from frontline.insights import services
from frontline.insights.models import FeedbackItem, ImportState
from tests import factories as f

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

ROWS = [["Review", "Stars", "When", "Email", "Id"],
        ["Setup was confusing, I gave up", "2", "2026-11-02", "ANA@example.com", "r1"],
        ["Love the new app", "5", "2026-11-03T10:00:00+01:00", "", "r2"],
        ["", "3", "2026-11-03", "", "r3"],
        ["Bad date here", "1", "yesterday", "", "r4"],
        ["Half a star?", "2.5", "2026-11-04", "", "r5"]]


def _upload(rows: list[list[str]] = ROWS):  # type: ignore[no-untyped-def]
    return services.batch_upload(filename="reviews.csv", data=csv_bytes(rows), actor=f.manager())


def test_upload_guesses_a_mapping_and_counts_rows() -> None:
    batch = _upload()
    assert batch.rows == 5
    assert batch.mapping == {"text": "Review", "date": "When", "score": "Stars", "customer_email": "Email",
                             "external_id": "Id"}


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe\x00bad", "UTF-8"),
    (b"text\n", "no rows"),
    (b"a,a\n1,2\n", "each column once"),
])
def test_upload_refuses_unreadable_files(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        services.batch_upload(filename="x.csv", data=data, actor=f.manager())
    assert message in str(error.value.message_dict["file"])


def test_preview_reads_rows_like_the_import_and_flags_errors() -> None:
    batch = _upload()
    rows = services.rows_of(batch=batch, mapping=batch.mapping, limit=5)
    assert [r.error for r in rows] == ["", "", "no text", "date 'yesterday' is not YYYY-MM-DD or an ISO date and time",
                                       "score '2.5' is not a whole number"]
    assert rows[0].customer_email == "ana@example.com" and rows[0].score == 2


def test_mapping_needs_text_and_known_columns() -> None:
    batch = _upload()
    with pytest.raises(ValidationError) as error:
        services.mapping_check(batch=batch, mapping={"date": "When", "score": "Nope"})
    assert set(error.value.message_dict) == {"text", "score"}


def test_import_links_customers_skips_bad_rows_and_dedupes_on_reimport() -> None:
    ana = f.customer(email="ana@example.com")
    first = _upload()
    services.batch_start(batch=first, mapping=first.mapping, source_name="App Store")
    done = services.batch_run(batch_id=first.pk)
    assert (done.state, done.imported, done.duplicates, len(done.errors)) == (ImportState.DONE, 2, 0, 3)
    assert FeedbackItem.objects.get(external_id="r1").customer == ana
    again = _upload()
    services.batch_start(batch=again, mapping=again.mapping, source_name="App Store")
    assert services.batch_run(batch_id=again.pk).duplicates == 2
    assert FeedbackItem.objects.count() == 2


def test_rows_without_external_id_dedupe_by_text_whatever_the_case_and_spacing() -> None:
    batch = _upload([["text"], ["Card  never arrived"], ["card never ARRIVED"], ["Something else"]])
    services.batch_start(batch=batch, mapping=batch.mapping, source_name="Trustpilot")
    done = services.batch_run(batch_id=batch.pk)
    assert (done.imported, done.duplicates) == (2, 1)


def test_a_started_batch_cannot_start_twice_and_needs_a_source() -> None:
    batch = _upload([["text"], ["Fine"]])
    with pytest.raises(ValidationError) as error:
        services.batch_start(batch=batch, mapping=batch.mapping, source_name=" ")
    assert "source_name" in error.value.message_dict
    services.batch_start(batch=batch, mapping=batch.mapping, source_name="Email")
    with pytest.raises(ValidationError):
        services.batch_start(batch=batch, mapping=batch.mapping, source_name="Email")


def test_imported_text_is_stored_as_plain_text() -> None:
    batch = _upload([["text"], ["<script>alert(1)</script>\u202eevil\x07"]])
    services.batch_start(batch=batch, mapping=batch.mapping, source_name="Web")
    services.batch_run(batch_id=batch.pk)
    assert FeedbackItem.objects.get().text == "<script>alert(1)</script>evil"
