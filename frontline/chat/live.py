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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from . import selectors

log = logging.getLogger(__name__)
Row = tuple[int, int, int, str, "int | None", "int | None", int]  # id, seq, pulse, state, agent, offered to, customer_seq
WAITING = "waiting"
IDLE_STOP_S = 30.0


@dataclass(eq=False)
class Waiter:
    chat_ids: frozenset[int]
    agent_id: int | None  # an agent's stream: also wakes on the waiting queue and on chats given to or taken from them
    loop: asyncio.AbstractEventLoop
    event: asyncio.Event = field(default_factory=asyncio.Event)

    def wants(self, chat_id: int, old: Row | None, new: Row | None) -> bool:
        """Whether this change can alter what the waiting request answers.

        A chat it reads: any change. An agent's stream (the tab's list of the agent's chats and the
        waiting queue) reads of the other chats only who holds or is offered them, their state,
        typing and the customer's last message: the agent's own message in another chat (only
        ``seq`` moves) wakes none of their other tabs.
        """
        if chat_id in self.chat_ids:
            return True
        if self.agent_id is None:
            return False
        if old is None or new is None:
            row = old or new
            assert row is not None
            return row[3] == WAITING or self.agent_id in (row[4], row[5])
        if WAITING not in (old[3], new[3]) and self.agent_id not in (old[4], old[5], new[4], new[5]):
            return False
        return (old[2], old[3], old[4], old[5], old[6]) != (new[2], new[3], new[4], new[5], new[6])

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
        self._stopping = threading.Event()
        self._rows: dict[int, Row] | None = None  # the latest reading of the live chats, while the thread runs
        self.ticks = 0

    def register(self, *, chat_ids: frozenset[int], agent_id: int | None) -> Waiter:
        waiter = Waiter(chat_ids=chat_ids, agent_id=agent_id, loop=asyncio.get_running_loop())
        with self._lock:
            self._waiters.add(waiter)
            if self._rows is None:  # no first reading yet (this register starts the thread, or one just started):
                self._fresh.add(waiter)  # a change before that reading has nothing to compare with, so it wakes
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="chat-watcher", daemon=True)
                self._thread.start()
        return waiter

    def unregister(self, waiter: Waiter) -> None:
        with self._lock:
            self._waiters.discard(waiter)
            self._fresh.discard(waiter)

    def stop(self, timeout: float = 5.0) -> None:
        """End the watcher thread now (and its listening connection); the next register starts a new one."""
        with self._lock:
            thread = self._thread
            self._stopping.set()
        if thread is not None:
            self._poke.set()
            thread.join(timeout)
        with self._lock:
            self._stopping.clear()

    def poke(self) -> None:
        """A chat changed in this process: read now rather than at the next tick."""
        self._poke.set()

    def _idle(self, idle_since: float | None) -> tuple[bool, float | None]:
        """(stop now, idle since): the thread ends after IDLE_STOP_S without waiters (the next register starts one)."""
        with self._lock:
            if self._stopping.is_set():
                self._thread, self._rows = None, None
                return True, idle_since
            if self._waiters:
                return False, None
            idle_since = idle_since or time.monotonic()
            if time.monotonic() - idle_since > IDLE_STOP_S:
                self._thread, self._rows = None, None
                return True, idle_since
            return False, idle_since

    def _apply(self, rows: dict[int, Row], *, whole: bool) -> None:
        """Take in a reading and wake the waiters of every chat whose row changed (and the fresh ones).

        ``whole``: ``rows`` is a full reading (a chat missing from it left the live set); else only
        the rows that changed. The rows are stored before anyone is woken, so a woken request that
        asks ``nothing_waiting`` sees the change that woke it.
        """
        with self._lock:
            previous = self._rows
            waiters = list(self._waiters)
            fresh, self._fresh = self._fresh, set()
            to_wake = set(fresh)
            if previous is not None:
                ids = rows.keys() | previous.keys() if whole else rows.keys()
                for chat_id in ids:
                    old, new = previous.get(chat_id), rows.get(chat_id)
                    if old != new:
                        to_wake.update(w for w in waiters if w.wants(chat_id, old, new))
            if whole or previous is None:
                self._rows = dict(rows)
            else:
                previous.update(rows)
        for waiter in to_wake:
            waiter.wake()

    def nothing_waiting(self) -> bool:
        """True when this process's watcher holds a reading of the live chats and none is waiting for an agent.

        A chat that starts waiting after that reading wakes every agent stream as the watcher takes it
        in, so an answer built on True is corrected at once. False when unknown (no watcher running).
        """
        with self._lock:
            rows = self._rows
            return rows is not None and self._thread is not None and all(row[3] != WAITING for row in rows.values())

    def _run(self) -> None:
        try:
            if connection.vendor == "postgresql":
                self._listen()
            else:
                self._poll()
        except Exception:  # never expected: log it, and let the next register start a new watcher
            log.exception("chat watcher: stopped by an error")
        finally:
            with self._lock:
                if self._thread is threading.current_thread():
                    self._thread, self._rows = None, None
            _forget_connection()

    def _poll(self) -> None:
        """Other databases: read every live chat's row each CHAT_TICK_S (at once when poked)."""
        idle_since: float | None = None
        while True:
            stop, idle_since = self._idle(idle_since)
            if stop:
                return
            try:
                rows = {row[0]: row for row in selectors.chat_live_rows(now=timezone.now())}
            except Exception:  # the database restarting, say: try again, never die
                log.exception("chat watcher: reading the live chats failed")
                _forget_connection()
                time.sleep(1.0)
                continue
            self.ticks += 1
            self._apply(rows, whole=True)
            self._poke.wait(settings.CHAT_TICK_S)
            self._poke.clear()

    def _listen(self) -> None:
        """PostgreSQL: LISTEN to the rows the chat trigger announces as they commit (migration chat 0003).

        LISTEN comes before the first full reading, so nothing committed after that reading goes
        unheard. A full reading is repeated every ``CHAT_FULL_READ_S`` (and after reconnecting,
        compared with the last known rows) in case a notification was lost with a connection.
        """
        idle_since: float | None = None
        listener: Any = None
        last_full: float | None = None  # when the last full reading was; None: one is due now
        try:
            while True:
                stop, idle_since = self._idle(idle_since)
                if stop:
                    return
                try:
                    if listener is None:
                        listener = _listener()
                        last_full = None
                    if last_full is None or time.monotonic() - last_full > settings.CHAT_FULL_READ_S:
                        rows = {row[0]: row for row in selectors.chat_live_rows(now=timezone.now())}
                        connection.close()  # back to the pool: the watcher holds only its listening connection
                        self.ticks += 1
                        self._apply(rows, whole=True)
                        last_full = time.monotonic()
                    notes = list(listener.notifies(timeout=0.5, stop_after=1))
                    if notes:  # and whatever else arrived with it
                        notes += list(listener.notifies(timeout=0.002))
                except Exception:  # the database restarting, say: reconnect, read everything, never die
                    log.exception("chat watcher: listening for chat changes failed")
                    with contextlib.suppress(Exception):
                        if listener is not None:
                            listener.close()
                    listener = None
                    _forget_connection()
                    time.sleep(1.0)
                    continue
                if not notes:
                    continue
                rows = {}
                for note in notes:
                    row = _parse_row(note.payload)
                    if row is not None:
                        rows[row[0]] = row
                self.ticks += 1
                self._apply(rows, whole=False)
        finally:
            if listener is not None:
                with contextlib.suppress(Exception):
                    listener.close()


