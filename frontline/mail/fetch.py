"""Fetching new mail from the mailboxes over IMAP (imapclient), UID by UID, into ``email_ingest``.

Idempotent: a mailbox remembers its UIDVALIDITY and the last UID it ingested (saved after each
message); a message fetched twice (a crash between ingest and save, a UIDVALIDITY reset) is a
``duplicate`` of the stored one. Nothing is deleted or flagged on the server (BODY.PEEK).
A failing mailbox records its error, backs off (1, 2, 4 … minutes, at most an hour) and never
stops the others; two workers never fetch one mailbox at once (a lease on the row).
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone
from imapclient import IMAPClient

from frontline.desk.services import atomic_with_files

from .models import Mailbox
from .services import IngestResult, email_ingest

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
BACKOFF_MAX_S = 3600
FETCH_BATCH = 100
IMAP_TIMEOUT_S = 30

ClientFactory = Callable[[Mailbox], Any]


@dataclass(frozen=True)
class FetchResult:
    mailbox: str
    fetched: int
    outcomes: dict[str, int]
    error: str = ""


def imap_client(mailbox: Mailbox) -> IMAPClient:
    """A logged-in client for ``mailbox`` (password from the environment variable it names)."""
    password = os.environ.get(mailbox.password_env, "") if mailbox.password_env else ""
    if mailbox.password_env and not password:
        raise RuntimeError(f"the environment variable {mailbox.password_env} (the IMAP password) is not set")
    context = ssl.create_default_context() if mailbox.imap_tls else None
    client = IMAPClient(mailbox.imap_host, port=mailbox.imap_port, ssl=mailbox.imap_tls, ssl_context=context,
                        timeout=IMAP_TIMEOUT_S)
    client.login(mailbox.imap_user or mailbox.address, password)
    return client


def backoff_seconds(failures: int) -> int:
    """Wait after ``failures`` failed fetches in a row: 60 s doubling, at most an hour."""
    return int(min(60 * 2 ** max(failures - 1, 0), BACKOFF_MAX_S))


def mailbox_fetch(*, mailbox: Mailbox, at: datetime | None = None, client_factory: ClientFactory = imap_client,
                  limit: int | None = None) -> FetchResult:
    """Fetch and ingest the new messages of one mailbox; errors are recorded on it, not raised."""
    at = at or timezone.now()
    claimed = Mailbox.objects.filter(pk=mailbox.pk).filter(Q(lease_until__isnull=True) | Q(lease_until__lt=at)) \
        .update(lease_until=at + LEASE)
    if not claimed:
        return FetchResult(mailbox=mailbox.address, fetched=0, outcomes={}, error="another fetch is running")
    mailbox.refresh_from_db()
    outcomes: dict[str, int] = {}
    fetched = 0
    try:
        client = client_factory(mailbox)
        try:
            fetched = _fetch_new(client, mailbox, outcomes, limit)
        finally:
            _quietly_logout(client)
    except Exception as exc:  # network, TLS, login, IMAP protocol: recorded, never raised to the worker
        return _failed(mailbox, at, exc, fetched, outcomes)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_fetch_at=timezone.now(), last_error="", failures=0, retry_after=None, lease_until=None,
    )
    return FetchResult(mailbox=mailbox.address, fetched=fetched, outcomes=outcomes)


def _fetch_new(client: Any, mailbox: Mailbox, outcomes: dict[str, int], limit: int | None) -> int:
    info = client.select_folder(mailbox.folder, readonly=True)
    validity = int(info[b"UIDVALIDITY"])
    if mailbox.uid_validity != validity:  # a new mailbox, or the server renumbered: start over
        mailbox.uid_validity, mailbox.last_uid = validity, 0
        Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=validity, last_uid=0)
    uids = sorted(u for u in client.search(["UID", f"{mailbox.last_uid + 1}:*"]) if u > mailbox.last_uid)
    if limit is not None:
        uids = uids[:limit]
    fetched = 0
    for start in range(0, len(uids), FETCH_BATCH):
        chunk = uids[start : start + FETCH_BATCH]
        data = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            raw = data.get(uid, {}).get(b"BODY[]")
            with atomic_with_files():  # the message and the mailbox's last UID: one commit
                if raw is not None:
                    result: IngestResult = email_ingest(raw=bytes(raw), mailbox=mailbox,
                                                        source=f"imap:{mailbox.address}:{uid}"[:100])
                    outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
                    fetched += 1
                Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=uid)
            mailbox.last_uid = uid
    return fetched


def _failed(mailbox: Mailbox, at: datetime, exc: BaseException, fetched: int, outcomes: dict[str, int]) -> FetchResult:
    failures = Mailbox.objects.get(pk=mailbox.pk).failures + 1
    error = f"{exc.__class__.__name__}: {exc}"[:1000]
    log.warning("mail: fetching %s failed (%s in a row): %s", mailbox.address, failures, error)
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_error=f"{at:%Y-%m-%d %H:%M:%S} UTC: {error}", failures=failures, lease_until=None,
        retry_after=at + timedelta(seconds=backoff_seconds(failures)),
    )
    return FetchResult(mailbox=mailbox.address, fetched=fetched, outcomes=outcomes, error=error)


def _quietly_logout(client: Any) -> None:
    with contextlib.suppress(Exception):  # the connection may already be gone
        client.logout()


def mailboxes_fetch_due(*, at: datetime | None = None, client_factory: ClientFactory = imap_client) -> list[FetchResult]:
    """Fetch every enabled mailbox with an IMAP host whose backoff has passed, one after another."""
    at = at or timezone.now()
    due = Mailbox.objects.filter(enabled=True).exclude(imap_host="").filter(Q(retry_after__isnull=True) | Q(retry_after__lte=at))
    return [mailbox_fetch(mailbox=m, at=at, client_factory=client_factory) for m in due.order_by("address")]
