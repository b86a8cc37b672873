"""Every benchmark in bench/ runs in its quick mode and prints its comparison table, both sides
(bench_sla's is in test_bench_sla.py).

A benchmark that rots (a schema change its loader does not know, a renamed engine function)
fails here rather than on the next person who runs ``make bench``. Peers run when their
virtualenvs exist (``make bench-peers``); otherwise their row says "not run", and the row is
still asserted, so the table keeps both sides either way.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def run_bench(module: str, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", f"bench.{module}", "--quick", *args], cwd=REPO_ROOT,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, f"bench.{module} --quick failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


# The quick runs that keep their data in a temporary folder copy the migrated SQLite template the other
# quick runs share (bench/_template.py) instead of migrating a database of their own (~20 s each).
TEMPLATES = os.environ.get("FRONTLINE_BENCH_DATA", str(REPO_ROOT / "bench" / ".data"))


def rows(output: str, first_cell: str) -> list[str]:
    return re.findall(rf"^{re.escape(first_cell)}\s+.*$", output, flags=re.MULTILINE)


def test_api_benchmark_loads_serves_and_measures_both_systems(tmp_path: Path) -> None:
    out = run_bench("bench_api", env={"FRONTLINE_BENCH_DATA": str(tmp_path / "bench-data"), "FRONTLINE_BENCH_TEMPLATES": TEMPLATES})

    assert "API under load: 2 clients, gunicorn 1 sync workers" in out
    frontline = rows(out, "frontline")
    assert [r.split()[2] for r in frontline] == ["list", "read", "create"]
    assert all(r.split()[7] == "0" for r in frontline), frontline  # no errors
    assert [r.split()[2] for r in rows(out, "helpdesk")] == ["list", "read", "create"]
    assert re.search(r"^Targets: Frontline list p99", out, flags=re.MULTILINE)


def test_erlang_benchmark_compares_frontline_and_pyworkforce() -> None:
    out = run_bench("bench_erlang", env={})

    assert "Erlang C required agents, 200 intervals" in out
    assert rows(out, "frontline required_agents_many")[0].split()[-1] == "0"  # every answer exact
    assert len(rows(out, "pyworkforce 0.5.1 ErlangC")) == 1


def test_forecast_benchmark_scores_the_models_next_to_the_reference(shared_data: Path) -> None:
    out = run_bench("bench_forecast", env={"FRONTLINE_SHARED_DATA": str(shared_data)})

    assert "day-ahead, refit daily, last 2 of" in out
    assert [len(rows(out, m)) for m in ("seasonal_naive", "weekday_mean_4", "level_blend")] == [2, 2, 2]
    assert rows(out, "seasonal_naive")[0].split()[3:5] == ["1.18", "9.9%"]  # the published reference
    assert len(rows(out, "poisson noise floor")) == 1


def test_schedule_benchmark_compares_pyworkforce_with_both_models(shared_data: Path) -> None:
    out = run_bench("bench_schedule", env={"FRONTLINE_SHARED_DATA": str(shared_data)})

    assert "Shift choice: US bank week" in out
    assert len(rows(out, "pyworkforce 0.5.1 MinRequiredResources")) == 1
    assert len(rows(out, "frontline (a) cover every interval")) == 1
    assert len(rows(out, "frontline (b) service level")) == 1


def test_metrics_benchmark_times_the_dashboard_next_to_duckdb_and_they_agree(tmp_path: Path) -> None:
    # SQLite only: migrating a PostgreSQL database for every app costs this suite more than it shows
    out = run_bench("bench_metrics", env={"FRONTLINE_BENCH_DATA": str(tmp_path / "bench-data"),
                                          "FRONTLINE_BENCH_TEMPLATES": TEMPLATES})

    assert "the manager dashboard of the last 90 days" in out
    systems = ["Frontline on SQLite", "DuckDB over Parquet (floor)"]
    found = {name: rows(out, name) for name in systems}
    assert all(len(r) == 1 for r in found.values()), out
    # tickets in range, first reply median, teams, days: the same from the database and from DuckDB
    assert len({tuple(r[0].split()[-4:]) for r in found.values()}) == 1, out
    assert "MISMATCH" not in out
