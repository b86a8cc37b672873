"""Domain errors of the desk, mapped to HTTP by the views and the API."""

from __future__ import annotations


class TransitionNotAllowed(Exception):
    """A status change the workflow does not allow (HTTP 409)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Conflict(Exception):
    """The request conflicts with the ticket's current state (HTTP 409)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
