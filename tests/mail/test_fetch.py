"""The IMAP fetch against a real server: a private dovecot on loopback (skipped, naming dovecot, without it)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.utils import timezone

from frontline.desk.models import Ticket
from frontline.mail.fetch import backoff_seconds, mailbox_fetch, mailboxes_fetch_due
from frontline.mail.models import InboundEmail, Mailbox

from .conftest import corpus_bytes
from .dovecot import DOVECOT, SKIP_REASON, Dovecot

needs_dovecot = pytest.mark.skipif(DOVECOT is None, reason=SKIP_REASON)
PASSWORD = "imap-secret"
USER = "support@example.test"
_FOLDERS = itertools.count(1)


@pytest.fixture(scope="module")
def imap_server():  # type: ignore[no-untyped-def]
    if DOVECOT is None:
        pytest.skip(SKIP_REASON)
    with Dovecot() as server:
        server.add_user(USER, PASSWORD)
        yield server


@pytest.fixture
def mailbox(imap_server, monkeypatch, request):  # type: ignore[no-untyped-def]
    """A mailbox on its own new IMAP folder (UIDs from 1), password in an environment variable."""
    folder = f"T{next(_FOLDERS)}"
    client = imap_server.client(USER, PASSWORD)
    client.create_folder(folder)
    client.logout()
    monkeypatch.setenv("TEST_IMAP_PASSWORD", PASSWORD)
    return Mailbox.objects.create(address=USER, imap_host=imap_server.host, imap_port=imap_server.port, imap_tls=False,
                                  imap_user=USER, password_env="TEST_IMAP_PASSWORD", folder=folder)


def _deliver(imap_server, mailbox, *names):  # type: ignore[no-untyped-def]
    client = imap_server.client(USER, PASSWORD)
    for name in names:
        client.append(mailbox.folder, corpus_bytes(name))
    client.logout()


pytestmark = [pytest.mark.django_db(transaction=True), needs_dovecot]


def test_fetch_ingests_new_messages_with_threading(mailbox, imap_server):
    _deliver(imap_server, mailbox, "01_plain.eml", "02_reply_in_reply_to.eml", "19_precedence_bulk.eml")
    result = mailbox_fetch(mailbox=mailbox)
    mailbox.refresh_from_db()
    assert (result.fetched, result.outcomes, result.error) == (3, {"created": 1, "threaded": 1, "auto_reply": 1}, "")
    assert (mailbox.last_uid, mailbox.uid_validity is not None, Ticket.objects.count()) == (3, True, 1)


def test_fetching_again_fetches_only_what_is_new(mailbox, imap_server):
    _deliver(imap_server, mailbox, "01_plain.eml")
    mailbox_fetch(mailbox=mailbox)
    _deliver(imap_server, mailbox, "09_mixed_pdf.eml")
    second = mailbox_fetch(mailbox=mailbox)
    third = mailbox_fetch(mailbox=mailbox)
    assert (second.fetched, second.outcomes, third.fetched, InboundEmail.objects.count()) == (1, {"created": 1}, 0, 2)


def test_a_uidvalidity_change_refetches_without_duplicating(mailbox, imap_server):
    _deliver(imap_server, mailbox, "01_plain.eml", "09_mixed_pdf.eml")
    mailbox_fetch(mailbox=mailbox)
    Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=1)  # as if the server had renumbered
    mailbox.refresh_from_db()
    again = mailbox_fetch(mailbox=mailbox)
    assert (again.outcomes, InboundEmail.objects.count()) == ({"duplicate": 2}, 2)


def test_a_failing_mailbox_records_its_error_backs_off_and_does_not_block_the_others(mailbox, imap_server):
    broken = Mailbox.objects.create(address="broken@example.test", imap_host=imap_server.host,
                                    imap_port=imap_server.port, imap_tls=False, imap_user="broken@example.test")
    _deliver(imap_server, mailbox, "01_plain.eml")
    now = timezone.now()
    results = {r.mailbox: r for r in mailboxes_fetch_due(at=now)}
    broken.refresh_from_db()
    assert (results[mailbox.address].fetched, "AUTHENTICATIONFAILED" in broken.last_error) == (1, True)
    assert (broken.failures, broken.retry_after) == (1, now + timedelta(seconds=60))
    assert [r.mailbox for r in mailboxes_fetch_due(at=now + timedelta(seconds=30))] == [mailbox.address]


def test_a_missing_password_variable_is_a_clear_error(mailbox, imap_server, monkeypatch):
    monkeypatch.delenv("TEST_IMAP_PASSWORD")
    result = mailbox_fetch(mailbox=mailbox)
    assert "TEST_IMAP_PASSWORD" in result.error


def test_backoff_doubles_up_to_an_hour():
    assert [backoff_seconds(n) for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]
