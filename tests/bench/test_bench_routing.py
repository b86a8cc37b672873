"""``bench/bench_routing.py --quick``: it loads, routes, and prints the index next to the full scans,
with the index's decisions equal to the scan's (a subprocess: the benchmark sets up its own database)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_quick_run_prints_both_sides_and_the_same_decisions() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "bench.bench_routing", "--quick"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    out = done.stdout
    assert done.returncode == 0, done.stderr[-4000:]
    for system in ("frontline index", "full scan per ticket", "engine scan", "frontline route"):
        assert len(re.findall(rf"^{system}\s", out, flags=re.MULTILINE)) == 2, system
    assert out.count("0 decisions differ from the scan") == 2
    assert re.search(r"^Target: decision p99 < 5 ms", out, flags=re.MULTILINE)
