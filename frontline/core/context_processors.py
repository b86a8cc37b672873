"""What every page's formats need: the department's currency code (``{{ x|money0:currency }}``)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def formats(request: HttpRequest) -> dict[str, object]:
    return {"currency": settings.CURRENCY}
