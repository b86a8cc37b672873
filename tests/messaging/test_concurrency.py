"""Two first messages of one new conversation at the same moment make one ticket (a real race on PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.utils import timezone

from frontline.messaging import services
from frontline.messaging.models import MessagingConnector, Platform, Thread


@pytest.mark.django_db(transaction=True)
def test_two_first_messages_at_once_make_one_ticket() -> None:
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time (and its shared in-memory test database refuses a second one)")
    connector = MessagingConnector.objects.create(name="WA", slug="wa", platform=Platform.WHATSAPP, secret="s",
                                                  created_at=timezone.now())
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def send(n: int) -> None:
        try:
            msg = services.message_parse({"event_id": f"e{n}", "conversation_id": "c", "user": {"id": "u"}, "text": f"hi {n}"})
            barrier.wait()
            services.message_receive(connector=connector, msg=msg)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert (errors, Thread.objects.values("ticket_id").distinct().count(), Thread.objects.get().ticket.message_count) == (
        [], 1, 2)
