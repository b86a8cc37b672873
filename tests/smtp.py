"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives, for tests of email out."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message as EmailMsg

from aiosmtpd.controller import Controller
from django.test import override_settings


class Inbox:
    """What the server received: ``messages`` parsed, ``envelopes`` as (mail from, recipients, raw bytes)."""

    def __init__(self) -> None:
        self.messages: list[EmailMsg] = []
        self.envelopes: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append(message_from_bytes(envelope.content))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[Inbox]:
    """Django's SMTP backend pointed at a fresh server on loopback; yields what it received."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                               EMAIL_HOST="127.0.0.1", EMAIL_PORT=controller.port):
            yield inbox
    finally:
        controller.stop()


@contextmanager
def no_smtp_server() -> Iterator[None]:
    """Django's SMTP backend pointed at a loopback port nothing listens on."""
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1",
                           EMAIL_PORT=free_port(), EMAIL_TIMEOUT=2):
        yield
