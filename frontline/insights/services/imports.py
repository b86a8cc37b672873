"""Importing reviews from a CSV: upload (the file is checked and kept), map columns with a
preview of the first rows, then import in the background with progress.

Dedupe: a row with an external id is ``review:<source>:<external id>``; without one, the hash of
its text (case and spacing ignored). A duplicate is counted, not imported; a row with an error
(no text, a date or score that does not read) is reported with its row number and skipped.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from frontline.core import background
from frontline.customers.models import Customer
from frontline.people.models import User

from ..models import FeedbackItem, ImportBatch, ImportState, Source
from .text import content_hash, text_clean

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000
PREVIEW_ROWS = 5
# field -> what it means; "text" is required.
FIELDS = {
    "text": "The feedback text (required)",
    "date": "When it was given (2026-03-01 or 2026-03-01T14:05:00+01:00; empty: the import day)",
    "score": "A whole number, e.g. stars 1 to 5 (optional)",
    "customer_email": "The customer's email: links the item to a known customer (optional)",
    "customer_name": "The customer's name (optional)",
    "source": "Where it came from, e.g. App Store (optional; else the name below)",
    "external_id": "The review's id at the source: importing it again adds nothing (optional)",
}
_GUESS = {
    "text": ("text", "review", "comment", "body", "feedback", "content", "message"),
    "date": ("date", "when", "created", "created_at", "time", "timestamp", "submitted"),
    "score": ("score", "rating", "stars", "star"),
    "customer_email": ("email", "customer_email", "e-mail"),
    "customer_name": ("name", "customer", "customer_name", "author", "reviewer"),
    "source": ("source", "platform", "site", "store"),
    "external_id": ("id", "external_id", "review_id"),
}
SOURCE_NAME_MAX = 60


def _read(content: str) -> tuple[list[str], list[list[str]]]:
    try:
        dialect: Any = csv.Sniffer().sniff(content[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(content), dialect)
    try:
        header = [h.strip() for h in next(reader)]
        rows = list(reader)
    except (csv.Error, StopIteration) as error:
        raise ValidationError({"file": [f"This is not a readable CSV file ({error or 'empty'})."]}) from None
    return header, [r for r in rows if any(cell.strip() for cell in r)]


def batch_upload(*, filename: str, data: bytes, actor: User, at: datetime | None = None) -> ImportBatch:
    """Keep an uploaded CSV (UTF-8, with a header row) for mapping; ValidationError on ``file``
    when it is too big, not text, not CSV, has no header or too many rows."""
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [f"Files up to {MAX_BYTES // (1024 * 1024)} MB."]})
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError({"file": ["Save the file as UTF-8 text (CSV)."]}) from None
    if "\x00" in content:
        raise ValidationError({"file": ["This is not a text file."]})
    header, rows = _read(content)
    if not any(header) or len(set(header)) != len(header):
        raise ValidationError({"file": ["The first row must name each column once."]})
    if not rows:
        raise ValidationError({"file": ["The file has a header but no rows."]})
    if len(rows) > MAX_ROWS:
        raise ValidationError({"file": [f"Up to {MAX_ROWS:,} rows per file; split it."]})
    return ImportBatch.objects.create(filename=filename[:255], content=content, rows=len(rows), uploaded_by=actor,
                                      created_at=at or timezone.now(), mapping=guess_mapping(header))


def batch_columns(batch: ImportBatch) -> list[str]:
    return _read(batch.content)[0]


def guess_mapping(header: list[str]) -> dict[str, str]:
    """A first mapping from column names that look like the fields."""
    lower = {h.lower().strip(): h for h in header}
    mapping = {}
    for field, names in _GUESS.items():
        for name in names:
            if name in lower and lower[name] not in mapping.values():
                mapping[field] = lower[name]
                break
    return mapping


def mapping_check(*, batch: ImportBatch, mapping: dict[str, str]) -> dict[str, str]:
    """The mapping with empty choices dropped; ValidationError naming the failing fields."""
    columns = set(batch_columns(batch))
    clean = {field: column for field, column in mapping.items() if column}
    errors: dict[str, list[str]] = {}
    for field, column in clean.items():
        if field not in FIELDS:
            errors[field] = ["Not a field of feedback."]
        elif column not in columns:
            errors[field] = [f"The file has no column {column!r}."]
    if "text" not in clean and "text" not in errors:
        errors["text"] = ["Choose the column that holds the feedback text."]
    if errors:
        raise ValidationError(errors)
    return clean


@dataclass(frozen=True)
class Row:
    number: int  # 1 = the first row after the header
    text: str
    created_at: datetime | None
    score: int | None
    customer_email: str
    customer_name: str
    source: str
    external_id: str
    error: str


def _parse_when(value: str) -> datetime:
    value = value.strip()
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ValueError(f"date {value!r} is not YYYY-MM-DD or an ISO date and time")
        moment = datetime.combine(day, time(12))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def rows_of(*, batch: ImportBatch, mapping: dict[str, str], limit: int | None = None) -> list[Row]:
    """The file's rows read through ``mapping`` (the preview and the import read the same way)."""
    header, rows = _read(batch.content)
    index = {field: header.index(column) for field, column in mapping.items()}
    result = []
    for number, cells in enumerate(rows[:limit] if limit else rows, start=1):
        def cell(field: str, cells: list[str] = cells) -> str:
            i = index.get(field)
            return cells[i].strip() if i is not None and i < len(cells) else ""
        error = ""
        text = text_clean(cell("text"))
        created = score = None
        try:
            if cell("date"):
                created = _parse_when(cell("date"))
        except ValueError as e:
            error = str(e)
        raw_score = cell("score")
        if raw_score:
            try:
                value = float(raw_score.replace(",", "."))
                if not value.is_integer() or not -1000 <= value <= 1000:
                    raise ValueError
                score = int(value)
            except ValueError:
                error = error or f"score {raw_score!r} is not a whole number"
        if not text:
            error = error or "no text"
        result.append(Row(number=number, text=text, created_at=created, score=score,
                          customer_email=cell("customer_email")[:254].lower(), customer_name=cell("customer_name")[:200],
                          source=cell("source")[:SOURCE_NAME_MAX], external_id=cell("external_id")[:200], error=error))
    return result


