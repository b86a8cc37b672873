"""Data migrations of the desk app, run on rows the services wrote."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from django.apps import apps

from frontline.desk import services
from frontline.desk.models import Ticket
from tests import factories as f

pytestmark = pytest.mark.django_db

public_view = importlib.import_module("frontline.desk.migrations.0006_ticket_public_view")


def test_0006_fills_what_a_customer_sees_from_public_messages_and_visible_changes_only() -> None:
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
    manager = f.manager()
    ticket = f.ticket(subject="Lost parcel", body="Never arrived", at=t0)
    services.ticket_reply(ticket=ticket, author=manager, body="Answer", at=t0 + timedelta(hours=1))
    services.ticket_status_change(ticket=ticket, status=f.status("pending"), actor=manager, at=t0 + timedelta(hours=2))
    services.ticket_reply(ticket=ticket, author=manager, body="secret note", public=False, at=t0 + timedelta(hours=3))
    services.ticket_priority_change(ticket=ticket, priority="high", actor=manager, at=t0 + timedelta(hours=4))
    written = Ticket.objects.values("public_search_text", "public_message_count", "public_updated_at").get(pk=ticket.pk)
    Ticket.objects.update(public_search_text="", public_message_count=0, public_updated_at=t0 - timedelta(days=9))

    public_view.fill(apps, None)

    filled = Ticket.objects.values("public_search_text", "public_message_count", "public_updated_at").get(pk=ticket.pk)
    assert filled == written
    assert filled["public_updated_at"] == t0 + timedelta(hours=2)
