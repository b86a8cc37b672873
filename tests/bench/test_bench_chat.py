"""``bench/bench_chat.py --quick``: the real server starts, a few customers and agents talk through
the widget and agent endpoints, and no message is lost, duplicated or stored twice (a subprocess:
the benchmark sets up its own database and server)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_quick_run_delivers_every_message_once() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "bench.bench_chat", "--quick"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    row = re.search(r"^frontline\s+4 sessions, 2 uvicorn workers\s+fast\s+sqlite\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(\d+)\s+"
                    r"(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", out, flags=re.MULTILINE)
    assert row is not None and "at the fast pace (customer 0.5-2 s, agent 0.2-1 s;" in out, out
    delivered, sent, lost, duplicated, not_stored, twice, errors = map(int, row.groups())
    assert delivered > 0 and sent >= delivered
    assert (lost, duplicated, not_stored, twice, errors) == (0, 0, 0, 0, 0)


def _postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def test_on_postgresql_waiting_polls_share_a_few_pooled_connections() -> None:
    """10 chats: 20 long polls waiting at once, through 2 web processes with a pool of 3 connections each:
    about 8 connections (each process's 3 pooled and the one its chat watcher LISTENs on: far fewer than the 20
    polls, since a waiting poll holds none), and still nothing lost or duplicated. (The bound has a little slack: a sample every 0.5 s can count a pooled connection closing
    while its replacement opens.)"""
    if not _postgres_reachable():
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"FRONTLINE_DB_POOL_SIZE": "3"}
    done = subprocess.run([sys.executable, "-m", "bench.bench_chat", "--sessions", "10", "--duration", "10", "--workers", "2",
                           "--db", "postgres", "--pace", "fast", "--poll-wait", "5"], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    out = done.stdout
    assert done.returncode == 0, out[-3000:] + done.stderr[-3000:]
    row = re.search(r"^frontline\s+10 sessions, 2 uvicorn workers\s+fast\s+postgres\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(\d+)\s+"
                    r"(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", out, flags=re.MULTILINE)
    peak = re.search(r"most at once: (\d+) ", out)
    assert row is not None and peak is not None, out
    delivered, sent, lost, duplicated, not_stored, twice, errors = map(int, row.groups())
    assert delivered > 0 and sent >= delivered
    assert (lost, duplicated, not_stored, twice, errors) == (0, 0, 0, 0, 0)
    assert 1 <= int(peak.group(1)) <= 10  # 2 processes x (3 pooled + 1 the chat watcher LISTENs on) + 2
