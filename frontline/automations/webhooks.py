"""A rule's webhook: POST a JSON description of the ticket, signed, with a timeout and a few retries.

Signature: ``X-Frontline-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`` with the
rule's secret, ``X-Frontline-Timestamp: <unix seconds>`` (receivers refuse old timestamps to stop
replays). Every call is logged as a ``WebhookCall`` (attempts, status code, error, duration).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone

from frontline.core import outbound

from .models import Rule, WebhookCall

log = logging.getLogger(__name__)


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def webhook_post(*, rule: Rule, ticket_id: int, url: str, payload: dict[str, Any], at: datetime | None = None,
                 sleep: Any = time.sleep) -> WebhookCall:
    """POST ``payload`` to ``url``; retried on a connection error or a 5xx, up to
    AUTOMATION_WEBHOOK_ATTEMPTS with doubling waits; an internal address (frontline.core.outbound)
    is refused at once. Never raises: the outcome is the log row."""
    body = json.dumps(payload, sort_keys=True, default=str).encode()
    attempts, status, error = 0, None, ""
    started = time.monotonic()
    wait = settings.AUTOMATION_WEBHOOK_BACKOFF_S
    for attempt in range(1, settings.AUTOMATION_WEBHOOK_ATTEMPTS + 1):
        attempts = attempt
        timestamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "User-Agent": "Frontline-Automations/1",
                   "X-Frontline-Timestamp": timestamp, "X-Frontline-Rule": str(rule.pk),
                   "X-Frontline-Signature": signature(secret=rule.webhook_secret, timestamp=timestamp, body=body)}
        try:
            status = outbound.post(url, body=body, headers=headers, timeout=settings.AUTOMATION_WEBHOOK_TIMEOUT_S)
        except outbound.BlockedAddress as exc:  # an internal address (checked again now: DNS may have changed)
            status, error = None, f"Refused: {exc}"[:500]
            break
        except (OSError, ValueError) as exc:
            status, error = None, f"{exc.__class__.__name__}: {exc}"[:500]
        else:
            error = "" if 200 <= status < 300 else f"HTTP {status}"
            if status < 500:
                break
        if attempt < settings.AUTOMATION_WEBHOOK_ATTEMPTS:
            sleep(wait)
            wait *= 2
    ok = status is not None and 200 <= status < 300
    if not ok:
        log.warning("automations: webhook of rule %s to %s failed after %s attempts: %s", rule.pk, url, attempts, error)
    return WebhookCall.objects.create(rule=rule, ticket_id=ticket_id, url=url, ok=ok, status_code=status,
                                      attempts=attempts, error=error,
                                      duration_ms=int((time.monotonic() - started) * 1000), at=at or timezone.now())
