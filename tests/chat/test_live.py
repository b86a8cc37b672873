"""Long polls and database connections: a waiting poll holds none; PostgreSQL gets a pool per process.

The end-to-end check (hundreds of polls waiting on a few pooled connections, through the real
server) is ``tests/bench/test_bench_chat.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from django.db import connection

from frontline.chat.live import db_call
from frontline.chat.models import Chat

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_a_poll_read_hands_its_connection_back_when_done() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database ignores close (closing would drop it)")
    assert async_to_sync(db_call(lambda: Chat.objects.count()))() == 0
    assert connection.connection is None


@pytest.mark.django_db
def test_inside_a_transaction_the_connection_is_kept() -> None:
    """A test's (or a caller's) transaction is never cut short by a poll's read."""
    assert async_to_sync(db_call(lambda: Chat.objects.count()))() == 0
    assert connection.in_atomic_block and connection.connection is not None


def _database_settings(**env: str) -> dict:  # type: ignore[type-arg]
    """settings.DATABASES["default"] as a fresh process builds it from ``env``."""
    code = ("import json, frontline.settings as s; d = s.DATABASES['default']; "
            "print(json.dumps({'pool': d.get('OPTIONS', {}).get('pool'), 'max_age': d['CONN_MAX_AGE']}))")
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FRONTLINE_DB_", "DATABASE_URL"))}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env={**base, **env}, capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_pool_is_configured_from_the_environment_on_postgresql_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pg = "postgres://postgres@127.0.0.1:5432/frontline"
    assert _database_settings(DATABASE_URL=pg, FRONTLINE_DB_POOL_SIZE="7") == {
        "pool": {"min_size": 1, "max_size": 7, "timeout": 10.0, "max_idle": 60}, "max_age": 0}
    assert _database_settings(DATABASE_URL=pg) == {"pool": None, "max_age": 60}
    assert _database_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}", FRONTLINE_DB_POOL_SIZE="7") == {
        "pool": None, "max_age": 0}
