"""One error shape for every API error, and the mapping from exceptions to HTTP statuses.

    {"detail": "A human sentence.", "errors": [{"field": "subject", "message": "..."}]}

``errors`` is filled for validation failures (422) only. The mapping:

- request parsing (pydantic) and malformed JSON → 422 with the failing fields;
- ``django.core.exceptions.ValidationError`` from a service → 422 with its fields;
- ``Http404`` and ``ObjectDoesNotExist`` → 404; ``PermissionDenied`` → 403;
- ``desk.errors.TransitionNotAllowed`` / ``Conflict`` and ``IntegrityError`` → 409;
- ``DataError`` (a value the database refuses; the schemas should have caught it) → 422;
- anything else is a bug: logged with its traceback, answered 500 without internals.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from frontline.desk.errors import Conflict, TransitionNotAllowed

logger = logging.getLogger("frontline.api")

# Service field names that the API spells differently.
FIELD_NAMES = {"ticket_type": "type", "assignee": "assignee_id", "team": "team_id", "queue": "queue_id",
               "company": "company_id", "requester": "requester_id"}
# The parameter name every endpoint gives its JSON body (dropped from error locations).
BODY_PARAM = "payload"


class FieldError(Schema):
    field: str | None
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[FieldError] = []


def error_responses(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error part of an endpoint's ``response=`` declaration (401 is always possible)."""
    return {code: ErrorOut for code in sorted({401, *codes})}


def rename_fields(exc: DjangoValidationError, names: Mapping[str, str]) -> DjangoValidationError:
    """The same validation error with some field names replaced (for endpoint-specific names)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError({names.get(k, k): v for k, v in exc.error_dict.items()})


def _body(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or []}


def _field_from_loc(loc: Iterable[Any]) -> str | None:
    """``("body", "payload", "tags", 0)`` → ``"tags.0"``; a missing body altogether → ``"body"``."""
    parts = [str(p) for p in loc]
    source = parts.pop(0) if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form"} else None
    if source == "body" and parts and parts[0] == BODY_PARAM:
        parts.pop(0)
    return ".".join(parts) or source


def _validation_summary(errors: list[dict[str, Any]]) -> str:
    fields = sorted({e["field"] for e in errors if e["field"]})
    if not fields:
        return "The request is not valid."
    return "Check these fields: " + ", ".join(fields) + "."


def install_error_handlers(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> HttpResponse:
        return api.create_response(request, _body(detail, errors), status=status)

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [{"field": _field_from_loc(e.get("loc", ())), "message": str(e.get("msg", "Invalid value."))}
                  for e in exc.errors]
        return respond(request, 422, _validation_summary(errors), errors)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            errors = [
                {"field": None if k == "__all__" else FIELD_NAMES.get(k, k), "message": str(message)}
                for k, messages in exc.message_dict.items()
                for message in messages
            ]
        else:
            errors = [{"field": None, "message": str(m)} for m in exc.messages]
        return respond(request, 422, _validation_summary(errors), errors)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):
            # ninja answers 400 for a body that is not JSON; the API promises 422.
            reason = str(exc.__cause__)
            return respond(request, 422, "The request body could not be read as a JSON object.",
                           [{"field": "body", "message": reason[:1].upper() + reason[1:] + "."}])
        return respond(request, exc.status_code, str(exc))

    def on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, "Authentication required: send 'Authorization: Bearer <token>'.")
        response["WWW-Authenticate"] = 'Bearer realm="frontline"'
        return response

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = str(exc) if isinstance(exc, Http404) and str(exc) else "Not found."
        return respond(request, 404, message)

    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return respond(request, 403, str(exc) or "You are not allowed to do that.")

    def on_conflict(request: HttpRequest, exc: TransitionNotAllowed | Conflict) -> HttpResponse:
        return respond(request, 409, exc.reason)

    def on_integrity(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        logger.warning("API write conflicted with existing data: %s", exc)
        return respond(request, 409, "The request conflicts with existing data (a duplicate?); nothing was saved.")

    def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
        # A backstop: the schemas bound lengths and ranges, so reaching this is a gap to close there.
        logger.warning("API input the database refused: %s", exc)
        return respond(request, 422, "A value is too long or out of range; nothing was saved.")

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("Unhandled error in API %s %s", request.method, request.path)
        return respond(request, 500, "Internal error; it has been logged.")

    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, on_django_validation)
    api.add_exception_handler(AuthenticationError, on_authentication)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(PermissionDenied, on_permission_denied)
    api.add_exception_handler(TransitionNotAllowed, on_conflict)
    api.add_exception_handler(Conflict, on_conflict)
    api.add_exception_handler(IntegrityError, on_integrity)
    api.add_exception_handler(DataError, on_data_error)
    api.add_exception_handler(Exception, on_unexpected)
