"""Long polling: a client waiting for news of a chat is woken when the chat changes, in any web process.

Each web process runs one watcher thread while clients wait. Every ``CHAT_TICK_S`` it reads one
small row per live chat (``selectors.chat_live_rows``: the last entry number, the typing pulse, the
state, the agent) and compares it with the previous read; the waiters interested in a changed
chat are woken and read their news from the database. A write in this process also pokes the
watcher so it reads at once. Only committed rows are read, so a change made by another process
(or another machine) is seen within one tick, and no client is woken for a row it cannot yet read.

A waiter registers *before* it first reads the database: a change committed after that read is
necessarily seen by a later tick, so no wake-up is lost. Waking too often is harmless (the
waiter reads, finds nothing new and waits again).

Under ASGI (``frontline serve``: uvicorn workers) a waiting request holds no database connection:
each of its reads runs through :func:`db_call`, which hands the connection back (to the pool, with
``FRONTLINE_DB_POOL_SIZE``) as soon as the read is done, rather than at the end of the request —
Django runs a request's synchronous parts in a thread of its own, whose connection would otherwise
stay open for the whole wait. Under WSGI (the test server) a waiting request holds its thread,
which is fine for a few clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from . import selectors

log = logging.getLogger(__name__)
Row = tuple[int, int, int, str, "int | None", "int | None"]
IDLE_STOP_S = 30.0


@dataclass(eq=False)
class Waiter:
    chat_ids: frozenset[int]
    agent_id: int | None  # an agent's stream: also wakes on the waiting queue and on chats given to or taken from them
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)

    def wants(self, chat_id: int, old: Row | None, new: Row | None) -> bool:
        if chat_id in self.chat_ids:
            return True
        if self.agent_id is None:
            return False
        for row in (old, new):
            if row is not None and (row[3] == "waiting" or self.agent_id in (row[4], row[5])):
                return True
        return False

    def wake(self) -> None:
        with contextlib.suppress(RuntimeError):  # the request's loop is gone
            self.loop.call_soon_threadsafe(self.event.set)


class Watcher:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiters: set[Waiter] = set()
        self._fresh: set[Waiter] = set()  # registered before the watcher had a first reading
        self._thread: threading.Thread | None = None
        self._poke = threading.Event()
        self.ticks = 0

    def register(self, *, chat_ids: frozenset[int], agent_id: int | None) -> Waiter:
        waiter = Waiter(chat_ids=chat_ids, agent_id=agent_id, loop=asyncio.get_running_loop())
        with self._lock:
            self._waiters.add(waiter)
            if self._thread is None:
                self._fresh.add(waiter)
                self._thread = threading.Thread(target=self._run, name="chat-watcher", daemon=True)
                self._thread.start()
        return waiter

    def unregister(self, waiter: Waiter) -> None:
        with self._lock:
            self._waiters.discard(waiter)
            self._fresh.discard(waiter)

    def poke(self) -> None:
        """A chat changed in this process: read now rather than at the next tick."""
        self._poke.set()

    def _run(self) -> None:
        previous: dict[int, Row] | None = None
        idle_since: float | None = None
        try:
            while True:
                with self._lock:
                    if not self._waiters:
                        idle_since = idle_since or time.monotonic()
                        if time.monotonic() - idle_since > IDLE_STOP_S:
                            self._thread = None
                            return
                    else:
                        idle_since = None
                try:
                    rows = {row[0]: row for row in selectors.chat_live_rows(now=timezone.now())}
                except Exception:  # the database restarting, say: try again, never die
                    log.exception("chat watcher: reading the live chats failed")
                    close_old_connections()
                    connection.close()
                    time.sleep(1.0)
                    continue
                self.ticks += 1
                with self._lock:
                    waiters = list(self._waiters)
                    fresh, self._fresh = self._fresh, set()
                to_wake = set(fresh)
                if previous is not None:
                    for chat_id in rows.keys() | previous.keys():
                        old, new = previous.get(chat_id), rows.get(chat_id)
                        if old != new:
                            to_wake.update(w for w in waiters if w.wants(chat_id, old, new))
                for waiter in to_wake:
                    waiter.wake()
                previous = rows
                self._poke.wait(settings.CHAT_TICK_S)
                self._poke.clear()
        finally:
            connection.close()


watcher = Watcher()


def db_call(fn: Callable[[], Any]) -> Callable[[], Any]:
    """``fn`` as an awaitable that runs in the request's thread and then lets go of the database connection.

    A long poll reads a few times over up to 30 s; between reads it must not keep a connection
    (hundreds of waiting polls would need hundreds of connections). Closing returns the connection
    to the pool when there is one, else disconnects. Inside a transaction (a test's) it is left open.
    """

    def call() -> Any:
        try:
            return fn()
        finally:
            if not connection.in_atomic_block:
                connection.close()

    return sync_to_async(call)


async def wait_for_news(*, chat_ids: frozenset[int], agent_id: int | None, wait_s: float, read, has_news):  # type: ignore[no-untyped-def]
    """Read (``await read()``) until ``has_news(result)`` or ``wait_s`` passed; the last result.

    ``read`` is an async callable doing the database read (through :func:`db_call`).
    """
    if wait_s <= 0:
        return await read()
    loop = asyncio.get_running_loop()
    if settings.CHAT_WAKE == "poll":
        return await _poll_for_news(wait_s=wait_s, read=read, has_news=has_news)
    waiter = watcher.register(chat_ids=chat_ids, agent_id=agent_id)
    try:
        deadline = loop.time() + wait_s
        while True:
            result = await read()
            remaining = deadline - loop.time()
            if has_news(result) or remaining <= 0:
                return result
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(waiter.event.wait(), timeout=remaining)
            waiter.event.clear()
    finally:
        watcher.unregister(waiter)


async def _poll_for_news(*, wait_s: float, read, has_news):  # type: ignore[no-untyped-def]
    """CHAT_WAKE=poll: each waiting request reads the database itself every CHAT_TICK_S, in its own
    connection. For setups where a watcher thread's own connection is not wanted: the browser tests'
    in-memory SQLite database, shared between threads, where a second connection's reads lock
    tables for the first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        result = await read()
        if has_news(result) or loop.time() >= deadline:
            return result
        await asyncio.sleep(min(settings.CHAT_TICK_S, max(0.0, deadline - loop.time())))