def _forget_connection() -> None:
    """Drop this thread's database connection, whatever state it is in (the next read opens a new one)."""
    with contextlib.suppress(Exception):
        close_old_connections()
    with contextlib.suppress(Exception):
        connection.close()


def _listener() -> Any:
    """A connection of its own (autocommit, outside Django's pool) listening on ``frontline_chat``."""
    import psycopg

    params = {k: v for k, v in connection.get_connection_params().items()
              if k not in ("cursor_factory", "context", "prepare_threshold", "server_side_binding")}
    listener = psycopg.connect(**params, autocommit=True)
    listener.execute("LISTEN frontline_chat")
    return listener


def _parse_row(payload: str) -> Row | None:
    """``id,seq,pulse,state,agent,offered_to,customer_seq`` (the trigger's payload) as a live row; None if malformed."""
    parts = payload.split(",")
    if len(parts) != 7:
        return None
    try:
        return (int(parts[0]), int(parts[1]), int(parts[2]), parts[3],
                int(parts[4]) if parts[4] else None, int(parts[5]) if parts[5] else None, int(parts[6]))
    except ValueError:
        return None


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


@contextlib.contextmanager
def watching(*, chat_ids: frozenset[int], agent_id: int | None) -> Iterator[Waiter | None]:
    """Register a waiter for these chats (and an agent's stream) for the block; None with CHAT_WAKE=poll.

    A view that reads the database before it waits (an access check whose rows the first answer
    reuses) enters this block first, so that a change committed after that read still wakes it.
    """
    if settings.CHAT_WAKE == "poll":
        yield None
        return
    waiter = watcher.register(chat_ids=chat_ids, agent_id=agent_id)
    try:
        yield waiter
    finally:
        watcher.unregister(waiter)


async def wait_for_news(*, chat_ids: frozenset[int], agent_id: int | None, wait_s: float, read, has_news,  # type: ignore[no-untyped-def]
                        waiter: Waiter | None = None):
    """Read (``await read()``) until ``has_news(result)`` or ``wait_s`` passed; the last result.

    ``read`` is an async callable doing the database read (through :func:`db_call`). ``waiter``:
    one the caller registered (``watching``) before its own first read; else one is registered here,
    before the first ``read``.
    """
    if wait_s <= 0:
        return await read()
    if settings.CHAT_WAKE == "poll":
        return await _poll_for_news(wait_s=wait_s, read=read, has_news=has_news)
    if waiter is None:
        with watching(chat_ids=chat_ids, agent_id=agent_id) as registered:
            assert registered is not None
            return await _watch_for_news(registered, wait_s=wait_s, read=read, has_news=has_news)
    return await _watch_for_news(waiter, wait_s=wait_s, read=read, has_news=has_news)


async def _watch_for_news(waiter: Waiter, *, wait_s: float, read, has_news):  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_s
    while True:
        result = await read()
        remaining = deadline - loop.time()
        if has_news(result) or remaining <= 0:
            return result
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(waiter.event.wait(), timeout=remaining)
        waiter.event.clear()


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
