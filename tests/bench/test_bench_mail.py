"""``bench/bench_mail.py --quick``: fetch through a real IMAP server, outcomes exactly as generated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench import bench_mail
from tests.mail.dovecot import DOVECOT, SKIP_REASON

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_the_generated_mix_is_forty_fifty_ten():
    _raw, expected = bench_mail.messages(100)
    assert expected == {"created": 40, "threaded": 50, "auto_reply": 10}


@pytest.mark.slow
@pytest.mark.skipif(DOVECOT is None, reason=SKIP_REASON)
def test_quick_run_prints_the_table_and_the_outcomes_match():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    done = subprocess.run([sys.executable, "-m", "bench.bench_mail", "--quick"], cwd=REPO_ROOT, env=env,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert ("IMAP fetch + ingest" in done.stdout, "Outcomes as generated" in done.stdout) == (True, True)
