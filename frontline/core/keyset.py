"""Keyset (cursor) paging: one page of a list in a fixed order, starting after the last row seen.

The cursor is opaque to clients: URL-safe base64 of the JSON ``[sort key, id]`` of the last row of
the page before. The next page is "rows strictly after that (key, id)" in the list's order, so rows
inserted meanwhile never shift or repeat the pages still to come, and nothing is COUNTed: a page
costs one indexed range scan of ``limit + 1`` rows however long the list is.

Used by the API's lists (``frontline.api.pagination``, which turns a bad cursor into a 422) and by
pages that page long lists (the insights inbox, which starts again on a bad cursor).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

# Ids and times outside these bounds cannot name a row; refusing them keeps databases from overflowing.
MAX_ID = 2**63 - 1
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 1, 1, tzinfo=UTC)

M = TypeVar("M", bound=Model)


class BadCursor(ValueError):
    """The cursor is not one this list gave out."""


@dataclass(frozen=True)
class Keyset:
    """The order a list is paged in: an optional sort field, then ``id`` as the tie-breaker."""

    field: str | None  # None: by id alone
    descending: bool
    decode_value: Callable[[Any], Any] = lambda v: v

    def order_by(self) -> list[str]:
        sign = "-" if self.descending else ""
        return [f"{sign}{self.field}", f"{sign}id"] if self.field else [f"{sign}id"]


def cursor_datetime(value: Any) -> datetime:
    """A cursor's time: aware and within EARLIEST..LATEST, else ValueError."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None or not EARLIEST <= parsed <= LATEST:
        raise ValueError("cursor time")
    return parsed


def by_time(field: str, *, descending: bool) -> Keyset:
    """A keyset on a datetime column, then id."""
    return Keyset(field=field, descending=descending, decode_value=cursor_datetime)


def cursor_encode(value: Any, pk: int) -> str:
    raw = json.dumps([value.isoformat() if isinstance(value, datetime) else value, pk])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, keyset: Keyset) -> tuple[Any, int]:
    """The (key, id) a cursor names; BadCursor when it is not one ``keyset`` gave out."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
        if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk <= MAX_ID:
            raise ValueError("id")
        return (keyset.decode_value(value) if keyset.field else None), pk
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise BadCursor(cursor) from None


@dataclass(frozen=True)
class Page(Generic[M]):
    items: list[M]
    next_cursor: str | None


def _get(row: Any, name: str) -> Any:
    return row[name] if isinstance(row, dict) else getattr(row, name)


def keyset_page(queryset: QuerySet[M], *, keyset: Keyset, limit: int, cursor: str | None) -> Page[M]:
    """One page of ``queryset`` in ``keyset`` order, starting after ``cursor`` (BadCursor if unreadable).

    Works on model instances and on ``.values()`` rows (which must include ``id`` and the key).
    """
    queryset = queryset.order_by(*keyset.order_by())
    if cursor:
        value, pk = cursor_decode(cursor, keyset)
        op = "lt" if keyset.descending else "gt"
        if keyset.field:
            after = Q(**{f"{keyset.field}__{op}": value}) | Q(**{keyset.field: value, f"id__{op}": pk})
        else:
            after = Q(**{f"id__{op}": pk})
        queryset = queryset.filter(after)
    rows = list(queryset[: limit + 1])
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit:
        last = items[-1]
        next_cursor = cursor_encode(_get(last, keyset.field) if keyset.field else None, _get(last, "id"))
    return Page(items=items, next_cursor=next_cursor)
