"""The request parser: JSON bodies must be objects, and no text may carry NUL characters.

PostgreSQL cannot store NUL in text, so a stray ``\\u0000`` would otherwise fail deep in a
write; refusing it here turns it into an ordinary 422.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.parser import Parser


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


class ApiParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        # A ValueError here becomes ninja's HttpError(400); errors.py answers it as 422.
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body must be a JSON object")
        if _has_nul(data):
            raise ValueError("text may not contain NUL (\\u0000) characters")
        return data

    def parse_querydict(self, data: MultiValueDict[str, str], list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        bad = sorted({key for key, values in data.lists() for v in [key, *values] if "\x00" in v})
        if bad:
            raise ValidationError({key: ["Text may not contain NUL characters."] for key in bad})
        return super().parse_querydict(data, list_fields, request)
