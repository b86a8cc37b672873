"""mail.tasks: the fetch is a registered, periodic background task that never raises."""

from __future__ import annotations

import pytest
from django.conf import settings

from frontline.core import background
from frontline.mail.models import Mailbox
from frontline.mail.tasks import mail_fetch

pytestmark = pytest.mark.django_db


def test_the_fetch_is_registered_and_periodic():
    assert (background.registered("mail.fetch"), background.periodic()["mail.fetch"]) == (
        mail_fetch, settings.MAIL_FETCH_EVERY_S)


def test_an_unreachable_mailbox_is_reported_not_raised():
    Mailbox.objects.create(address="x@example.test", imap_host="127.0.0.1", imap_port=1, imap_tls=False)
    report = mail_fetch.call()
    assert ("x@example.test: 0 fetched, error" in report, Mailbox.objects.get().failures) == (True, 1)
