"""The live watcher on PostgreSQL: it hears committed chat changes through LISTEN/NOTIFY (migration chat 0003).

With the safety-net reading pushed out of reach (CHAT_FULL_READ_S), only a notification can wake
a waiter after the watcher's first reading; so each test below fails if the trigger, the payload
or the listening loop is wrong.
"""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection, connections
from django.db.models import F

from frontline.chat import services
from frontline.chat.live import _parse_row, watcher, watching
from frontline.chat.models import Chat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only(settings):  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; on SQLite the watcher reads each tick")
    settings.CHAT_FULL_READ_S = 3600
    watcher.stop()
    yield
    watcher.stop()  # its listening connection must not outlive the test database


def _write(change) -> None:  # type: ignore[no-untyped-def]
    """``change()`` committed by a connection of its own (a thread), like another web process."""
    try:
        change()
    finally:
        connections.close_all()


def _woken_by(chat_id: int, agent_id: int | None, change) -> bool:  # type: ignore[no-untyped-def]
    async def scenario() -> bool:
        with watching(chat_ids=frozenset({chat_id}), agent_id=agent_id) as waiter:
            assert waiter is not None
            await asyncio.wait_for(waiter.event.wait(), 10)  # registered before the first reading: woken by it
            waiter.event.clear()
            await sync_to_async(_write, thread_sensitive=False)(change)
            try:
                await asyncio.wait_for(waiter.event.wait(), 10)
            except TimeoutError:
                return False
            return True

    return async_to_sync(scenario)()


def test_a_new_message_committed_elsewhere_wakes_the_chats_waiter(widget, ana) -> None:  # type: ignore[no-untyped-def]
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    assert _woken_by(chat.pk, None, lambda: services.chat_customer_says(chat=chat, text="Anyone there?"))
    assert Chat.objects.get(pk=chat.pk).seq == 2


def test_an_agents_stream_wakes_when_a_chat_starts_waiting(widget, ana) -> None:  # type: ignore[no-untyped-def]
    assert _woken_by(0, ana.pk, lambda: services.chat_start(widget=widget, name="Kim", email="kim@example.com", text="Hi"))


def test_a_change_outside_the_live_columns_wakes_nobody(widget, ana) -> None:  # type: ignore[no-untyped-def]
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    seen = lambda: Chat.objects.filter(pk=chat.pk).update(customer_seen_at=F("started_at"))  # noqa: E731
    assert not _woken_by(chat.pk, None, seen)


def test_the_payload_is_the_live_row() -> None:
    assert _parse_row("12,3,0,active,7,") == (12, 3, 0, "active", 7, None)
    assert _parse_row("12,3,0,waiting,,9") == (12, 3, 0, "waiting", None, 9)
    assert _parse_row("garbage") is None
    assert _parse_row("1,x,0,active,,") is None
