"""Show times in the viewer's time zone (the one they chose on My profile, else the browser's
cookie, else UTC); htmx-aware responses and redirects."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.cache import patch_vary_headers


class ViewerTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        chosen = user.time_zone if user is not None and user.is_authenticated else ""
        # An empty zone on the profile means "use my browser's" (app.js keeps it in the tz cookie).
        name = chosen or request.COOKIES.get("tz", "")
        try:
            timezone.activate(zoneinfo.ZoneInfo(name)) if name else timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """When a session has expired, an htmx request would follow the redirect to the sign-in page
    and swap that whole page into a fragment. Send the browser itself to sign in instead, and
    back to the page it was on afterwards."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        login_path = resolve_url(settings.LOGIN_URL)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and urlsplit(response.get("Location", "")).path == login_path
        ):
            current = urlsplit(request.headers.get("HX-Current-URL", "")).path or "/"
            redirect = HttpResponse(status=200)
            redirect["HX-Redirect"] = f"{login_path}?{urlencode({'next': current})}"
            return redirect
        return response


class HtmxVaryMiddleware:
    """Pages answer a plain request with the full page and an htmx request with a fragment at the
    same URL. Say so (``Vary: HX-Request``): otherwise the browser's cache may hand the fragment
    back for a plain visit of that URL, as Back does after a filter pushed it into the history."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method in ("GET", "HEAD"):
            patch_vary_headers(response, ("HX-Request",))
        return response
