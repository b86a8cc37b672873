"""What the apps' plain Django views share: the API's error shape for JSON endpoints outside the
API (webhooks, the chat widget), and the check of the configuration pages (managers and admins).

Duck-typed on the user (``sees_everything``), so core imports no app.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse


def json_error(status: int, detail: str, errors: Mapping[str, Iterable[str]] | None = None, **extra: Any) -> JsonResponse:
    """``{"detail": ..., "errors": [{"field", "message"}], **extra}`` with ``status`` (the API's shape)."""
    body: dict[str, Any] = {"detail": detail,
                            "errors": [{"field": f, "message": m} for f, ms in (errors or {}).items() for m in ms]}
    body.update(extra)
    return JsonResponse(body, status=status)


def config_user(request: HttpRequest, *, what: str) -> Any:
    """The signed-in manager or admin who configures ``what``; anyone else: PermissionDenied."""
    user = request.user
    if not getattr(user, "sees_everything", False):
        raise PermissionDenied(f"Managers and admins configure {what}.")
    return user
