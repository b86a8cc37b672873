"""Helpers of the insights pages: who may read and change, parsing query values."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.http import HttpRequest
from django.utils import timezone

from frontline.people.models import User

from .. import selectors


def reader(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    selectors.require_reader(user)
    return user


def manager(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    selectors.require_manager(user)
    return user


def int_or_none(value: str | None) -> int | None:
    try:
        number = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
    return number if number is not None and 0 < number < 2**63 else None


def day_or_none(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_end(day: date) -> datetime:
    return day_start(day + timedelta(days=1))
