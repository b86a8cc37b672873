"""Independent reads of one page run side by side, each on its own database connection.

The dashboard reads three periods (this one, the one before, the same one last year), the tickets
created per hour and solved per day, and the SLA clocks; each read is a query whose cost is mostly
the database's (in its own process) and numpy's (which runs outside Python's GIL). On PostgreSQL
they run in a few long-lived threads of the process (at most :data:`WORKERS`), each with its own
connection (Django's connections are per thread), which these threads treat as a request thread
treats its own: before and after each read, a connection that is broken or older than
``CONN_MAX_AGE`` is closed (``close_old_connections``; with Django's pool,
``FRONTLINE_DB_POOL_SIZE``, it goes back to the pool after each read). So without the pool a web
process holds up to :data:`WORKERS` more connections, idle between dashboards;
:func:`release_connections` closes them (a test on PostgreSQL that reads a dashboard outside a
transaction calls it before the test database is dropped, which open connections would prevent).

The reads run one after another, in order, on the caller's connection instead where threads would
be wrong or useless: inside a transaction (``ATOMIC_REQUESTS``, a test's transaction: another
connection would not see what this one wrote and has not committed), on SQLite (the embedded
default gains nothing), inside one of these threads (no waiting on oneself), and when Django's
pool cannot spare the connections now (a dashboard does not wait for a connection the chat's long
polls hold). Either way the results are the same values.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import close_old_connections, connection, connections

# Reads beyond the caller's own at once (a dashboard has five more); threads shared by the process's requests.
WORKERS = 5
_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_here = threading.local()  # .worker: True in the pool's threads


def side_by_side(*reads: Callable[[], Any]) -> list[Any]:
    """``[read() for read in reads]``: the first in the calling thread and the rest in the pool's threads
    where that is safe (see the module's docstring)."""
    if not _threads_help(len(reads) - 1):
        return [read() for read in reads]
    pool = _executor()
    others = [pool.submit(_on_own_connection, read) for read in reads[1:]]
    first = reads[0]()
    return [first, *(future.result() for future in others)]


def release_connections() -> None:
    """Close the connections the pool's threads hold (each thread closes its own), e.g. before dropping a database."""
    with _lock:
        pool = _pool
    if pool is None:
        return
    meeting = threading.Barrier(WORKERS)

    def close() -> None:
        meeting.wait()  # every thread of the pool takes exactly one of these
        connections.close_all()

    for future in [pool.submit(close) for _ in range(WORKERS)]:
        future.result()


def _threads_help(more: int) -> bool:
    if more < 1 or connection.vendor != "postgresql" or connection.in_atomic_block or getattr(_here, "worker", False):
        return False
    shared = getattr(connection, "pool", None)  # Django's connection pool, when configured
    if shared is None:
        return True
    stats = shared.get_stats()
    spare = stats.get("pool_available", 0) + stats.get("pool_max", 0) - stats.get("pool_size", 0)
    return not stats.get("requests_waiting", 0) and spare >= more


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="metrics-read",
                                       initializer=_mark_worker)
        return _pool


def _mark_worker() -> None:
    _here.worker = True


def _on_own_connection(read: Callable[[], Any]) -> Any:
    close_old_connections()
    try:
        return read()
    finally:
        close_old_connections()
