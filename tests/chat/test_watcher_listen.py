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
from django.utils import timezone

from frontline.chat import services
from frontline.chat.live import _listener, _parse_row, watcher, watching
from frontline.chat.models import Chat
from frontline.chat.selectors import chat_live_rows

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


def _woken_by(chat_id: int, agent_id: int | None, change, expected: bool = True,  # type: ignore[no-untyped-def]
              before=None, seen=None) -> bool:
    """Whether a waiter on ``chat_id`` (and ``agent_id``'s stream) is woken by ``change``."""
    watcher.stop()  # the waiter below is then the first: woken by the watcher's first reading

    async def scenario() -> bool:
        with watching(chat_ids=frozenset({chat_id}), agent_id=agent_id) as waiter:
            assert waiter is not None
            await asyncio.wait_for(waiter.event.wait(), 10)  # registered before the first reading: woken by it
            waiter.event.clear()
            if before is not None:
                before()
            await sync_to_async(_write, thread_sensitive=False)(change)
            try:  # a notification comes within milliseconds; 3 s is a generous wait for one that should not
                await asyncio.wait_for(waiter.event.wait(), 10 if expected else 3)
            except TimeoutError:
                return False
            if seen is not None:
                seen()
            return True

    return async_to_sync(scenario)()


def test_a_new_message_committed_elsewhere_wakes_the_chats_waiter(widget, ana) -> None:  # type: ignore[no-untyped-def]
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    assert _woken_by(chat.pk, None, lambda: services.chat_customer_says(chat=chat, text="Anyone there?"))
    assert Chat.objects.get(pk=chat.pk).seq == 2


def test_an_agents_stream_wakes_when_a_chat_starts_waiting(widget, ana) -> None:  # type: ignore[no-untyped-def]
    """And the watcher knows of it before it wakes anyone: an agent poll skips the queue's read only while
    the watcher knows that nothing waits."""
    knew: list[bool] = []
    start = lambda: services.chat_start(widget=widget, name="Kim", email="kim@example.com", text="Hi")  # noqa: E731
    assert _woken_by(0, ana.pk, start, seen=lambda: knew.append(watcher.nothing_waiting()),
                     before=lambda: knew.append(watcher.nothing_waiting()))
    assert knew == [True, False]


def test_a_change_outside_the_live_columns_wakes_nobody(widget, ana) -> None:  # type: ignore[no-untyped-def]
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    seen = lambda: Chat.objects.filter(pk=chat.pk).update(customer_seen_at=F("started_at"))  # noqa: E731
    assert not _woken_by(chat.pk, None, seen, expected=False)


def test_the_payload_is_the_live_row(widget, ana) -> None:  # type: ignore[no-untyped-def]
    assert _parse_row("12,3,0,active,7,,2") == (12, 3, 0, "active", 7, None, 2)
    assert _parse_row("12,3,0,waiting,,9,3") == (12, 3, 0, "waiting", None, 9, 3)
    assert _parse_row("garbage") is None
    assert _parse_row("1,x,0,active,,,0") is None
    chat = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    services.accept_chat(chat=chat, agent=ana)
    services.chat_agent_says(chat=chat, agent=ana, text="Hi Kim")
    listener = _listener()  # what the watcher listens with
    try:
        services.chat_customer_says(chat=chat, text="Thanks")  # committed (autocommit): the trigger notifies
        notes = list(listener.notifies(timeout=5, stop_after=1))
    finally:
        listener.close()
    assert _parse_row(notes[-1].payload) == next(r for r in chat_live_rows(now=timezone.now()) if r[0] == chat.pk)
    assert _parse_row(notes[-1].payload)[1::5] == (4, 4)  # seq and customer_seq: the customer's message is entry 4


def test_an_agents_own_message_wakes_none_of_their_other_tabs(widget, ana) -> None:  # type: ignore[no-untyped-def]
    first = services.chat_start(widget=widget, name="Kim Lee", email="kim@example.com", text="Hello").chat
    other = services.chat_start(widget=widget, name="Lou Ma", email="lou@example.com", text="Hi").chat
    for chat in (first, other):
        services.accept_chat(chat=chat, agent=ana)
    tab = (first.pk, ana.pk)  # a tab open on the first chat: the agent's stream plus that chat
    assert not _woken_by(*tab, lambda: services.chat_agent_says(chat=other, agent=ana, text="One moment"), expected=False)
    assert _woken_by(*tab, lambda: services.chat_customer_says(chat=other, text="Still there?"))  # shown as new
    assert _woken_by(*tab, lambda: services.chat_agent_says(chat=first, agent=ana, text="Here"))  # the open chat
