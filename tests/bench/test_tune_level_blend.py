"""bench/tune_level_blend.py in its quick mode: tunes on the tuning targets, re-checks the chosen
variant with the engine, and reports it per lead on the untouched reporting targets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_tuning_reports_the_untouched_windows_per_lead(shared_data: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "bench.tune_level_blend", "--quick"], cwd=REPO_ROOT,
                          env={**os.environ, "FRONTLINE_SHARED_DATA": str(shared_data)},
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-4000:]
    out = done.stdout
    assert "Tuning targets rows 64-143 (2003-05-30 .. 2003-09-18): 4 variants" in out
    checked = re.search(r"engine re-check of its tuning mean MASE: ([\d.]+) \(vectorised: ([\d.]+)\)", out)
    assert checked is not None and checked.group(1) == checked.group(2)
    reporting = out[out.index("REPORTING targets (untouched)"):]
    assert "20 targets (2003-09-19 .. 2003-10-16)" in reporting
    assert len(re.findall(r"^ +\d+ +\d", reporting.split("\n\n")[0], flags=re.MULTILINE)) == 14  # leads 1-14
