"""Who is calling: a personal API token (``Authorization: Bearer fl_…``) or the Django session.

Tokens are checked by ``people.services.api_token_authenticate`` (revoked tokens and inactive
users are refused). The session is accepted so the interactive docs work for a signed-in user;
unsafe methods on a session must carry the CSRF token, as every form in the app does.

``staff_auth`` additionally refuses (403) a signed-in customer *before* the body is parsed, so
a customer never learns more about a staff-only endpoint than that it is not theirs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from frontline.people.models import STAFF_ROLES, User
from frontline.people.services import api_token_authenticate


def _checked(user: User | None, *, staff_only: bool) -> User | None:
    if user is None:
        return None
    if staff_only and user.role not in STAFF_ROLES:
        raise PermissionDenied("This endpoint is for staff.")
    return user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` with a personal API token."""

    def __init__(self, *, staff_only: bool = False) -> None:
        self.staff_only = staff_only
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        return _checked(api_token_authenticate(secret=token.strip()), staff_only=self.staff_only)


class SessionAuth(APIKeyCookie):
    """The Django session of a signed-in user; unsafe methods need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self, *, staff_only: bool = False) -> None:
        self.staff_only = staff_only
        super().__init__(csrf=True)

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session is checked for CSRF: an anonymous request is simply
        # unauthenticated (401), not a CSRF failure.
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with a session.")
        return request.COOKIES.get(self.param_name, "")

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None or not request.user.is_active:
            return None
        return _checked(request.user, staff_only=self.staff_only)  # type: ignore[arg-type]


any_auth = [TokenAuth(), SessionAuth()]
staff_auth = [TokenAuth(staff_only=True), SessionAuth(staff_only=True)]


def viewer_of(request: HttpRequest) -> User:
    """The authenticated user of an API request."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
