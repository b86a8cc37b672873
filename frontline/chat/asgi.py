"""The fast path of the chat's long polls under ASGI: no synchronous middleware in the way.

Django runs a request through a synchronous middleware (WhiteNoise, the project's own) in a
thread, and an async view below it would hold that thread for the whole wait. The two poll URLs
are read-only JSON endpoints that need only the session (the agent's) and authentication, so
``frontline.asgi`` sends them to this handler, whose middleware are both async-capable: a waiting
poll then holds no thread and no database connection. Every other URL goes through the full stack.
"""

from __future__ import annotations

import re

from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string

LIVE_PATH = re.compile(r"^/chat/(agent/poll/|w/[-a-zA-Z0-9_]+/chats/\d+/poll)$")


def is_live_path(path: str) -> bool:
    return bool(LIVE_PATH.match(path))


class LiveHandler(ASGIHandler):
    MIDDLEWARE = ("django.contrib.sessions.middleware.SessionMiddleware",
                  "django.contrib.auth.middleware.AuthenticationMiddleware")

    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response_async)
        for path in reversed(self.MIDDLEWARE):
            handler = convert_exception_to_response(import_string(path)(handler))
        self._middleware_chain = handler
