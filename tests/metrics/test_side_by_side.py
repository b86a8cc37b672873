"""Reads side by side (frontline/metrics/side_by_side.py): in the calling thread, in order, inside a transaction
or on SQLite; on PostgreSQL outside one, in the pool's threads on connections of their own, and the dashboard
they read is still the engine's to the last bit."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

import pytest
from django.db import connection

from frontline.metrics import side_by_side as sbs
from frontline.metrics.periods import period_of
from frontline.metrics.selectors import Scope
from tests.metrics.test_samples import BERLIN, assert_dashboard_is_the_engines, dst  # noqa: F401 - the fixture

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="threads only read on PostgreSQL")


def where() -> tuple[str, int | None]:
    """The thread a read ran in, and its connection's server process (PostgreSQL)."""
    pid = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
    return threading.current_thread().name, pid


@pytest.mark.django_db
def test_inside_a_transaction_the_reads_run_in_order_in_the_calling_thread():
    done = []
    reads = [lambda i=i: done.append(i) or (i, *where()) for i in range(4)]
    me = threading.current_thread().name
    assert [r[:2] for r in sbs.side_by_side(*reads)] == [(0, me), (1, me), (2, me), (3, me)]
    assert done == [0, 1, 2, 3]


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_reads_run_in_the_pools_threads_on_their_own_connections():
    try:
        mine = where()
        results = sbs.side_by_side(where, where, where, lambda: 42)
        assert results[0] == mine and results[3] == 42
        assert all(name.startswith("metrics-read") and pid != mine[1] for name, pid in results[1:3])
    finally:
        sbs.release_connections()


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("zone", [UTC, BERLIN])
def test_the_dashboard_read_side_by_side_is_the_engines(dst, zone):  # noqa: F811
    try:
        assert sbs._threads_help(5)
        week = period_of("week", date(2026, 3, 23), zone)
        for now in (datetime(2026, 4, 5, tzinfo=UTC), datetime(2026, 3, 27, 9, 23, 17, tzinfo=UTC)):
            assert_dashboard_is_the_engines(dst["boss"], Scope(team_ids=None), week, now=now)
            assert_dashboard_is_the_engines(dst["boss"], Scope(team_ids=frozenset({dst["tech"].pk})), week, now=now)
    finally:
        sbs.release_connections()
