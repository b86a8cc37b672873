"""Admin: failed mail is listed and the "retry" action processes it again."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from frontline.desk import services as desk
from frontline.mail.models import InboundEmail
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):  # type: ignore[no-untyped-def]
    return login(f.manager(is_staff=True, is_superuser=True))


def test_failed_mail_is_listed_with_its_error(admin_client, ingest):
    ingest("25_no_from.eml")
    page = admin_client.get(reverse("admin:mail_inboundemail_changelist") + "?outcome__exact=failed")
    assert (page.status_code, "no sender" in page.content.decode()) == (200, True)


def test_retry_action_processes_a_failed_message(admin_client, ingest, monkeypatch):
    original = desk.ticket_create
    monkeypatch.setattr(desk, "ticket_create", lambda **kw: (_ for _ in ()).throw(RuntimeError("transient")))
    failed = ingest("01_plain.eml")
    monkeypatch.setattr(desk, "ticket_create", original)
    response = admin_client.post(reverse("admin:mail_inboundemail_changelist"),
                                 {"action": "retry", ACTION_CHECKBOX_NAME: [failed.inbound_id]}, follow=True)
    inbound = InboundEmail.objects.get(pk=failed.inbound_id)
    assert (response.status_code, inbound.outcome, inbound.ticket_id is not None) == (200, "created", True)


def test_mailbox_admin_page_shows_the_fetch_error(admin_client):
    from frontline.mail.models import Mailbox

    mailbox = Mailbox.objects.create(address="x@frontline.localhost", last_error="LOGIN failed: bad password")
    page = admin_client.get(reverse("admin:mail_mailbox_change", args=[mailbox.pk]))
    assert "LOGIN failed: bad password" in page.content.decode()


def test_sent_emails_are_listed_read_only(admin_client, ingest):
    from frontline.mail.models import Delivery, OutgoingEmail

    result = ingest("01_plain.eml")
    OutgoingEmail.objects.create(desk_message_id=result.message, ticket_id=result.ticket, message_id="m@x",
                                 to_address="alice@example.com", status=Delivery.FAILED, last_error="550 no such user",
                                 created_at=timezone.now())
    page = admin_client.get(reverse("admin:mail_outgoingemail_changelist"))
    assert (page.status_code, "550 no such user" in page.content.decode()) == (200, True)
