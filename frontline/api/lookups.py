"""Turning ids the client sent into objects: a missing path object is 404, a missing body reference 422."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from .pagination import MAX_ID

M = TypeVar("M", bound=Model)



def referenced(queryset: QuerySet[M], pk: int, *, field: str, noun: str) -> M:
    """The object ``pk`` names in ``queryset``, or a 422 naming the request ``field``."""
    found = queryset.filter(pk=pk).first() if 0 < pk <= MAX_ID else None
    if found is None:
        raise ValidationError({field: [f"No {noun} with id {pk}."]})
    return found


def valid_id(pk: int) -> bool:
    return 0 < pk <= MAX_ID
