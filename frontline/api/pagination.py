"""Cursor (keyset) pagination: ``?limit=50&cursor=…`` → ``{"items": [...], "next_cursor": "…" | null}``.

The paging itself is ``frontline.core.keyset`` (shared with the pages that page long lists): the
cursor is opaque to clients, the next page is "rows strictly after the last (key, id)" in the
list's order, so rows inserted meanwhile never shift or repeat the pages still to come, and nothing
is COUNTed. Here: the query parameters, the API's orders, and a bad cursor as a 422.
"""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from ninja import Field, Schema

from frontline.core.keyset import (
    EARLIEST,
    LATEST,
    MAX_ID,
    BadCursor,
    Keyset,
    Page,
    by_time,
    keyset_page,
)

__all__ = ["BY_CREATED_ASC", "BY_CREATED_DESC", "BY_ID_ASC", "BY_ID_DESC", "BY_UPDATED_DESC", "DEFAULT_LIMIT",
           "EARLIEST", "LATEST", "MAX_ID", "MAX_LIMIT", "Keyset", "Page", "PageParams", "by_time", "paginate"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

M = TypeVar("M", bound=Model)


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, 1 to 200.")
    cursor: str | None = Field(None, description="The `next_cursor` of the previous page.")


BY_UPDATED_DESC = by_time("updated_at", descending=True)
BY_CREATED_ASC = by_time("created_at", descending=False)
BY_CREATED_DESC = by_time("created_at", descending=True)
BY_ID_ASC = Keyset(field=None, descending=False)
BY_ID_DESC = Keyset(field=None, descending=True)


def paginate(queryset: QuerySet[M], *, keyset: Keyset, limit: int, cursor: str | None) -> Page[M]:
    """One page of ``queryset`` in ``keyset`` order, starting after ``cursor``; a cursor the list did
    not give out is a 422 on ``cursor``.

    Works on model instances and on ``.values()`` rows (which must include ``id`` and the key).
    """
    try:
        return keyset_page(queryset, keyset=keyset, limit=limit, cursor=cursor)
    except BadCursor:
        raise ValidationError({"cursor": ["Not a cursor this list gave out; start again without one."]}) from None
