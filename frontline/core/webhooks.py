"""Signed webhooks, both ways: the one signature scheme of Frontline's inbound and outbound webhooks.

A request carries two headers::

    X-Frontline-Timestamp: 1796570000                 (Unix seconds when it was signed)
    X-Frontline-Signature: sha256=<hex>               (HMAC-SHA256 of "<timestamp>." + the raw body)

keyed with the connector's shared secret. The receiver recomputes the signature over the exact
bytes it received (constant-time comparison) and refuses a timestamp more than
``WEBHOOK_TOLERANCE_S`` (5 minutes) away from its clock, so a captured request cannot be replayed
later; inside that window the payload's ``event_id`` is remembered and a second request with the
same id is refused too (the apps' receipt tables).

Pure functions on bytes and strings (no models): used by ``frontline.phone`` and
``frontline.messaging`` to verify what comes in and to sign what goes out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

TIMESTAMP_HEADER = "X-Frontline-Timestamp"
SIGNATURE_HEADER = "X-Frontline-Signature"
WEBHOOK_TOLERANCE_S = 300
SECRET_BYTES = 32


def secret_new() -> str:
    """A fresh shared secret (43 URL-safe characters, 256 bits)."""
    return "whsec_" + secrets.token_urlsafe(SECRET_BYTES)


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 over ``timestamp`` + ``.`` + ``body`` keyed with ``secret``.

    >>> signature(secret="s", timestamp="1", body=b"{}")
    'sha256=b253639bcd705ed1cda3073f66104f16988bd40272584dea7d0d345ae93e61cc'
    """
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def signed_headers(*, secret: str, body: bytes, now: float) -> dict[str, str]:
    """The two headers for an outgoing request with ``body`` signed at ``now`` (Unix seconds)."""
    timestamp = str(int(now))
    return {TIMESTAMP_HEADER: timestamp, SIGNATURE_HEADER: signature(secret=secret, timestamp=timestamp, body=body)}


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`verify`: ``ok``, or the HTTP status to answer and why."""

    ok: bool
    status: int = 200
    reason: str = ""


def verify(*, secrets_: Iterable[str], timestamp: str | None, sig: str | None, body: bytes, now: float,
           tolerance_s: int = WEBHOOK_TOLERANCE_S) -> Verdict:
    """Check a request's signature against any of ``secrets_`` (the current one and, during a rotation, the previous).

    401 when a header is missing or the signature matches no secret (forged, or signed with
    another secret); 401 as well when the timestamp is not a number; 403 when the signature is
    right but the timestamp is more than ``tolerance_s`` away from ``now`` (a stale or replayed
    request). The signature is checked first, so a forger learns nothing about the clock.
    """
    if not timestamp or not sig:
        return Verdict(False, 401, f"Sign the request: headers {TIMESTAMP_HEADER} and {SIGNATURE_HEADER} are required.")
    timestamp = timestamp.strip()
    if not timestamp.isdigit() or len(timestamp) > 12:
        return Verdict(False, 401, f"{TIMESTAMP_HEADER} must be Unix seconds.")
    given = sig.strip()
    if not any(hmac.compare_digest(signature(secret=s, timestamp=timestamp, body=body), given) for s in secrets_ if s):
        return Verdict(False, 401, "The signature does not match.")
    if abs(now - int(timestamp)) > tolerance_s:
        return Verdict(False, 403, f"The request is stale: signed more than {tolerance_s // 60} minutes from now. "
                                   "Sign each request when sending it.")
    return Verdict(True)


@dataclass(frozen=True)
class Received:
    """An inbound webhook's body: ``data`` (parsed JSON) when ``status`` is 0, else the refusal."""

    data: Any
    status: int = 0
    detail: str = ""
    errors: dict[str, list[str]] | None = None


def receive(*, secrets_: Iterable[str], timestamp: str | None, sig: str | None, body: bytes, now: float,
            max_bytes: int) -> Received:
    """Verify a signed request and read its JSON: 401/403 (signature, age), 413 (size), 422 (not JSON)."""
    verdict = verify(secrets_=secrets_, timestamp=timestamp, sig=sig, body=body, now=now)
    if not verdict.ok:
        return Received(None, verdict.status, verdict.reason)
    if len(body) > max_bytes:
        return Received(None, 413, f"The body is over {max_bytes // 1024} KiB.")
    try:
        return Received(json.loads(body or b"null"))
    except ValueError:  # not JSON, or not UTF-8
        return Received(None, 422, "The body is not JSON.", {"body": ["Send a JSON object."]})


class HasSecrets(Protocol):
    secret: str
    previous_secret: str
    previous_secret_until: datetime | None
    secret_rotated_at: datetime | None


def rotate(connector: HasSecrets, *, keep_previous: bool, at: datetime, grace: timedelta) -> str:
    """Give ``connector`` a new secret (the caller saves it); with ``keep_previous`` the old one
    stays valid for ``grace`` (time to update the sender). Returns the new secret."""
    secret = secret_new()
    connector.previous_secret = connector.secret if keep_previous else ""
    connector.previous_secret_until = at + grace if keep_previous else None
    connector.secret, connector.secret_rotated_at = secret, at
    return secret


ROTATED_FIELDS = ["secret", "previous_secret", "previous_secret_until", "secret_rotated_at"]
