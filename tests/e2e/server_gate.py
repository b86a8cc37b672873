"""A gate in front of the live server: it counts the requests in progress and, once closed, answers
503 without touching the database.

Why: a browser test ends by flushing every table (``transaction=True``), in the test's thread. On
SQLite the live server's request threads share that thread's in-memory connection, so a request
still running while the flush deletes rows fails the flush with "database table is locked" (on
PostgreSQL it would read or write half-flushed tables). Pages keep talking to the server after
the test's last step: the ticket page reports presence every few seconds and sends a "left"
beacon on ``pagehide``, which closing its browser context fires. The e2e conftest therefore
closes the gate and waits for the requests in progress (``quiesce``) after the contexts are
closed and before the flush; the next test opens it again.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class ServerGate:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        self._cond = threading.Condition()
        self._open = True
        self._running: dict[int, str] = {}  # request number -> path, for the message when one hangs
        self._count = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self._cond:
            if not self._open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Connection", "close")])
                return [b"The test is over."]
            self._count += 1
            number = self._count
            self._running[number] = environ.get("PATH_INFO", "")
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._finished(number)
            raise
        return _Body(result, lambda: self._finished(number))

    def _finished(self, number: int) -> None:
        with self._cond:
            self._running.pop(number, None)
            self._cond.notify_all()

    def open(self) -> None:
        with self._cond:
            self._open = True

    def quiesce(self, timeout_s: float) -> list[str]:
        """Close the gate and wait until no request is in progress; the paths still running after
        ``timeout_s`` (a long poll, say), none when the server is quiet."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            self._open = False
            while self._running and (left := deadline - time.monotonic()) > 0:
                self._cond.wait(left)
            return sorted(self._running.values())


class _Body:
    """The application's response body; the request counts as finished when the server closes it
    (after the last byte is sent, or when sending failed)."""

    def __init__(self, result: Iterable[bytes], done: Callable[[], None]) -> None:
        self._result = result
        self._done = done

    def __iter__(self) -> Iterator[bytes]:
        return iter(self._result)

    def close(self) -> None:
        try:
            close = getattr(self._result, "close", None)
            if close is not None:
                close()
        finally:
            self._done()
