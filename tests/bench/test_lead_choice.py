"""bench/lead_choice.py in its quick mode: the per-lead choice chosen on tuning targets, then
reported per lead on the untouched reporting targets against every simple baseline."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_lead_choice_is_chosen_on_tuning_and_reported_on_the_untouched_windows(shared_data: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench.lead_choice", "--quick"], cwd=REPO_ROOT,
                          env={**os.environ, "FRONTLINE_SHARED_DATA": str(shared_data)},
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout
    assert "Tuning targets rows 124-143 (2003-08-22 .. 2003-09-18): 30 configurations" in out
    assert re.search(r"chosen on the tuning targets: candidates '.+', blocks '.+', latest_leads=\w+, margin=", out)
    reporting = out[out.index("REPORTING targets (untouched)"):]
    assert "20 targets (2003-09-19 .. 2003-10-16)" in reporting
    leads = re.findall(r"^ +(\d+) +\d.* (yes|NO) *$", reporting.split("\n\n")[0], flags=re.MULTILINE)
    assert [int(lead) for lead, _ in leads] == list(range(1, 15))
    assert "80% interval coverage: by lead" in reporting
