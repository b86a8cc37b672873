from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from frontline.core import webhooks
from frontline.messaging.models import MessagingConnector, Platform
from tests import factories as f


class Loopback:
    """An outbound webhook on 127.0.0.1: answers the statuses in ``script`` in turn (then the last), records requests."""

    def __init__(self, script: list[int]) -> None:
        self.script = list(script)
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.requests.append({"headers": dict(self.headers), "body": body})
                code = outer.script.pop(0) if len(outer.script) > 1 else outer.script[0]
                self.send_response(code)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/outbound"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback(settings) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """Receivers on 127.0.0.1, which outgoing webhooks refuse unless the operator allows internal addresses: allowed here."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    servers: list[Loopback] = []

    def make(script: list[int]) -> Loopback:
        server = Loopback(script)
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Social")


@pytest.fixture
def connector(team):  # type: ignore[no-untyped-def]
    return MessagingConnector.objects.create(name="Shop WhatsApp", slug="wa", platform=Platform.WHATSAPP,
                                             secret="whsec_test", created_at=timezone.now(),
                                             queue=f.queue(name="Social", team=team))


def post_signed(client, slug: str, payload: Any, *, secret: str = "whsec_test", ts: float | None = None,
                raw: bytes | None = None, sig: str | None = None):  # type: ignore[no-untyped-def]
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = webhooks.signed_headers(secret=secret, body=body, now=time.time() if ts is None else ts)
    if sig is not None:
        headers[webhooks.SIGNATURE_HEADER] = sig
    return client.post(f"/webhooks/messages/{slug}/", data=body, content_type="application/json", headers=headers)
