"""Writes about people: API tokens, availability, sign-in throttling, one's own profile."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import (
    LANGUAGES,
    STAFF_ROLES,
    AgentProfile,
    ApiToken,
    Availability,
    AvailabilityChange,
    LoginAttempt,
    User,
)

TOKEN_PREFIX = "fl_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedToken:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the token a name, e.g. the integration that uses it."]})
    if len(name) > 100:
        raise ValidationError({"name": ["Keep the name under 100 characters."]})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:10], digest=_digest(secret))
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk and actor.role != "admin":
        raise PermissionDenied("You can revoke only your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def api_token_authenticate(*, secret: str) -> User | None:
    """The active user a token belongs to, or None. Records last use at most once a minute."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=_digest(secret), revoked_at__isnull=True).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def signin_identity(username: str) -> str:
    """The identity a sign-in attempt counts against: ``username`` as the sign-in form resolves it.

    Django's sign-in form strips the name and applies NFKC before the backend looks the user up,
    so " lead3", "lead3\t" and "lead3" in full-width letters all reach lead3; case-folding on top makes
    "LEAD3" count against lead3 too (erring on the side of counting). Every spelling that can
    sign in as one account therefore shares one limit.
    """
    name = unicodedata.normalize("NFKC", username.strip())
    return unicodedata.normalize("NFKC", name.casefold())[:150]


def login_allowed(*, username: str, address: str) -> bool:
    """Whether another attempt for this identity from this client address may be tried now."""
    since = timezone.now() - timedelta(seconds=settings.LOGIN_RATE_WINDOW_S)
    attempts = LoginAttempt.objects.filter(username=signin_identity(username), address=address[:64], created_at__gte=since)
    return attempts.count() < settings.LOGIN_RATE_LIMIT


def login_failure_record(*, username: str, address: str) -> None:
    LoginAttempt.objects.create(username=signin_identity(username), address=address[:64])


def login_success_record(*, username: str, address: str) -> None:
    LoginAttempt.objects.filter(username=signin_identity(username), address=address[:64]).delete()


ASK_AVAILABILITY_KEY = "ask_availability"  # session flag: the page asks the agent to set a status


@transaction.atomic
def availability_set(*, user: User, availability: str, at: datetime | None = None) -> AgentProfile:
    """Set an agent's availability and log the change (the history adherence reads)."""
    if user.role not in STAFF_ROLES:
        raise PermissionDenied("Only agents have an availability status.")
    if availability not in Availability.values:
        raise ValidationError({"availability": [f"Choose one of: {', '.join(Availability.values)}."]})
    at = at or timezone.now()
    profile, _ = AgentProfile.objects.select_for_update().get_or_create(user=user)
    if profile.availability != availability:
        AvailabilityChange.objects.create(user=user, availability=availability, previous=profile.availability, changed_at=at)
        profile.availability = availability
        profile.availability_changed_at = at
        profile.save(update_fields=["availability", "availability_changed_at"])
    return profile


@transaction.atomic
def user_profile_update(*, user: User, time_zone: str, language: str) -> User:
    """Set the person's own time zone ("" = the browser's) and language preference."""
    errors: dict[str, list[str]] = {}
    if time_zone and time_zone not in zoneinfo.available_timezones():
        errors["time_zone"] = ["Choose a time zone from the list, e.g. Europe/Berlin, or your browser's."]
    if language not in dict(LANGUAGES):
        errors["language"] = [f"Frontline is available in {', '.join(label for _, label in LANGUAGES)}."]
    if errors:
        raise ValidationError(errors)
    user.time_zone, user.language = time_zone, language
    user.save(update_fields=["time_zone", "language"])
    return user


@transaction.atomic
def user_password_change(*, user: User, current_password: str, new_password: str) -> User:
    """Change the person's own password: the current one must be right, the new one must pass
    the password validators (settings.AUTH_PASSWORD_VALIDATORS)."""
    from django.contrib.auth.password_validation import validate_password

    if not user.check_password(current_password):
        raise ValidationError({"old_password": ["That is not your current password."]})
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.messages}) from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    return user
