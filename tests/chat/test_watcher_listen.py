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


@pytest.fixture
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_postgresql_only")
def test_the_watcher_hears_each_committed_change_that_matters_and_no_other(widget, ana) -> None:  # type: ignore[no-untyped-def]
    """One test, several steps (each transactional test on PostgreSQL empties every table: seconds)."""
    def start(name: str) -> Chat:
        return services.chat_start(widget=widget, name=name, email=f"{name.lower()}@example.com", text="Hello").chat

    # An agent's stream wakes when a chat starts waiting, and the watcher knew of it before waking
    # anyone (an agent poll skips the queue's read only while the watcher knows that nothing waits).
    knew: list[bool] = []
    waiting: list[Chat] = []
    assert _woken_by(0, ana.pk, lambda: waiting.append(start("Kim")), seen=lambda: knew.append(watcher.nothing_waiting()),
                     before=lambda: knew.append(watcher.nothing_waiting()))
    assert knew == [True, False]

    # A message committed by another connection wakes the chat's waiter.
    chat = waiting[0]
    assert _woken_by(chat.pk, None, lambda: services.chat_customer_says(chat=chat, text="Anyone there?"))
    assert Chat.objects.get(pk=chat.pk).seq == 2

    # A change outside the live columns wakes nobody.
    seen = lambda: Chat.objects.filter(pk=chat.pk).update(customer_seen_at=F("started_at"))  # noqa: E731
    assert not _woken_by(chat.pk, None, seen, expected=False)

    # The payload is the live row (seq and customer_seq move with the customer's message).
    services.accept_chat(chat=chat, agent=ana)
    services.chat_agent_says(chat=chat, agent=ana, text="Hi Kim")
    listener = _listener()  # what the watcher listens with
    try:
        services.chat_customer_says(chat=chat, text="Thanks")  # committed (autocommit): the trigger notifies
        notes = list(listener.notifies(timeout=5, stop_after=1))
    finally:
        listener.close()
    row = _parse_row(notes[-1].payload)
    assert row == next(r for r in chat_live_rows(now=timezone.now()) if r[0] == chat.pk)
    assert row is not None and (row[1], row[6]) == (5, 5)  # the customer's message is entry 5

    # An agent's own message in one chat wakes none of their other tabs; a customer's message does
    # (the tab lists it as new), and so does anything in the tab's own chat.
    other = start("Lou")
    services.accept_chat(chat=other, agent=ana)
    tab = (chat.pk, ana.pk)  # a tab open on the first chat: the agent's stream plus that chat
    assert not _woken_by(*tab, lambda: services.chat_agent_says(chat=other, agent=ana, text="One moment"), expected=False)
    assert _woken_by(*tab, lambda: services.chat_customer_says(chat=other, text="Still there?"))
    assert _woken_by(*tab, lambda: services.chat_agent_says(chat=chat, agent=ana, text="Here"))


def test_the_payload_parses_into_a_live_row() -> None:
    assert _parse_row("12,3,0,active,7,,2") == (12, 3, 0, "active", 7, None, 2)
    assert _parse_row("12,3,0,waiting,,9,3") == (12, 3, 0, "waiting", None, 9, 3)
    assert _parse_row("garbage") is None
    assert _parse_row("1,x,0,active,,,0") is None
