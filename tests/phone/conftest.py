from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.utils import timezone

from frontline.core import webhooks
from frontline.phone.models import PhoneConnector
from tests import factories as f


@pytest.fixture
def team():  # type: ignore[no-untyped-def]
    return f.team(name="Phones")


@pytest.fixture
def connector(team):  # type: ignore[no-untyped-def]
    return PhoneConnector.objects.create(name="Acme PBX", slug="acme", secret="whsec_test", created_at=timezone.now(),
                                         queue=f.queue(name="Calls", team=team))


def post_signed(client, slug: str, payload: Any, *, secret: str = "whsec_test", ts: float | None = None,
                raw: bytes | None = None, sig: str | None = None):  # type: ignore[no-untyped-def]
    """POST ``payload`` to the phone webhook, signed with ``secret`` at ``ts`` (now by default)."""
    body = raw if raw is not None else json.dumps(payload).encode()
    headers = webhooks.signed_headers(secret=secret, body=body, now=time.time() if ts is None else ts)
    if sig is not None:
        headers[webhooks.SIGNATURE_HEADER] = sig
    return client.post(f"/webhooks/phone/{slug}/", data=body, content_type="application/json",
                       headers=headers)