def batch_start(*, batch: ImportBatch, mapping: dict[str, str], source_name: str) -> ImportBatch:
    """Save the mapping and queue the import (``insights.import``)."""
    clean = mapping_check(batch=batch, mapping=mapping)
    source_name = text_clean(source_name)[:SOURCE_NAME_MAX]
    if not source_name and "source" not in clean:
        raise ValidationError({"source_name": ["Name the source (or map a source column)."]})
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.state != ImportState.UPLOADED:
            raise ValidationError({"batch": ["This file was imported already; upload it again to import it again."]})
        batch.mapping, batch.source_name, batch.state = clean, source_name, ImportState.QUEUED
        batch.save(update_fields=["mapping", "source_name", "state"])
        background.enqueue_on_commit("insights.import", batch.pk)
    return batch


def dedupe_key(*, source: str, external_id: str, text: str) -> str:
    if external_id:
        return f"review:{source.lower()}:{external_id}"
    return f"hash:{content_hash(text)}"


def batch_run(*, batch_id: int, chunk: int = 500) -> ImportBatch:
    """Import a queued batch, committing chunk by chunk so the page shows progress."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.state not in (ImportState.QUEUED, ImportState.RUNNING):
        return batch
    ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.RUNNING)
    try:
        rows = rows_of(batch=batch, mapping=batch.mapping)
        errors: list[list[Any]] = []
        imported = duplicates = 0
        now = timezone.now()
        emails = {r.customer_email for r in rows if r.customer_email}
        customers = {c.email.lower(): c.pk for c in Customer.objects.filter(email__in=emails)} if emails else {}
        for start in range(0, len(rows), chunk):
            with transaction.atomic():
                part = rows[start:start + chunk]
                items: dict[str, FeedbackItem] = {}
                for row in part:
                    if row.error:
                        if len(errors) < 50:
                            errors.append([row.number, row.error])
                        continue
                    source = row.source or batch.source_name
                    key = dedupe_key(source=source, external_id=row.external_id, text=row.text)
                    if key in items:
                        duplicates += 1
                        continue
                    items[key] = FeedbackItem(
                        source=Source.REVIEW, source_name=source, external_id=row.external_id, dedupe_key=key,
                        text=row.text, created_at=row.created_at or now, added_at=now, score=row.score,
                        score_scale="stars" if row.score is not None else "",
                        customer_id=customers.get(row.customer_email), customer_email=row.customer_email,
                        customer_name=row.customer_name, batch=batch)
                known = set(FeedbackItem.objects.filter(dedupe_key__in=list(items)).values_list("dedupe_key", flat=True))
                duplicates += len(known)
                fresh = [item for key, item in items.items() if key not in known]
                FeedbackItem.objects.bulk_create(fresh, batch_size=500)
                imported += len(fresh)
                ImportBatch.objects.filter(pk=batch.pk).update(done=min(start + chunk, len(rows)), imported=imported,
                                                               duplicates=duplicates, errors=errors)
        with transaction.atomic():
            ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.DONE, finished_at=timezone.now(),
                                                           done=len(rows))
            if imported:
                background.enqueue_on_commit("insights.label")
    except Exception as error:
        ImportBatch.objects.filter(pk=batch.pk).update(state=ImportState.FAILED, finished_at=timezone.now(),
                                                       errors=[[0, f"{type(error).__name__}: {error}"]])
        raise
    batch.refresh_from_db()
    return batch
