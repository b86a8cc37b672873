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
    row = re.search(r"^frontline\s+4 sessions, 2 uvicorn workers\s+sqlite\s+(\d+)\s+\S+\s+\S+\s+\S+\s+(\d+)\s+"
                    r"(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*$", out, flags=re.MULTILINE)
    assert row is not None, out
    delivered, sent, lost, duplicated, not_stored, twice, errors = map(int, row.groups())
    assert delivered > 0 and sent >= delivered
    assert (lost, duplicated, not_stored, twice, errors) == (0, 0, 0, 0, 0)
