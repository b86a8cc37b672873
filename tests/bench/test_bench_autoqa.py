"""bench_autoqa in its quick mode: builds a small demo, times the stages and checks every solved ticket once."""

from __future__ import annotations

import pytest

from tests.bench.test_quick import rows, run_bench

pytestmark = pytest.mark.slow


def test_quick_run_prints_the_stages_and_checks_every_ticket_once() -> None:
    out = run_bench("bench_autoqa", env={})
    assert "Auto-QA over the demo's solved tickets" in out
    [engine] = rows(out, "engine only")
    [full] = rows(out, "frontline full run")
    [again] = rows(out, "incremental run, nothing new")
    assert engine.split()[-3] == full.split()[-3]  # the same number of interactions
    assert again.split()[4] == "0"
