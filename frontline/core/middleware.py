"""Hardening headers on every response: a Content-Security-Policy, and no caching of personal data.

- ``Content-Security-Policy``: ``settings.CONTENT_SECURITY_POLICY`` on every response that does
  not already carry one (a view with special needs sets its own). Scripts come only from this
  origin: templates hold no inline ``<script>`` and no ``on…=`` handlers.
- ``Cache-Control``: a response that shows personal data (anything served to a signed-in person,
  every API response; attachments are only served to signed-in people) gets ``settings.PRIVATE_CACHE_CONTROL`` (``no-store, private``)
  unless the view chose a policy itself (the sign-in page's ``never_cache``; static files, which
  WhiteNoise serves with long-lived public caching, carry their own).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

CSP_HEADER = "Content-Security-Policy"


def _serves_personal_data(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return request.path_info.startswith("/api/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and CSP_HEADER not in response:
            response[CSP_HEADER] = policy
        if "Cache-Control" not in response and _serves_personal_data(request):
            response["Cache-Control"] = settings.PRIVATE_CACHE_CONTROL
        return response
