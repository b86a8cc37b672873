"""What the apps' plain Django views share: the API's error shape for JSON endpoints outside the
API (webhooks, the chat widget), the check of the configuration pages (managers and admins), and
the server-error handler (``handler500``: an exhausted database pool is 503, not 500).

Duck-typed on the user (``sees_everything``), so core imports no app.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

BUSY_RETRY_AFTER_S = 5
# PostgreSQL refusing a connection because every slot is taken (not a fault: a moment of overload).
_FULL_SERVER = ("too many clients already", "remaining connection slots are reserved")


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


def database_busy(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) is the database having no connection to spare right now: the
    process's pool timed out waiting for a free one (``FRONTLINE_DB_POOL_TIMEOUT_S``), or the server
    refused a new connection because all its slots are taken."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ == "PoolTimeout" and type(exc).__module__.startswith("psycopg_pool"):
            return True
        if type(exc).__name__ == "OperationalError" and any(words in str(exc) for words in _FULL_SERVER):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: a request that found no database connection free is told 503 with ``Retry-After``
    (the chat's scripts and API clients back off and ask again; the page says to try in a few seconds);
    anything else is Django's 500 with the project's 500 page. Nothing was written either way: a
    request's writes are in one transaction."""
    if not database_busy(sys.exc_info()[1]):
        return defaults.server_error(request)
    detail = f"Frontline is busy right now: try again in {BUSY_RETRY_AFTER_S} seconds."
    response: HttpResponse
    if request.path.startswith(("/api/", "/webhooks/")) or "application/json" in request.headers.get("Accept", ""):
        response = json_error(503, detail)
    else:
        response = HttpResponse(loader.get_template("503.html").render(
            {"retry_after": BUSY_RETRY_AFTER_S, "reload": request.method == "GET"}),
                                status=503)
    response["Retry-After"] = str(BUSY_RETRY_AFTER_S)
    return response
