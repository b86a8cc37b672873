"""Receivers: on sign-in through the sign-in page, set or ask the agent's status
(``services.availability_at_sign_in``). The receiver only parses and calls the service."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from frontline.people.services import ASK_AVAILABILITY_KEY

from .services import availability_at_sign_in


@receiver(user_logged_in, dispatch_uid="schedules.availability_at_sign_in")
def status_at_sign_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    match = getattr(request, "resolver_match", None)
    if request is None or match is None or match.url_name != "login":
        return  # the sign-in page only (not test clients, not other back ends)
    result = availability_at_sign_in(user=user)
    if result.outcome == "set_online" and result.shift is not None:
        start, end = timezone.localtime(result.shift.starts_at), timezone.localtime(result.shift.ends_at)
        messages.info(request, f"Your shift {start:%H:%M} to {end:%H:%M} is on: your status is now Online. "
                               "Change it in the top bar when you take a break or leave.")
    elif result.outcome == "ask":
        request.session[ASK_AVAILABILITY_KEY] = True
